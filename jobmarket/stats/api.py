"""Open data under /api/v1/stats: aggregates only, no login, every count under 5 suppressed (see opendata.py)."""
from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _

from ..api.core import api_blueprint
from ..api.openapi import operation, query, schema
from ..errors import ApiError
from ..models.workers import EDUCATION_LEVELS
from . import opendata
from .filters import AGE_BANDS, AGE_LABELS, EDUCATION_LABELS, SEX_LABELS, UNKNOWN, Period
from .reference import load_reference
from .service import today
from .tables import SEXES

bp = api_blueprint("stats_api", __name__)

AGES = [key for key, *_rest in AGE_BANDS] + [UNKNOWN]
COUNT = schema("StatsCount", {
    "description": "A count of 5 or more, or a suppression mark: \"<5\" (a count under 5) or \"x\" (a count of 5 "
                   "or more hidden so that no count under 5 can be worked out from a total).",
    "oneOf": [{"type": "integer", "minimum": 5}, {"type": "string", "enum": ["<5", "x"]}]})
RATE = schema("StatsRate", {
    "description": "A share between 0 and 1 (4 decimals), or \"x\" when a count it comes from is suppressed.",
    "oneOf": [{"type": "number", "minimum": 0}, {"type": "string", "enum": ["x"]}]})
DAYS = schema("StatsDays", {
    "description": "A median in days, or \"x\" when it rests on fewer than 5 values.",
    "oneOf": [{"type": "number"}, {"type": "string", "enum": ["x"]}]})
PERIOD = schema("StatsPeriod", {
    "type": "object", "additionalProperties": False, "required": ["kind", "label", "first_day", "last_day"],
    "properties": {"kind": {"type": "string", "enum": ["month", "quarter", "year"]}, "label": {"type": "string"},
                   "first_day": {"type": "string", "format": "date"},
                   "last_day": {"type": "string", "format": "date"}}})
SUPPRESSION = schema("StatsSuppression", {
    "type": "object", "additionalProperties": False, "required": ["threshold", "below_threshold", "complementary"],
    "properties": {"threshold": {"type": "integer", "minimum": 1}, "below_threshold": {"type": "string"},
                   "complementary": {"type": "string"}}})
FLOW_PROPS = {k: COUNT for k in opendata.FLOWS}
FLOW_VALUES = schema("StatsFlowValues", {"type": "object", "additionalProperties": False,
                                         "required": list(opendata.FLOWS), "properties": FLOW_PROPS})
GROUP_VALUES = schema("StatsGroupValues", {
    "type": "object", "additionalProperties": False, "required": list(opendata.GROUP_COUNTS),
    "properties": {**{k: COUNT for k in opendata.GROUP_COUNTS}, "placement_rate": RATE, "fill_rate": RATE}})
PERSON_VALUES = schema("StatsPersonValues", {
    "type": "object", "additionalProperties": False, "required": list(opendata.PERSON_COUNTS),
    "properties": {**{k: COUNT for k in opendata.PERSON_COUNTS}, "placement_rate": RATE}})


def _table_schema(name: str, row_props: dict, required: list[str], values: dict) -> dict:
    row = {"type": "object", "additionalProperties": False, "required": [*required, "values"],
           "properties": {**row_props, "values": values}}
    return schema(name, {"type": "object", "additionalProperties": False,
                         "required": ["period", "suppression", "rows", "total"],
                         "properties": {"period": PERIOD, "suppression": SUPPRESSION,
                                        "rows": {"type": "array", "items": row}, "total": values}})


SUMMARY = schema("StatsSummary", {
    "type": "object", "additionalProperties": False, "required": ["period", "suppression", "figures"],
    "properties": {"period": PERIOD, "suppression": SUPPRESSION, "figures": {
        "type": "object", "additionalProperties": False,
        "required": [*opendata.FLOWS, "active_seekers", "vacancies_open"],
        "properties": {**FLOW_PROPS, "active_seekers": COUNT, "vacancies_open": COUNT, "response_rate": RATE,
                       "placement_rate": RATE, "fill_rate": RATE, "median_response_days": DAYS,
                       "median_days_to_fill": DAYS}}}})
MONTHLY = schema("StatsMonthly", {
    "type": "object", "additionalProperties": False, "required": ["year", "suppression", "months"],
    "properties": {"year": {"type": "integer"}, "suppression": SUPPRESSION,
                   "months": {"type": "array", "items": {
                       "type": "object", "additionalProperties": False, "required": ["month", "values"],
                       "properties": {"month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
                                      "values": FLOW_VALUES}}},
                   "total": FLOW_VALUES}})
