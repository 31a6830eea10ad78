"""The indicators, computed in SQL that runs the same on SQLite and PostgreSQL.

Portability rules kept here: time buckets are computed in Python (Hanoi midnights as UTC timestamps) and
applied as range comparisons, never with a dialect's date functions; the one date difference (response time)
is a column the database keeps (`Application.response_days`, jobmarket/models/stats_summary.py); medians are
exact and portable (count, then ORDER BY ... LIMIT/OFFSET); breakdowns group by raw codes (ward, occupation,
birth year) with one grouped query per table and are rolled up in Python (ward -> former district, occupation ->
VSCO group, birth year -> age band).

Definitions (period P = [start, end) in Hanoi time, see DESIGN.md "Statistics, defined"):
- active job seekers: profiles with is_seeking set, registered before the end of P (a stock at the end of P);
- new registrations: profiles created in P;
- vacancies notified: published in P; positions offered / filled: their positions and positions_filled;
- open vacancies: published before the end of P and not closed by then (closed_at after the end, or still open);
- expired or taken down: status expired / taken_down, ended (closed_at, else the last update) in P;
- applications: sent in P; response rate: share of them with a response (responded_at); median response time
  in days over those answered;
- placements: hires in P (place of work: the vacancy's ward and former district); placement rate: placements /
  active job seekers; fill rate: positions filled / offered; median time to fill: days_to_fill of P's placements;
- skill gap: for vacancies open at the end of P, unfilled positions per required skill (demand), against active
  job seekers holding the skill (supply); the top skills by demand.
Stocks of job seekers and the skill gap's supply and demand, without filters, come from the trigger-kept figures
of now (jobmarket/models/stats_summary.py) corrected by what was registered, published or closed since the end of
the period, when that is the shorter way (`_stock_from_counts`, `_demand_from_counts`); with filters, or for a
period far back, from the base tables. The flows of a month, quarter or year (registrations, vacancies published,
applications, placements) come from the kept monthly flows (stats_flows) for every table no filter applies to;
filtered flows read the base tables, whose filter columns each row carries (copies kept by the database).
Area, occupation group, sex, age band and education filter every table they can describe: sex, age and education
describe people, so they filter job seekers, applications (the applicant) and placements, not vacancies.
"""
from __future__ import annotations

import gc
import math
import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app
from sqlalchemy import and_, case, func, literal_column, or_, select, true, union_all
from sqlalchemy.sql.expression import ColumnElement

from ..extensions import db
from ..models import (Application, Placement, Skill, StatsCount, StatsFlow, Vacancy, VacancySkill, VacancyStatus,
                      WorkerProfile, worker_skills)
from ..models.stats_summary import FLOWS
from ..models.workers import EDUCATION_LEVELS
from .filters import UNKNOWN, StatsFilters, add_months, age_band, local_midnight_utc, month_starts
from .reference import Reference

SERIES_MIN_MONTHS = 12
SERIES_MAX_MONTHS = 120
TOP_SKILLS = 10
ENDED_STATUSES = (VacancyStatus.EXPIRED.value, VacancyStatus.TAKEN_DOWN.value)


# --- filters as SQL conditions -------------------------------------------------------------------------------

def _person_conditions(f: StatsFilters, sex, birth_year, education) -> list[ColumnElement]:
    """Sex, age band and education conditions on whichever table holds them."""
    conds: list[ColumnElement] = []
    if f.sex:
        conds.append(sex.is_(None) if f.sex == UNKNOWN else sex == f.sex)
    if f.age == UNKNOWN:
        conds.append(or_(birth_year.is_(None), birth_year > f.period.reference_year - 15))
    elif f.age:
        earliest, latest = f.birth_years()
        if earliest is not None:
            conds.append(birth_year >= earliest)
        conds.append(birth_year <= latest)
    if f.education:
        conds.append(education.is_(None) if f.education == UNKNOWN else education == f.education)
    return conds


def _occupation_conditions(f: StatsFilters, column) -> list[ColumnElement]:
    bounds = f.occupation_range()
    return [column >= bounds[0], column < bounds[1]] if bounds else []


def _filter_conditions(f: StatsFilters, ref: Reference, T) -> list[ColumnElement]:
    """Every filter on a table (or columns) T with ward_code, occupation_code, sex, birth_year, education_level."""
    conds = _occupation_conditions(f, T.occupation_code) + _person_conditions(f, T.sex, T.birth_year,
                                                                              T.education_level)
    wards = f.area_wards(ref)
    if wards is not None:
        conds.append(T.ward_code.in_(wards))
    return conds


def worker_conditions(f: StatsFilters, ref: Reference, W=WorkerProfile) -> list[ColumnElement]:
    """Job seekers: area of residence, occupation sought, sex, age band, education (W: the profile's columns, or
    the copies of them on worker_skills.c)."""
    return _filter_conditions(f, ref, W)


def vacancy_conditions(f: StatsFilters, ref: Reference) -> list[ColumnElement]:
    """Vacancies: area of work and occupation (person filters do not apply)."""
    conds = _occupation_conditions(f, Vacancy.occupation_code)
    wards = f.area_wards(ref)
    if wards is not None:
        conds.append(Vacancy.ward_code.in_(wards))
    return conds


def application_conditions(f: StatsFilters, ref: Reference) -> list[ColumnElement]:
    """Applications: the vacancy's area and occupation and the applicant's sex, age and education, on the copies
    each application carries (kept by the database, migration 0010: no lookup of the vacancy or applicant)."""
    return _filter_conditions(f, ref, Application)


