"""SQL text of the database backend: the match score of scoring.py as SQL expressions, for SQLite and PostgreSQL.

Each builder returns SQL for one dialect ("sqlite" or "postgresql"); parameters are named (:name) and lists are
expanding bind parameters. The formulas mirror scoring.py term by term so both compute the same numbers.
"""
from __future__ import annotations

import json
from datetime import datetime

from .scoring import EARTH_RADIUS_KM


def now_param(dialect: str, now: datetime):
    """The `now` bind value: SQLite compares the text form SQLAlchemy stores; PostgreSQL takes the timestamp."""
    return now.strftime("%Y-%m-%d %H:%M:%S.%f") if dialect == "sqlite" else now


def age_days(dialect: str, moment: str) -> str:
    """Days from `moment` to :now (may be negative for a future moment)."""
    if dialect == "sqlite":
        return f"(julianday(:now) - julianday({moment}))"
    return f"(CAST(EXTRACT(EPOCH FROM (CAST(:now AS TIMESTAMP) - {moment})) AS DOUBLE PRECISION) / 86400.0)"


def haversine(lat1: str, lon1: str, lat2: str, lon2: str) -> str:
    """Great-circle km between two points, as scoring.haversine_km (point 1 = worker side, 2 = vacancy side)."""
    h = (f"(power(sin((radians({lat2}) - radians({lat1})) / 2), 2) + cos(radians({lat1})) * cos(radians({lat2}))"
         f" * power(sin((radians({lon2}) - radians({lon1})) / 2), 2))")
    return f"(2 * {EARTH_RADIUS_KM!r} * asin(CASE WHEN sqrt({h}) < 1.0 THEN sqrt({h}) ELSE 1.0 END))"


def in_list(dialect: str, column: str, param: str, sql_type: str) -> str:
    """`column` is one of the list parameter :param. The SQL text does not depend on the list's length, so the
    prepared statement is reused (list_param() makes the value: a JSON array on SQLite, an array on PostgreSQL)."""
    if dialect == "sqlite":
        return f"{column} IN (SELECT value FROM json_each(:{param}))"
    return f"{column} = ANY(CAST(:{param} AS {sql_type}[]))"


def list_param(dialect: str, values) -> object:
    """The bind value of a list parameter of in_list()."""
    return json.dumps(list(values)) if dialect == "sqlite" else list(values)


def least(a: str, b: str) -> str:
    """The smaller of two nullable values, ignoring NULLs (NULL only when both are)."""
    return f"(CASE WHEN {a} IS NULL THEN {b} WHEN {b} IS NULL THEN {a} WHEN {b} < {a} THEN {b} ELSE {a} END)"


def wage_part(expected: str, offered: str) -> str:
    """scoring.wage_part as SQL."""
    shortfall = f"(1.0 - CAST({expected} - {offered} AS DOUBLE PRECISION) / :wage_tol)"
    return (f"(CASE WHEN {expected} IS NULL OR {offered} IS NULL THEN 0.5 WHEN {offered} >= {expected} THEN 1.0 "
            f"WHEN {shortfall} < 0.0 THEN 0.0 ELSE {shortfall} END)")


def freshness_part(dialect: str, moment: str) -> str:
    """scoring.freshness_part as SQL."""
    age = age_days(dialect, moment)
    return (f"(CASE WHEN {moment} IS NULL THEN 0.0 "
            f"ELSE power(0.5, (CASE WHEN {age} < 0 THEN 0.0 ELSE {age} END) / :fresh_days) END)")


def parts_columns(dialect: str, *, req_cov: str, nice_cov: str, nice_count: str, km: str, expected: str,
                  offered: str, moment: str) -> str:
    """The four parts (skills, location, wage, freshness) as SELECT columns, from already-computed inputs."""
    return f"""
      CASE WHEN {nice_count} = 0 THEN {req_cov}
           ELSE (1 - :nu) * {req_cov} + :nu * {nice_cov} END AS skills,
      CASE WHEN {km} IS NULL THEN 0.0 ELSE power(0.5, ({km} / :half_km) * ({km} / :half_km)) END AS location,
      {wage_part(expected, offered)} AS wage,
      {freshness_part(dialect, moment)} AS freshness"""


TOTAL = ":w_skills * skills + :w_location * location + :w_wage * wage + :w_freshness * freshness"


