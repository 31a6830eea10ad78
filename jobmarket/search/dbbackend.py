"""The database search backend: the match score computed in SQL on SQLite and PostgreSQL, exact and fast.

Matching returns exactly the ranking of exact.py (same ids, same order, ties by id, scores equal to 1e-6) without
scoring every pair. Candidates share a skill, so they are read from skill postings filed by ward
(models/matching.py), wards best location first, in growing batches; the k-th best score found so far is the
threshold (the threshold algorithm). For a batch, location is at most that of its best ward and wage and freshness
at most 1, so a candidate needs a skills part of at least s_min; skill-level bounds turn that into postings worth
reading (prefix filtering for a worker's vacancies, MaxScore's essential skills for a vacancy's workers), the SQL
bounds each candidate's whole score from the index, then computes the exact skills part, then the full score.
The search stops at the first ward where s_min > 1: nobody farther away can reach the top.
"""
from __future__ import annotations

import dataclasses
from collections import defaultdict
from datetime import datetime

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

from ..extensions import db
from ..models.matching import NO_PLACE
from . import sql
from .scoring import Parts, Weights, location_part
from . import relevance, textquery
from .dbindex import ensure_ward_distances
from .results import SearchHit, SearchPage

EPSILON = 1e-9  # bounds and scores are computed in different places; never prune on a difference this small
FIRST_BATCH = 1  # wards in the first SQL query (it sets the threshold the others are pruned with)
GROWTH = 4  # each next query takes this many times more wards


class DatabaseBackend:
    """The backend object the service (and the benchmark) call; it reads through the app's session."""

    name = "database"

    def match_vacancies_for_worker(self, worker_id: int, *, limit: int = 20, offset: int = 0,
                                   weights: Weights, now: datetime):
        """The vacancies that match a worker best: [(vacancy_id, total, Parts)]."""
        return match_vacancies_for_worker(worker_id, limit=limit, offset=offset, weights=weights, now=now)

    def match_workers_for_vacancy(self, vacancy_id: int, *, limit: int = 20, offset: int = 0,
                                  weights: Weights, now: datetime):
        """The workers that match a vacancy best: [(worker_id, total, Parts)]."""
        return match_workers_for_vacancy(vacancy_id, limit=limit, offset=offset, weights=weights, now=now)

    def search_vacancies(self, query, *, weights: Weights, now: datetime) -> SearchPage:
        """A vacancy search: a SearchPage."""
        return search_vacancies(query, weights=weights, now=now)

    def rebuild(self) -> dict[str, int]:
        """Recompute every derived table (the equivalent of a full reindex); commits."""
        from .dbindex import rebuild

        counts = rebuild(db.session.connection())
        db.session.commit()
        return counts


def _conn() -> Connection:
    """The connection of the app's session (reads see the current transaction)."""
    return db.session.connection()


def _score_params(weights: Weights, now: datetime, dialect: str) -> dict:
    """The bind parameters every score SQL reads: weights, shapes, now, eligibility values."""
    return {"w_skills": weights.skills, "w_location": weights.location, "w_wage": weights.wage,
            "w_freshness": weights.freshness, "nu": weights.nice_share, "half_km": weights.location_half_km,
            "wage_tol": weights.wage_tolerance_vnd, "fresh_days": weights.freshness_half_days,
            "now": sql.now_param(dialect, now), "open": "open", "verified": "verified"}


def _can_prune(weights: Weights) -> bool:
    """The bounds assume non-negative weights and a nice-to-have share in [0, 1]."""
    return min(weights.skills, weights.location, weights.wage, weights.freshness) >= 0 and 0 <= weights.nice_share <= 1


def _kth_total(found: dict[int, tuple], k: int) -> float | None:
    """The k-th best total found so far (ties by id), or None while fewer than k are found."""
    if len(found) < k:
        return None
    return sorted((-r[1], r[0]) for r in found.values())[k - 1][0] * -1