def placement_conditions(f: StatsFilters) -> list[ColumnElement]:
    """Placements carry their own facts: place of work (ward and former district), occupation, sex, age, education."""
    P = Placement
    conds = _occupation_conditions(f, P.occupation_code) + _person_conditions(f, P.sex, P.birth_year,
                                                                              P.education_level)
    if f.ward:
        conds.append(P.ward_code == f.ward)
    elif f.district:
        conds.append(P.district_code == f.district)
    return conds


def _in(column, start: datetime, end: datetime) -> ColumnElement:
    return and_(column >= start, column < end)


def open_at(end: datetime) -> list[ColumnElement]:
    """A vacancy is open at `end` when published before it and not closed by then. Two disjoint branches, each
    an index range: still open (no closed_at), and closed only after `end`."""
    return [and_(Vacancy.status == VacancyStatus.OPEN.value, Vacancy.closed_at.is_(None), Vacancy.published_at < end),
            and_(Vacancy.closed_at >= end, Vacancy.published_at < end)]


def ended_in(start: datetime, end: datetime) -> list[ColumnElement]:
    """Expired or taken down in [start, end): by closed_at, else (no closed_at) by the last update."""
    ended = Vacancy.status.in_(ENDED_STATUSES)
    return [and_(ended, _in(Vacancy.closed_at, start, end)),
            and_(ended, Vacancy.closed_at.is_(None), _in(Vacancy.updated_at, start, end))]


def _active_seeker(end: datetime, W=WorkerProfile) -> list[ColumnElement]:
    return [W.is_seeking == true(), W.created_at < end]


# --- stocks of job seekers ----------------------------------------------------------------------------------

STOCK_KEYS = {"ward": (WorkerProfile.ward_code,), "occupation": (WorkerProfile.occupation_code,),
              "person": (WorkerProfile.sex, WorkerProfile.birth_year, WorkerProfile.education_level)}


def _nearer_now(column, end: datetime) -> bool:
    """Whether fewer rows have `column` at or after `end` than before it, taking the rows as spread evenly
    between the column's first and last values (two index lookups)."""
    # Two scalar subqueries: SQLite reads a min() or a max() from the index end only when it is alone.
    first, last = _run(select(select(func.min(column)).scalar_subquery(),
                              select(func.max(column)).scalar_subquery())).one()
    if first is None:
        return False
    return end > last or (last - end) < (end - first)


def _stock_from_counts(f: StatsFilters, ref: Reference) -> bool:
    """Whether the stock at the period's end is read from the kept counts of job seekers *now*, minus those
    registered since: only without filters on job seekers (the counts have one dimension each), and when fewer
    profiles were registered after the end than before it."""
    return not worker_conditions(f, ref) and _nearer_now(WorkerProfile.created_at, f.period.end)


def _demand_from_counts(f: StatsFilters, ref: Reference) -> bool:
    """Whether the skill demand at the period's end is read from the kept open positions per skill *now*:
    without area or occupation filters, and when fewer vacancies were published after the end than before."""
    return not vacancy_conditions(f, ref) and _nearer_now(Vacancy.published_at, f.period.end)


def _registered_since(end: datetime):
    """The profiles registered at or after `end` (a CTE), read from the short range of the registration-time
    index. Materialized, and without an is_seeking condition: otherwise SQLite walks a whole stock index
    (is_seeking first, ordered by the grouped column, to skip a sort), hundreds of times more rows."""
    W = WorkerProfile
    return (select(W.id, W.is_seeking, W.ward_code, W.occupation_code, W.sex, W.birth_year, W.education_level)
            .where(W.created_at >= end).cte("registered_since").prefix_with("MATERIALIZED"))


def _count_key(dimension: str, k1: str, k2: str, k3: str) -> tuple:
    """A kept count's key as the profile columns' values ('' is a missing value)."""
    if dimension == "person":
        return (k1 or None, int(k2) if k2 else None, k3 or None)
    return (k1 or None,)


def seeker_stock(f: StatsFilters, ref: Reference, dimension: str) -> list[tuple[tuple, int]]:
    """Active job seekers at the end of the period by ward, occupation or person (sex, birth year, education):
    [(key, count)], keys as the columns of STOCK_KEYS[dimension]."""
    keys = STOCK_KEYS[dimension]
    if not _stock_from_counts(f, ref):
        stmt = select(*keys, func.count()).where(*_active_seeker(f.period.end), *worker_conditions(f, ref))
        return [(tuple(raw), n) for *raw, n in _run(stmt.group_by(*keys)).all()]
    S = StatsCount
    counts: dict[tuple, int] = defaultdict(int)
    for k1, k2, k3, n in _run(select(S.k1, S.k2, S.k3, S.value).where(S.dimension == dimension, S.value != 0)).all():
        counts[_count_key(dimension, k1, k2, k3)] += n
    since = _registered_since(f.period.end)
    since_keys = [since.c[key.key] for key in keys]
    for row in _run(select(*since_keys, func.count()).where(since.c.is_seeking == true()).group_by(*since_keys)):
        counts[tuple(row[:-1])] -= row[-1]
    return [(key, n) for key, n in counts.items() if n]


