"""Keeps the database backend's derived tables (models/matching.py) true to the rows, in the same transaction.

Every change made through the ORM session is caught: unit-of-work flushes (after_flush) and bulk
INSERT/UPDATE/DELETE statements run with session.execute (do_orm_execute). Deleting a vacancy or a profile, even
by a database-level cascade, deletes its derived rows by foreign-key cascade. Raw SQL text statements are not
seen: callers that write that way call refresh_vacancies / refresh_workers / rebuild themselves.
"""
from __future__ import annotations

import logging
import re
from collections import defaultdict
from itertools import chain
from typing import Iterable

from sqlalchemy import bindparam, inspect, select, text
from sqlalchemy.engine import Connection

from sqlalchemy import event
from sqlalchemy.orm import Session

from ..models import (DbSearchTerm, DbSearchVacancy, DbSearchVacancySkill, DbSearchVacancyWord, DbSearchWardDistance,
                      DbSearchWorkerSkill, Employer, FormerDistrict,
                      Occupation, Skill, Vacancy, VacancySkill, Ward, WorkerProfile)
from ..models.matching import NO_PLACE
from . import relevance

log = logging.getLogger(__name__)

CHUNK = 500
DERIVED_TABLES = ("dbsearch_terms", "dbsearch_vacancy_words", "dbsearch_vacancy_skills", "dbsearch_vacancies", "dbsearch_worker_skills",
                  "dbsearch_ward_distances")

VACANCY_ATTRS = ("title", "description", "occupation_code", "occupation", "ward_code", "ward", "skill_links",
                 "wage_min", "wage_max", "published_at")
WORKER_ATTRS = ("ward_code", "ward", "anywhere_in_hanoi", "skills", "preferred_wards", "expected_wage",
                "last_active_at")


def _chunks(ids: Iterable, size: int = CHUNK):
    """Distinct non-null ids, sorted, in lists short enough for an IN clause."""
    ids = sorted(set(i for i in ids if i is not None))
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def _ids_param(name: str = "ids"):
    """An expanding bind parameter for a list of ids."""
    return bindparam(name, expanding=True)


_WORKER_INSERT = "INSERT INTO dbsearch_worker_skills (skill_id, ward_code, worker_id, expected_wage, last_active_at)"
_VACANCY_INSERT = ("INSERT INTO dbsearch_vacancy_skills "
                   "(skill_id, ward_code, required, rest, vacancy_id, offered, published_at)")

# --- workers ------------------------------------------------------------------------------------------------------

_WORKER_POSTINGS = """
SELECT ws.skill_id AS skill_id, w.ward_code AS ward_code, w.id AS worker_id, w.expected_wage AS expected_wage,
       w.last_active_at AS last_active_at
  FROM worker_profiles w JOIN worker_skills ws ON ws.worker_id = w.id
 WHERE {cond} AND w.ward_code IS NOT NULL
UNION
SELECT ws.skill_id, p.ward_code, w.id, w.expected_wage, w.last_active_at
  FROM worker_profiles w JOIN worker_skills ws ON ws.worker_id = w.id
  JOIN worker_preferred_wards p ON p.worker_id = w.id
 WHERE {cond} AND NOT w.anywhere_in_hanoi
UNION
SELECT ws.skill_id, '{none}', w.id, w.expected_wage, w.last_active_at
  FROM worker_profiles w JOIN worker_skills ws ON ws.worker_id = w.id
 WHERE {cond} AND w.ward_code IS NULL
   AND (w.anywhere_in_hanoi OR NOT EXISTS (SELECT 1 FROM worker_preferred_wards p WHERE p.worker_id = w.id))
"""