def vacancies_for_worker(dialect: str) -> str:
    """Score the eligible vacancies filed under :wards through which the worker :worker_id could still reach the top:
    postings of the worker's :skills whose rest share reaches :r_req (required) or :r_nice (nice to have), then an
    exact skills part of at least :s_min, then the full score. Best :k first."""
    return f"""
WITH ws AS MATERIALIZED (
  SELECT x.skill_id AS skill_id, s.weight AS w
    FROM worker_skills x JOIN skills s ON s.id = x.skill_id
   WHERE x.worker_id = :worker_id
),
wk AS MATERIALIZED (
  SELECT w.id AS id, w.expected_wage AS expected FROM worker_profiles w WHERE w.id = :worker_id
),
cand AS MATERIALIZED (
  SELECT p.vacancy_id AS vacancy_id
    FROM (SELECT vacancy_id, required, rest, offered, published_at FROM dbsearch_vacancy_skills
           WHERE {in_list(dialect, "skill_id", "skills", "INTEGER")}
             AND {in_list(dialect, "ward_code", "wards", "TEXT")}
             AND required = :yes AND rest >= :r_req
          UNION ALL
          SELECT vacancy_id, required, rest, offered, published_at FROM dbsearch_vacancy_skills
           WHERE {in_list(dialect, "skill_id", "skills", "INTEGER")}
             AND {in_list(dialect, "ward_code", "wards", "TEXT")}
             AND required = :no AND rest >= :r_nice) AS p
    CROSS JOIN wk
   GROUP BY p.vacancy_id
  HAVING :w_skills * MAX(CASE WHEN p.required THEN (1 - :nu) * p.rest + :nu ELSE :nu * p.rest END) + :loc_bound
         + :w_wage * {wage_part("MAX(wk.expected)", "MAX(p.offered)")}
         + :w_freshness * {freshness_part(dialect, "MAX(p.published_at)")} >= :threshold
),
hits AS MATERIALIZED (
  SELECT c.vacancy_id AS vacancy_id,
         SUM(CASE WHEN vs.required THEN ws.w ELSE 0.0 END) AS req_w,
         SUM(CASE WHEN vs.required THEN 0.0 ELSE ws.w END) AS nice_w
    FROM cand c CROSS JOIN dbsearch_vacancy_skills vs CROSS JOIN ws
   WHERE vs.vacancy_id = c.vacancy_id AND ws.skill_id = vs.skill_id
   GROUP BY c.vacancy_id
),
covered AS MATERIALIZED (
  SELECT h.vacancy_id AS vacancy_id, d.nice_count AS nice_count,
         CASE WHEN d.req_total > 0 THEN h.req_w / d.req_total ELSE 0.0 END AS req_cov,
         CASE WHEN d.nice_total > 0 THEN h.nice_w / d.nice_total ELSE 0.0 END AS nice_cov
    FROM hits h JOIN dbsearch_vacancies d ON d.vacancy_id = h.vacancy_id
),
promising AS MATERIALIZED (
  SELECT * FROM covered
   WHERE (CASE WHEN nice_count = 0 THEN req_cov ELSE (1 - :nu) * req_cov + :nu * nice_cov END) >= :s_min
),
facts AS MATERIALIZED (
  SELECT v.id AS id, (SELECT MIN(d.km) FROM dbsearch_ward_distances d
                        WHERE {in_list(dialect, "d.ward_a", "places", "TEXT")} AND d.ward_b = v.ward_code) AS km,
         wk.expected AS expected, COALESCE(v.wage_max, v.wage_min) AS offered,
         v.published_at AS moment, h.nice_count AS nice_count, h.req_cov AS req_cov, h.nice_cov AS nice_cov
    FROM promising h
    LEFT JOIN vacancies v ON v.id = h.vacancy_id
    LEFT JOIN employers e ON e.id = v.employer_id
    CROSS JOIN wk
   WHERE v.status = :open AND e.status = :verified
),
parts AS MATERIALIZED (
  SELECT id, km, {parts_columns(dialect, req_cov="req_cov", nice_cov="nice_cov", nice_count="nice_count", km="km",
                                expected="expected", offered="offered", moment="moment")}
    FROM facts
)
SELECT id, {TOTAL} AS total, skills, location, wage, freshness, km
  FROM parts
 WHERE skills > 0
 ORDER BY total DESC, id ASC
 LIMIT :k
"""


