"""Figures the statistics keep exact through database triggers: current stocks, monthly flows, copies.

The dashboard's stocks (job seekers at the end of a period) and the skill gap (unfilled positions of open
vacancies against the seekers holding each skill) were scans of ~170,000 seeking profiles, one per breakdown, and
a join over every open vacancy's skills, on every page view. This table holds the same figures for *now*; the
figure at the end of a recent period is "now" minus what was registered or published since (short index ranges),
see jobmarket/stats/queries.py. Rows: (dimension, k1, k2, k3) -> value, '' for a missing value:
  ward        k1 = ward_code                                       value = job seekers (is_seeking)
  occupation  k1 = occupation_code                                 value = job seekers
  person      k1 = sex, k2 = birth_year, k3 = education_level      value = job seekers
  skill       k1 = skill_id                                        value = job seekers holding the skill
  demand      k1 = skill_id     value = unfilled positions of open vacancies (open, not closed) requiring it

Triggers on worker_profiles, worker_skills, vacancies and vacancy_skills keep it exact in the same transaction as
the change, whichever code path makes it (the ORM, bulk SQL, cascades from a deleted user): row triggers on
SQLite, statement triggers over transition tables on PostgreSQL (a bulk load runs one grouped statement, not one
function per row). A row is deleted by first deleting its skills, so each is counted out while the row still
exists. `recount` rebuilds the table from the base tables (migration 0008); `differences` compares the two.

Applications' response_days (days from sending to the first response) and created_month (the Hanoi month it was
sent), for the median response time, are set by triggers too (migration 0009): a BEFORE row trigger on
PostgreSQL, AFTER row triggers updating the row on SQLite.

COPIES (migration 0010): applications and worker_skills carry copies of their parents' facts the statistics filter
on, so a filtered count reads one index; triggers set them when the row is written and rewrite them when the
parent changes. FLOWS (migration 0011, table stats_flows): what each Hanoi month added per breakdown key
(registrations, vacancies published, applications, placements, with a count and two sums), so a month, quarter or
year without filters on a table sums a few kept rows instead of grouping the period's rows.
"""
from __future__ import annotations

from sqlalchemy import Integer, PrimaryKeyConstraint, String, text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .sqlfunctions import DaysBetween


class StatsCount(db.Model):
    """One kept figure of the current labour market (see the module's table of dimensions)."""

    __tablename__ = "stats_counts"
    __table_args__ = (PrimaryKeyConstraint("dimension", "k1", "k2", "k3"),)

    dimension: Mapped[str] = mapped_column(String(12))
    k1: Mapped[str] = mapped_column(String(20))
    k2: Mapped[str] = mapped_column(String(20))
    k3: Mapped[str] = mapped_column(String(20))
    value: Mapped[int] = mapped_column(Integer)


def _key(expr: str) -> str:
    return f"COALESCE(CAST({expr} AS VARCHAR(20)), '')"


def _upsert(select_sql: str) -> str:
    """Add the (dimension, k1, k2, k3, delta) rows of select_sql (which has a WHERE clause: SQLite needs one
    before ON CONFLICT) to the counts."""
    return ("INSERT INTO stats_counts (dimension, k1, k2, k3, value) " + select_sql +
            " ON CONFLICT (dimension, k1, k2, k3) DO UPDATE SET value = stats_counts.value + excluded.value")


PROFILE_COLUMNS = ("is_seeking", "ward_code", "occupation_code", "sex", "birth_year", "education_level")
PROFILE_DIMENSIONS = (("ward", ("ward_code",)), ("occupation", ("occupation_code",)),
                      ("person", ("sex", "birth_year", "education_level")))
VACANCY_COLUMNS = ("status", "closed_at", "positions", "positions_filled")


def _columns(keys: tuple[str, ...], prefix: str = "") -> str:
    return ", ".join([_key(prefix + k) for k in keys] + ["''"] * (3 - len(keys)))


def _unfilled(v: str) -> str:
    """A vacancy row's unfilled positions while it is open (0 once closed)."""
    return (f"(CASE WHEN {v}.status = 'open' AND {v}.closed_at IS NULL AND {v}.positions > {v}.positions_filled "
            f"THEN {v}.positions - {v}.positions_filled ELSE 0 END)")


# --- SQLite: row triggers -------------------------------------------------------------------------------------

def _profile_rows(row: str, delta: int, condition: str) -> list[str]:
    return [_upsert(f"SELECT '{dim}', {_columns(keys, row + '.')}, {delta} WHERE {condition}")
            for dim, keys in PROFILE_DIMENSIONS]


def _skills_of_worker(row: str, delta: str, condition: str) -> str:
    return _upsert(f"SELECT 'skill', {_key('ws.skill_id')}, '', '', {delta} FROM worker_skills ws "
                   f"WHERE ws.worker_id = {row}.id AND {condition}")