def refresh_workers(conn: Connection, ids: Iterable[int]) -> None:
    """Recompute the skill postings of these worker profiles (gone profiles simply lose theirs)."""
    insert = text(_WORKER_INSERT + " "
                  + _WORKER_POSTINGS.format(cond="w.id IN :ids", none=NO_PLACE)).bindparams(_ids_param())
    delete = text("DELETE FROM dbsearch_worker_skills WHERE worker_id IN :ids").bindparams(_ids_param())
    for chunk in _chunks(ids):
        conn.execute(delete, {"ids": chunk})
        conn.execute(insert, {"ids": chunk})


def rebuild_workers(conn: Connection) -> int:
    """Recompute every worker's skill postings; returns how many profiles there are."""
    conn.execute(text("DELETE FROM dbsearch_worker_skills"))
    conn.execute(text(_WORKER_INSERT + " SELECT * FROM ("
                      + _WORKER_POSTINGS.format(cond="1 = 1", none=NO_PLACE)
                      + ") AS postings ORDER BY skill_id, ward_code, worker_id"))
    return conn.execute(text("SELECT COUNT(*) FROM worker_profiles")).scalar_one()


# --- vacancies ----------------------------------------------------------------------------------------------------

_VACANCY_POSTINGS = """
SELECT skill_id, ward_code, required, CASE WHEN total > 0 THEN tail / total ELSE 1.0 END AS rest, vacancy_id,
       offered, published_at FROM (
  SELECT vs.skill_id AS skill_id, v.ward_code AS ward_code, vs.required AS required, v.id AS vacancy_id,
         COALESCE(v.wage_max, v.wage_min) AS offered, v.published_at AS published_at,
         SUM(s.weight) OVER (PARTITION BY v.id, vs.required ORDER BY s.weight DESC, vs.skill_id ASC
                             ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS tail,
         SUM(s.weight) OVER (PARTITION BY v.id, vs.required) AS total
    FROM vacancies v JOIN vacancy_skills vs ON vs.vacancy_id = v.id JOIN skills s ON s.id = vs.skill_id
   WHERE {cond}
) AS ordered
"""
_VACANCY_TOTALS = """
SELECT v.id,
       COALESCE(SUM(CASE WHEN vs.required THEN s.weight END), 0.0),
       COALESCE(SUM(CASE WHEN NOT vs.required THEN s.weight END), 0.0),
       COUNT(CASE WHEN NOT vs.required THEN 1 END)
  FROM vacancies v LEFT JOIN vacancy_skills vs ON vs.vacancy_id = v.id LEFT JOIN skills s ON s.id = vs.skill_id
 WHERE {cond}
 GROUP BY v.id
"""


def _vacancy_word_rows(conn: Connection, ids: list[int]) -> list[dict]:
    """The (word, vacancy_id, level, weight) rows of these vacancies, by the rule of relevance.py."""
    labels: dict[int, list[str]] = defaultdict(list)
    for vid, label in conn.execute(text(
            "SELECT vs.vacancy_id, s.label_vi FROM vacancy_skills vs JOIN skills s ON s.id = vs.skill_id "
            "WHERE vs.vacancy_id IN :ids ORDER BY vs.vacancy_id, s.id").bindparams(_ids_param()), {"ids": ids}):
        labels[vid].append(label)
    rows = []
    for vid, title, description, occupation, employer, ward, district in conn.execute(text(
            "SELECT v.id, v.title, v.description, o.title_vi, e.name, wd.name_vi, fd.name_vi FROM vacancies v "
            "LEFT JOIN occupations o ON o.code = v.occupation_code JOIN wards wd ON wd.code = v.ward_code "
            "LEFT JOIN employers e ON e.id = v.employer_id "
            "JOIN former_districts fd ON fd.code = wd.district_code WHERE v.id IN :ids").bindparams(_ids_param()),
            {"ids": ids}):
        terms = vacancy_terms(title=title, description=description, skills=labels[vid], occupation=occupation,
                              employer=employer, places=[ward, district])
        rows.extend({"word": w, "vacancy_id": vid, "level": lv, "weight": relevance.weight(lv)}
                    for w, lv in terms.items())
    return rows


