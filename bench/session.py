"""Session benchmark: a big job exchange session in a throwaway database; times the plan, check-in and the report.

    python bench/session.py --backend sqlite                 # 150 employers, 5,000 seekers, 20,000 requests
    python bench/session.py --backend postgresql --scale 0.2
    python bench/session.py --url sqlite:////tmp/x.sqlite3   # an existing migrated database with reference data

The plan is timed through the service the office's button calls (load the requests, solve with CP-SAT, colour the
slots, write every slot back), and the solver alone; the greedy plan of the same requests is reported beside it.
Check-in: 8 threads, each its own database connection, scan distinct tickets (and a few repeated ones, which must
be refused) through the same service the door page calls: once paced like door scanners (each ~250 ms between two
scans, --pause-ms; checkin_p95_ms) and once back to back (the database saturated; checkin_saturated_p95_ms, where a
scan's time is mostly its wait behind the other seven: Little's law). Match scores of the requests are drawn at
random (matching has its own bench, bench/match.py): the plan's difficulty is in its counts, not in the scores.
Prints the machine and the figures, and ends with ONE JSON line.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import random
import secrets
import sys
import tempfile
import threading
import time
import uuid
from datetime import date, time as clock, timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
os.environ.setdefault("JOBMARKET_ENV", "testing")

FULL = {"employers": 150, "seekers": 5_000, "requests": 20_000}
PG_ADMIN_URL = os.environ.get("BENCH_POSTGRES_ADMIN_URL",
                              os.environ.get("TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/test"))


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of values."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[k]


def machine() -> dict:
    """What the numbers were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), cpu)
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), "os": platform.platform()}


def make_database(backend: str) -> tuple[str, callable]:
    """A fresh database URL and a function that drops it."""
    if backend == "postgresql":
        import psycopg

        name = f"jm_bench_session_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

        def drop():
            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name, drop
    directory = tempfile.mkdtemp(prefix="jm-bench-session-")
    return f"sqlite:///{directory}/bench.sqlite3", lambda: None