NAME = {"type": "string"}
DISTRICTS = _table_schema("StatsDistricts", {"code": {"type": "string", "pattern": "^([0-9]{3}|unknown)$"},
                                             "name": NAME}, ["code", "name"], GROUP_VALUES)
WARDS = _table_schema("StatsWards", {"code": {"type": "string", "pattern": "^([0-9]{5}|unknown)$"}, "name": NAME,
                                     "district_code": {"type": "string", "pattern": "^([0-9]{3}|unknown)$"}},
                      ["code", "name", "district_code"], GROUP_VALUES)
OCCUPATIONS = _table_schema("StatsOccupations", {"code": {"type": "string", "pattern": "^([0-9]|unknown)$"},
                                                 "name": NAME}, ["code", "name"], GROUP_VALUES)
SEX_AGE = _table_schema("StatsSexAge", {"sex": {"type": "string", "enum": [*SEXES, "total"]},
                                        "age_band": {"type": "string", "enum": [*AGES, "total"]}, "name": NAME},
                        ["sex", "age_band", "name"], PERSON_VALUES)
EDUCATION = _table_schema("StatsEducation", {"code": {"type": "string", "enum": [*EDUCATION_LEVELS, UNKNOWN]},
                                             "name": NAME}, ["code", "name"], PERSON_VALUES)
SKILLS = schema("StatsSkills", {
    "type": "object", "additionalProperties": False, "required": ["period", "suppression", "rows"],
    "properties": {"period": PERIOD, "suppression": SUPPRESSION, "rows": {"type": "array", "items": {
        "type": "object", "additionalProperties": False, "required": ["skill_id", "slug", "name", "demand", "supply"],
        "properties": {"skill_id": {"type": "integer"}, "slug": {"type": "string"}, "name": NAME,
                       "demand": COUNT, "supply": COUNT}}}}})

YEAR = query("year", {"type": "string", "pattern": opendata.YEAR_PATTERN},
             "A calendar year (default: last year). A year not over yet answers 404.")
PERIOD_PARAMS = [
    query("period", {"type": "string", "enum": ["month", "quarter", "year"]}, "Kind of period (default: year)."),
    query("month", {"type": "string", "pattern": opendata.MONTH_PATTERN}, "With period=month: YYYY-MM."),
    query("quarter", {"type": "string", "enum": ["1", "2", "3", "4"]}, "With period=quarter: 1 to 4."),
    YEAR,
]
NOTE = " Open data: aggregates of completed calendar periods; counts under 5 are suppressed."


def _period_json(period: Period) -> dict:
    return {"kind": period.kind, "label": period.label, "first_day": period.first_day.isoformat(),
            "last_day": period.last_day.isoformat()}


def _suppression_json() -> dict:
    return {"threshold": opendata.threshold(), "below_threshold": "<5", "complementary": "x"}


def _period(**kwargs) -> Period:
    if any(value.strip() == "" for value in request.args.values()):  # " " and a lone NBSP too
        raise ApiError(400, "empty_parameter", _("Tham số không được để trống."))
    try:
        return opendata.parse_period(request.args, today(), **kwargs)
    except opendata.OpenDataError as exc:
        raise ApiError(404 if exc.code == "period_not_closed" else 400, exc.code, exc.message) from exc


def _respond(body: dict):
    response = jsonify(body)
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.get("/stats/summary")
@operation("get", "/stats/summary", summary="City-wide labour market figures of a completed month, quarter or year"
           + NOTE, tags=["stats"], auth=False, parameters=PERIOD_PARAMS, responses={200: SUMMARY}, errors=(404,))
def stats_summary():
    """Registrations, vacancies, applications, placements and rates of one completed period."""
    period = _period()
    figures = opendata.summary(period, load_reference(), today())
    return _respond({"period": _period_json(period), "suppression": _suppression_json(), "figures": figures})


@bp.get("/stats/monthly")
@operation("get", "/stats/monthly", summary="The completed months of a year, city-wide" + NOTE, tags=["stats"],
           auth=False, parameters=[YEAR], responses={200: MONTHLY}, errors=(404,))
def stats_monthly():
    """Month by month flows of a year (its completed months), with the year's total once it is over."""
    year = _year()
    rows, total = opendata.monthly(year, today())
    body = {"year": year, "suppression": _suppression_json(), "months": rows}
    if total is not None:
        body["total"] = total
    return _respond(body)