def vacancy_terms(*, title, description, skills, occupation, employer, places) -> dict[str, int]:
    """A vacancy's terms and levels from its texts (the one place both backends build them)."""
    del employer  # not indexed (relevance.py: a company's name would make all its vacancies match its words)
    return relevance.document_terms({"title": title, "description": description, "skills": skills,
                                     "occupation": occupation, "place": places})


_TERMS_UPSERT = {
    "sqlite": ("INSERT INTO dbsearch_terms (word, df, max_level) VALUES (:word, :df, :max_level) "
               "ON CONFLICT (word) DO UPDATE SET df = dbsearch_terms.df + excluded.df, "
               "max_level = max(dbsearch_terms.max_level, excluded.max_level)"),
    "postgresql": ("INSERT INTO dbsearch_terms (word, df, max_level) VALUES (:word, :df, :max_level) "
                   "ON CONFLICT (word) DO UPDATE SET df = dbsearch_terms.df + excluded.df, "
                   "max_level = GREATEST(dbsearch_terms.max_level, excluded.max_level)"),
}


def _add_document_frequencies(conn: Connection, delta: dict[str, int], levels: dict[str, int]) -> None:
    """Add these changes to the terms' document frequencies (and raise their highest level)."""
    rows = [{"word": w, "df": d, "max_level": levels.get(w, 0)} for w, d in sorted(delta.items())
            if d or levels.get(w)]
    if rows:
        conn.execute(text(_TERMS_UPSERT.get(conn.dialect.name, _TERMS_UPSERT["sqlite"])), rows)
        gone = [r["word"] for r in rows if r["df"] < 0]
        for chunk in _chunks(gone):
            conn.execute(text("DELETE FROM dbsearch_terms WHERE df <= 0 AND word IN :ids").bindparams(_ids_param()),
                         {"ids": chunk})


def _replace_words(conn: Connection, chunk: list[int]) -> None:
    """Recompute the word rows of these vacancies and move the document frequencies by the difference.

    A vacancy deleted by a database cascade has lost its rows before this runs: its terms keep counting until
    `flask search reindex` (rebuild) recounts them (rarity drifts by a little, never the matches)."""
    delta: dict[str, int] = defaultdict(int)
    had = set()
    for vid, word in conn.execute(text("SELECT vacancy_id, word FROM dbsearch_vacancy_words WHERE vacancy_id IN :ids")
                                  .bindparams(_ids_param()), {"ids": chunk}):
        delta[word] -= 1
        had.add(vid)
    conn.execute(text("DELETE FROM dbsearch_vacancy_words WHERE vacancy_id IN :ids").bindparams(_ids_param()),
                 {"ids": chunk})
    words = _vacancy_word_rows(conn, chunk)
    levels: dict[str, int] = {}
    for r in words:
        delta[r["word"]] += 1
        levels[r["word"]] = max(levels.get(r["word"], 0), r["level"])
    delta[relevance.DOCS_KEY] += len({r["vacancy_id"] for r in words}) - len(had)
    if words:
        conn.execute(DbSearchVacancyWord.__table__.insert(), words)
    _add_document_frequencies(conn, delta, levels)


def refresh_vacancies(conn: Connection, ids: Iterable[int]) -> None:
    """Recompute every derived row of these vacancies (gone vacancies simply lose theirs)."""
    cond = "v.id IN :ids"
    statements = [text(f"DELETE FROM {t} WHERE vacancy_id IN :ids").bindparams(_ids_param())
                  for t in ("dbsearch_vacancy_skills", "dbsearch_vacancies")]
    statements.append(text(_VACANCY_INSERT + " "
                           + _VACANCY_POSTINGS.format(cond=cond)).bindparams(_ids_param()))
    statements.append(text("INSERT INTO dbsearch_vacancies (vacancy_id, req_total, nice_total, nice_count) "
                           + _VACANCY_TOTALS.format(cond=cond)).bindparams(_ids_param()))
    for chunk in _chunks(ids):
        for statement in statements:
            conn.execute(statement, {"ids": chunk})
        _replace_words(conn, chunk)