def skill_supply(f: StatsFilters, ref: Reference, skill_ids: list[int]) -> dict[int, int]:
    """Active job seekers at the end of the period holding each skill."""
    ws = worker_skills
    end = f.period.end
    if not _stock_from_counts(f, ref):
        # The skill rows carry their holder's facts (copies kept by the database, migration 0010): one index range
        # per skill, no lookup of the holders.
        holders = [*_active_seeker(end, ws.c), *worker_conditions(f, ref, ws.c)]
        return dict(_run(select(ws.c.skill_id, func.count()).where(ws.c.skill_id.in_(skill_ids), *holders)
                         .group_by(ws.c.skill_id)).all())
    S = StatsCount
    supply = {int(k1): n for k1, n in _run(select(S.k1, S.value).where(
        S.dimension == "skill", S.k1.in_([str(i) for i in skill_ids])))}
    # The skills of those registered since the end, found from them (an index range), not from the skills.
    registered = _registered_since(end)
    since = select(registered.c.id).where(registered.c.is_seeking == true())
    for skill_id, n in _run(select(ws.c.skill_id, func.count()).where(ws.c.worker_id.in_(since))
                            .group_by(ws.c.skill_id)):
        if skill_id in supply:
            supply[skill_id] -= n
    return supply


# --- results ------------------------------------------------------------------------------------------------

def ratio(numerator: int | float | None, denominator: int | float | None) -> float | None:
    """numerator / denominator, or None when undefined."""
    if numerator is None or not denominator:
        return None
    return numerator / denominator


@dataclass
class Headline:
    """The period's figures. Vacancy figures are None when a person filter (sex, age, education) is set."""

    active_seekers: int
    new_registrations: int
    vacancies_notified: int | None
    vacancies_open: int | None
    positions_offered: int | None
    positions_filled: int | None
    vacancies_ended: int | None
    applications: int
    applications_responded: int
    median_response_days: float | None
    placements: int
    placements_with_days: int
    median_days_to_fill: float | None

    @property
    def response_rate(self) -> float | None:
        """Share of the period's applications with an employer response."""
        return ratio(self.applications_responded, self.applications)

    @property
    def placement_rate(self) -> float | None:
        """Placements per active job seeker."""
        return ratio(self.placements, self.active_seekers)

    @property
    def fill_rate(self) -> float | None:
        """Positions filled per position offered."""
        return ratio(self.positions_filled, self.positions_offered)


@dataclass
class MonthRow:
    """One month of the series (months in Hanoi time)."""

    month: date
    active_seekers: int  # at the end of the month
    new_registrations: int
    vacancies_notified: int | None
    positions_offered: int | None
    placements: int


@dataclass
class Counts:
    """Counts of one group (a ward, an occupation group, a sex and age band...)."""

    active_seekers: int = 0
    new_registrations: int = 0
    vacancies_notified: int = 0
    positions_offered: int = 0
    positions_filled: int = 0
    placements: int = 0

    @property
    def placement_rate(self) -> float | None:
        """Placements per active job seeker."""
        return ratio(self.placements, self.active_seekers)

    @property
    def fill_rate(self) -> float | None:
        """Positions filled per position offered."""
        return ratio(self.positions_filled, self.positions_offered)


@dataclass
class SkillGap:
    """Demand for a skill (unfilled positions of open vacancies requiring it) against supply (active seekers)."""

    skill_id: int
    label: str
    demand: int
    supply: int

    @property
    def gap(self) -> int:
        """Positions without a matching seeker (negative when seekers outnumber positions)."""
        return self.demand - self.supply


@dataclass
class Dashboard:
    """Everything the statistics page shows for one set of filters."""

    filters: StatsFilters
    headline: Headline
    series: list[MonthRow]
    by_ward: dict[str, Counts]
    by_district: dict[str, Counts]
    by_occupation: dict[str, Counts]
    occupation_level: int
    by_sex_age: dict[tuple[str, str], Counts]
    by_education: dict[str, Counts]
    skills: list[SkillGap]
    vacancies_apply: bool = field(default=True)


# --- the queries --------------------------------------------------------------------------------------------

_connection: ContextVar = ContextVar("stats_connection", default=None)


def _run(stmt):
    """Execute on this thread's own connection when the dashboard runs in parallel, else on the session's
    (Core: no ORM bookkeeping for plain aggregates)."""
    connection = _connection.get()
    return (connection if connection is not None else db.session.connection()).execute(stmt)


# PostgreSQL's planner, for the dashboard's transactions only: its queries read short index ranges of tables
# held in memory (random reads cost about what sequential ones do: 1.1 is the usual value for SSDs, against the
# default 4 made for spinning disks, which chose hash joins over whole tables), and the dashboard already keeps
# both cores busy with two connections, so parallel workers only add their start-up time (measured on 200,000
# job seekers: default view p50 196 -> 116 ms).
PG_PLANNER = ("SET LOCAL random_page_cost = 1.1", "SET LOCAL max_parallel_workers_per_gather = 0")


def _tune_planner() -> None:
    """Apply PG_PLANNER to this thread's connection's transaction (PostgreSQL only)."""
    connection = _connection.get()
    connection = connection if connection is not None else db.session.connection()
    if connection.dialect.name == "postgresql":
        for statement in PG_PLANNER:
            connection.exec_driver_sql(statement)


def _on_own_connection(engine, work, *args):
    """Run work(*args) in this (pool) thread on a connection of its own, closed afterwards."""
    with engine.connect() as connection:
        token = _connection.set(connection)
        try:
            return work(*args)
        finally:
            _connection.reset(token)


def _parallel(engine, f: StatsFilters) -> bool:
    """Split the dashboard over two connections: configured on, a database other connections can see (not an
    in-memory SQLite database, which is private to its connection), and work for the database to do. On SQLite
    an unfiltered view of whole months reads kept figures almost only: the rest is Python, which holds the GIL,
    so a second thread only adds its cost (bench, default view: 46 ms serial, 62 ms split)."""
    if not current_app.config.get("STATS_PARALLEL", True):
        return False
    if engine.dialect.name != "sqlite":
        return True
    if engine.url.database in (None, "", ":memory:"):
        return False
    filtered = f.district or f.ward or f.occupation or f.has_person_filter
    return bool(filtered) or _whole_months(f) is None