def _year() -> int:
    """The ?year= of a completed year (default: last year)."""
    period = _period(kinds=("year",))
    return period.first_day.year


def _breakdown(dimension: str):
    period = _period(kinds=("year",))
    ref = load_reference()
    result = opendata.breakdowns(period.first_day.year, ref, today())
    return period, ref, result.rows[dimension]


def _table(period: Period, rows: list[dict], total: dict) -> dict:
    return {"period": _period_json(period), "suppression": _suppression_json(), "rows": rows, "total": total}


@bp.get("/stats/districts")
@operation("get", "/stats/districts", summary="A completed year by former district (quận, huyện cũ)" + NOTE,
           tags=["stats"], auth=False, parameters=[YEAR], responses={200: DISTRICTS}, errors=(404,))
def stats_districts():
    """Seekers, vacancies and placements of a year in each of the 30 former districts."""
    period, ref, data = _breakdown("district")
    rows = [{"code": code, "name": ref.districts[code].name if code in ref.districts else _("Không rõ nơi ở"),
             "values": values} for code, values in data.items() if code != "total"]
    return _respond(_table(period, rows, data["total"]))


@bp.get("/stats/wards")
@operation("get", "/stats/wards", summary="A completed year by 2025 ward (phường, xã)" + NOTE, tags=["stats"],
           auth=False, parameters=[YEAR], responses={200: WARDS}, errors=(404,))
def stats_wards():
    """Seekers, vacancies and placements of a year in each of the 126 wards, with each ward's former district."""
    period, ref, data = _breakdown("ward")
    rows = [{"code": code, "name": ref.wards[code].name if code in ref.wards else _("Không rõ nơi ở"),
             "district_code": ref.wards[code].district_code if code in ref.wards else UNKNOWN, "values": values}
            for code, values in data.items() if code != "total"]
    return _respond(_table(period, rows, data["total"]))


@bp.get("/stats/occupations")
@operation("get", "/stats/occupations", summary="A completed year by occupation group (VSCO 2020 level 1)" + NOTE,
           tags=["stats"], auth=False, parameters=[YEAR], responses={200: OCCUPATIONS}, errors=(404,))
def stats_occupations():
    """Seekers, vacancies and placements of a year by occupation group."""
    period, ref, data = _breakdown("occupation")
    rows = [{"code": code, "name": ref.occupation_groups.get(code, _("Không rõ nghề")), "values": values}
            for code, values in data.items() if code != "total"]
    return _respond(_table(period, rows, data["total"]))


@bp.get("/stats/sex-age")
@operation("get", "/stats/sex-age", summary="A completed year by sex and age band (with both margins)" + NOTE,
           tags=["stats"], auth=False, parameters=[YEAR], responses={200: SEX_AGE}, errors=(404,))
def stats_sex_age():
    """Seekers and placements of a year by sex and age band (age at the end of the year)."""
    period, _ref, data = _breakdown("sex_age")
    total_label = _("Tổng")
    rows = []
    for key, values in data.items():
        if key == "total" or key == ("total", "total"):
            continue
        sex, age = key
        name = f"{SEX_LABELS[sex] if sex != 'total' else total_label}, " \
               f"{AGE_LABELS[age] if age != 'total' else total_label}"
        rows.append({"sex": sex, "age_band": age, "name": name, "values": values})
    return _respond(_table(period, rows, data["total"]))


@bp.get("/stats/education")
@operation("get", "/stats/education", summary="A completed year by education level" + NOTE, tags=["stats"],
           auth=False, parameters=[YEAR], responses={200: EDUCATION}, errors=(404,))
def stats_education():
    """Seekers and placements of a year by education level."""
    period, _ref, data = _breakdown("education")
    rows = [{"code": code, "name": str(EDUCATION_LABELS[code]), "values": values}
            for code, values in data.items() if code != "total"]
    return _respond(_table(period, rows, data["total"]))


@bp.get("/stats/skills")
@operation("get", "/stats/skills", summary="Skills most needed by vacancies open at the end of a completed year, "
           "against job seekers who hold them" + NOTE, tags=["stats"], auth=False, parameters=[YEAR],
           responses={200: SKILLS}, errors=(404,))
def stats_skills():
    """The skill gap at the end of a year."""
    period = _period(kinds=("year",))
    rows = opendata.skills(period.first_day.year, load_reference())
    return _respond({"period": _period_json(period), "suppression": _suppression_json(), "rows": rows})