def _worker_skill(row: str, delta: int) -> str:
    return _upsert(f"SELECT 'skill', {_key(row + '.skill_id')}, '', '', {delta} FROM worker_profiles w "
                   f"WHERE w.id = {row}.worker_id AND w.is_seeking")


def _skills_of_vacancy(delta: str, row: str) -> str:
    return _upsert(f"SELECT 'demand', {_key('vs.skill_id')}, '', '', {delta} FROM vacancy_skills vs "
                   f"WHERE vs.vacancy_id = {row}.id AND vs.required AND {delta} <> 0")


def _vacancy_skill(row: str, sign: str) -> str:
    return _upsert(f"SELECT 'demand', {_key(row + '.skill_id')}, '', '', {sign}{_unfilled('v')} FROM vacancies v "
                   f"WHERE v.id = {row}.vacancy_id AND {row}.required AND {_unfilled('v')} <> 0")


# name -> (table, timing and event, statements using NEW / OLD)
SQLITE_TRIGGERS: dict[str, tuple[str, str, list[str]]] = {
    "stats_seekers_insert": ("worker_profiles", "AFTER INSERT",
                             _profile_rows("NEW", 1, "NEW.is_seeking")
                             + [_skills_of_worker("NEW", "1", "NEW.is_seeking")]),
    "stats_seekers_update": ("worker_profiles", f"AFTER UPDATE OF {', '.join(PROFILE_COLUMNS)}",
                             _profile_rows("OLD", -1, "OLD.is_seeking") + _profile_rows("NEW", 1, "NEW.is_seeking")
                             + [_skills_of_worker("NEW", "CASE WHEN NEW.is_seeking THEN 1 ELSE -1 END",
                                                  "OLD.is_seeking <> NEW.is_seeking")]),
    "stats_seekers_delete": ("worker_profiles", "BEFORE DELETE",
                             ["DELETE FROM worker_skills WHERE worker_id = OLD.id"]
                             + _profile_rows("OLD", -1, "OLD.is_seeking")),
    "stats_worker_skills_insert": ("worker_skills", "AFTER INSERT", [_worker_skill("NEW", 1)]),
    "stats_worker_skills_delete": ("worker_skills", "AFTER DELETE", [_worker_skill("OLD", -1)]),
    # Only a moved row (not the copies of migration 0010, which the profile's triggers rewrite).
    "stats_worker_skills_update": ("worker_skills", "AFTER UPDATE OF worker_id, skill_id",
                                   [_worker_skill("OLD", -1), _worker_skill("NEW", 1)]),
    "stats_vacancies_insert": ("vacancies", "AFTER INSERT", [_skills_of_vacancy(_unfilled("NEW"), "NEW")]),
    "stats_vacancies_update": ("vacancies", f"AFTER UPDATE OF {', '.join(VACANCY_COLUMNS)}",
                               [_skills_of_vacancy(f"({_unfilled('NEW')} - {_unfilled('OLD')})", "NEW")]),
    "stats_vacancies_delete": ("vacancies", "BEFORE DELETE", ["DELETE FROM vacancy_skills WHERE vacancy_id = OLD.id"]),
    "stats_vacancy_skills_insert": ("vacancy_skills", "AFTER INSERT", [_vacancy_skill("NEW", "")]),
    "stats_vacancy_skills_delete": ("vacancy_skills", "AFTER DELETE", [_vacancy_skill("OLD", "-")]),
    "stats_vacancy_skills_update": ("vacancy_skills", "AFTER UPDATE",
                                    [_vacancy_skill("OLD", "-"), _vacancy_skill("NEW", "")]),
}


# --- PostgreSQL: statement triggers over transition tables ----------------------------------------------------

def _grouped(dim: str, keys: tuple[str, ...], source: str, delta: str = "n") -> str:
    """Add the rows of source (a subquery with the key columns and the delta) grouped by key. In key order: two
    transactions updating several counts lock them in the same order, so they queue instead of deadlocking."""
    group = ", ".join(_key(k) for k in keys)
    return _upsert(f"SELECT '{dim}', {_columns(keys)}, SUM({delta}) FROM ({source}) d WHERE true "
                   f"GROUP BY {group} HAVING SUM({delta}) <> 0 ORDER BY {group}")


def _profiles(rows: str, n: int) -> str:
    return f"SELECT {', '.join(PROFILE_COLUMNS)}, {n} AS n FROM {rows} WHERE is_seeking"


def _changed(columns: tuple[str, ...]) -> str:
    """Whether an UPDATE statement changed any of columns in any row."""
    return (f"EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE "
            f"({', '.join('o.' + c for c in columns)}) IS DISTINCT FROM ({', '.join('n.' + c for c in columns)}))")