def _threshold_search(statement, base: dict, location_by_ward: dict[str, float], k: int, weights: Weights,
                      skill_params) -> dict[int, tuple]:
    """Score wards best location first, in growing batches, until no unseen candidate can reach the k-th best
    score found; {id: row}.

    Before each batch, the skills part a candidate needs to still reach the k-th best (s_min) follows from the
    batch's best location and wage and freshness at most 1; skill_params(s_min) turns it into the postings worth
    reading (None: none can qualify), and the SQL drops candidates whose exact skills part is below s_min before
    the expensive joins."""
    wards = sorted(location_by_ward, key=lambda w: (-location_by_ward[w], w))
    prune = _can_prune(weights)
    found: dict[int, tuple] = {}
    i, size, probed = 0, FIRST_BATCH, not prune
    while i < len(wards):
        batch = wards[i:i + size]
        s_min, threshold = -1.0, -1e9
        loc_bound = weights.location * location_by_ward[batch[0]]
        kth = _kth_total(found, k) if prune else None
        if kth is not None:
            threshold = kth - EPSILON
            rest = loc_bound + weights.wage + weights.freshness
            if weights.skills > 0:
                s_min = (kth - rest) / weights.skills - EPSILON
                if s_min > 1.0 + EPSILON:
                    break  # later wards are no closer: nobody there can reach the top any more
            elif rest < kth - EPSILON:
                break
        # The first query is a probe: the best ward, candidates sharing a required skill only. Their real scores
        # set a threshold, then the same ward is read again in full, with that threshold.
        probe = not probed and kth is None
        probed = True
        extra = skill_params(s_min, probe)
        if not probe:
            i += len(batch)
            size *= GROWTH
        if extra is None:
            continue
        params = {**base, **extra, "wards": sql.list_param(db.session.connection().dialect.name, batch),
                  "s_min": s_min, "threshold": threshold,
                  "loc_bound": loc_bound if prune else 2.0}
        for row in db.session.connection().execute(statement, params):
            found[row[0]] = tuple(row)
    return found


def _ranked(found: dict[int, tuple], limit: int, offset: int) -> list[tuple]:
    """One page of the found rows, best first, ties by id."""
    rows = sorted(found.values(), key=lambda r: (-r[1], r[0]))
    return rows[offset:offset + limit]


def match_vacancies_for_worker(worker_id: int, *, limit: int = 20, offset: int = 0, weights: Weights,
                               now: datetime) -> list[tuple[int, float, Parts]]:
    """The eligible vacancies sharing a skill with the worker, best first: [(vacancy_id, total, Parts)]."""
    conn = _conn()
    worker = conn.execute(text("SELECT ward_code, anywhere_in_hanoi FROM worker_profiles WHERE id = :id"),
                          {"id": worker_id}).first()
    if worker is None or limit <= 0:
        return []
    skills = conn.execute(text("SELECT skill_id FROM worker_skills WHERE worker_id = :id"),
                          {"id": worker_id}).scalars().all()
    if not skills:
        return []
    codes = [worker.ward_code] if worker.ward_code else []
    if not worker.anywhere_in_hanoi:
        codes += conn.execute(text("SELECT ward_code FROM worker_preferred_wards WHERE worker_id = :id"),
                              {"id": worker_id}).scalars().all()
    all_wards = conn.execute(text("SELECT code FROM wards")).scalars().all()
    if not all_wards:
        return []
    ensure_ward_distances(conn, all_wards[0])
    km = dict(conn.execute(text("SELECT ward_b, MIN(km) FROM dbsearch_ward_distances WHERE ward_a IN :places "
                                "GROUP BY ward_b").bindparams(bindparam("places", expanding=True)),
                           {"places": codes or [""]}).all())
    location = {ward: location_part(km.get(ward), weights.location_half_km) for ward in all_wards}
    dialect = conn.dialect.name
    statement = text(sql.vacancies_for_worker(dialect))
    base = {**_score_params(weights, now, dialect), "worker_id": worker_id,
            "skills": sql.list_param(dialect, skills), "k": offset + limit, "yes": True, "no": False,
            "places": sql.list_param(dialect, codes)}
    nu = weights.nice_share

    def skill_params(s_min: float, probe: bool) -> dict:
        """Prefix filtering: a vacancy is reached through the first of its skills (rarest first) the worker holds;
        from there on the worker covers at most `rest` of its required weight, so skills <= (1 - nu) * rest + nu
        (or nu * rest when only nice-to-have skills are held). A probe reads required skills only."""
        r_req = (s_min - nu) / (1 - nu) if nu < 1 else (-1.0 if s_min <= 1 else 2.0)
        r_nice = s_min / nu if nu > 0 else 2.0
        return {"r_req": r_req - EPSILON, "r_nice": 2.0 if probe else r_nice - EPSILON}

    found = _threshold_search(statement, base, location, offset + limit, weights, skill_params)
    rows = _ranked(found, limit, offset)
    return _with_reasons_for_worker(conn, set(skills), rows)


