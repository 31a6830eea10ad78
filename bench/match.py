"""Matching benchmark: generate vacancies and workers, index them, time both directions, check against an exact scorer.

    python bench/match.py --backend sqlite --scale 1.0 --seed 2025 --queries 200

Runs on its own throwaway database (an SQLite file in a temporary folder, or a PostgreSQL database created and
dropped here), so it never touches the app's data. Ends with one JSON line (see bench/README.md).
"""
from __future__ import annotations

import argparse
import bisect
import json
import math
import os
import platform
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
os.environ.setdefault("JOBMARKET_ENV", "testing")

FULL_VACANCIES = 100_000
FULL_WORKERS = 200_000
TOP = 20
PG_ADMIN_URL = os.environ.get("BENCH_POSTGRES_ADMIN_URL", os.environ.get(
    "TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))


def log(message: str) -> None:
    """Progress on stderr, so stdout stays the report."""
    print(message, file=sys.stderr, flush=True)


# --- the throwaway database ------------------------------------------------------------------------------------------

@contextmanager
def throwaway_database(kind: str, keep: bool = False):
    """Yield the URL of a new empty database of this kind; drop it afterwards."""
    if kind == "postgresql":
        import psycopg

        name = f"jm_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
        finally:
            if not keep:
                with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        folder = tempfile.mkdtemp(prefix="jm-bench-")
        try:
            yield f"sqlite:///{folder}/bench.sqlite3"
        finally:
            if not keep:
                shutil.rmtree(folder, ignore_errors=True)


def make_app(url: str, instance: str):
    """An app on the bench database, migrated and holding the reference data."""
    from flask_migrate import upgrade

    from jobmarket import create_app
    from jobmarket.refdata.loader import load_all

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "ENV_NAME": "testing", "SECRET_KEY": "bench",
                      "UPLOAD_FOLDER": os.path.join(instance, "uploads"), "ELASTICSEARCH_URL":
                      os.environ.get("ELASTICSEARCH_URL")})
    with app.app_context():
        upgrade(revision="heads")
        load_all()
    return app


# --- data ------------------------------------------------------------------------------------------------------------

class Picker:
    """Weighted choice of skills per category: earlier rows of the vocabulary are the common ones (as the demo)."""

    def __init__(self, skills):
        """Group the vocabulary's skill ids by category with cumulative pick weights."""
        self.by_cat: dict[str, list[int]] = {}
        for sid, category, _group in skills:
            self.by_cat.setdefault(category, []).append(sid)
        self.cum = {}
        for c, ids in self.by_cat.items():
            total, cum = 0.0, []
            for i in range(len(ids)):
                total += 1.0 / (i + 1) ** 0.8
                cum.append(total)
            self.cum[c] = cum

    def pick(self, rng: random.Random, category: str, k: int) -> list[int]:
        """Up to k distinct skills of a category."""
        ids, cum = self.by_cat.get(category, []), self.cum.get(category, [])
        chosen: list[int] = []
        for _ in range(min(k, len(ids)) * 4):
            s = ids[bisect.bisect(cum, rng.random() * cum[-1])]
            if s not in chosen:
                chosen.append(s)
            if len(chosen) >= k:
                break
        return chosen