def _worker_skills_of(rows: str, sign: str) -> str:
    return (f"SELECT r.skill_id, {sign}1 AS n FROM {rows} r JOIN worker_profiles w ON w.id = r.worker_id "
            f"WHERE w.is_seeking")


def _vacancy_skills_of(rows: str, sign: str) -> str:
    return (f"SELECT r.skill_id, {sign}{_unfilled('v')} AS n FROM {rows} r JOIN vacancies v ON v.id = r.vacancy_id "
            f"WHERE r.required")


def _skills_table_triggers(table: str, dim: str, rows_of) -> dict[str, tuple[str, str, str, list[str]]]:
    """The insert, delete and update triggers of a skills table: rows_of(transition table, sign) selects
    (skill_id, n) of its rows."""
    def grouped(source: str) -> list[str]:
        return [_grouped(dim, ("skill_id",), source)]

    return {f"stats_{table}_insert": (table, "AFTER INSERT", _NEW, grouped(rows_of("new_rows", ""))),
            f"stats_{table}_delete": (table, "AFTER DELETE", _OLD, grouped(rows_of("old_rows", "-"))),
            f"stats_{table}_update": (table, "AFTER UPDATE", _BOTH,
                                      grouped(rows_of("old_rows", "-") + " UNION ALL " + rows_of("new_rows", "")))}


_NEW = "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT"
_OLD = "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT"
_BOTH = "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT"
_PROFILE_UPDATE = ([_grouped(dim, keys, _profiles("old_rows", -1) + " UNION ALL " + _profiles("new_rows", 1))
                    for dim, keys in PROFILE_DIMENSIONS]
                   + [_grouped("skill", ("skill_id",),
                               "SELECT ws.skill_id, CASE WHEN n.is_seeking THEN 1 ELSE -1 END AS n FROM old_rows o "
                               "JOIN new_rows n ON n.id = o.id JOIN worker_skills ws ON ws.worker_id = n.id "
                               "WHERE o.is_seeking <> n.is_seeking")])

# name -> (table, timing and event, level and transition tables, body statements)
PG_TRIGGERS: dict[str, tuple[str, str, str, list[str]]] = {
    "stats_seekers_insert": (
        "worker_profiles", "AFTER INSERT", _NEW,
        [_grouped(dim, keys, _profiles("new_rows", 1)) for dim, keys in PROFILE_DIMENSIONS]
        + [_grouped("skill", ("skill_id",), "SELECT ws.skill_id, 1 AS n FROM new_rows p "
                    "JOIN worker_skills ws ON ws.worker_id = p.id WHERE p.is_seeking")]),
    "stats_seekers_update": (
        "worker_profiles", "AFTER UPDATE", _BOTH,
        [f"IF {_changed(PROFILE_COLUMNS)} THEN\n  " + ";\n  ".join(_PROFILE_UPDATE) + ";\n  END IF"]),
    "stats_seekers_delete": (
        "worker_profiles", "BEFORE DELETE", "FOR EACH ROW",
        ["DELETE FROM worker_skills WHERE worker_id = OLD.id"] + _profile_rows("OLD", -1, "OLD.is_seeking")),
    "stats_vacancies_insert": (
        "vacancies", "AFTER INSERT", _NEW,
        [_grouped("demand", ("skill_id",), f"SELECT vs.skill_id, {_unfilled('v')} AS n FROM new_rows v "
                  f"JOIN vacancy_skills vs ON vs.vacancy_id = v.id WHERE vs.required")]),
    "stats_vacancies_update": (
        "vacancies", "AFTER UPDATE", _BOTH,
        [f"IF {_changed(VACANCY_COLUMNS)} THEN\n  " + _grouped(
            "demand", ("skill_id",), f"SELECT vs.skill_id, {_unfilled('n')} - {_unfilled('o')} AS n FROM old_rows o "
            f"JOIN new_rows n ON n.id = o.id JOIN vacancy_skills vs ON vs.vacancy_id = n.id WHERE vs.required")
         + ";\n  END IF"]),
    "stats_vacancies_delete": (
        "vacancies", "BEFORE DELETE", "FOR EACH ROW", ["DELETE FROM vacancy_skills WHERE vacancy_id = OLD.id"]),
    **_skills_table_triggers("worker_skills", "skill", _worker_skills_of),
    **_skills_table_triggers("vacancy_skills", "demand", _vacancy_skills_of),
}


