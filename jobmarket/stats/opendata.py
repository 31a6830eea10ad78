"""Open data: the aggregates published without login, with small cells suppressed so no count under 5 can be
read or worked out.

What is published, and why no more: city-wide figures for completed calendar months, quarters and years, and
breakdowns (former district, 2025 ward, occupation group, sex x age band, education, skills) for completed
years. No custom date ranges and no free filters: two overlapping ranges, or a filter equal to a hidden cell,
would give a small count back by subtraction whatever each table hides. Within that set, every figure that is
published twice (a year's total in the monthly table, the summary and each breakdown) gets one suppression
decision: the months, quarters and year of a calendar year are solved together, and so are all the breakdowns
of a year (a ward sums into its former district, cells into their sex and age margins, everything into the
total).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Mapping

from flask import current_app
from flask_babel import gettext as _

from . import queries
from .filters import AGE_BANDS, MAX_YEAR, MIN_YEAR, UNKNOWN, Period, StatsFilters, add_months
from .reference import Reference
from .suppression import PRIMARY, SECONDARY, SuppressionProblem
from .tables import SEXES

FLOWS = ("new_registrations", "vacancies_notified", "positions_offered", "positions_filled", "vacancies_ended",
         "applications", "applications_responded", "placements")
GROUP_COUNTS = ("active_seekers", "new_registrations", "vacancies_notified", "positions_offered", "positions_filled",
                "placements")
PERSON_COUNTS = ("active_seekers", "new_registrations", "placements")
AGES = tuple(key for key, *_rest in AGE_BANDS) + (UNKNOWN,)


class OpenDataError(ValueError):
    """A request open data does not answer: code (stable) and a message in the user's language."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def threshold() -> int:
    """Counts under this are suppressed (configuration STATS_SUPPRESS_BELOW, 5)."""
    return int(current_app.config.get("STATS_SUPPRESS_BELOW", 5))


# --- periods ------------------------------------------------------------------------------------------------

def _closed(period: Period, today: date) -> bool:
    return period.last_day < today


YEAR_PATTERN = r"^(20[0-9]{2}|2100)$"
MONTH_PATTERN = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$"