def refresh_vacancy_words(conn: Connection, ids: Iterable[int]) -> None:
    """Recompute only the words of these vacancies (a skill label, occupation title or place name changed)."""
    for chunk in _chunks(ids):
        _replace_words(conn, chunk)


def refresh_skill_weights(conn: Connection, skill_ids: Iterable[int]) -> None:
    """Recompute the weight totals and posting shares of every vacancy holding one of these skills (their rarity
    weights moved)."""
    skill_ids = list(skill_ids)
    ids = _vacancies_where(conn, "SELECT DISTINCT vacancy_id FROM vacancy_skills WHERE skill_id IN :ids", skill_ids)
    if len(ids) > 20_000:  # most of the table: recompute it whole, in one set-based statement
        conn.execute(text("DELETE FROM dbsearch_vacancy_skills"))
        conn.execute(text(_VACANCY_INSERT + " "
                          + _VACANCY_POSTINGS.format(cond="1 = 1") + " ORDER BY 1, 2, 3, 4, 5"))
    else:
        delete = text("DELETE FROM dbsearch_vacancy_skills WHERE vacancy_id IN :ids").bindparams(_ids_param())
        insert = text(_VACANCY_INSERT + " "
                      + _VACANCY_POSTINGS.format(cond="v.id IN :ids")).bindparams(_ids_param())
        for chunk in _chunks(ids):
            conn.execute(delete, {"ids": chunk})
            conn.execute(insert, {"ids": chunk})
    statement = text("""
        UPDATE dbsearch_vacancies SET
          req_total = (SELECT COALESCE(SUM(s.weight), 0.0) FROM vacancy_skills vs JOIN skills s ON s.id = vs.skill_id
                        WHERE vs.vacancy_id = dbsearch_vacancies.vacancy_id AND vs.required),
          nice_total = (SELECT COALESCE(SUM(s.weight), 0.0) FROM vacancy_skills vs JOIN skills s ON s.id = vs.skill_id
                         WHERE vs.vacancy_id = dbsearch_vacancies.vacancy_id AND NOT vs.required)
        WHERE vacancy_id IN (SELECT vacancy_id FROM vacancy_skills WHERE skill_id IN :ids)
    """).bindparams(_ids_param())
    for chunk in _chunks(skill_ids):
        conn.execute(statement, {"ids": chunk})


def _vacancies_where(conn: Connection, sql: str, ids: Iterable) -> set[int]:
    """Vacancy ids a query returns for chunks of these keys."""
    out: set[int] = set()
    statement = text(sql).bindparams(_ids_param())
    for chunk in _chunks(ids):
        out.update(conn.execute(statement, {"ids": chunk}).scalars())
    return out


def refresh_skill_labels(conn: Connection, skill_ids: Iterable[int]) -> None:
    """Recompute the words of every vacancy holding one of these skills (their labels changed)."""
    refresh_vacancy_words(conn, _vacancies_where(conn, "SELECT DISTINCT vacancy_id FROM vacancy_skills "
                                                       "WHERE skill_id IN :ids", skill_ids))


def refresh_places(conn: Connection, ward_codes: Iterable[str] = (), district_codes: Iterable[str] = (),
                   occupation_codes: Iterable[str] = ()) -> None:
    """Recompute the words of the vacancies in these wards / former districts / occupations (names changed)."""
    ids = _vacancies_where(conn, "SELECT id FROM vacancies WHERE ward_code IN :ids", ward_codes)
    ids |= _vacancies_where(conn, "SELECT v.id FROM vacancies v JOIN wards w ON w.code = v.ward_code "
                                  "WHERE w.district_code IN :ids", district_codes)
    ids |= _vacancies_where(conn, "SELECT id FROM vacancies WHERE occupation_code IN :ids", occupation_codes)
    refresh_vacancy_words(conn, ids)