def _create_sql(dialect: str) -> list[str]:
    out = []
    if dialect == "postgresql":
        for name, (table, event, level, statements) in PG_TRIGGERS.items():
            result = "OLD" if event == "BEFORE DELETE" else "NULL"
            body = ";\n  ".join(statements)
            out.append(f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                       f"BEGIN\n  {body};\n  RETURN {result};\nEND $$")
            out.append(f"CREATE TRIGGER {name} {event} ON {table} {level} EXECUTE FUNCTION {name}()")
        return out
    return [_sqlite_trigger(name) for name in SQLITE_TRIGGERS]


def _sqlite_trigger(name: str) -> str:
    table, event, statements = SQLITE_TRIGGERS[name]
    body = ";\n  ".join(statements)
    return f"CREATE TRIGGER {name} {event} ON {table} FOR EACH ROW\nBEGIN\n  {body};\nEND"


def recreate_sqlite_trigger(bind, name: str) -> None:
    """Drop and create one SQLite trigger of SQLITE_TRIGGERS as defined now (a migration that changes it)."""
    bind.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    bind.execute(text(_sqlite_trigger(name)))


def install(bind) -> None:
    """Create the triggers (the table exists: models / migration 0008)."""
    for sql in _create_sql(bind.dialect.name):
        bind.execute(text(sql))


def _drop_trigger(bind, name: str, table: str, sqlite_names: tuple[str, ...] = ("",)) -> None:
    """Drop trigger `name` on `table` and, on PostgreSQL, its function; on SQLite, where one PostgreSQL trigger
    may be several, the triggers name + each of sqlite_names."""
    if bind.dialect.name == "postgresql":
        bind.execute(text(f"DROP TRIGGER IF EXISTS {name} ON {table}"))
        bind.execute(text(f"DROP FUNCTION IF EXISTS {name}()"))
    else:
        for suffix in sqlite_names:
            bind.execute(text(f"DROP TRIGGER IF EXISTS {name}{suffix}"))


def uninstall(bind) -> None:
    """Drop the triggers (and, on PostgreSQL, their functions)."""
    for name, (table, *_rest) in SQLITE_TRIGGERS.items():
        _drop_trigger(bind, name, table)


_RECOUNT = [_grouped(dim, keys, _profiles("worker_profiles", 1)).split(" ON CONFLICT")[0]
            for dim, keys in PROFILE_DIMENSIONS] + [
    _grouped("skill", ("skill_id",), _worker_skills_of("worker_skills", "")).split(" ON CONFLICT")[0],
    _grouped("demand", ("skill_id",), _vacancy_skills_of("vacancy_skills", "")).split(" ON CONFLICT")[0],
]


def counted(bind) -> dict[tuple[str, str, str, str], int]:
    """The figures the triggers keep (zeros left out)."""
    rows = bind.execute(text("SELECT dimension, k1, k2, k3, value FROM stats_counts WHERE value <> 0"))
    return {tuple(row[:4]): int(row[4]) for row in rows}


def recounted(bind) -> dict[tuple[str, str, str, str], int]:
    """The same figures computed from the base tables."""
    out = {}
    for sql in _RECOUNT:
        for row in bind.execute(text(sql.replace("INSERT INTO stats_counts (dimension, k1, k2, k3, value) ", ""))):
            out[tuple(row[:4])] = int(row[4])
    return out


def differences(bind) -> dict[tuple, tuple[int, int]]:
    """Keys where the kept figures (counts, and the monthly flows of migration 0011 as ("flow", dimension, month,
    k1, k2, k3, value name)) differ from a recount: key -> (kept, recounted). Empty when all is well."""
    kept, fresh = counted(bind), recounted(bind)
    out = {k: (kept.get(k, 0), fresh.get(k, 0)) for k in kept.keys() | fresh.keys() if kept.get(k, 0) != fresh.get(k, 0)}
    kept_flows, fresh_flows = flows_counted(bind), flows_recounted(bind)
    for key in kept_flows.keys() | fresh_flows.keys():
        for name, a, b in zip(("n", "v1", "v2"), kept_flows.get(key, (0, 0, 0)), fresh_flows.get(key, (0, 0, 0))):
            if a != b:
                out[("flow", *key, name)] = (a, b)
    return out


def recount(bind) -> None:
    """Rebuild the figures from the base tables (in the caller's transaction)."""
    bind.execute(text("DELETE FROM stats_counts"))
    for sql in _RECOUNT:
        bind.execute(text(sql))


# --- applications.response_days and created_month ------------------------------------------------------------

def _days_between(dialect, later: str, earlier: str) -> str:
    from sqlalchemy import literal_column

    return str(DaysBetween(literal_column(later), literal_column(earlier)).compile(dialect=dialect))