def generate(conn, n_vacancies: int, n_workers: int, seed: int, now: datetime) -> dict[str, int]:
    """Insert realistic workers, employers and vacancies in bulk (same seed, same data)."""
    from sqlalchemy import text

    from jobmarket.demo import CATEGORY_MIX, COMPANY_CORE, COMPANY_PREFIX, SECTORS, TITLES

    rng = random.Random(seed)
    wards = conn.execute(text("SELECT code, unit_type, name_vi FROM wards ORDER BY code")).all()
    ward_cum = list(np.cumsum([3.0 if w.unit_type == "phường" else 1.0 for w in wards]))
    skills = conn.execute(text("SELECT id, category, occupation_group FROM skills ORDER BY id")).all()
    picker = Picker(skills)
    occupations: dict[str, list[str]] = {}
    for (code,) in conn.execute(text("SELECT code FROM occupations WHERE level = 4 ORDER BY code")):
        occupations.setdefault(code[:2], []).append(code)
    group_of = {c: next(g for s, cat, g in skills if cat == c) for c in picker.by_cat}
    cats = [c for c in CATEGORY_MIX if c in picker.by_cat]
    cat_cum = list(np.cumsum([CATEGORY_MIX[c][0] for c in cats]))

    def ward() -> str:
        """A ward, phường three times as likely as xã."""
        return wards[bisect.bisect(ward_cum, rng.random() * ward_cum[-1])].code

    def category() -> str:
        """A trade, weighted by the posting mix."""
        return cats[bisect.bisect(cat_cum, rng.random() * cat_cum[-1])]

    def stamp(moment: datetime):
        """A timestamp as the database column stores it."""
        return moment.strftime("%Y-%m-%d %H:%M:%S.%f") if conn.dialect.name == "sqlite" else moment

    n_employers = max(1, n_vacancies // 8)
    users, employers, workers, worker_skills, preferred, vacancies, vacancy_skills = [], [], [], [], [], [], []
    created = stamp(now - timedelta(days=500))
    for i in range(1, n_employers + n_workers + 1):
        role = "employer" if i <= n_employers else "worker"
        users.append((i, f"u{i}@bench.example.vn", "x", role, "vi", rng.random() < 0.99 or role == "employer", created))
    for i in range(1, n_employers + 1):
        employers.append((i, i, f"{rng.choice(COMPANY_PREFIX)} {rng.choice(COMPANY_CORE)} {i}", f"{i:010d}", ward(), "",
                          rng.choice(SECTORS), "Trần Thị Lan", "verified" if rng.random() < 0.9 else "unverified",
                          created, created))
    for i in range(1, n_workers + 1):
        cat = category()
        lo, hi = CATEGORY_MIX[cat][1:]
        registered = now - timedelta(days=rng.randint(0, 420), minutes=rng.randint(0, 1440))
        active = min(now, registered + timedelta(days=rng.randint(0, 60), minutes=rng.randint(0, 1440)))
        home = ward() if rng.random() < 0.98 else None
        anywhere = rng.random() < 0.35
        workers.append((i, n_employers + i, f"Người lao động {i}", anywhere, home,
                        int(rng.uniform(lo, (lo + hi) / 2) * 2) * 500_000 if rng.random() < 0.95 else None,
                        rng.random() < 0.95, rng.random() < 0.97, 0, "", "", stamp(registered), stamp(registered),
                        stamp(active), 1))
        chosen = picker.pick(rng, cat, rng.randint(2, 6))
        if rng.random() < 0.6:
            chosen += picker.pick(rng, "soft_skills", rng.randint(1, 2))
        if rng.random() < 0.3:
            chosen += picker.pick(rng, category(), 1)
        worker_skills.extend((i, s) for s in sorted(set(chosen)))
        if rng.random() < 0.5:
            preferred.extend((i, w) for w in sorted({ward() for _ in range(rng.randint(1, 3))}))
    ward_names = {w.code: w.name_vi for w in wards}
    for i in range(1, n_vacancies + 1):
        cat = category()
        lo, hi = CATEGORY_MIX[cat][1:]
        wage_min = int(rng.uniform(lo, (lo + hi) / 2)) * 1_000_000
        wage_max = wage_min + rng.choice([1, 2, 3, 5]) * 1_000_000 if rng.random() < 0.9 else None
        published = now - timedelta(days=rng.randint(0, 120), minutes=rng.randint(0, 1440))
        title = rng.choice(TITLES.get(cat, ["Nhân viên"]))
        code = ward()
        status = "open" if rng.random() < 0.85 else rng.choice(["closed", "expired", "draft"])
        group = occupations.get(group_of[cat][:2]) or [None]
        vacancies.append((i, rng.randint(1, n_employers), title,
                          f"{title} làm việc tại {ward_names[code]}. Thu nhập ổn định, đóng bảo hiểm đầy đủ, được đào "
                          f"tạo thêm. Ưu tiên ứng viên ở gần nơi làm việc.", rng.choice(group), code, wage_min,
                          wage_max, rng.choice([1, 1, 2, 3, 5]), 0,
                          rng.choices(["full_time", "part_time", "shift", "seasonal"], [70, 12, 13, 5])[0], 0, status,
                          False, stamp(published), stamp(published), stamp(published), 1))
        required = picker.pick(rng, cat, rng.randint(2, 4))
        nice = [s for s in picker.pick(rng, cat, rng.randint(0, 3)) if s not in required]
        if rng.random() < 0.5:
            nice += [s for s in picker.pick(rng, "soft_skills", 1) if s not in nice]
        vacancy_skills.extend((i, s, True) for s in required)
        vacancy_skills.extend((i, s, False) for s in nice)
    tables = [
        ("users", "id, email, password_hash, role, locale, is_enabled, created_at", users),
        ("employers", "id, owner_id, name, tax_code, ward_code, address_detail, sector, contact_person, status, "
                      "created_at, updated_at", employers),
        ("worker_profiles", "id, user_id, full_name, anywhere_in_hanoi, ward_code, expected_wage, is_visible, "
                            "is_seeking, experience_years, languages, bio, created_at, updated_at, last_active_at, "
                            "version", workers),
        ("worker_skills", "worker_id, skill_id", worker_skills),
        ("worker_preferred_wards", "worker_id, ward_code", preferred),
        ("vacancies", "id, employer_id, title, description, occupation_code, ward_code, wage_min, wage_max, positions, "
                      "positions_filled, job_type, experience_required, status, flagged, published_at, created_at, "
                      "updated_at, version", vacancies),
        ("vacancy_skills", "vacancy_id, skill_id, required", vacancy_skills),
    ]
    for table, columns, rows in tables:
        bulk_insert(conn, table, columns, rows)
    if conn.dialect.name == "postgresql":
        for table in ("users", "employers", "worker_profiles", "vacancies"):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"))
    return {t: len(rows) for t, _, rows in tables}


def bulk_insert(conn, table: str, columns: str, rows: list[tuple]) -> None:
    """Fast bulk insert: COPY on PostgreSQL, executemany on SQLite."""
    raw = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" for _ in columns.split(","))
        cursor = raw.cursor()
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})",
                           [tuple(int(v) if isinstance(v, bool) else v for v in row) for row in rows])
        cursor.close()