def catch_up_vacancies(conn: Connection) -> None:
    """Derive the rows of vacancies that have none yet (inserted in bulk without known ids)."""
    ids = conn.execute(text("SELECT v.id FROM vacancies v WHERE NOT EXISTS "
                            "(SELECT 1 FROM dbsearch_vacancies d WHERE d.vacancy_id = v.id)")).scalars().all()
    refresh_vacancies(conn, ids)


def rebuild_vacancies(conn: Connection, batch: int = 5000, words: bool = True) -> int:
    """Recompute every vacancy's derived rows; returns how many vacancies there are. words=False leaves the word
    rows alone (migration 0002 ran before the words took their present shape in 0012)."""
    for table in ("dbsearch_vacancy_skills", "dbsearch_vacancies"):
        conn.execute(text(f"DELETE FROM {table}"))
    conn.execute(text(_VACANCY_INSERT + " "
                      + _VACANCY_POSTINGS.format(cond="1 = 1") + " ORDER BY 1, 2, 3, 4, 5"))
    conn.execute(text("INSERT INTO dbsearch_vacancies (vacancy_id, req_total, nice_total, nice_count) "
                      + _VACANCY_TOTALS.format(cond="1 = 1")))
    if words:
        return rebuild_words(conn, batch)
    return conn.execute(text("SELECT COUNT(*) FROM vacancies")).scalar_one()


def rebuild_words(conn: Connection, batch: int = 5000) -> int:
    """Recompute every vacancy's word rows and every term's document frequency; returns the number of vacancies."""
    for table in ("dbsearch_terms", "dbsearch_vacancy_words"):
        conn.execute(text(f"DELETE FROM {table}"))
    ids = conn.execute(text("SELECT id FROM vacancies ORDER BY id")).scalars().all()
    df: dict[str, int] = defaultdict(int)
    levels: dict[str, int] = defaultdict(int)
    indexed = 0
    for i in range(0, len(ids), batch):
        words = _vacancy_word_rows(conn, ids[i:i + batch])
        for r in words:
            df[r["word"]] += 1
            levels[r["word"]] = max(levels[r["word"]], r["level"])
        indexed += len({r["vacancy_id"] for r in words})
        if words:
            _bulk_insert_words(conn, words)
    df[relevance.DOCS_KEY] = indexed
    rows = [{"word": w, "df": n, "max_level": levels.get(w, 0)} for w, n in sorted(df.items())]
    for i in range(0, len(rows), 10_000):
        conn.execute(DbSearchTerm.__table__.insert(), rows[i:i + 10_000])
    return len(ids)


def _bulk_insert_words(conn: Connection, rows: list[dict]) -> None:
    """Insert word rows in bulk: COPY on PostgreSQL, the driver's executemany on SQLite."""
    if conn.dialect.name == "postgresql":
        cursor = conn.connection.driver_connection.cursor()
        with cursor.copy("COPY dbsearch_vacancy_words (word, vacancy_id, level, weight) FROM STDIN") as copy:
            for r in rows:
                copy.write_row((r["word"], r["vacancy_id"], r["level"], r["weight"]))
    elif conn.dialect.name == "sqlite":  # the driver's executemany on tuples: several times faster than dicts
        cursor = conn.connection.driver_connection.cursor()
        cursor.executemany("INSERT INTO dbsearch_vacancy_words (word, vacancy_id, level, weight) VALUES (?, ?, ?, ?)",
                           [(r["word"], r["vacancy_id"], r["level"], r["weight"]) for r in rows])
        cursor.close()
    else:
        conn.execute(DbSearchVacancyWord.__table__.insert(), rows)