def _hanoi_month(dialect_name: str, timestamp: str) -> str:
    """'YYYY-MM' of a UTC timestamp in Hanoi time (UTC+7 all year: Vietnam has no summer time)."""
    if dialect_name == "postgresql":
        return f"to_char({timestamp} + interval '7 hours', 'YYYY-MM')"
    return f"strftime('%Y-%m', {timestamp}, '+7 hours')"


def application_keys_sql(dialect) -> tuple[str, str]:
    """The SQL of (response_days, created_month) of the application row NEW."""
    return (_days_between(dialect, "NEW.responded_at", "NEW.created_at"),
            _hanoi_month(dialect.name, "NEW.created_at"))


def install_response_days(bind) -> None:
    """Triggers that keep applications.response_days = responded_at - created_at in days (NULL unanswered) and
    applications.created_month = the Hanoi month of created_at ('YYYY-MM')."""
    days, month = application_keys_sql(bind.dialect)
    columns = "responded_at, created_at, response_days, created_month"
    if bind.dialect.name == "postgresql":
        bind.execute(text("CREATE OR REPLACE FUNCTION stats_response_days() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                          f"BEGIN\n  NEW.response_days := {days};\n  NEW.created_month := {month};\n"
                          "  RETURN NEW;\nEND $$"))
        bind.execute(text(f"CREATE TRIGGER stats_response_days BEFORE INSERT OR UPDATE OF {columns} ON applications "
                          "FOR EACH ROW EXECUTE FUNCTION stats_response_days()"))
        return
    update = f"UPDATE applications SET response_days = {days}, created_month = {month} WHERE id = NEW.id"
    bind.execute(text(f"CREATE TRIGGER stats_response_days_insert AFTER INSERT ON applications "
                      f"FOR EACH ROW BEGIN {update}; END"))
    bind.execute(text(f"CREATE TRIGGER stats_response_days_update AFTER UPDATE OF {columns} ON applications "
                      f"FOR EACH ROW WHEN NEW.response_days IS NOT {days} OR NEW.created_month IS NOT {month} "
                      f"BEGIN {update}; END"))


def uninstall_response_days(bind) -> None:
    """Drop the response_days and created_month triggers."""
    _drop_trigger(bind, "stats_response_days", "applications", ("_insert", "_update"))


# --- copies of the facts statistics filter on, kept by triggers -----------------------------------------------

# child table -> (its key columns, [(parent table, the child's foreign key to it, the columns copied)])
COPIES: dict[str, tuple[tuple[str, ...], list[tuple[str, str, tuple[str, ...]]]]] = {
    # A filtered count of applications reads the application alone: its vacancy's place of work and occupation,
    # its applicant's sex, birth year and education.
    "applications": (("id",), [("vacancies", "vacancy_id", ("ward_code", "occupation_code")),
                               ("worker_profiles", "worker_id", ("sex", "birth_year", "education_level"))]),
    # A filtered skill supply (job seekers holding a skill) reads the skill rows alone: whether the holder is
    # seeking, since when, and every filter column.
    "worker_skills": (("worker_id", "skill_id"), [("worker_profiles", "worker_id",
                                                   ("is_seeking", "created_at", "ward_code", "occupation_code", "sex",
                                                    "birth_year", "education_level"))]),
}


def copied_columns(child: str) -> tuple[str, ...]:
    """The columns child holds as copies."""
    return tuple(c for _parent, _fk, columns in COPIES[child][1] for c in columns)


def _distinct(dialect_name: str, a: str, b: str) -> str:
    return f"{a} IS DISTINCT FROM {b}" if dialect_name == "postgresql" else f"{a} IS NOT {b}"


def _lookup(parent: str, fk: str, columns: tuple[str, ...], row: str) -> str:
    return f"(SELECT {', '.join('s.' + c for c in columns)} FROM {parent} s WHERE s.id = {row}.{fk})"


def _copy_all(child: str, row: str) -> str:
    """SET clause: the child row's copies read from its parents (row values: one lookup per parent)."""
    return ", ".join(f"({', '.join(columns)}) = {_lookup(parent, fk, columns, row)}"
                     for parent, fk, columns in COPIES[child][1])