def parse_period(args: Mapping[str, str], today: date, *, kinds: tuple[str, ...] = ("month", "quarter", "year"),
                 default_kind: str = "year") -> Period:
    """A completed calendar month, quarter or year (default: the last completed year, month or quarter).

    Every parameter given is checked, whatever the kind (a bad value is never silently ignored); a period not
    over yet raises "period_not_closed" (its figures do not exist yet)."""
    import re

    def get(name: str) -> str:
        value = args.get(name)
        return value.strip() if isinstance(value, str) else ""

    kind = get("period") or default_kind
    if kind not in kinds:
        raise OpenDataError("invalid_period", _("Kỳ không hợp lệ: dữ liệu mở công bố theo tháng, quý hoặc năm."))
    if get("year") and not re.match(YEAR_PATTERN, get("year")):
        raise OpenDataError("invalid_period", _("Năm không hợp lệ: nhập bốn chữ số, từ %(lo)d đến %(hi)d.",
                                                lo=MIN_YEAR, hi=MAX_YEAR))
    if get("month") and not re.match(MONTH_PATTERN, get("month")):
        raise OpenDataError("invalid_period", _("Tháng không hợp lệ: nhập theo dạng năm-tháng, ví dụ 2025-06."))
    if get("quarter") and get("quarter") not in {"1", "2", "3", "4"}:
        raise OpenDataError("invalid_period", _("Quý không hợp lệ: chọn quý 1, 2, 3 hoặc 4."))
    year = int(get("year")) if get("year") else None
    if kind == "month":
        if get("month"):
            first = date(int(get("month")[:4]), int(get("month")[5:]), 1)
        else:
            first = add_months(today.replace(day=1), -1)
        period = Period("month", first, add_months(first, 1) - timedelta(days=1))
    elif kind == "quarter":
        last_done = add_months(today.replace(day=1), -((today.month - 1) % 3) - 3)  # the last finished quarter
        quarter = int(get("quarter") or (last_done.month - 1) // 3 + 1)
        first = date(year or last_done.year, 3 * quarter - 2, 1)
        period = Period("quarter", first, add_months(first, 3) - timedelta(days=1))
    else:
        year = year or today.year - 1
        period = Period("year", date(year, 1, 1), date(year, 12, 31))
    if not _closed(period, today):
        raise OpenDataError("period_not_closed", _("Kỳ %(label)s chưa kết thúc: dữ liệu mở chỉ công bố cho kỳ đã "
                                                   "kết thúc.", label=period.label))
    return period


def _period_key(period: Period) -> str:
    if period.kind == "month":
        return f"m{period.first_day.month}"
    if period.kind == "quarter":
        return f"q{(period.first_day.month - 1) // 3 + 1}"
    return "y"


# --- one calendar year of flows ------------------------------------------------------------------------------

@dataclass
class YearFlows:
    """A calendar year's flows by month, quarter and year, and the suppression of each published figure."""

    year: int
    values: dict[str, dict[str, int]]  # measure -> period key (m1..m12, q1..q4, y) -> count
    marks: dict[str, dict[str, str | None]]  # measure -> period key -> None, "<5" or "x"
    published: set[str]  # the period keys published (completed)


def year_flows(year: int, today: date) -> YearFlows:
    """Months, quarters and the year, solved together: a quarter is the sum of its months, the year of its
    quarters, so none of them can give back a hidden month."""
    months = [date(year, m, 1) for m in range(1, 13)]
    flows = queries.monthly_flows(months)
    values: dict[str, dict[str, int]] = {}
    marks: dict[str, dict[str, str | None]] = {}
    published = {f"m{m.month}" for m in months if (add_months(m, 1) - timedelta(days=1)) < today}
    published |= {f"q{q}" for q in range(1, 5) if date(year, 3 * q, 1) < today and
                  add_months(date(year, 3 * q, 1), 1) - timedelta(days=1) < today}
    if date(year, 12, 31) < today:
        published.add("y")
    for measure in FLOWS:
        v = {f"m{i + 1}": getattr(flows[i], measure) for i in range(12)}
        for q in range(1, 5):
            v[f"q{q}"] = sum(v[f"m{m}"] for m in range(3 * q - 2, 3 * q + 1))
        v["y"] = sum(v[f"q{q}"] for q in range(1, 5))
        problem = SuppressionProblem(threshold())
        for key, value in v.items():
            if key in published:
                problem.cell(key, value, total=not key.startswith("m"))
            else:
                problem.hidden(key, value)
        for q in range(1, 5):
            problem.equation(f"q{q}", [f"m{m}" for m in range(3 * q - 2, 3 * q + 1)])
        problem.equation("y", [f"q{q}" for q in range(1, 5)])
        values[measure] = v
        marks[measure] = problem.solve()
    return YearFlows(year, values, marks, published)


def _cell(value, mark: str | None):
    return mark if mark else value


def _rate(numerator, denominator, *marks) -> float | str | None:
    if any(marks):
        return SECONDARY
    r = queries.ratio(numerator, denominator)
    return None if r is None else round(r, 6)


def summary(period: Period, ref: Reference, today: date) -> dict:
    """City-wide figures of a completed period: flows as solved with their year, stocks and medians on their own."""
    flows = year_flows(period.first_day.year, today)
    key = _period_key(period)
    h = queries.headline(StatsFilters(period=period), ref)
    t = threshold()
    figures: dict[str, object] = {}
    for measure in FLOWS:
        figures[measure] = _cell(flows.values[measure][key], flows.marks[measure].get(key))
    for measure, value in (("active_seekers", h.active_seekers), ("vacancies_open", h.vacancies_open)):
        figures[measure] = PRIMARY if value < t else value
    mark = {m: isinstance(figures[m], str) for m in figures}
    rates = {
        "response_rate": _rate(flows.values["applications_responded"][key], flows.values["applications"][key],
                               mark["applications_responded"], mark["applications"]),
        "placement_rate": _rate(flows.values["placements"][key], h.active_seekers, mark["placements"],
                                mark["active_seekers"]),
        "fill_rate": _rate(flows.values["positions_filled"][key], flows.values["positions_offered"][key],
                           mark["positions_filled"], mark["positions_offered"]),
        "median_response_days": (SECONDARY if h.applications_responded < t else h.median_response_days),
        "median_days_to_fill": (SECONDARY if h.placements_with_days < t else h.median_days_to_fill),
    }
    figures.update({k: (round(v, 4) if isinstance(v, float) else v) for k, v in rates.items() if v is not None})
    return figures


def monthly(year: int, today: date) -> tuple[list[dict], dict]:
    """The completed months of a year (and their total when the year is complete), as solved together."""
    flows = year_flows(year, today)
    rows = []
    for m in range(1, 13):
        key = f"m{m}"
        if key in flows.published:
            rows.append({"month": f"{year:04d}-{m:02d}",
                         "values": {k: _cell(flows.values[k][key], flows.marks[k].get(key)) for k in FLOWS}})
    total = {k: _cell(flows.values[k]["y"], flows.marks[k].get("y")) for k in FLOWS} if "y" in flows.published \
        else None
    return rows, total


# --- a year's breakdowns, solved together --------------------------------------------------------------------

@dataclass
class Breakdowns:
    """Every published breakdown of one year, with marks: dimension -> code -> measure -> value or mark."""

    rows: dict[str, dict[object, dict[str, object]]]


def breakdowns(year: int, ref: Reference, today: date) -> Breakdowns:
    """Counts by former district, ward, occupation group (level 1), sex x age band and education for a completed
    year, suppressed as one system per measure."""
    period = Period("year", date(year, 1, 1), date(year, 12, 31))
    f = StatsFilters(period=period)
    wards, districts = queries.area_breakdown(f, ref)
    occupations, _level = queries.occupation_breakdown(f, ref)
    by_sex_age, by_education = queries.person_breakdown(f, ref)
    flows = year_flows(year, today)
    t = threshold()
    dims: dict[str, dict[object, queries.Counts]] = {
        "district": {c: districts.get(c, queries.Counts()) for c in [*ref.districts, UNKNOWN]},
        "ward": {c: wards.get(c, queries.Counts()) for c in [*ref.wards, UNKNOWN]},
        "occupation": {c: occupations.get(c, queries.Counts())
                       for c in [*(c for c in ref.occupation_groups if len(c) == 1), UNKNOWN]},
        "education": {c: by_education.get(c, queries.Counts()) for c in
                      [*(k for k in _education_levels()), UNKNOWN]},
        "sex_age": {(s, a): by_sex_age.get((s, a), queries.Counts()) for s in SEXES for a in AGES},
    }
    out: dict[str, dict[object, dict[str, object]]] = {name: {code: {} for code in cells} for name, cells in
                                                       dims.items()}
    out["sex_age"].update({(s, "total"): {} for s in SEXES})
    out["sex_age"].update({("total", a): {} for a in AGES})
    out["sex_age"][("total", "total")] = {}
    for name in out:
        out[name]["total"] = {} if name != "sex_age" else out[name][("total", "total")]
    for measure in GROUP_COUNTS:
        problem = SuppressionProblem(t)
        person = measure in PERSON_COUNTS
        total_value = sum(c.__dict__[measure] for c in dims["district"].values())
        preset = None
        if measure in FLOWS:
            preset = flows.marks[measure].get("y") if flows.marks[measure].get("y") == SECONDARY else None
        problem.cell(("total",), total_value, fixed=True, status=preset)
        # Areas: districts add up to the total; each district is the sum of its wards.
        d_keys = [problem.cell(("district", c), v.__dict__[measure]) for c, v in dims["district"].items()]
        problem.equation(("total",), d_keys)
        for d_code in dims["district"]:
            members = [w for w in dims["ward"] if (ref.wards[w].district_code if w in ref.wards else UNKNOWN) == d_code]
            if sum(dims["ward"][w].__dict__[measure] for w in members) == dims["district"][d_code].__dict__[measure]:
                problem.equation(("district", d_code),
                                 [problem.cell(("ward", w), dims["ward"][w].__dict__[measure]) for w in members])
            else:  # placements whose stored former district differs from their ward's: no ward figure published
                for w in members:
                    problem.hidden(("ward", w), dims["ward"][w].__dict__[measure])
        problem.equation(("total",), [problem.cell(("occupation", c), v.__dict__[measure])
                                      for c, v in dims["occupation"].items()])
        if person:
            problem.equation(("total",), [problem.cell(("education", c), v.__dict__[measure])
                                          for c, v in dims["education"].items()])
            for s in SEXES:
                parts = [problem.cell(("sex_age", (s, a)), dims["sex_age"][(s, a)].__dict__[measure]) for a in AGES]
                margin = problem.cell(("sex_age", (s, "total")), sum(dims["sex_age"][(s, a)].__dict__[measure]
                                                                     for a in AGES), total=True)
                problem.equation(margin, parts)
            for a in AGES:
                margin = problem.cell(("sex_age", ("total", a)), sum(dims["sex_age"][(s, a)].__dict__[measure]
                                                                     for s in SEXES), total=True)
                problem.equation(margin, [("sex_age", (s, a)) for s in SEXES])
            problem.equation(("total",), [("sex_age", (s, "total")) for s in SEXES])
            problem.equation(("total",), [("sex_age", ("total", a)) for a in AGES])
        statuses = problem.solve()
        for key, var in problem.cells.items():
            if key == ("total",):
                for name in out:
                    if person or name not in ("education", "sex_age"):
                        out[name]["total"][measure] = _cell(var.value, statuses.get(key))
                continue
            name, code = key
            out[name][code][measure] = SECONDARY if not var.published else _cell(var.value, statuses.get(key))
    for name, rows in out.items():
        for values in rows.values():
            _add_rates(values)
    return Breakdowns(out)


def _education_levels() -> tuple[str, ...]:
    from ..models.workers import EDUCATION_LEVELS

    return EDUCATION_LEVELS


def _add_rates(values: dict) -> None:
    """Rates beside the counts, hidden when a count they come from is."""
    for rate, (num, den) in (("placement_rate", ("placements", "active_seekers")),
                             ("fill_rate", ("positions_filled", "positions_offered"))):
        if num not in values or den not in values:
            continue
        n, d = values[num], values[den]
        if isinstance(n, str) or isinstance(d, str):
            values[rate] = SECONDARY
        elif d:
            values[rate] = round(n / d, 4)


def skills(year: int, ref: Reference) -> list[dict]:
    """The skill gap at the end of a completed year: demand and supply per skill, each under 5 hidden."""
    from ..models import Skill
    from ..extensions import db

    period = Period("year", date(year, 1, 1), date(year, 12, 31))
    gaps = queries.skill_gap(StatsFilters(period=period), ref)
    t = threshold()
    slugs = dict(db.session.query(Skill.id, Skill.slug).filter(Skill.id.in_([g.skill_id for g in gaps])).all()) \
        if gaps else {}
    return [{"skill_id": g.skill_id, "slug": slugs.get(g.skill_id, ""), "name": g.label,
             "demand": PRIMARY if g.demand < t else g.demand, "supply": PRIMARY if g.supply < t else g.supply}
            for g in gaps]