def match_workers_for_vacancy(vacancy_id: int, *, limit: int = 20, offset: int = 0, weights: Weights,
                              now: datetime) -> list[tuple[int, float, Parts]]:
    """The eligible workers sharing a skill with the vacancy, best first: [(worker_id, total, Parts)]."""
    conn = _conn()
    ward = conn.execute(text("SELECT ward_code FROM vacancies WHERE id = :id"), {"id": vacancy_id}).scalar()
    if ward is None or limit <= 0:
        return []
    vskills = conn.execute(text("SELECT vs.skill_id, vs.required, s.weight FROM vacancy_skills vs "
                                "JOIN skills s ON s.id = vs.skill_id WHERE vs.vacancy_id = :id"),
                           {"id": vacancy_id}).all()
    if not vskills:
        return []
    ensure_ward_distances(conn, ward)
    km = dict(conn.execute(text("SELECT ward_b, km FROM dbsearch_ward_distances WHERE ward_a = :w"),
                           {"w": ward}).all())
    location = {code: location_part(d, weights.location_half_km) for code, d in km.items()}
    location[NO_PLACE] = 0.0
    dialect = conn.dialect.name
    statement = text(sql.workers_for_vacancy(dialect))
    base = {**_score_params(weights, now, dialect), "vacancy_id": vacancy_id, "k": offset + limit, "ward": ward}
    contributions = _skill_contributions(vskills, weights.nice_share)

    def skill_params(s_min: float, probe: bool) -> dict | None:
        """MaxScore: a worker holding only the least-contributing skills, whose contributions sum below s_min, cannot
        qualify, so only the postings of the other ("essential") skills are read; `low` is what the others could
        add. A probe reads the required skills only."""
        if probe:
            required = [sid for sid, r, _ in vskills if r]
            return {"skills": sql.list_param(dialect, required), "low": 2.0} if required else None
        essential, low = [], 0.0
        for c, sid in contributions:
            if not essential and low + c < s_min - EPSILON:
                low += c
            else:
                essential.append(sid)
        return {"skills": sql.list_param(dialect, essential), "low": low + EPSILON} if essential else None

    found = _threshold_search(statement, base, location, offset + limit, weights, skill_params)
    rows = _ranked(found, limit, offset)
    return _with_reasons_for_vacancy(conn, {s: bool(r) for s, r, _ in vskills}, rows)


def _skill_contributions(vskills, nu: float) -> list[tuple[float, int]]:
    """What each of a vacancy's skills adds to the skills part of a worker who holds it, smallest first."""
    req_total = sum(w for _, r, w in vskills if r)
    nice_total = sum(w for _, r, w in vskills if not r)
    has_nice = any(not r for _, r, _ in vskills)
    out = []
    for sid, required, w in vskills:
        if required:
            c = (w / req_total if req_total > 0 else 0.0) * ((1 - nu) if has_nice else 1.0)
        else:
            c = nu * (w / nice_total if nice_total > 0 else 0.0)
        out.append((c, sid))
    return sorted(out)


def _parts(row, matched_required=(), missing_required=(), matched_nice=()) -> Parts:
    """Parts from a scored SQL row and the skill lists that explain it."""
    _id, _total, skills, location, wage, freshness, km = row[:7]
    return Parts(skills=float(skills), location=float(location), wage=float(wage), freshness=float(freshness),
                 matched_required=sorted(matched_required), missing_required=sorted(missing_required),
                 matched_nice=sorted(matched_nice), distance_km=None if km is None else float(km))