def _child_triggers(name: str, child: str) -> list[str]:
    """Set the copies when a child row is written: inserted, moved to another parent, or a copy edited."""
    keys, parents = COPIES[child]
    columns = ", ".join([fk for _p, fk, _c in parents] + list(copied_columns(child)))
    trigger = f"stats_copy_{child}"
    if name == "postgresql":
        selects = "\n  ".join(f"SELECT {', '.join('s.' + c for c in cols)} INTO {', '.join('NEW.' + c for c in cols)} "
                              f"FROM {parent} s WHERE s.id = NEW.{fk};" for parent, fk, cols in parents)
        return [f"CREATE OR REPLACE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                f"BEGIN\n  {selects}\n  RETURN NEW;\nEND $$",
                f"CREATE TRIGGER {trigger} BEFORE INSERT OR UPDATE OF {columns} ON {child} FOR EACH ROW "
                f"EXECUTE FUNCTION {trigger}()"]
    where = " AND ".join(f"{k} = NEW.{k}" for k in keys)
    update = f"UPDATE {child} SET {_copy_all(child, 'NEW')} WHERE {where}"
    stale = " OR ".join(f"({', '.join('NEW.' + c for c in cols)}) IS NOT {_lookup(parent, fk, cols, 'NEW')}"
                        for parent, fk, cols in parents)
    return [f"CREATE TRIGGER {trigger}_insert AFTER INSERT ON {child} FOR EACH ROW BEGIN {update}; END",
            f"CREATE TRIGGER {trigger}_update AFTER UPDATE OF {columns} ON {child} FOR EACH ROW WHEN {stale} "
            f"BEGIN {update}; END"]


def _parent_triggers(name: str, child: str) -> list[str]:
    """Rewrite the copies when a parent row changes the originals."""
    out = []
    for parent, fk, cols in COPIES[child][1]:
        changed = " OR ".join(_distinct(name, f"OLD.{c}", f"NEW.{c}") for c in cols)
        copy = f"UPDATE {child} SET {', '.join(f'{c} = NEW.{c}' for c in cols)} WHERE {fk} = NEW.id"
        trigger = f"stats_copy_{child}_{parent}"
        if name == "postgresql":
            out += [f"CREATE OR REPLACE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                    f"BEGIN\n  {copy};\n  RETURN NULL;\nEND $$",
                    f"CREATE TRIGGER {trigger} AFTER UPDATE OF {', '.join(cols)} ON {parent} FOR EACH ROW "
                    f"WHEN ({changed}) EXECUTE FUNCTION {trigger}()"]
        else:
            out.append(f"CREATE TRIGGER {trigger} AFTER UPDATE OF {', '.join(cols)} ON {parent} FOR EACH ROW "
                       f"WHEN {changed} BEGIN {copy}; END")
    return out


def install_copies(bind) -> None:
    """Triggers that keep every copy of COPIES equal to its original: set when the child row is written, rewritten
    when the parent changes it."""
    for child in COPIES:
        for sql in _child_triggers(bind.dialect.name, child) + _parent_triggers(bind.dialect.name, child):
            bind.execute(text(sql))


def uninstall_copies(bind) -> None:
    """Drop the copies' triggers (and, on PostgreSQL, their functions)."""
    for child, (_keys, parents) in COPIES.items():
        triggers = [(f"stats_copy_{child}", child)] + [(f"stats_copy_{child}_{p}", p) for p, _fk, _c in parents]
        for trigger, table in triggers:
            _drop_trigger(bind, trigger, table, ("", "_insert", "_update"))


def stale_copies(bind) -> dict[str, int]:
    """How many rows of each child table hold a copy that differs from its original (zeros when all is well)."""
    out = {}
    for child, (_keys, parents) in COPIES.items():
        joins = " ".join(f"JOIN {parent} p{i} ON p{i}.id = c.{fk}" for i, (parent, fk, _c) in enumerate(parents))
        stale = " OR ".join(_distinct(bind.dialect.name, f"c.{col}", f"p{i}.{col}")
                            for i, (_p, _fk, cols) in enumerate(parents) for col in cols)
        out[child] = bind.execute(text(f"SELECT count(*) FROM {child} c {joins} WHERE {stale}")).scalar_one()
    return out


def copy_all(bind) -> None:
    """Write every copy from its original (migration 0010; a repair)."""
    for child in COPIES:
        bind.execute(text(f"UPDATE {child} SET {_copy_all(child, child)}"))


# --- monthly flows: what each Hanoi month added, per breakdown key, kept by triggers ------------------------------

class StatsFlow(db.Model):
    """One month's flow for one breakdown key (see FLOWS): a count n and two sums v1, v2."""

    __tablename__ = "stats_flows"
    __table_args__ = (PrimaryKeyConstraint("dimension", "month", "k1", "k2", "k3"),)

    dimension: Mapped[str] = mapped_column(String(16))
    month: Mapped[str] = mapped_column(String(7))
    k1: Mapped[str] = mapped_column(String(20))
    k2: Mapped[str] = mapped_column(String(20))
    k3: Mapped[str] = mapped_column(String(20))
    n: Mapped[int] = mapped_column(Integer)
    v1: Mapped[int] = mapped_column(Integer)
    v2: Mapped[int] = mapped_column(Integer)