def generate(db, counts: dict, rng: random.Random) -> int:
    """Employers with vacancies, job seekers, one published session with approved booths, registrations and
    requests (popular employers get far more: a Pareto draw). Returns the session id."""
    from sqlalchemy import insert, select

    from jobmarket.models import Employer, User, Vacancy, WorkerProfile, Ward
    from jobmarket.models.sessions import (InterviewRequest, JobSession, SessionEmployer, SessionSeeker,
                                           SessionVacancy)
    from jobmarket.sessions import services
    from tests.factories import valid_tax_code

    wards = list(db.session.scalars(select(Ward.code)))
    officer = User(email="canbo@bench.vn", password_hash="x", role="officer")
    db.session.add(officer)
    db.session.commit()
    floor = services.ensure_central_floor()
    session = JobSession(theme="Phiên giao dịch việc làm lớn", target_group="Mọi đối tượng", floor_id=floor.id,
                         mode="hybrid", day=date.today() + timedelta(days=3), start_time=clock(8, 0),
                         end_time=clock(17, 0), registration_deadline=date.today() + timedelta(days=2),
                         capacity=counts["seekers"] + 100, slot_minutes=15, status="published",
                         created_by_id=officer.id)
    db.session.add(session)
    db.session.commit()
    n_emp, n_seek = counts["employers"], counts["seekers"]
    db.session.execute(insert(User), [{"email": f"dn{i}@bench.vn", "password_hash": "x", "role": "employer"}
                                      for i in range(n_emp)] +
                       [{"email": f"nld{i}@bench.vn", "password_hash": "x", "role": "worker"} for i in range(n_seek)])
    users = dict(db.session.execute(select(User.email, User.id)).all())
    db.session.execute(insert(Employer), [{"owner_id": users[f"dn{i}@bench.vn"], "name": f"Công ty {i}",
                                           "tax_code": valid_tax_code(100 + i), "ward_code": rng.choice(wards),
                                           "sector": "Sản xuất", "contact_person": "Trần Lan", "status": "verified"}
                                          for i in range(n_emp)])
    employers = list(db.session.scalars(select(Employer.id).order_by(Employer.id)))
    db.session.execute(insert(Vacancy), [{"employer_id": e, "title": f"Vị trí {k}", "ward_code": rng.choice(wards),
                                          "positions": rng.randint(1, 20), "status": "open"}
                                         for e in employers for k in range(rng.randint(1, 3))])
    vacancies: dict[int, list[int]] = {}
    for vid, eid in db.session.execute(select(Vacancy.id, Vacancy.employer_id)):
        vacancies.setdefault(eid, []).append(vid)
    db.session.execute(insert(WorkerProfile), [{
        "user_id": users[f"nld{i}@bench.vn"], "full_name": f"Người lao động {i}", "phone": f"09{i:08d}",
        "ward_code": rng.choice(wards), "sex": rng.choice(["female", "male"]), "birth_year": rng.randint(1965, 2006),
        "occupation_code": None} for i in range(n_seek)])
    workers = list(db.session.scalars(select(WorkerProfile.id).order_by(WorkerProfile.id)))
    db.session.execute(insert(SessionEmployer), [{"session_id": session.id, "employer_id": e, "status": "approved",
                                                  "interviewers": rng.randint(2, 6), "booth": f"B{k}",
                                                  "room_token": secrets.token_hex(12)}
                                                 for k, e in enumerate(employers)])
    parts = dict(db.session.execute(select(SessionEmployer.employer_id, SessionEmployer.id)).all())
    db.session.execute(insert(SessionVacancy), [{"participation_id": parts[e], "vacancy_id": v}
                                                for e, vs in vacancies.items() for v in vs])
    db.session.execute(insert(SessionSeeker), [{"session_id": session.id, "worker_id": w,
                                                "ticket_code": secrets.token_urlsafe(12)} for w in workers])
    seekers = list(db.session.scalars(select(SessionSeeker.id).order_by(SessionSeeker.id)))
    popularity = [rng.paretovariate(1.3) for _ in employers]
    wanted, rows = set(), []
    while len(rows) < counts["requests"]:
        seeker = rng.choice(seekers)
        employer = rng.choices(employers, weights=popularity)[0]
        vacancy = rng.choice(vacancies[employer])
        if (seeker, vacancy) in wanted:
            continue
        wanted.add((seeker, vacancy))
        rows.append({"seeker_id": seeker, "participation_id": parts[employer], "vacancy_id": vacancy,
                     "score": round(rng.uniform(0.15, 0.98), 4)})
    db.session.execute(insert(InterviewRequest), rows)
    db.session.commit()
    return session.id