# --- the exhaustive exact scorer -------------------------------------------------------------------------------------

class ExactScorer:
    """Scores every eligible pair with numpy, mirroring scoring.py term by term (checked against exact.py)."""

    def __init__(self, conn, weights, now: datetime):
        """Load every row the score reads into arrays."""
        from sqlalchemy import text

        from jobmarket.search.facts import eligible_vacancies, eligible_workers

        self.w, self.now = weights, now
        wards = conn.execute(text("SELECT code, lat, lon FROM wards ORDER BY code")).all()
        self.ward_idx = {w.code: i for i, w in enumerate(wards)}
        from jobmarket.search.scoring import Point

        self.points = [Point(w.lat, w.lon) for w in wards]
        weight = dict(conn.execute(text("SELECT id, weight FROM skills")).all())
        self.skill_weight = np.zeros(max(weight) + 1)
        for sid, wt in weight.items():
            self.skill_weight[sid] = wt
        # vacancies
        rows = conn.execute(text("SELECT id, ward_code, COALESCE(wage_max, wage_min), published_at FROM vacancies "
                                 "ORDER BY id")).all()
        self.v_ids = np.array([r[0] for r in rows])
        self.v_pos = {vid: i for i, vid in enumerate(self.v_ids.tolist())}
        self.v_ward = np.array([self.ward_idx[r[1]] for r in rows])
        self.v_offered = np.array([np.nan if r[2] is None else float(r[2]) for r in rows])
        self.v_offered_raw = [r[2] for r in rows]
        self.v_age = np.array([np.nan if r[3] is None else self._age(r[3]) for r in rows])
        eligible = set(conn.execute(eligible_vacancies()).scalars())
        self.v_eligible = np.array([vid in eligible for vid in self.v_ids.tolist()])
        vs = conn.execute(text("SELECT vacancy_id, skill_id, required FROM vacancy_skills")).all()
        self.vs_vac = np.array([self.v_pos[r[0]] for r in vs])
        self.vs_skill = np.array([r[1] for r in vs])
        self.vs_req = np.array([bool(r[2]) for r in vs])
        self.vac_skills: dict[int, list[tuple[int, bool]]] = {}
        for vid, sid, req in vs:
            self.vac_skills.setdefault(vid, []).append((sid, bool(req)))
        n = len(self.v_ids)
        w = self.skill_weight[self.vs_skill]
        self.v_req_total = np.bincount(self.vs_vac, weights=w * self.vs_req, minlength=n)
        self.v_nice_total = np.bincount(self.vs_vac, weights=w * ~self.vs_req, minlength=n)
        self.v_nice_count = np.bincount(self.vs_vac, weights=~self.vs_req, minlength=n)
        # workers
        rows = conn.execute(text("SELECT id, ward_code, anywhere_in_hanoi, expected_wage, last_active_at "
                                 "FROM worker_profiles ORDER BY id")).all()
        self.k_ids = np.array([r[0] for r in rows])
        self.k_pos = {wid: i for i, wid in enumerate(self.k_ids.tolist())}
        self.k_home = np.array([-1 if r[1] is None else self.ward_idx[r[1]] for r in rows])
        self.k_anywhere = np.array([bool(r[2]) for r in rows])
        self.k_expected = np.array([np.nan if r[3] is None else float(r[3]) for r in rows])
        self.k_age = np.array([np.nan if r[4] is None else self._age(r[4]) for r in rows])
        eligible = set(conn.execute(eligible_workers()).scalars())
        self.k_eligible = np.array([wid in eligible for wid in self.k_ids.tolist()])
        ws = conn.execute(text("SELECT worker_id, skill_id FROM worker_skills")).all()
        self.ks_worker = np.array([self.k_pos[r[0]] for r in ws])
        self.ks_skill = np.array([r[1] for r in ws])
        self.worker_skills: dict[int, set[int]] = {}
        for wid, sid in ws:
            self.worker_skills.setdefault(wid, set()).add(sid)
        pw = conn.execute(text("SELECT worker_id, ward_code FROM worker_preferred_wards")).all()
        self.preferred: dict[int, list[int]] = {}
        for wid, code in pw:
            self.preferred.setdefault(wid, []).append(self.ward_idx[code])
        keep = [(self.k_pos[wid], self.ward_idx[code]) for wid, code in pw if not self.k_anywhere[self.k_pos[wid]]]
        self.pw_worker = np.array([k for k, _ in keep], dtype=int)
        self.pw_ward = np.array([c for _, c in keep], dtype=int)

    def _age(self, moment) -> float:
        """Days from a stored timestamp to now, at least 0 (as scoring.freshness_part)."""
        if isinstance(moment, str):
            moment = datetime.fromisoformat(moment)
        return max(0.0, (self.now - moment).total_seconds() / 86400.0)

    def _finish(self, ids, req_cov, nice_cov, nice_count, location, wage, freshness, eligible):
        """Totals of the eligible pairs with a skill in common, best first (ties by id)."""
        w = self.w
        skills = np.where(nice_count == 0, req_cov, (1 - w.nice_share) * req_cov + w.nice_share * nice_cov)
        total = w.skills * skills + w.location * location + w.wage * wage + w.freshness * freshness
        ok = eligible & (skills > 0)
        order = np.lexsort((ids[ok], -total[ok]))
        return ids[ok][order], total[ok][order], dict(zip(ids[ok].tolist(), total[ok].tolist()))

    def _wage(self, expected, offered):
        """scoring.wage_part over arrays."""
        short = 1.0 - (expected - offered) / self.w.wage_tolerance_vnd
        with np.errstate(invalid="ignore"):
            return np.where(np.isnan(expected) | np.isnan(offered), 0.5,
                            np.where(offered >= expected, 1.0, np.maximum(0.0, short)))

    def _fresh(self, age):
        """scoring.freshness_part over arrays of ages."""
        return np.where(np.isnan(age), 0.0, 0.5 ** (np.nan_to_num(age) / self.w.freshness_half_days))

    def _loc(self, km):
        """scoring.location_part over arrays of distances."""
        return np.where(np.isnan(km), 0.0, 0.5 ** ((np.nan_to_num(km) / self.w.location_half_km) ** 2))

    def vacancies_for_worker(self, worker_id: int):
        """Every eligible vacancy scored for the worker: (ids best first, totals, {id: total})."""
        from jobmarket.search.scoring import haversine_km

        k = self.k_pos[worker_id]
        places = ([self.k_home[k]] if self.k_home[k] >= 0 else []) + \
            ([] if self.k_anywhere[k] else self.preferred.get(worker_id, []))
        km = np.array([min(haversine_km(self.points[p], pt) for p in places) if places else np.nan
                       for pt in self.points])
        held = np.zeros(len(self.skill_weight), dtype=bool)
        held[list(self.worker_skills.get(worker_id, ()))] = True
        w = self.skill_weight[self.vs_skill] * held[self.vs_skill]
        n = len(self.v_ids)
        req_w = np.bincount(self.vs_vac, weights=w * self.vs_req, minlength=n)
        nice_w = np.bincount(self.vs_vac, weights=w * ~self.vs_req, minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            req_cov = np.where(self.v_req_total > 0, req_w / self.v_req_total, 0.0)
            nice_cov = np.where(self.v_nice_total > 0, nice_w / self.v_nice_total, 0.0)
        expected = np.full(n, self.k_expected[k])
        return self._finish(self.v_ids, req_cov, nice_cov, self.v_nice_count, self._loc(km[self.v_ward]),
                            self._wage(expected, self.v_offered), self._fresh(self.v_age), self.v_eligible)

    def workers_for_vacancy(self, vacancy_id: int):
        """Every eligible worker scored for the vacancy: (ids best first, totals, {id: total})."""
        from jobmarket.search.scoring import haversine_km

        v = self.v_pos[vacancy_id]
        place = self.points[self.v_ward[v]]
        km_by_ward = np.array([haversine_km(pt, place) for pt in self.points])
        n = len(self.k_ids)
        home_km = np.where(self.k_home >= 0, km_by_ward[np.maximum(self.k_home, 0)], np.nan)
        pref_km = np.full(n, np.inf)
        np.minimum.at(pref_km, self.pw_worker, km_by_ward[self.pw_ward])
        pref_km[np.isinf(pref_km)] = np.nan
        km = np.fmin(home_km, pref_km)
        req = np.zeros(len(self.skill_weight))
        nice = np.zeros(len(self.skill_weight))
        for sid, required in self.vac_skills.get(vacancy_id, []):
            (req if required else nice)[sid] = self.skill_weight[sid]
        req_w = np.bincount(self.ks_worker, weights=req[self.ks_skill], minlength=n)
        nice_w = np.bincount(self.ks_worker, weights=nice[self.ks_skill], minlength=n)
        req_total, nice_total = self.v_req_total[v], self.v_nice_total[v]
        req_cov = req_w / req_total if req_total > 0 else np.zeros(n)
        nice_cov = nice_w / nice_total if nice_total > 0 else np.zeros(n)
        offered = np.full(n, self.v_offered[v])
        return self._finish(self.k_ids, req_cov, nice_cov, np.full(n, self.v_nice_count[v]), self._loc(km),
                            self._wage(self.k_expected, offered), self._fresh(self.k_age), self.k_eligible)


def overlap(got: list[tuple[int, float]], exact_ids, exact_scores: dict[int, float]) -> tuple[float, float]:
    """(overlap@TOP, max score difference): the share of the exact top TOP the backend returned. A returned id
    outside the exact top that ties the exact TOP-th score (within 1e-9) counts as found: ties are interchangeable."""
    want = exact_ids[:TOP].tolist()
    if not want:
        return (1.0 if not got else 0.0), 0.0
    last = exact_scores[want[-1]]
    hits = sum(1 for i, _ in got[:TOP] if i in set(want) or abs(exact_scores.get(i, -9) - last) <= 1e-9)
    diff = max((abs(s - exact_scores.get(i, -9)) for i, s in got[:TOP]), default=0.0)
    return min(hits, len(want)) / len(want), diff


# --- the run ---------------------------------------------------------------------------------------------------------

def machine() -> dict:
    """CPU model, cores and RAM of this machine."""
    model = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo") as fh:
            model = next(line.split(":", 1)[1].strip() for line in fh if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    ram = 0.0
    try:
        with open("/proc/meminfo") as fh:
            ram = int(next(line.split()[1] for line in fh if line.startswith("MemTotal"))) / 1024 / 1024
    except (OSError, StopIteration):
        pass
    return {"cpu": model, "cores": os.cpu_count(), "ram_gib": round(ram, 1), "python": platform.python_version()}


def peak_rss_mib() -> float:
    """Peak resident memory of this process."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)] if ordered else float("nan")


def run(args) -> dict:
    """Generate, index, query, compare; return the summary."""
    from sqlalchemy import text

    from jobmarket.extensions import db
    from jobmarket.search import service
    from jobmarket.search.scoring import Weights

    n_vac = max(10, round(FULL_VACANCIES * args.scale))
    n_work = max(20, round(FULL_WORKERS * args.scale))
    db_kind = "postgresql" if args.backend == "postgresql" else "sqlite"
    now = datetime(2026, 3, 1, 9, 0, 0)
    summary: dict = {"backend": args.backend, "scale": args.scale, "seed": args.seed, "vacancies": n_vac,
                     "workers": n_work}
    with throwaway_database(db_kind, keep=args.keep) as url, tempfile.TemporaryDirectory() as instance:
        log(f"database: {db_kind} ({url if args.keep else 'throwaway'})")
        app = make_app(url, instance)
        with app.app_context():
            try:
                backend = service.backend_named("elasticsearch" if args.backend == "elasticsearch" else "database")
            except LookupError as exc:
                raise SystemExit(f"bench: {exc} (the Elasticsearch backend is not merged yet)")
            weights = Weights.from_config(app.config)
            t0 = time.perf_counter()
            with db.engine.begin() as conn:
                counts = generate(conn, n_vac, n_work, args.seed, now)
            log(f"generated in {time.perf_counter() - t0:.1f}s: {counts}")
            from jobmarket.vocabulary import recompute_skill_weights

            recompute_skill_weights(queue=False)
            db.session.remove()
            t0 = time.perf_counter()
            indexed = backend.rebuild()
            # Planner statistics (and, on PostgreSQL, the visibility map index-only scans rely on), as autovacuum
            # gives a production database.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE" if db_kind == "postgresql" else "ANALYZE"))
            index_s = time.perf_counter() - t0
            db.session.remove()
            docs = n_vac + n_work
            summary.update(index_seconds=round(index_s, 2), index_docs_per_s=round(docs / index_s, 1))
            log(f"indexed {docs} documents ({indexed}) in {index_s:.1f}s: {docs / index_s:,.0f} docs/s")

            t0 = time.perf_counter()
            with db.engine.connect() as conn:
                exact = ExactScorer(conn, weights, now)
            log(f"exact scorer loaded in {time.perf_counter() - t0:.1f}s")
            rng = random.Random(args.seed + 1)
            worker_pool = [int(i) for i in exact.k_ids[exact.k_eligible] if int(i) in exact.worker_skills]
            vacancy_pool = [int(i) for i in exact.v_ids[exact.v_eligible] if int(i) in exact.vac_skills]
            warm = 10
            workers = rng.sample(worker_pool, min(len(worker_pool), args.queries + warm))
            vacancies = rng.sample(vacancy_pool, min(len(vacancy_pool), args.queries + warm))
            summary["reference_checks"] = reference_check(exact, weights, now, workers[:args.reference_checks],
                                                          vacancies[:args.reference_checks])

            def timed(call, ids):
                """Run the queries; latencies, CPU times, overlaps and score differences of the timed ones."""
                latencies, cpu, overlaps, diffs = [], [], [], []
                for n, qid in enumerate(ids):
                    t, c = time.perf_counter(), time.process_time()
                    got = call(qid)
                    elapsed, used = (time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000
                    db.session.remove()
                    if n < warm:
                        continue
                    latencies.append(elapsed)
                    cpu.append(used)
                    yield_ids, _totals, scores = exact_call[call](qid)
                    o, d = overlap([(i, s) for i, s, _ in got], yield_ids, scores)
                    overlaps.append(o)
                    diffs.append(d)
                return latencies, cpu, overlaps, diffs

            def w2v(wid):
                """Best vacancies for a worker, through the backend."""
                return backend.match_vacancies_for_worker(wid, limit=TOP, offset=0, weights=weights, now=now)

            def v2w(vid):
                """Best workers for a vacancy, through the backend."""
                return backend.match_workers_for_vacancy(vid, limit=TOP, offset=0, weights=weights, now=now)

            exact_call = {w2v: exact.vacancies_for_worker, v2w: exact.workers_for_vacancy}
            results = {}
            for label, call, ids in (("worker_to_vacancies", w2v, workers), ("vacancy_to_workers", v2w, vacancies)):
                latencies, cpu, overlaps, diffs = timed(call, ids)
                results[label] = (latencies, overlaps, diffs)
                # CPU time of this process per query: what the query costs when the machine is not shared (for
                # SQLite all the work is in this process; for a server database only the client's share).
                summary[f"{label}_cpu_p50_ms"] = round(percentile(cpu, 50), 2)
                summary[f"{label}_cpu_p95_ms"] = round(percentile(cpu, 95), 2)
                summary[f"{label}_p50_ms"] = round(percentile(latencies, 50), 2)
                summary[f"{label}_p95_ms"] = round(percentile(latencies, 95), 2)
                summary[f"{label}_max_ms"] = round(max(latencies), 2)
                summary[f"{label}_overlap_at_20"] = round(statistics.fmean(overlaps), 4)
                summary[f"{label}_max_score_diff"] = float(f"{max(diffs):.3g}")
                log(f"{label}: p50 {summary[f'{label}_p50_ms']} ms, p95 {summary[f'{label}_p95_ms']} ms, "
                    f"overlap@20 {summary[f'{label}_overlap_at_20']}, max score diff {max(diffs):.2g}")
            all_overlaps = results["worker_to_vacancies"][1] + results["vacancy_to_workers"][1]
            summary["overlap_at_20"] = round(statistics.fmean(all_overlaps), 4)
            summary["queries"] = len(results["worker_to_vacancies"][0])
            db.session.remove()
            db.engine.dispose()
    summary["peak_rss_mib"] = round(peak_rss_mib(), 1)
    summary["load_average"] = [round(x, 2) for x in os.getloadavg()]
    summary["machine"] = machine()
    return summary


def reference_check(exact: ExactScorer, weights, now, workers, vacancies) -> int:
    """Check the numpy scorer against jobmarket/search/exact.py (the reference) on a few queries; returns how many."""
    from jobmarket.search.exact import rank_vacancies_for_worker, rank_workers_for_vacancy

    checked = 0
    for wid in workers:
        ref = rank_vacancies_for_worker(wid, weights, now, limit=TOP)
        ids, totals, _ = exact.vacancies_for_worker(wid)
        assert [i for i, _, _ in ref] == ids[:TOP].tolist(), f"numpy scorer disagrees with exact.py (worker {wid})"
        assert all(abs(s - t) < 1e-9 for (_, s, _), t in zip(ref, totals)), "numpy scores differ from exact.py"
        checked += 1
    for vid in vacancies:
        ref = rank_workers_for_vacancy(vid, weights, now, limit=TOP)
        ids, totals, _ = exact.workers_for_vacancy(vid)
        assert [i for i, _, _ in ref] == ids[:TOP].tolist(), f"numpy scorer disagrees with exact.py (vacancy {vid})"
        assert all(abs(s - t) < 1e-9 for (_, s, _), t in zip(ref, totals)), "numpy scores differ from exact.py"
        checked += 1
    return checked


def main(argv=None) -> int:
    """Parse options, run, print the report and the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "elasticsearch"], default="sqlite")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 100,000 vacancies and 200,000 workers")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--queries", type=int, default=200, help="timed queries each way (after 10 warm-up ones)")
    parser.add_argument("--reference-checks", type=int, default=1,
                        help="queries each way on which the numpy scorer is checked against exact.py")
    parser.add_argument("--keep", action="store_true", help="keep the database (its URL is printed)")
    args = parser.parse_args(argv)
    summary = run(args)
    m = summary["machine"]
    print(f"machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM, Python {m['python']}")
    print(f"data: {summary['vacancies']:,} vacancies, {summary['workers']:,} workers (seed {summary['seed']})")
    print(f"indexing: {summary['index_docs_per_s']:,.0f} docs/s ({summary['index_seconds']} s)")
    for label in ("worker_to_vacancies", "vacancy_to_workers"):
        print(f"{label}: p50 {summary[f'{label}_p50_ms']} ms, p95 {summary[f'{label}_p95_ms']} ms "
              f"(CPU of this process: p50 {summary[f'{label}_cpu_p50_ms']} ms, "
              f"p95 {summary[f'{label}_cpu_p95_ms']} ms), overlap@20 {summary[f'{label}_overlap_at_20']}")
    print(f"load average during the run: {summary['load_average']}")
    print(f"peak RSS: {summary['peak_rss_mib']} MiB")
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