# table -> (its time column, the dimensions [(name, key columns)], the values (n, v1, v2) of a row {r},
#           the columns whose change moves a row between flows)
FLOWS: dict[str, tuple[str, list[tuple[str, tuple[str, ...]]], tuple[str, str, str], tuple[str, ...]]] = {
    # registrations; v1: of which still seeking (the series' stock of job seekers)
    "worker_profiles": ("created_at", [("reg_ward", ("ward_code",)), ("reg_occupation", ("occupation_code",)),
                                       ("reg_person", ("sex", "birth_year", "education_level"))],
                        ("1", "CASE WHEN {r}.is_seeking THEN 1 ELSE 0 END", "0"),
                        ("created_at", "is_seeking", "ward_code", "occupation_code", "sex", "birth_year",
                         "education_level")),
    # vacancies notified (published); v1: positions offered, v2: positions filled
    "vacancies": ("published_at", [("vac_ward", ("ward_code",)), ("vac_occupation", ("occupation_code",))],
                  ("1", "COALESCE({r}.positions, 0)", "COALESCE({r}.positions_filled, 0)"),
                  ("published_at", "ward_code", "occupation_code", "positions", "positions_filled")),
    # placements (hires); v1: of which with a time to fill. place_days: those per hour of their time to fill (as
    # app_days below).
    "placements": ("hired_at", [("place_area", ("ward_code", "district_code")),
                                ("place_occupation", ("occupation_code",)),
                                ("place_person", ("sex", "birth_year", "education_level")),
                                ("place_days", ("fill_hour",))],
                   ("1", "CASE WHEN {r}.days_to_fill IS NOT NULL THEN 1 ELSE 0 END", "0"),
                   ("hired_at", "ward_code", "district_code", "occupation_code", "sex", "birth_year",
                    "education_level", "days_to_fill")),
    # applications sent; v1: of which answered. app_days: answered ones per hour of response time (k1, the whole
    # hours of response_days; '' unanswered), from which a median over many months is found exactly by reading
    # only the applications of its hour (jobmarket/stats/queries.py, _median_response_from_flows). Read from
    # response_days, which the database sets (0009): on SQLite after the insert, and its update moves the row.
    "applications": ("created_at", [("app", ()), ("app_days", ("response_hour",))],
                     ("1", "CASE WHEN {r}.response_days IS NOT NULL THEN 1 ELSE 0 END", "0"),
                     ("created_at", "response_days")),
}



def _whole_hours(column: str) -> dict[str, str]:
    """floor(column * 24) of a row {r}, as Python computes it (math.floor of the same IEEE double product; SQLite's
    CAST truncates towards zero, hence the correction for negative values)."""
    x = f"{{r}}.{column} * 24"
    return {"postgresql": f"CAST(FLOOR({x}) AS INTEGER)",
            "sqlite": f"(CAST({x} AS INTEGER) - ({x} < CAST({x} AS INTEGER)))"}


# Keys computed from a row {r} rather than read from a column.
KEY_EXPRESSIONS = {"response_hour": _whole_hours("response_days"), "fill_hour": _whole_hours("days_to_fill")}


def _flow_keys(dialect_name: str, keys: tuple[str, ...], row: str) -> list[str]:
    """The three key expressions ('' for a missing value or an unused key) of the row named row."""
    exprs = [KEY_EXPRESSIONS[k][dialect_name].format(r=row) if k in KEY_EXPRESSIONS else f"{row}.{k}" for k in keys]
    return [_key(e) for e in exprs] + ["''"] * (3 - len(keys))
_FLOW_COLUMNS = "INSERT INTO stats_flows (dimension, month, k1, k2, k3, n, v1, v2) "
_FLOW_ADD = (" ON CONFLICT (dimension, month, k1, k2, k3) DO UPDATE SET n = stats_flows.n + excluded.n, "
             "v1 = stats_flows.v1 + excluded.v1, v2 = stats_flows.v2 + excluded.v2")


def _flow_source(dialect_name: str, table: str, keys: tuple[str, ...], rows: str, sign: str) -> str:
    """SELECT month, k1, k2, k3, n, v1, v2 of each row of `rows` (a table or transition table)."""
    time, _dims, values, _watched = FLOWS[table]
    vals = ", ".join(f"{sign}({v.format(r='x')}) AS {name}" for v, name in zip(values, ("n", "v1", "v2")))
    keys_sql = ", ".join(f"{k} AS k{i + 1}" for i, k in enumerate(_flow_keys(dialect_name, keys, "x")))
    return (f"SELECT {_hanoi_month(dialect_name, 'x.' + time)} AS m, {keys_sql}, {vals} FROM {rows} x "
            f"WHERE x.{time} IS NOT NULL")