def time_checkin(app, session_id: int, scans: int, threads: int = 8, pause: float = 0.0) -> dict:
    """Scan tickets from `threads` threads at once, each pausing `pause` seconds between scans (0: back to back, the
    database saturated); returns latencies and the refusals seen."""
    from sqlalchemy import select

    from jobmarket.employers.services import ServiceError
    from jobmarket.extensions import db
    from jobmarket.models import JobSession, User
    from jobmarket.models.sessions import SessionSeeker
    from jobmarket.sessions import services

    with app.app_context():
        codes = list(db.session.scalars(select(SessionSeeker.ticket_code).where(
            SessionSeeker.session_id == session_id, SessionSeeker.checked_in_at.is_(None)).limit(scans)))
    work: queue.Queue = queue.Queue()
    for code in codes:
        work.put(code)
    for code in codes[: max(1, scans // 50)]:
        work.put(code)  # a second scan of the same ticket must be refused
    latencies, refused, lock = [], {}, threading.Lock()

    def scanner():
        with app.app_context():
            session = db.session.get(JobSession, session_id)
            officer = db.session.scalar(select(User).where(User.role == "officer"))
            while True:
                try:
                    code = work.get_nowait()
                except queue.Empty:
                    break
                started = time.perf_counter()
                try:
                    services.check_in(session, code, officer)
                    outcome = None
                except ServiceError as exc:
                    db.session.rollback()
                    outcome = exc.code
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    if outcome:
                        refused[outcome] = refused.get(outcome, 0) + 1
                if pause:
                    time.sleep(pause * (0.5 + random.random()))
            db.session.remove()

    started = time.perf_counter()
    pool = [threading.Thread(target=scanner) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    wall = time.perf_counter() - started
    return {"scans": len(latencies), "threads": threads, "p50_ms": round(percentile(latencies, 50), 2),
            "p95_ms": round(percentile(latencies, 95), 2), "max_ms": round(max(latencies), 2),
            "per_second": round(len(latencies) / wall, 1), "refused": refused}


def main() -> None:
    """Build, time, print, end with one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--url", help="an existing migrated database with the reference data loaded")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--scans", type=int, default=1_000, help="tickets scanned in each of the two check-in runs")
    parser.add_argument("--pause-ms", type=float, default=250.0,
                        help="a door scanner's mean time between two scans (a person steps up): paced run")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    counts = {k: max(2, int(v * args.scale)) for k, v in FULL.items()}
    rng = random.Random(args.seed)
    drop = lambda: None  # noqa: E731
    url = args.url
    if url is None:
        url, drop = make_database(args.backend)
    try:
        from jobmarket import create_app
        from jobmarket.extensions import db

        if args.url is None:
            from tests.dbutil import migrate_and_load

            migrate_and_load(url, tempfile.mkdtemp(prefix="jm-bench-instance-"))
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "ENV_NAME": "testing",
                          "SECRET_KEY": "bench", "ELASTICSEARCH_URL": None})
        print("machine:", json.dumps(machine(), ensure_ascii=False))
        with app.app_context():
            started = time.perf_counter()
            session_id = generate(db, counts, rng)
            print(f"generated {counts} in {time.perf_counter() - started:.1f} s ({db.engine.dialect.name})")
            from jobmarket.models import JobSession
            from jobmarket.sessions import report, services

            session = db.session.get(JobSession, session_id)
            started = time.perf_counter()
            result = services.replan(session, None, time_limit=10.0)
            plan_seconds = time.perf_counter() - started
            print(f"plan: {result['scheduled']:,} of {result['requests']:,} requests scheduled in "
                  f"{plan_seconds:.2f} s (solver and slotting {result['seconds']:.2f} s, {result['status']}); "
                  f"total score {result['total']:.2f}, bound {result['bound']:.2f}, gap {result['gap_to_bound']:.5%}; "
                  f"greedy {result['greedy_total']:.2f} ({result['greedy_gap']:.3%} below); "
                  f"unplaced after selection {result['unplaced']}")
        scans = min(args.scans, counts["seekers"] // 2)
        checkin = time_checkin(app, session_id, scans, pause=args.pause_ms / 1000)
        print(f"check-in, 8 scanners, one scan every ~{args.pause_ms:.0f} ms each: {checkin}")
        saturated = time_checkin(app, session_id, scans)
        print(f"check-in, 8 scanners back to back (saturated): {saturated}")
        with app.app_context():
            session = db.session.get(JobSession, session_id)
            times = []
            for _ in range(5):
                started = time.perf_counter()
                built = report.build(session)
                times.append((time.perf_counter() - started) * 1000)
            print(f"report: {built.headline}; p50 {percentile(times, 50):.1f} ms")
            db.session.remove()
            db.engine.dispose()
        summary = {"bench": "session", "backend": url.split(":", 1)[0].split("+")[0], **counts,
                   "plan_seconds": round(plan_seconds, 3), "solve_seconds": round(result["seconds"], 3),
                   "gap_to_bound": result["gap_to_bound"], "solver_status": result["status"],
                   "scheduled": result["scheduled"], "total_score": round(result["total"], 3),
                   "greedy_total_score": round(result["greedy_total"], 3),
                   "greedy_gap": round(result["greedy_gap"], 6), "checkin_p50_ms": checkin["p50_ms"],
                   "checkin_p95_ms": checkin["p95_ms"], "checkin_threads": checkin["threads"],
                   "checkin_refused": checkin["refused"], "checkin_pause_ms": args.pause_ms,
                   "checkin_saturated_p95_ms": saturated["p95_ms"],
                   "checkin_saturated_per_second": saturated["per_second"],
                   "report_ms": round(percentile(times, 50), 1)}
        print(json.dumps(summary, ensure_ascii=False))
    finally:
        drop()


if __name__ == "__main__":
    main()