def workers_for_vacancy(dialect: str) -> str:
    """Score the eligible workers with a place in :wards who hold enough of the vacancy's :skills (the skills a worker
    must hold one of to still reach the top: their contributions reach :partial_min), with an exact skills part of
    at least :s_min. Best :k first."""
    return f"""
WITH vsk AS MATERIALIZED (
  SELECT vs.skill_id AS skill_id, CASE WHEN vs.required THEN 1 ELSE 0 END AS req, s.weight AS w
    FROM vacancy_skills vs JOIN skills s ON s.id = vs.skill_id
   WHERE vs.vacancy_id = :vacancy_id
),
vt AS MATERIALIZED (
  SELECT COALESCE(SUM(CASE WHEN req = 1 THEN w END), 0.0) AS req_total,
         COALESCE(SUM(CASE WHEN req = 0 THEN w END), 0.0) AS nice_total,
         COUNT(CASE WHEN req = 0 THEN 1 END) AS nice_count
    FROM vsk
),
vac AS MATERIALIZED (
  SELECT COALESCE(v.wage_max, v.wage_min) AS offered FROM vacancies v WHERE v.id = :vacancy_id
),

contribution AS MATERIALIZED (
  SELECT vsk.skill_id AS skill_id,
         CASE WHEN vsk.req = 1
              THEN (CASE WHEN vt.req_total > 0 THEN vsk.w / vt.req_total ELSE 0.0 END)
                   * (CASE WHEN vt.nice_count > 0 THEN 1 - :nu ELSE 1.0 END)
              ELSE :nu * (CASE WHEN vt.nice_total > 0 THEN vsk.w / vt.nice_total ELSE 0.0 END) END AS c
    FROM vsk CROSS JOIN vt
),
cand AS MATERIALIZED (
  SELECT held.worker_id AS worker_id
    FROM (SELECT DISTINCT p.worker_id AS worker_id, p.skill_id AS skill_id, p.expected_wage AS expected,
                 p.last_active_at AS moment
            FROM dbsearch_worker_skills p
           WHERE {in_list(dialect, "p.skill_id", "skills", "INTEGER")}
             AND {in_list(dialect, "p.ward_code", "wards", "TEXT")}) AS held
    JOIN contribution ON contribution.skill_id = held.skill_id
    CROSS JOIN vac
   GROUP BY held.worker_id
  HAVING :w_skills * (SUM(contribution.c) + :low) + :loc_bound
         + :w_wage * {wage_part("MAX(held.expected)", "MAX(vac.offered)")}
         + :w_freshness * {freshness_part(dialect, "MAX(held.moment)")} >= :threshold
),
hits AS MATERIALIZED (
  SELECT c.worker_id AS worker_id,
         SUM(CASE WHEN vsk.req = 1 THEN vsk.w ELSE 0.0 END) AS req_w,
         SUM(CASE WHEN vsk.req = 1 THEN 0.0 ELSE vsk.w END) AS nice_w
    FROM cand c CROSS JOIN worker_skills x CROSS JOIN vsk
   WHERE x.worker_id = c.worker_id AND vsk.skill_id = x.skill_id
   GROUP BY c.worker_id
),
promising AS MATERIALIZED (
  SELECT h.worker_id AS worker_id, vt.nice_count AS nice_count,
         CASE WHEN vt.req_total > 0 THEN h.req_w / vt.req_total ELSE 0.0 END AS req_cov,
         CASE WHEN vt.nice_total > 0 THEN h.nice_w / vt.nice_total ELSE 0.0 END AS nice_cov
    FROM hits h CROSS JOIN vt
   WHERE (CASE WHEN vt.nice_count = 0 THEN (CASE WHEN vt.req_total > 0 THEN h.req_w / vt.req_total ELSE 0.0 END)
               ELSE (1 - :nu) * (CASE WHEN vt.req_total > 0 THEN h.req_w / vt.req_total ELSE 0.0 END)
                    + :nu * (CASE WHEN vt.nice_total > 0 THEN h.nice_w / vt.nice_total ELSE 0.0 END) END) >= :s_min
),
worker AS MATERIALIZED (
  SELECT h.worker_id AS id, h.nice_count AS nice_count, h.req_cov AS req_cov, h.nice_cov AS nice_cov,
         (SELECT w.user_id FROM worker_profiles w WHERE w.id = h.worker_id
             AND w.is_visible AND w.is_seeking) AS user_id,
         (SELECT w.ward_code FROM worker_profiles w WHERE w.id = h.worker_id) AS ward_code,
         (SELECT w.anywhere_in_hanoi FROM worker_profiles w WHERE w.id = h.worker_id) AS anywhere,
         (SELECT w.expected_wage FROM worker_profiles w WHERE w.id = h.worker_id) AS expected,
         (SELECT w.last_active_at FROM worker_profiles w WHERE w.id = h.worker_id) AS moment
    FROM promising h
),
facts AS MATERIALIZED (
  SELECT w.id AS id, w.expected AS expected, vac.offered AS offered, w.moment AS moment,
         w.nice_count AS nice_count, w.req_cov AS req_cov, w.nice_cov AS nice_cov,
         (SELECT hk.km FROM dbsearch_ward_distances hk WHERE hk.ward_a = w.ward_code AND hk.ward_b = :ward)
           AS home_km,
         CASE WHEN w.anywhere THEN NULL
              ELSE (SELECT MIN(pk.km) FROM worker_preferred_wards pp JOIN dbsearch_ward_distances pk
                      ON pk.ward_a = pp.ward_code AND pk.ward_b = :ward WHERE pp.worker_id = w.id) END AS pref_km
    FROM worker w CROSS JOIN vac
   WHERE w.user_id IS NOT NULL
     AND EXISTS (SELECT 1 FROM users u WHERE u.id = w.user_id AND u.is_enabled)
),
located AS MATERIALIZED (
  SELECT id, expected, offered, moment, nice_count, req_cov, nice_cov, {least("home_km", "pref_km")} AS km
    FROM facts
),
parts AS MATERIALIZED (
  SELECT id, km, {parts_columns(dialect, req_cov="req_cov", nice_cov="nice_cov", nice_count="nice_count", km="km",
                                expected="expected", offered="offered", moment="moment")}
    FROM located
)
SELECT id, {TOTAL} AS total, skills, location, wage, freshness, km
  FROM parts
 WHERE skills > 0
 ORDER BY total DESC, id ASC
 LIMIT :k
"""