def _flow_grouped(dim: str, source: str, upsert: bool = True) -> str:
    """Add the rows of source grouped by (month, keys), in key order (two transactions lock rows in the same
    order: they queue instead of deadlocking)."""
    sql = (f"{_FLOW_COLUMNS}SELECT '{dim}', m, k1, k2, k3, SUM(n), SUM(v1), SUM(v2) FROM ({source}) d WHERE true "
           "GROUP BY m, k1, k2, k3 HAVING SUM(n) <> 0 OR SUM(v1) <> 0 OR SUM(v2) <> 0 ORDER BY m, k1, k2, k3")
    return sql + _FLOW_ADD if upsert else sql


def _flows_sql(dialect_name: str) -> list[str]:
    """The CREATE statements of the flows' triggers."""
    out = []
    for table, (time, dims, values, watched) in FLOWS.items():
        if dialect_name == "postgresql":
            def statements(rows_signs):
                return [_flow_grouped(dim, " UNION ALL ".join(_flow_source("postgresql", table, keys, rows, sign)
                                                              for rows, sign in rows_signs)) for dim, keys in dims]
            changed = _changed(watched)
            bodies = {"insert": ("AFTER INSERT", _NEW, statements([("new_rows", "")])),
                      "delete": ("AFTER DELETE", _OLD, statements([("old_rows", "-")])),
                      "update": ("AFTER UPDATE", _BOTH, [f"IF {changed} THEN\n  " + ";\n  ".join(
                          statements([("old_rows", "-"), ("new_rows", "")])) + ";\n  END IF"])}
            for event, (timing, level, body) in bodies.items():
                name = f"stats_flows_{table}_{event}"
                out.append(f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                           f"BEGIN\n  {';'.join(body)};\n  RETURN NULL;\nEND $$")
                out.append(f"CREATE TRIGGER {name} {timing} ON {table} {level} EXECUTE FUNCTION {name}()")
            continue

        def rows_of(row: str, sign: str) -> list[str]:
            vals = ", ".join(f"{sign}({v.format(r=row)})" for v in values)
            return [f"{_FLOW_COLUMNS}SELECT '{dim}', {_hanoi_month('sqlite', row + '.' + time)}, "
                    f"{', '.join(_flow_keys('sqlite', keys, row))}, {vals} WHERE {row}.{time} IS NOT NULL{_FLOW_ADD}"
                    for dim, keys in dims]

        for event, timing, body in (("insert", "AFTER INSERT", rows_of("NEW", "")),
                                    ("delete", "AFTER DELETE", rows_of("OLD", "-")),
                                    ("update", f"AFTER UPDATE OF {', '.join(watched)}",
                                     rows_of("OLD", "-") + rows_of("NEW", ""))):
            out.append(f"CREATE TRIGGER stats_flows_{table}_{event} {timing} ON {table} FOR EACH ROW\nBEGIN\n  "
                       + ";\n  ".join(body) + ";\nEND")
    return out


def install_flows(bind) -> None:
    """Create the flows' triggers (the table exists: migration 0011)."""
    for sql in _flows_sql(bind.dialect.name):
        bind.execute(text(sql))


def uninstall_flows(bind) -> None:
    """Drop the flows' triggers (and, on PostgreSQL, their functions)."""
    for table in FLOWS:
        for event in ("insert", "delete", "update"):
            _drop_trigger(bind, f"stats_flows_{table}_{event}", table)


def _flows_recount_sql(dialect_name: str) -> list[str]:
    return [_flow_grouped(dim, _flow_source(dialect_name, table, keys, table, ""), upsert=False)
            for table, (_t, dims, _v, _w) in FLOWS.items() for dim, keys in dims]


def flows_counted(bind) -> dict[tuple, tuple[int, int, int]]:
    """The flows the triggers keep (all-zero rows left out): (dimension, month, k1, k2, k3) -> (n, v1, v2)."""
    rows = bind.execute(text("SELECT dimension, month, k1, k2, k3, n, v1, v2 FROM stats_flows "
                             "WHERE n <> 0 OR v1 <> 0 OR v2 <> 0"))
    return {tuple(row[:5]): tuple(int(v) for v in row[5:]) for row in rows}


def flows_recounted(bind) -> dict[tuple, tuple[int, int, int]]:
    """The same flows computed from the base tables."""
    out = {}
    for sql in _flows_recount_sql(bind.dialect.name):
        for row in bind.execute(text(sql.replace(_FLOW_COLUMNS, ""))):
            out[tuple(row[:5])] = tuple(int(v) for v in row[5:])
    return out


def recount_flows(bind) -> None:
    """Rebuild the flows from the base tables (in the caller's transaction)."""
    bind.execute(text("DELETE FROM stats_flows"))
    for sql in _flows_recount_sql(bind.dialect.name):
        bind.execute(text(sql))