def _vacancy_skills(conn: Connection, ids: list[int]) -> dict[int, dict[int, bool]]:
    """Each vacancy's skills: {vacancy id: {skill id: required}}."""
    out: dict[int, dict[int, bool]] = defaultdict(dict)
    if ids:
        for vid, sid, required in conn.execute(
                text("SELECT vacancy_id, skill_id, required FROM vacancy_skills WHERE vacancy_id IN :ids")
                .bindparams(bindparam("ids", expanding=True)), {"ids": ids}):
            out[vid][sid] = bool(required)
    return out


def _reasons(vacancy_skills: dict[int, bool], worker_skills: set[int]):
    """(matched required, missing required, matched nice-to-have) skill ids."""
    return ([s for s, r in vacancy_skills.items() if r and s in worker_skills],
            [s for s, r in vacancy_skills.items() if r and s not in worker_skills],
            [s for s, r in vacancy_skills.items() if not r and s in worker_skills])


def _with_reasons_for_worker(conn: Connection, worker_skills: set[int], rows) -> list[tuple[int, float, Parts]]:
    """Vacancy rows of a worker's ranking as (id, total, Parts)."""
    by_vacancy = _vacancy_skills(conn, [r[0] for r in rows])
    return [(r[0], float(r[1]), _parts(r, *_reasons(by_vacancy[r[0]], worker_skills))) for r in rows]


def _with_reasons_for_vacancy(conn: Connection, vacancy_skills: dict[int, bool], rows):
    """Worker rows of a vacancy's ranking as (id, total, Parts)."""
    held: dict[int, set[int]] = defaultdict(set)
    ids = [r[0] for r in rows]
    if ids:
        for wid, sid in conn.execute(text("SELECT worker_id, skill_id FROM worker_skills WHERE worker_id IN :ids")
                                     .bindparams(bindparam("ids", expanding=True)), {"ids": ids}):
            held[wid].add(sid)
    return [(r[0], float(r[1]), _parts(r, *_reasons(vacancy_skills, held[r[0]]))) for r in rows]


# --- search ---------------------------------------------------------------------------------------------------------

SORTS = ("relevance", "newest", "wage", "distance")
MAX_PER_PAGE = 100


def search_vacancies(query, *, weights: Weights, now: datetime) -> SearchPage:
    """Eligible vacancies matching the query's text (relevance.py) and filters, in its sort order: a SearchPage.

    Every word is required; when that finds fewer than relevance.MIN_ALL_WORDS vacancies and the query has two
    words or more, most of them are (the page's most_words). Without an origin ward there is no distance: a
    distance sort falls back to relevance and max_km is ignored (as on every backend). Raises ValueError for an
    unknown sort or an unknown origin ward."""
    if query.sort not in SORTS:
        raise ValueError(f"unknown sort {query.sort!r}")
    if not query.origin_ward and (query.sort == "distance" or query.max_km is not None):
        query = dataclasses.replace(query, sort="relevance" if query.sort == "distance" else query.sort, max_km=None)
    conn = _conn()
    if query.origin_ward and conn.execute(text("SELECT 1 FROM wards WHERE code = :c"),
                                          {"c": query.origin_ward}).first() is None:
        raise ValueError(f"unknown ward {query.origin_ward!r}")
    reading = textquery.read(query)
    query, plan = reading.query, reading.plan
    worker_skills: set[int] | None = None
    if query.worker_id is not None:
        if conn.execute(text("SELECT 1 FROM worker_profiles WHERE id = :id"), {"id": query.worker_id}).first():
            worker_skills = set(conn.execute(text("SELECT skill_id FROM worker_skills WHERE worker_id = :id"),
                                             {"id": query.worker_id}).scalars())
    most_words = False
    hits, total = _run_search(conn, query, plan, worker_skills, weights, now, most_words=False)
    if not plan.empty and total < relevance.MIN_ALL_WORDS and len(plan.clauses) >= 2:
        more, more_total = _run_search(conn, query, plan, worker_skills, weights, now, most_words=True)
        if more_total > total:
            hits, total, most_words = more, more_total, True
    facets = _facets(conn, query, plan, most_words) if query.facets else None
    return SearchPage(hits, total=total, backend="database", most_words=most_words, place=reading.place,
                      highlight=reading.highlight, facets=facets)