def rounded(dialect: str, expr: str, digits: int = 6) -> str:
    """An expression rounded to `digits` decimals, so sums added in another order still tie exactly."""
    if dialect == "postgresql":
        return f"CAST(ROUND(CAST({expr} AS NUMERIC), {digits}) AS DOUBLE PRECISION)"
    return f"ROUND({expr}, {digits})"


def text_match(plan, *, most_words: bool, driver: str | None) -> tuple[str, str, dict]:
    """The text part of a search (relevance.py's rule) for a QueryPlan: (CTE `tw` (vacancy_id, tsum), the extra
    WHERE condition for exclusions, bind parameters).

    All postings of the plan's terms are read and grouped per vacancy; with a `driver` term (a required term, the
    rarest) only the vacancies holding it are read, by primary-key lookups of their other terms."""
    params: dict = {}
    names: dict[str, str] = {}

    def name(term: str) -> str:
        """The bind parameter holding a term."""
        if term not in names:
            names[term] = f"tx{len(names)}"
            params[names[term]] = term
        return names[term]

    terms = plan.all_terms()
    term_list = ", ".join(f":{name(t)}" for t in terms)
    cases = []
    for i, st in enumerate(plan.score_terms):
        params[f"tf{i}"] = st.factor * st.idf
        cases.append(f"WHEN :{name(st.term)} THEN :tf{i}")
    score = f"SUM((CASE w.word {' '.join(cases)} ELSE 0.0 END) * w.weight)" if cases else "0.0"

    def held(term: str) -> str:
        """The vacancy holds the term."""
        return f"MAX(CASE WHEN w.word = :{name(term)} THEN 1 ELSE 0 END) = 1"

    tiers = []
    for i, (g, value) in enumerate(plan.tier_groups):
        params[f"tv{i}"] = value
        tiers.append(f"(CASE WHEN {' AND '.join(held(t) for t in g)} THEN :tv{i} ELSE 0.0 END)")
    tier = " + ".join(tiers) or "0.0"

    clause_sql = []
    for c in plan.clauses:
        alternatives = " OR ".join("(" + " AND ".join(held(t) for t in alt) + ")" for alt in c.alternatives)
        clause_sql.append(f"(CASE WHEN {alternatives} THEN 1 ELSE 0 END)")
    params["need"] = plan.required(most_words)
    having = f"HAVING {' + '.join(clause_sql)} >= :need" if clause_sql else ""
    drive = ""
    if driver is not None:
        drive = (f"JOIN (SELECT vacancy_id FROM dbsearch_vacancy_words WHERE word = :{name(driver)}) dv "
                 "ON dv.vacancy_id = w.vacancy_id")
    cte = f"""tw AS (
  SELECT w.vacancy_id AS vacancy_id, {score} + ({tier}) AS tsum
    FROM dbsearch_vacancy_words w {drive}
   WHERE w.word IN ({term_list})
   GROUP BY w.vacancy_id
  {having})"""
    excluded = []
    for ex in plan.exclusions:
        held_all = " AND ".join(f"EXISTS (SELECT 1 FROM dbsearch_vacancy_words xw WHERE xw.vacancy_id = v.id "
                                f"AND xw.word = :{name(t)})" for t in ex)
        excluded.append(f"NOT ({held_all})")
    return cte, " AND ".join(excluded), params