def fill_ward_distances(conn: Connection) -> int:
    """Recompute the km between every two ward centres with scoring.haversine_km; returns the number of wards."""
    from .scoring import Point, haversine_km

    points = {code: Point(lat, lon) for code, lat, lon in conn.execute(text("SELECT code, lat, lon FROM wards"))}
    conn.execute(text("DELETE FROM dbsearch_ward_distances"))
    rows = [{"ward_a": a, "ward_b": b, "km": haversine_km(pa, pb)}
            for a, pa in points.items() for b, pb in points.items()]
    if rows:
        conn.execute(DbSearchWardDistance.__table__.insert(), rows)
    return len(points)


def ensure_ward_distances(conn: Connection, ward_code: str) -> None:
    """Fill the ward distances when they are missing (a new database, or one whose derived rows were emptied),
    in a transaction of their own so that a read-only caller keeps them."""
    if conn.execute(text("SELECT 1 FROM dbsearch_ward_distances WHERE ward_a = :w"), {"w": ward_code}).first():
        return
    from sqlalchemy.exc import IntegrityError

    from ..extensions import db

    try:
        with db.engine.begin() as own:
            if not own.execute(text("SELECT 1 FROM dbsearch_ward_distances WHERE ward_a = :w"),
                               {"w": ward_code}).first():
                fill_ward_distances(own)
    except IntegrityError:  # another process filled them at the same moment
        log.info("dbsearch: ward distances were filled concurrently")


def rebuild(conn: Connection, words: bool = True) -> dict[str, int]:
    """Recompute every derived table from the rows; returns the number of vacancies and workers indexed."""
    fill_ward_distances(conn)
    return {"vacancies": rebuild_vacancies(conn, words=words), "workers": rebuild_workers(conn)}


def status(conn: Connection) -> dict[str, int]:
    """Counts to compare the derived tables with the rows (vacancies without derived rows should be 0)."""
    return {
        "vacancies": conn.execute(text("SELECT COUNT(*) FROM vacancies")).scalar_one(),
        "vacancies_indexed": conn.execute(text("SELECT COUNT(*) FROM dbsearch_vacancies")).scalar_one(),
        "vacancy_postings": conn.execute(text("SELECT COUNT(*) FROM dbsearch_vacancy_skills")).scalar_one(),
        "worker_postings": conn.execute(text("SELECT COUNT(*) FROM dbsearch_worker_skills")).scalar_one(),
        "vacancy_words": conn.execute(text("SELECT COUNT(*) FROM dbsearch_vacancy_words")).scalar_one(),
        "terms": conn.execute(text("SELECT COUNT(*) FROM dbsearch_terms")).scalar_one(),
    }


# --- keeping in sync with the session -----------------------------------------------------------------------------

class _Changes:
    """What a flush or a bulk statement touched, by kind."""

    def __init__(self):
        """Nothing changed yet."""
        self.vacancies: set[int] = set()
        self.workers: set[int] = set()
        self.skill_weights: set[int] = set()
        self.skill_labels: set[int] = set()
        self.wards: set[str] = set()
        self.districts: set[str] = set()
        self.occupations: set[str] = set()
        self.employers: set[int] = set()
        self.ward_points = False
        self.rebuild_vacancies = False
        self.rebuild_workers = False
        self.catch_up_vacancies = False

    def apply(self, conn: Connection) -> None:
        """Bring the derived rows up to date."""
        if self.ward_points:
            fill_ward_distances(conn)
        if self.rebuild_vacancies:
            log.warning("dbsearch: a statement changed vacancies the index cannot pin down; rebuilding that side")
            rebuild_vacancies(conn)
        else:
            if self.catch_up_vacancies:
                catch_up_vacancies(conn)
            refresh_vacancies(conn, self.vacancies)
            refresh_skill_weights(conn, self.skill_weights)
            refresh_skill_labels(conn, self.skill_labels)
            refresh_places(conn, self.wards, self.districts, self.occupations)
            refresh_vacancy_words(conn, _vacancies_where(conn, "SELECT id FROM vacancies WHERE employer_id IN :ids",
                                                         self.employers))
        if self.rebuild_workers:
            log.warning("dbsearch: a statement changed workers the index cannot pin down; rebuilding that side")
            rebuild_workers(conn)
        else:
            refresh_workers(conn, self.workers)