def _count_union(branches: list[ColumnElement], conds: list[ColumnElement]) -> int:
    """Rows matching any of disjoint branches (each an index range) and conds."""
    return sum(_run(select(func.count()).select_from(Vacancy).where(b, *conds)).scalar_one() for b in branches)


def _median(expr, conds: list[ColumnElement], n: int) -> float | None:
    """The exact median of expr over the n rows matching conds (expr not null there), portably: skip to the
    middle of the sorted values with OFFSET and read one or two."""
    if n <= 0:
        return None
    stmt = select(expr).where(*conds).order_by(expr).offset((n - 1) // 2).limit(1 if n % 2 else 2)
    values = [float(v) for v in _run(stmt).scalars()]
    if not values:
        return None
    return round(sum(values) / len(values), 6)


def _median_of_union(expr, branches: list[list[ColumnElement]], n: int) -> float | None:
    """The exact median of expr over the n rows of disjoint branches (each a list of conditions, expr not null),
    as one ordered UNION ALL: where each branch is an index range in expr's order, SQLite merges them."""
    if len(branches) == 1:
        return _median(expr, branches[0], n)
    if n <= 0:
        return None
    value = literal_column("v")
    stmt = (union_all(*(select(expr.label("v")).where(*conds) for conds in branches))
            .order_by(value).offset((n - 1) // 2).limit(1 if n % 2 else 2))
    values = [float(v) for v in _run(stmt).scalars()]
    return round(sum(values) / len(values), 6) if values else None


def _whole_months(f: StatsFilters) -> list[str] | None:
    """The Hanoi months ('YYYY-MM') a month, quarter or year period is made of; None for a custom period."""
    if f.period.kind not in ("month", "quarter", "year"):
        return None
    return [m.strftime("%Y-%m") for m in month_starts(f.period.first_day, f.period.last_day)]


# --- monthly flows (kept by the database, migration 0011) ------------------------------------------------------

FLOW_KEYS = {dim: keys for _t, dims, _v, _w in FLOWS.values() for dim, keys in dims}
PLACEMENT_FLOWS = {"ward": "place_area", "occupation": "place_occupation", "person": "place_person"}


KEPT_FLOWS = True  # read the kept monthly flows where they serve (tests turn this off to check the base tables)


def _flows_for(f: StatsFilters) -> list[str] | None:
    """The months whose kept flows (stats_flows) a period is the sum of: a month, quarter or year (a custom period
    cuts months: None, read the base tables). Each caller also checks that no filter applies to its table."""
    return _whole_months(f) if KEPT_FLOWS else None


def _flow_key(dimension: str, k1: str, k2: str, k3: str) -> tuple:
    """A flow's key as the base table's column values ('' is a missing value, birth years are numbers)."""
    keys = FLOW_KEYS[dimension]
    return tuple((int(k) if k else None) if column == "birth_year" else (k or None)
                 for column, k in zip(keys, (k1, k2, k3)))


def _flow_groups(dimension: str, months: list[str]) -> list[tuple[tuple, int, int, int]]:
    """[(key, n, v1, v2)] of a dimension summed over months."""
    S = StatsFlow
    rows = _run(select(S.k1, S.k2, S.k3, func.sum(S.n), func.sum(S.v1), func.sum(S.v2))
                .where(S.dimension == dimension, S.month.in_(months)).group_by(S.k1, S.k2, S.k3)).all()
    return [(_flow_key(dimension, k1, k2, k3), int(n), int(v1), int(v2)) for k1, k2, k3, n, v1, v2 in rows]


def _flow_by_month(dimension: str, months: list[str]) -> list[tuple[int, int, int]]:
    """(n, v1, v2) of a dimension (all keys) for each of months, in order."""
    S = StatsFlow
    rows = {m: (int(n), int(v1), int(v2)) for m, n, v1, v2 in _run(
        select(S.month, func.sum(S.n), func.sum(S.v1), func.sum(S.v2))
        .where(S.dimension == dimension, S.month.in_(months)).group_by(S.month)).all()}
    return [rows.get(m, (0, 0, 0)) for m in months]


def _median_from_hours(dimension: str, months: list[str], n: int, read, otherwise) -> float | None:
    """The exact median of n durations (in days) of the rows of months, without sorting them: the kept count per
    whole hour (a flow dimension keyed by floor(days * 24)) says in which hour the middle one(s) fall and how many
    come before; only that hour's rows are read (read(lo, hi): the durations in [lo, hi), a slightly wider range
    of an index), kept when their hour is the one the database computed (the same floor of the same IEEE
    product), and sorted. otherwise(): the median the slow way, should the kept counts disagree with the rows."""
    if n <= 0:
        return None
    S = StatsFlow
    hours = sorted((int(k1), int(count)) for k1, count in _run(
        select(S.k1, func.sum(S.n)).where(S.dimension == dimension, S.month.in_(months), S.k1 != "")
        .group_by(S.k1)).all() if count)
    values, read_hours = [], {}
    for rank in ([(n - 1) // 2] if n % 2 else [n // 2 - 1, n // 2]):
        before = 0
        for hour, count in hours:
            if before + count > rank:
                break
            before += count
        else:
            return otherwise()  # the kept counts hold fewer than n durations (not while the triggers run)
        if hour not in read_hours:
            read_hours[hour] = sorted(v for v in read((hour - 0.5) / 24, (hour + 1.5) / 24)
                                      if math.floor(v * 24) == hour)
        in_hour = read_hours[hour]
        if rank - before >= len(in_hour):
            return otherwise()
        values.append(float(in_hour[rank - before]))
    return round(sum(values) / len(values), 6)


def _median_response_from_flows(months: list[str], n: int, otherwise) -> float | None:
    """The median response time of the n answered applications sent in months (kept hours: app_days)."""
    A = Application

    def read(lo: float, hi: float) -> list[float]:
        return _run(select(A.response_days).where(A.created_month.in_(months), A.response_days >= lo,
                                                  A.response_days < hi)).scalars().all()

    return _median_from_hours("app_days", months, n, read, otherwise)


def _median_fill_from_flows(f: StatsFilters, months: list[str], n: int, otherwise) -> float | None:
    """The median time to fill of the n placements of the period with one (kept hours: place_days)."""
    P = Placement

    def read(lo: float, hi: float) -> list[float]:
        return _run(select(P.days_to_fill).where(_in(P.hired_at, f.period.start, f.period.end),
                                                 P.days_to_fill >= lo, P.days_to_fill < hi)).scalars().all()

    return _median_from_hours("place_days", months, n, read, otherwise)


def _flow_total(dimension: str, months: list[str]) -> tuple[int, int, int]:
    """(n, v1, v2) of a dimension summed over months and keys."""
    S = StatsFlow
    n, v1, v2 = _run(select(func.sum(S.n), func.sum(S.v1), func.sum(S.v2))
                     .where(S.dimension == dimension, S.month.in_(months))).one()
    return int(n or 0), int(v1 or 0), int(v2 or 0)


def seeker_totals(f: StatsFilters, ref: Reference) -> tuple[int, int]:
    """(active seekers at the end of the period, new registrations in it)."""
    W = WorkerProfile
    wc = worker_conditions(f, ref)
    active = sum(n for _key, n in seeker_stock(f, ref, "ward"))
    new = _run(select(func.count()).select_from(W).where(_in(W.created_at, f.period.start, f.period.end), *wc)
               ).scalar_one()
    return active, new


def headline(f: StatsFilters, ref: Reference, seekers: tuple[int, int] | None = None) -> Headline:
    """The period's headline figures (seekers: the seeker totals when already counted by a breakdown)."""
    start, end = f.period.start, f.period.end
    active, new = seekers if seekers is not None else seeker_totals(f, ref)
    notified = open_now = offered = filled = ended = None
    flow_months = _flows_for(f)
    if not f.has_person_filter:
        vc = vacancy_conditions(f, ref)
        if flow_months and not vc:
            notified, offered, filled = _flow_total("vac_ward", flow_months)
        else:
            notified, offered, filled = _run(
                select(func.count(), func.coalesce(func.sum(Vacancy.positions), 0),
                       func.coalesce(func.sum(Vacancy.positions_filled), 0))
                .where(_in(Vacancy.published_at, start, end), *vc)).one()
        open_now = _count_union(open_at(end), vc)
        ended = _count_union(ended_in(start, end), vc)
    # A period of whole months (month, quarter, year) sent its applications in those Hanoi months (created_month,
    # kept by the database): each month's answered ones come out of its index range in response_days order, and
    # the median merges the months' ordered ranges (SQLite merges them without sorting: a year 230 -> ~40 ms).
    # A custom period is a created_at range.
    A, months = Application, _whole_months(f)
    app_conds = application_conditions(f, ref)
    answered = A.response_days.is_not(None)
    if months:
        if flow_months and not app_conds:
            apps, responded, _ = _flow_total("app", flow_months)
        else:
            apps, responded = _run(select(func.count(), func.count(A.response_days))
                                   .where(A.created_month.in_(months), *app_conds)).one()
        def merged() -> float | None:
            return _median_of_union(A.response_days, [[A.created_month == m, answered, *app_conds] for m in months],
                                    responded)

        if flow_months and not app_conds and len(months) > 1:
            median_response = _median_response_from_flows(flow_months, responded, merged)
        else:
            median_response = merged()
    else:
        ac = [_in(A.created_at, start, end), *app_conds]
        apps, responded = _run(select(func.count(), func.count(A.response_days)).where(*ac)).one()
        median_response = _median(A.response_days, [*ac, answered], responded)
    placement_conds = placement_conditions(f)
    pc = [_in(Placement.hired_at, start, end), *placement_conds]
    def sorted_fill() -> float | None:
        return _median(Placement.days_to_fill, [*pc, Placement.days_to_fill.is_not(None)], with_days)

    if flow_months and not placement_conds:
        placed, with_days, _ = _flow_total("place_area", flow_months)
        median_fill = (_median_fill_from_flows(f, flow_months, with_days, sorted_fill) if len(flow_months) > 1
                       else sorted_fill())
    else:
        placed, with_days = _run(select(func.count(), func.count(Placement.days_to_fill)).where(*pc)).one()
        median_fill = sorted_fill()
    return Headline(
        active_seekers=active, new_registrations=new, vacancies_notified=notified, vacancies_open=open_now,
        positions_offered=_int(offered), positions_filled=_int(filled), vacancies_ended=ended, applications=apps,
        applications_responded=responded, median_response_days=median_response, placements=placed,
        placements_with_days=with_days,
        median_days_to_fill=median_fill)


def _int(value) -> int | None:
    return None if value is None else int(value)


def series_months(f: StatsFilters) -> list[date]:
    """The months of the time series: the period's months, at least the 12 months ending with the period."""
    last = f.period.last_day.replace(day=1)
    first = min(f.period.first_day.replace(day=1), add_months(last, 1 - SERIES_MIN_MONTHS))
    months = month_starts(first, last)
    return months[-SERIES_MAX_MONTHS:]


def _monthly(columns: list, time_column, months: list[date], conds: list[ColumnElement]) -> list[tuple]:
    """One statement: a range aggregate per month (each an index range scan), glued with UNION ALL."""
    parts = []
    for i, month in enumerate(months):
        lo, hi = local_midnight_utc(month), local_midnight_utc(add_months(month, 1))
        parts.append(select(literal_column(str(i)).label("i"), *columns).where(_in(time_column, lo, hi), *conds))
    rows = {row[0]: tuple(row[1:]) for row in _run(union_all(*parts))}
    return [rows.get(i, (0,) * len(columns)) for i in range(len(months))]


def monthly_series(f: StatsFilters, ref: Reference, active_at_end: int | None = None) -> list[MonthRow]:
    """Counts by month: registrations (and the stock of active seekers at each month's end), vacancies notified
    and their positions, placements. active_at_end: the active seekers at the period's end, when known."""
    months = series_months(f)
    # Kept flows (whole months) for every table no filter applies to.
    flow_months = [m.strftime("%Y-%m") for m in months] if _flows_for(f) is not None else None
    wc = worker_conditions(f, ref)
    W = WorkerProfile
    if flow_months and not wc:
        workers = _flow_by_month("reg_ward", flow_months)
    else:
        workers = _monthly([func.count(), func.coalesce(func.sum(case((W.is_seeking == true(), 1), else_=0)), 0)],
                           W.created_at, months, wc)
    series_end = local_midnight_utc(add_months(months[-1], 1))
    if active_at_end is not None and series_end == f.period.end:
        # The stock at the first month's start, from the stock at the end minus the seeking registrations between.
        base = active_at_end - sum(int(w[1]) for w in workers)
    else:
        base = _run(select(func.count()).select_from(W).where(*_active_seeker(local_midnight_utc(months[0])), *wc)
                    ).scalar_one()
    vacancies = None
    if not f.has_person_filter:
        vc = vacancy_conditions(f, ref)
        if flow_months and not vc:
            vacancies = _flow_by_month("vac_ward", flow_months)
        else:
            vacancies = _monthly([func.count(), func.coalesce(func.sum(Vacancy.positions), 0)], Vacancy.published_at,
                                 months, vc)
    if flow_months and not placement_conditions(f):
        placed = _flow_by_month("place_area", flow_months)
    else:
        placed = _monthly([func.count()], Placement.hired_at, months, placement_conditions(f))
    rows, stock = [], base
    for i, month in enumerate(months):
        stock += int(workers[i][1])
        rows.append(MonthRow(month=month, active_seekers=stock, new_registrations=int(workers[i][0]),
                             vacancies_notified=int(vacancies[i][0]) if vacancies else None,
                             positions_offered=int(vacancies[i][1]) if vacancies else None,
                             placements=int(placed[i][0])))
    return rows


Sink = tuple  # (function raw group key -> final key or None to drop, the dict of Counts it fills)


def _grouped_counts(f: StatsFilters, ref: Reference, dimension: str, vacancy_keys: list | None,
                    placement_keys: list, sinks: list[Sink]) -> None:
    """Counts per group: one grouped query per table (seekers' stock and flow, vacancies, placements), each raw
    group key rolled up into every sink (e.g. ward -> the ward's row and its former district's row)."""
    wc = worker_conditions(f, ref)
    worker_keys = STOCK_KEYS[dimension]

    rolled_up: dict[tuple, list[Counts]] = {}  # raw key -> the Counts it adds to (thousands of rows, few keys)

    def targets(raw: tuple) -> list[Counts]:
        found = rolled_up.get(raw)
        if found is None:
            found = rolled_up[raw] = []
            for key_of, out in sinks:
                key = key_of(raw)
                if key is not None:
                    counts = out.get(key)
                    if counts is None:
                        counts = out[key] = Counts()
                    found.append(counts)
        return found

    for key, n in seeker_stock(f, ref, dimension):
        for c in targets(key):
            c.active_seekers += n
    # Each table's flows in the period: the kept monthly flows when no filter applies to it, else a grouped query.
    months = _flows_for(f)
    for key, n in _period_groups(f, months, f"reg_{dimension}", worker_keys, WorkerProfile.created_at, wc, []):
        for c in targets(key):
            c.new_registrations += n
    if vacancy_keys is not None and not f.has_person_filter:
        for key, n, offered, filled in _period_groups(
                f, months, f"vac_{dimension}", vacancy_keys, Vacancy.published_at, vacancy_conditions(f, ref),
                [func.sum(Vacancy.positions), func.sum(Vacancy.positions_filled)]):
            for c in targets(key):
                c.vacancies_notified += n
                c.positions_offered += int(offered or 0)
                c.positions_filled += int(filled or 0)
    for key, n in _period_groups(f, months, PLACEMENT_FLOWS[dimension], placement_keys, Placement.hired_at,
                                 placement_conditions(f), []):
        for c in targets(key):
            c.placements += n


def _period_groups(f: StatsFilters, months: list[str] | None, flow: str, keys: list, time_column,
                   conds: list[ColumnElement], sums: list) -> list[tuple]:
    """(key, count, *sums) per group of a table's rows of the period: summed from the kept monthly flow `flow`
    (whose v1, v2 are the sums) when the period is whole months and no filter applies to the table, else one
    grouped query."""
    if months and not conds:
        return [(key, n, v1, v2)[:2 + len(sums)] for key, n, v1, v2 in _flow_groups(flow, months)]
    rows = _run(select(*keys, func.count(), *sums).where(_in(time_column, f.period.start, f.period.end), *conds)
                .group_by(*keys)).all()
    return [(tuple(row[:len(keys)]), *row[len(keys):]) for row in rows]


def area_breakdown(f: StatsFilters, ref: Reference) -> tuple[dict[str, Counts], dict[str, Counts]]:
    """Counts by 2025 ward and by former district, for any period (both are carried by every row).

    Seekers and vacancies are placed by their ward (its former district from the reference data); placements
    by the ward and former district they store. Seekers who gave no ward are under UNKNOWN in both."""
    V, P = Vacancy, Placement
    wards: dict[str, Counts] = {}
    districts: dict[str, Counts] = {}

    def ward_of(key: tuple) -> str:
        return key[0] if key[0] in ref.wards else UNKNOWN  # seekers who gave no ward

    def district_of(key: tuple) -> str:
        if len(key) > 1:
            return key[1]  # a placement's stored former district
        return ref.wards[key[0]].district_code if key[0] in ref.wards else UNKNOWN

    _grouped_counts(f, ref, "ward", [V.ward_code], [P.ward_code, P.district_code],
                    [(ward_of, wards), (district_of, districts)])
    return wards, districts


def occupation_breakdown(f: StatsFilters, ref: Reference) -> tuple[dict[str, Counts], int]:
    """Counts by VSCO group: level 1, or the level-2 groups when an occupation group is filtered on. Key UNKNOWN:
    no occupation given."""
    level = 2 if f.occupation else 1
    out: dict[str, Counts] = {}

    def group_of(key: tuple) -> str:
        code = key[0]
        return code[:level] if code and code[:level] in ref.occupation_groups else UNKNOWN

    _grouped_counts(f, ref, "occupation", [Vacancy.occupation_code], [Placement.occupation_code],
                    [(group_of, out)])
    return out, level


def person_breakdown(f: StatsFilters, ref: Reference) -> tuple[dict[tuple[str, str], Counts], dict[str, Counts]]:
    """Seekers (stock and new) and placements by (sex, age band) and by education level: one grouped query per
    table on (sex, birth year, education), rolled up here (age bands at the end of the period's year)."""
    P = Placement
    by_sex_age: dict[tuple[str, str], Counts] = {}
    by_education: dict[str, Counts] = {}
    year = f.period.reference_year

    def sex_age_of(key: tuple) -> tuple[str, str]:
        return (key[0] if key[0] in ("female", "male", "other") else UNKNOWN, age_band(key[1], year))

    def education_of(key: tuple) -> str:
        return key[2] if key[2] in EDUCATION_LEVELS else UNKNOWN

    _grouped_counts(f, ref, "person", None, [P.sex, P.birth_year, P.education_level],
                    [(sex_age_of, by_sex_age), (education_of, by_education)])
    return by_sex_age, by_education


def _unfilled():
    return case((Vacancy.positions > Vacancy.positions_filled, Vacancy.positions - Vacancy.positions_filled), else_=0)


def _demand_rows(*conds: ColumnElement) -> list[tuple[int, int]]:
    """(required skill, unfilled positions) of each vacancy matching conds, a few hundred rows for a recent period,
    summed by the caller: asked to GROUP BY skill, SQLite walks every vacancy skill in skill order instead."""
    return [(skill_id, int(n)) for skill_id, n in _run(
        select(VacancySkill.skill_id, _unfilled()).join(Vacancy, Vacancy.id == VacancySkill.vacancy_id)
        .where(VacancySkill.required == true(), *conds)) if n]


def skill_demand(f: StatsFilters, ref: Reference, top: int = TOP_SKILLS) -> list[tuple[int, int]]:
    """The `top` skills by unfilled positions of the vacancies open at the end of the period: [(skill, positions)]
    with positions > 0, most first (ties by skill id)."""
    end = f.period.end
    if _demand_from_counts(f, ref):
        S = StatsCount
        demand: dict[int, int] = defaultdict(int)
        for k1, n in _run(select(S.k1, S.value).where(S.dimension == "demand", S.value != 0)):
            demand[int(k1)] += n
        # Open now but published only after the end (or not at all): not open then. Closed since the end: open
        # then (the second branch of open_at).
        open_now = [Vacancy.status == VacancyStatus.OPEN.value, Vacancy.closed_at.is_(None)]
        for published in (Vacancy.published_at >= end, Vacancy.published_at.is_(None)):
            for skill_id, n in _demand_rows(*open_now, published):
                demand[skill_id] -= n
        for skill_id, n in _demand_rows(open_at(end)[1]):
            demand[skill_id] += n
        ranked = sorted(((s, d) for s, d in demand.items() if d > 0), key=lambda sd: (-sd[1], sd[0]))
        return ranked[:top]
    vc = vacancy_conditions(f, ref)
    open_ids = union_all(*(select(Vacancy.id).where(branch, *vc) for branch in open_at(end))).subquery()
    demand_expr = func.sum(_unfilled())
    demand_stmt = (select(VacancySkill.skill_id, demand_expr)
                   .select_from(open_ids)
                   .join(Vacancy, Vacancy.id == open_ids.c.id)
                   .join(VacancySkill, VacancySkill.vacancy_id == Vacancy.id)
                   .where(VacancySkill.required == true())
                   .group_by(VacancySkill.skill_id).order_by(demand_expr.desc(), VacancySkill.skill_id).limit(top))
    return [(skill_id, int(d or 0)) for skill_id, d in _run(demand_stmt) if d]


def skill_gap(f: StatsFilters, ref: Reference, top: int = TOP_SKILLS) -> list[SkillGap]:
    """The skills open vacancies need most (unfilled positions at the end of the period), against the active
    seekers who hold each. Demand follows the area and occupation filters, supply every filter."""
    demand = skill_demand(f, ref, top)
    if not demand:
        return []
    ids = [skill_id for skill_id, _d in demand]
    supply = skill_supply(f, ref, ids)
    labels = dict(_run(select(Skill.id, Skill.label_vi).where(Skill.id.in_(ids))).all())
    return [SkillGap(skill_id=s, label=labels.get(s, str(s)), demand=d, supply=int(supply.get(s, 0)))
            for s, d in demand]


@dataclass
class MonthFlows:
    """The additive counts of one month (open data: months, quarters and the year are sums of these)."""

    month: date
    new_registrations: int
    vacancies_notified: int
    positions_offered: int
    positions_filled: int
    vacancies_ended: int
    applications: int
    applications_responded: int
    placements: int


def monthly_flows(months: list[date]) -> list[MonthFlows]:
    """City-wide flows per month, one statement per table (no filters: what open data publishes)."""
    W, V, A, P = WorkerProfile, Vacancy, Application, Placement
    if KEPT_FLOWS:  # the kept monthly flows, summed over their keys
        keys = [m.strftime("%Y-%m") for m in months]
        workers, vacancies = _flow_by_month("reg_ward", keys), _flow_by_month("vac_ward", keys)
        apps, placed = _flow_by_month("app", keys), _flow_by_month("place_area", keys)
    else:
        workers = _monthly([func.count()], W.created_at, months, [])
        vacancies = _monthly([func.count(), func.coalesce(func.sum(V.positions), 0),
                              func.coalesce(func.sum(V.positions_filled), 0)], V.published_at, months, [])
        apps = _monthly([func.count(), func.count(A.response_days)], A.created_at, months, [])
        placed = _monthly([func.count()], P.hired_at, months, [])
    ended_closed = _monthly([func.count()], V.closed_at, months, [V.status.in_(ENDED_STATUSES)])
    ended_updated = _monthly([func.count()], V.updated_at, months, [V.status.in_(ENDED_STATUSES), V.closed_at.is_(None)])
    return [MonthFlows(month=m, new_registrations=int(workers[i][0]), vacancies_notified=int(vacancies[i][0]),
                       positions_offered=int(vacancies[i][1]), positions_filled=int(vacancies[i][2]),
                       vacancies_ended=int(ended_closed[i][0]) + int(ended_updated[i][0]),
                       applications=int(apps[i][0]), applications_responded=int(apps[i][1]),
                       placements=int(placed[i][0])) for i, m in enumerate(months)]


def _places_occupations_series(f: StatsFilters, ref: Reference):
    """The area and occupation tables, then the series, which reuses the area table's seeker total."""
    _tune_planner()
    wards, districts = area_breakdown(f, ref)
    # Every seeker falls in exactly one ward row (UNKNOWN included): their sum is the stock at the period's end.
    active = sum(c.active_seekers for c in wards.values())
    return (wards, districts), occupation_breakdown(f, ref), monthly_series(f, ref, active_at_end=active)


def _people_headline_skills(f: StatsFilters, ref: Reference):
    """The person tables, then the headline, which reuses their seeker totals, and the skill gap."""
    _tune_planner()
    by_sex_age, by_education = person_breakdown(f, ref)
    # Every seeker falls in exactly one (sex, age, education) group: its sums are the headline's seeker totals.
    seekers = (sum(c.active_seekers for c in by_education.values()),
               sum(c.new_registrations for c in by_education.values()))
    return by_sex_age, by_education, headline(f, ref, seekers=seekers), skill_gap(f, ref)


_collector_lock = threading.Lock()
_collector_paused = 0


@contextmanager
def _collector_paused_while():
    """Pause Python's cyclic garbage collector while the dashboard runs (re-enabled when the last concurrent one
    ends). Its ~100,000 short-lived objects (rows, tuples) are freed by reference counting all the same, but they
    set off ~150 young-generation collections and, now and then, a full one over every object of the process:
    measured on the bench, p95 78 -> 68 ms and the slowest run 126 -> 74 ms."""
    global _collector_paused
    with _collector_lock:
        ours = _collector_paused > 0 or gc.isenabled()  # not when someone else turned it off: leave that alone
        if ours:
            _collector_paused += 1
            gc.disable()
    try:
        yield
    finally:
        if ours:
            with _collector_lock:
                _collector_paused -= 1
                if _collector_paused == 0:
                    gc.enable()


def dashboard(f: StatsFilters, ref: Reference) -> Dashboard:
    """Every figure of the statistics page for the filters. The area and occupation tables and the series are read
    on a second connection in a second thread while this one reads the people tables, the headline and the skill
    gap: both databases release the GIL while they work, so the page takes less time on two cores."""
    with _collector_paused_while():
        return _dashboard(f, ref)


def _dashboard(f: StatsFilters, ref: Reference) -> Dashboard:
    engine = db.engine
    if _parallel(engine, f):
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="stats") as pool:
            other = pool.submit(_on_own_connection, engine, _places_occupations_series, f, ref)
            by_sex_age, by_education, head, skills = _people_headline_skills(f, ref)
            (wards, districts), (occupations, level), series = other.result()
    else:
        by_sex_age, by_education, head, skills = _people_headline_skills(f, ref)
        (wards, districts), (occupations, level), series = _places_occupations_series(f, ref)
    return Dashboard(filters=f, headline=head, series=series,
                     by_ward=wards, by_district=districts, by_occupation=occupations, occupation_level=level,
                     by_sex_age=by_sex_age, by_education=by_education, skills=skills,
                     vacancies_apply=not f.has_person_filter)