WAGE_BANDS = ((None, 7_000_000, "lt7"), (7_000_000, 10_000_000, "7_10"), (10_000_000, 15_000_000, "10_15"),
              (15_000_000, 20_000_000, "15_20"), (20_000_000, None, "20plus"))


def wage_band(column: str) -> str:
    """The wage band key of an offered wage (facets): lt7, 7_10, 10_15, 15_20, 20plus, or none."""
    arms = []
    for low, high, key in WAGE_BANDS:
        cond = " AND ".join(c for c in ((f"{column} >= {low}" if low is not None else ""),
                                        (f"{column} < {high}" if high is not None else "")) if c)
        arms.append(f"WHEN {cond} THEN '{key}'")
    return f"(CASE WHEN {column} IS NULL THEN 'none' {' '.join(arms)} END)"


def search(dialect: str, *, text_cte: str | None = None, exclusions: str = "", worker: bool, origin: bool,
           district: bool, ward: bool, max_km: bool, skills: bool, min_wage: bool, job_type: bool, order: str,
           facets: bool = False) -> str:
    """A vacancy search: eligible vacancies that match the text (when text_cte is given: text_match) and every
    filter given, with relevance, distance from :origin_ward and the worker's match parts when asked; one page, with
    the total. facets=True: instead, the counts per (former district, occupation group, job type, wage band)."""
    ctes = []
    joins = []
    where = ["v.status = :open", "e.status = :verified"]
    if text_cte:
        ctes.append(text_cte)
        joins.append("JOIN tw ON tw.vacancy_id = v.id")
        text_score = rounded(dialect, "tw.tsum")
    else:
        text_score = "0.0"
    if exclusions:
        where.append(exclusions)
    km = "NULL"
    if origin:
        joins.append("CROSS JOIN (SELECT lat, lon FROM wards WHERE code = :origin_ward) ow")
        km = haversine("ow.lat", "ow.lon", "vw.lat", "vw.lon")
        if max_km:
            where.append(f"{km} <= :max_km")
    if ward:
        where.append("v.ward_code = :ward_code")
    if district:
        where.append("vw.district_code = :district_code")
    if skills:
        where.append("(SELECT COUNT(DISTINCT x.skill_id) FROM vacancy_skills x "
                     "WHERE x.vacancy_id = v.id AND x.skill_id IN :skill_ids) = :skill_count")
    if min_wage:
        where.append("COALESCE(v.wage_max, v.wage_min) >= :min_wage")
    if job_type:
        where.append("v.job_type = :job_type")
    if facets:
        with_clause = ("WITH " + ",\n".join(ctes)) if ctes else ""
        return f"""
{with_clause}
SELECT vw.district_code AS district, SUBSTR(COALESCE(v.occupation_code, ''), 1, 1) AS occupation_group,
       COALESCE(v.job_type, '') AS job_type, {wage_band("COALESCE(v.wage_max, v.wage_min)")} AS wage_band,
       COUNT(*) AS n
  FROM vacancies v
  JOIN employers e ON e.id = v.employer_id
  JOIN wards vw ON vw.code = v.ward_code
  {' '.join(joins)}
 WHERE {' AND '.join(where)}
 GROUP BY 1, 2, 3, 4
"""
    match_cols = "NULL AS skills, NULL AS location, NULL AS wage, NULL AS freshness, NULL AS match_km"
    if worker:
        ctes.append("""ws AS (SELECT x.skill_id AS skill_id, s.weight AS w FROM worker_skills x
                                 JOIN skills s ON s.id = x.skill_id WHERE x.worker_id = :worker_id)""")
        ctes.append("""mh AS (SELECT vs.vacancy_id AS vacancy_id,
                                     SUM(CASE WHEN vs.required THEN ws.w ELSE 0.0 END) AS req_w,
                                     SUM(CASE WHEN vs.required THEN 0.0 ELSE ws.w END) AS nice_w
                                FROM vacancy_skills vs JOIN ws ON ws.skill_id = vs.skill_id
                               GROUP BY vs.vacancy_id)""")
        ctes.append("wk AS (SELECT expected_wage AS expected FROM worker_profiles WHERE id = :worker_id)")
        ctes.append("""places AS (
            SELECT wd.lat AS lat, wd.lon AS lon
              FROM worker_profiles w JOIN wards wd ON wd.code = w.ward_code WHERE w.id = :worker_id
            UNION ALL
            SELECT wd.lat, wd.lon
              FROM worker_profiles w JOIN worker_preferred_wards pw ON pw.worker_id = w.id
              JOIN wards wd ON wd.code = pw.ward_code
             WHERE w.id = :worker_id AND NOT w.anywhere_in_hanoi)""")
        ctes.append(f"""ward_km AS (SELECT vw2.code AS code, MIN({haversine("pl.lat", "pl.lon", "vw2.lat", "vw2.lon")})
                                   AS km FROM wards vw2 CROSS JOIN places pl GROUP BY vw2.code)""")
        joins.append("LEFT JOIN mh ON mh.vacancy_id = v.id")
        joins.append("LEFT JOIN ward_km wkm ON wkm.code = v.ward_code")
        joins.append("CROSS JOIN wk")
        inner = f"""
          SELECT v.id AS id, {text_score} AS text_score, {km} AS km, v.published_at AS published_at,
                 COALESCE(v.wage_max, v.wage_min) AS offered_sort, wkm.km AS match_km,
                 {parts_columns(dialect,
                                req_cov="(CASE WHEN d.req_total > 0 THEN COALESCE(mh.req_w, 0.0) / d.req_total "
                                        "ELSE 0.0 END)",
                                nice_cov="(CASE WHEN d.nice_total > 0 THEN COALESCE(mh.nice_w, 0.0) / d.nice_total "
                                         "ELSE 0.0 END)",
                                nice_count="d.nice_count", km="wkm.km", expected="wk.expected",
                                offered="COALESCE(v.wage_max, v.wage_min)", moment="v.published_at")}"""
        joins.append("JOIN dbsearch_vacancies d ON d.vacancy_id = v.id")
        relevance = f"(text_score + {rounded(dialect, f'({TOTAL})')})"
        outer_cols = f"skills, location, wage, freshness, match_km, {relevance} AS relevance"
    else:
        inner = f"""
          SELECT v.id AS id, {text_score} AS text_score, {km} AS km, v.published_at AS published_at,
                 COALESCE(v.wage_max, v.wage_min) AS offered_sort, {match_cols}"""
        outer_cols = "skills, location, wage, freshness, match_km, text_score AS relevance"
    newest = "CASE WHEN published_at IS NULL THEN 1 ELSE 0 END, published_at DESC, id ASC"
    orders = {
        "relevance": f"relevance DESC, {newest}",
        "newest": newest,
        "wage": f"CASE WHEN offered_sort IS NULL THEN 1 ELSE 0 END, offered_sort DESC, {newest}",
        "distance": f"km ASC, {newest}",
    }
    with_clause = ("WITH " + ",\n".join(ctes)) if ctes else ""
    return f"""
{with_clause}
SELECT id, km, {outer_cols}, COUNT(*) OVER () AS total_count FROM (
  {inner}
    FROM vacancies v
    JOIN employers e ON e.id = v.employer_id
    JOIN wards vw ON vw.code = v.ward_code
    {' '.join(joins)}
   WHERE {' AND '.join(where)}
) found
ORDER BY {orders[order]}
LIMIT :limit OFFSET :offset
"""