def _changed(obj, names: Iterable[str]) -> bool:
    """True when one of these attributes really changed value in this flush."""
    attrs = inspect(obj).attrs
    for name in names:
        history = attrs[name].history
        if (history.added or history.deleted) and list(history.added) != list(history.deleted):
            return True
    return False


def sync_after_flush(session) -> None:
    """after_flush: derive the rows of every vacancy, profile, skill and place this flush changed."""
    changes = _Changes()
    for obj in session.new:
        if isinstance(obj, Vacancy):
            changes.vacancies.add(obj.id)
        elif isinstance(obj, VacancySkill):
            changes.vacancies.add(obj.vacancy_id)
        elif isinstance(obj, WorkerProfile):
            changes.workers.add(obj.id)
    for obj in session.deleted:
        if isinstance(obj, (Vacancy, WorkerProfile)):
            (changes.vacancies if isinstance(obj, Vacancy) else changes.workers).add(obj.id)
        elif isinstance(obj, VacancySkill):
            changes.vacancies.add(obj.vacancy_id)
    for obj in session.dirty:
        if isinstance(obj, Vacancy):
            if _changed(obj, VACANCY_ATTRS):
                changes.vacancies.add(obj.id)
        elif isinstance(obj, VacancySkill):
            if _changed(obj, ("required", "skill_id", "skill")):
                changes.vacancies.add(obj.vacancy_id)
        elif isinstance(obj, WorkerProfile):
            if _changed(obj, WORKER_ATTRS):
                changes.workers.add(obj.id)
        elif isinstance(obj, Skill):
            if _changed(obj, ("weight",)):
                changes.skill_weights.add(obj.id)
            if _changed(obj, ("label_vi",)):
                changes.skill_labels.add(obj.id)
        elif isinstance(obj, Occupation):
            if _changed(obj, ("title_vi",)):
                changes.occupations.add(obj.code)
        elif isinstance(obj, Ward):
            if _changed(obj, ("name_vi", "district_code")):
                changes.wards.add(obj.code)
            if _changed(obj, ("lat", "lon")):
                changes.ward_points = True
        elif isinstance(obj, FormerDistrict):
            if _changed(obj, ("name_vi",)):
                changes.districts.add(obj.code)
        elif isinstance(obj, Employer):
            if _changed(obj, ("name",)):
                changes.employers.add(obj.id)
    if any(isinstance(obj, Ward) for obj in chain(session.new, session.deleted)):
        changes.ward_points = True
    if changes.ward_points or changes.vacancies or changes.workers or changes.skill_weights \
            or changes.skill_labels or changes.wards or changes.districts or changes.occupations or changes.employers:
        changes.apply(session.connection())


# table name -> (what it feeds, the column naming the row it belongs to)
_TRACKED = {
    "vacancies": ("vacancy", "id"), "vacancy_skills": ("vacancy", "vacancy_id"),
    "worker_profiles": ("worker", "id"), "worker_skills": ("worker", "worker_id"),
    "worker_preferred_wards": ("worker", "worker_id"), "skills": ("skill", "id"),
    "occupations": ("occupation", "code"), "wards": ("ward", "code"), "former_districts": ("district", "code"),
}
_MULTI_KEY = re.compile(r"^(?P<key>.+)_m\d+$")


def _statement_table(statement):
    """The table a DML statement writes to, if any."""
    table = getattr(statement, "table", None)
    return getattr(table, "name", None) and table


def _param_keys(state, key: str) -> tuple[set, bool]:
    """Values of `key` in the statement's parameters, and whether every parameter set carried it."""
    params = state.parameters
    sets = list(params) if isinstance(params, (list, tuple)) else ([params] if params else [])
    if not sets and state.is_insert:  # values written into the statement itself: insert(t).values(...)
        compiled = state.statement.compile().params
        if any(_MULTI_KEY.match(name) for name in compiled):
            values = {v for name, v in compiled.items() if (m := _MULTI_KEY.match(name)) and m["key"] == key}
            return values, bool(values)
        sets = [compiled] if compiled else []
    values = {s[key] for s in sets if key in s}
    return values, bool(sets) and all(key in s for s in sets)