def _statement(conn: Connection, query, plan, *, worker: bool, most_words: bool, facets: bool = False):
    """The search statement of a query and its bind parameters (filters and text)."""
    dialect = conn.dialect.name
    skill_ids = sorted(set(query.skill_ids or []))
    cte, exclusions, text_params = None, "", {}
    if not plan.empty or plan.exclusions:
        cte, exclusions, text_params = sql.text_match(
            plan, most_words=most_words, driver=None if most_words else textquery.driver_term(plan))
        if plan.empty:
            cte = None
    statement = text(sql.search(
        dialect, text_cte=cte, exclusions=exclusions, worker=worker, origin=bool(query.origin_ward),
        district=bool(query.district_code), ward=bool(query.ward_code), max_km=query.max_km is not None,
        skills=bool(skill_ids), min_wage=query.min_wage is not None, job_type=bool(query.job_type),
        order=query.sort, facets=facets))
    params = dict(text_params)
    if skill_ids:
        statement = statement.bindparams(bindparam("skill_ids", expanding=True))
        params.update(skill_ids=skill_ids, skill_count=len(skill_ids))
    params.update(origin_ward=query.origin_ward, max_km=query.max_km, ward_code=query.ward_code,
                  district_code=query.district_code, min_wage=query.min_wage, job_type=query.job_type,
                  worker_id=query.worker_id, open="open", verified="verified")
    return statement, params


def _used(statement, params: dict) -> dict:
    """Only the parameters the statement names."""
    used = set(statement.compile().params)
    return {k: v for k, v in params.items() if k in used}


def _run_search(conn: Connection, query, plan, worker_skills, weights: Weights, now: datetime, *,
                most_words: bool) -> tuple[list[SearchHit], int]:
    """One page of a search and the total, every word required or (most_words) most of them."""
    dialect = conn.dialect.name
    per_page = max(1, min(MAX_PER_PAGE, int(query.per_page or 20)))
    page = max(1, int(query.page or 1))
    statement, params = _statement(conn, query, plan, worker=worker_skills is not None, most_words=most_words)
    params.update(_score_params(weights, now, dialect), limit=per_page, offset=(page - 1) * per_page)
    params = _used(statement, params)
    rows = conn.execute(statement, params).all()
    if rows:
        total = int(rows[0].total_count)
    elif page > 1:  # past the last page: the total from the first row of the list
        first = conn.execute(statement, {**params, "limit": 1, "offset": 0}).first()
        total = int(first.total_count) if first else 0
    else:
        total = 0
    by_vacancy = _vacancy_skills(conn, [r.id for r in rows]) if worker_skills is not None else {}
    hits = []
    for r in rows:
        parts = None
        if worker_skills is not None:
            parts = _parts((r.id, r.relevance, r.skills, r.location, r.wage, r.freshness, r.match_km),
                           *_reasons(by_vacancy.get(r.id, {}), worker_skills))
        hits.append(SearchHit(id=r.id, score=float(r.relevance), distance_km=None if r.km is None else float(r.km),
                              parts=parts))
    return hits, total


def _facets(conn: Connection, query, plan, most_words: bool) -> dict[str, dict[str, int]]:
    """Counts of the same query's results per former district, occupation group (VSCO level 1), job type and wage
    band."""
    statement, params = _statement(conn, query, plan, worker=False, most_words=most_words, facets=True)
    out: dict[str, dict[str, int]] = {"district": {}, "occupation_group": {}, "job_type": {}, "wage_band": {}}
    for district, group, job_type, band, n in conn.execute(statement, _used(statement, params)):
        for key, value in (("district", district), ("occupation_group", group), ("job_type", job_type),
                           ("wage_band", band)):
            if value:
                out[key][value] = out[key].get(value, 0) + int(n)
    return out