def sync_bulk_statement(state):
    """do_orm_execute: run a bulk DML statement on a tracked table, then derive the rows it touched."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return None
    table = _statement_table(state.statement)
    if table is None or table.name not in _TRACKED:
        return None
    kind, key = _TRACKED[table.name]
    conn = state.session.connection()
    ids, complete = _param_keys(state, key)
    if state.is_update or state.is_delete:
        where = state.statement.whereclause
        if where is not None:
            ids |= set(conn.execute(select(table.c[key]).where(where)).scalars())
            complete = True
        elif state.is_delete or not complete:
            complete = False
    result = state.invoke_statement()
    changes = _Changes()
    if kind == "vacancy":
        if complete:
            changes.vacancies |= ids
        elif state.is_insert and table.name == "vacancies":
            changes.catch_up_vacancies = True
        else:
            changes.rebuild_vacancies = True
    elif kind == "worker":
        if complete:
            changes.workers |= ids
        elif not (state.is_insert and table.name == "worker_profiles"):  # a new profile has no skills yet
            changes.rebuild_workers = True
    elif kind == "skill":
        if complete:
            changes.skill_weights |= ids
            changes.skill_labels |= ids
        elif not state.is_insert:  # a new skill is held by no vacancy yet
            changes.rebuild_vacancies = True
    elif kind == "ward":
        changes.ward_points = True
        if not state.is_insert:
            changes.wards |= ids if complete else set()
            changes.rebuild_vacancies = not complete
    elif not state.is_insert:
        target = {"occupation": changes.occupations, "ward": changes.wards, "district": changes.districts}[kind]
        if complete:
            target |= ids
        else:
            changes.rebuild_vacancies = True
    changes.apply(conn)
    return result


# --- the session hooks (installed by the app factory: models never import the search package) ---------------------

def _after_flush(session, flush_context):
    """Bring the derived rows of whatever this flush changed up to date, in the same transaction."""
    sync_after_flush(session)


def _do_orm_execute(orm_execute_state):
    """Bulk INSERT/UPDATE/DELETE statements run through the session keep the derived rows in sync too."""
    return sync_bulk_statement(orm_execute_state)


def _before_flush(session, flush_context, instances):
    """Vacancies about to be deleted: their terms stop counting now, while their word rows can still be read."""
    ids = [obj.id for obj in session.deleted if isinstance(obj, Vacancy) and obj.id is not None]
    if ids:
        forget_words(session.connection(), ids)


def forget_words(conn: Connection, ids: Iterable[int]) -> None:
    """Delete the word rows of these vacancies and take them out of the document frequencies."""
    for chunk in _chunks(ids):
        delta: dict[str, int] = defaultdict(int)
        had = set()
        for vid, word in conn.execute(text("SELECT vacancy_id, word FROM dbsearch_vacancy_words "
                                           "WHERE vacancy_id IN :ids").bindparams(_ids_param()), {"ids": chunk}):
            delta[word] -= 1
            had.add(vid)
        delta[relevance.DOCS_KEY] -= len(had)
        conn.execute(text("DELETE FROM dbsearch_vacancy_words WHERE vacancy_id IN :ids").bindparams(_ids_param()),
                     {"ids": chunk})
        _add_document_frequencies(conn, delta, {})


def install() -> None:
    """Keep the derived tables in sync with every ORM session of the process (idempotent)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
    if not event.contains(Session, "do_orm_execute", _do_orm_execute):
        event.listen(Session, "do_orm_execute", _do_orm_execute)


install()  # importing the module is enough (scripts and tests that import it before creating an app)
