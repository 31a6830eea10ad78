"""Search API: vacancy search and vacancy pages (public), a worker's matches, a vacancy's candidates (its employer)."""
from __future__ import annotations

from flask import g, jsonify, request, url_for
from flask_babel import gettext as _

from ..api.core import api_blueprint, api_user, authorize_api
from ..api.openapi import operation, path_id, query, schema
from ..authz import can, current_worker
from ..errors import ApiError
from ..i18n import current_locale
from ..models import Role
from ..models.workers import EDUCATION_LEVELS, JOB_TYPES
from . import presenters, service
from ..refdata.loader import read_csv
from .forms import (MAX_DB_ID, MAX_KM, MAX_PAGE, MAX_PER_PAGE, MAX_SKILLS, MAX_WAGE, Q_MAX_CHARS, PagingForm,
                    VacancySearchForm)
from .reasons import Area, Reason, summary
from .scoring import Parts

bp = api_blueprint("search_api", __name__)

# Distances are measured from here when the caller names no ward and has no home ward: Phường Hoàn Kiếm.
CITY_CENTRE_WARD = "00070"
# The codes are reference data shipped with the package, so the document can list them.
WARD_CODES = sorted(r["ward_code"] for r in read_csv("hanoi_wards_2025.csv"))
DISTRICT_CODES = sorted(r["district_code"] for r in read_csv("hanoi_districts_2024.csv"))

# --- schemas ---------------------------------------------------------------------------------------------------

_SHARE = {"type": "number", "minimum": 0, "maximum": 1}
_IDS = {"type": "array", "items": {"type": "integer"}}

_AREA = {
    "type": "object", "description": "A 2025 ward and the former district (khu vực) it belongs to.",
    "required": ["ward_code", "ward_name", "district_code", "district_name"], "additionalProperties": False,
    "properties": {"ward_code": {"type": "string", "pattern": "^[0-9]{5}$"}, "ward_name": {"type": "string"},
                   "district_code": {"type": "string", "pattern": "^[0-9]{3}$"}, "district_name": {"type": "string"}}}
AREA = schema("Area", _AREA)
PARTS = schema("MatchParts", {
    "type": "object", "description": "The four parts of a match score, each in [0, 1], and the skills behind them.",
    "required": ["skills", "location", "wage", "freshness", "matched_required", "missing_required", "matched_nice",
                 "distance_km"], "additionalProperties": False,
    "properties": {"skills": _SHARE, "location": _SHARE, "wage": _SHARE, "freshness": _SHARE,
                   "matched_required": _IDS, "missing_required": _IDS, "matched_nice": _IDS,
                   "distance_km": {"type": "number", "minimum": 0, "nullable": True}}})
REASON = schema("MatchReason", {
    "type": "object", "required": ["kind", "text", "positive"], "additionalProperties": False,
    "properties": {"kind": {"type": "string", "enum": ["skills", "distance", "area", "wage", "freshness", "matched",
                                                       "missing", "nice"]},
                   "text": {"type": "string"}, "positive": {"type": "boolean"}}})
_MATCH = {
    "type": "object", "description": "A match score in [0, 1] with its parts and the reasons in the caller's language.",
    "required": ["score", "parts", "reasons", "summary"], "additionalProperties": False,
    "properties": {"score": _SHARE, "parts": PARTS, "reasons": {"type": "array", "items": REASON},
                   "summary": {"type": "string", "description": "The short reasons joined with ' · '."}}}
MATCH = schema("Match", _MATCH)
# OpenAPI 3.0 ignores keywords beside a $ref, so a nullable reference is the referenced schema inlined, made nullable.
NULLABLE_AREA = {**_AREA, "nullable": True}
NULLABLE_MATCH = {**_MATCH, "nullable": True}
VACANCY_SKILL = {"type": "object", "required": ["id", "label", "required"], "additionalProperties": False,
                 "properties": {"id": {"type": "integer"}, "label": {"type": "string"},
                                "required": {"type": "boolean"}}}
_VACANCY_PROPS = {
    "id": {"type": "integer"}, "title": {"type": "string"},
    "employer": {"type": "object", "required": ["id", "name"], "additionalProperties": False,
                 "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
    "area": AREA,
    "wage_min": {"type": "integer", "nullable": True, "description": "VND per month"},
    "wage_max": {"type": "integer", "nullable": True, "description": "VND per month"},
    "job_type": {"type": "string", "enum": list(JOB_TYPES)},
    "deadline": {"type": "string", "format": "date", "nullable": True},
    "published_at": {"type": "string", "format": "date-time", "nullable": True},
    "skills": {"type": "array", "items": VACANCY_SKILL},
    "url": {"type": "string", "description": "The vacancy's public page"},
}
VACANCY_SUMMARY = schema("VacancySummary", {
    "type": "object", "required": list(_VACANCY_PROPS), "additionalProperties": False, "properties": _VACANCY_PROPS})
_DETAIL_PROPS = {
    **_VACANCY_PROPS,
    "description": {"type": "string"},
    "status": {"type": "string", "enum": ["draft", "open", "closed", "expired", "taken_down"]},
    "positions": {"type": "integer"}, "positions_open": {"type": "integer"},
    "education_required": {"type": "string", "enum": [*EDUCATION_LEVELS, None], "nullable": True},
    "experience_required": {"type": "integer", "description": "Years"},
    "occupation": {"type": "object", "nullable": True, "required": ["code", "title"], "additionalProperties": False,
                   "properties": {"code": {"type": "string"}, "title": {"type": "string"}}},
    "match": NULLABLE_MATCH,
}
VACANCY_DETAIL = schema("VacancyDetail", {
    "type": "object", "description": "A vacancy; `match` is set for a logged-in worker on an open vacancy.",
    "required": list(_DETAIL_PROPS), "additionalProperties": False, "properties": _DETAIL_PROPS})
_PAGE_PROPS = {"page": {"type": "integer", "minimum": 1}, "per_page": {"type": "integer", "minimum": 1},
               "backend": {"type": "string", "description": "Which engine answered"},
               "degraded": {"type": "boolean", "description": "The database stood in for the search engine; results "
                                                             "may be less complete"}}
_COUNTS = {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}}
FACETS = {"type": "object", "description": "Counts of the same query's results per former district code, occupation "
                                           "group (VSCO level 1), job type and wage band (lt7, 7_10, 10_15, 15_20, "
                                           "20plus million VND, none)",
          "required": ["district", "occupation_group", "job_type", "wage_band"], "additionalProperties": False,
          "properties": {k: _COUNTS for k in ("district", "occupation_group", "job_type", "wage_band")}}
SEARCH_RESULT = schema("VacancySearchResult", {
    "type": "object", "required": ["items", "total", "origin_ward", "facets", "place", "most_words", *_PAGE_PROPS],
    "additionalProperties": False,
    "properties": {
        "facets": FACETS,
        "place": {"type": "object", "nullable": True, "required": ["kind", "code", "name"],
                  "additionalProperties": False, "description": "A place named in q, used as a filter instead of text",
                  "properties": {"kind": {"type": "string", "enum": ["district", "ward"]}, "code": {"type": "string"},
                                 "name": {"type": "string"}}},
        "most_words": {"type": "boolean", "description": "Too few results held every word: these hold most of them"},
        "origin_ward": {"type": "string", "nullable": True, "description": "Where distances were measured from"},
        "items": {"type": "array", "items": {
            "type": "object", "required": ["vacancy", "relevance", "distance_km", "match"],
            "additionalProperties": False,
            "properties": {"vacancy": VACANCY_SUMMARY, "relevance": {"type": "number", "minimum": 0},
                           "distance_km": {"type": "number", "minimum": 0, "nullable": True,
                                           "description": "From origin_ward, when given"},
                           "match": NULLABLE_MATCH}}},
        "total": {"type": "integer", "minimum": 0}, **_PAGE_PROPS}})
MATCH_LIST = schema("VacancyMatchList", {
    "type": "object", "required": ["items", "has_more", "profile_gaps", *_PAGE_PROPS], "additionalProperties": False,
    "properties": {
        "items": {"type": "array", "items": {"type": "object", "required": ["vacancy", "match"],
                                             "additionalProperties": False,
                                             "properties": {"vacancy": VACANCY_SUMMARY, "match": MATCH}}},
        "has_more": {"type": "boolean"},
        "profile_gaps": {"type": "array", "items": {"type": "string", "enum": ["profile", "skills", "ward"]},
                         "description": "What the profile lacks for matching; no matches are listed while any"},
        **_PAGE_PROPS}})
CANDIDATE = schema("Candidate", {
    "type": "object", "description": "What matching needs of a worker. `contact` is null until the worker applied to "
                                     "one of the employer's vacancies or accepted its invitation.",
    "required": ["worker_id", "display_name", "area", "skills", "experience_years", "education_level", "match",
                 "applied", "invitation", "contact"], "additionalProperties": False,
    "properties": {
        "worker_id": {"type": "integer"}, "display_name": {"type": "string", "description": "Initials and given name"},
        "area": NULLABLE_AREA,
        "skills": {"type": "array", "items": {"type": "object", "required": ["id", "label", "wanted"],
                                              "additionalProperties": False,
                                              "properties": {"id": {"type": "integer"}, "label": {"type": "string"},
                                                             "wanted": {"type": "boolean"}}}},
        "experience_years": {"type": "integer", "minimum": 0},
        "education_level": {"type": "string", "enum": [*EDUCATION_LEVELS, None], "nullable": True},
        "match": MATCH, "applied": {"type": "boolean"},
        "invitation": {"type": "string", "enum": ["pending", "accepted", "declined", None], "nullable": True},
        "contact": {"type": "object", "nullable": True, "required": ["full_name", "phone", "email"],
                    "additionalProperties": False,
                    "properties": {"full_name": {"type": "string"}, "phone": {"type": "string", "nullable": True},
                                   "email": {"type": "string", "nullable": True}}}}})
CANDIDATE_LIST = schema("CandidateList", {
    "type": "object", "required": ["vacancy_id", "items", "has_more", *_PAGE_PROPS], "additionalProperties": False,
    "properties": {"vacancy_id": {"type": "integer"}, "items": {"type": "array", "items": CANDIDATE},
                   "has_more": {"type": "boolean"}, **_PAGE_PROPS}})

PAGING_PARAMS = [
    query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}, "Page number"),
    query("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 20}, "Results per page"),
]
SEARCH_PARAMS = [
    query("q", {"type": "string", "maxLength": Q_MAX_CHARS}, "Free text; diacritics optional ('ke toan')"),
    query("ward", {"type": "string", "enum": WARD_CODES}, "2025 ward code of the workplace"),
    query("district", {"type": "string", "enum": DISTRICT_CODES}, "Former district code of the workplace"),
    query("origin_ward", {"type": "string", "enum": WARD_CODES},
          "Ward to measure distances from (max_km, sort=distance, distance_km). When max_km or sort=distance comes "
          "without it: the calling worker's home ward, else the city centre "
          f"(Phường Hoàn Kiếm, {CITY_CENTRE_WARD}); the response names the ward used."),
    query("max_km", {"type": "number", "exclusiveMinimum": True, "minimum": 0, "maximum": MAX_KM},
          "Only vacancies within this distance of origin_ward"),
    {**query("skills", {"type": "array", "maxItems": MAX_SKILLS,
                        "items": {"type": "integer", "minimum": 1, "maximum": MAX_DB_ID}},
             "Skill ids the vacancy must ask for, all of them (required or nice to have); repeat the parameter. "
             "An id no skill has matches no vacancy."),
     "style": "form", "explode": True},
    query("min_wage", {"type": "integer", "minimum": 0, "maximum": MAX_WAGE},
          "Minimum monthly wage in VND (the top of the vacancy's range, or its bottom when it has no top)"),
    query("job_type", {"type": "string", "enum": list(JOB_TYPES)}, "Job type"),
    query("sort", {"type": "string", "enum": list(service.SORTS)},
          "relevance (the default with q or for a worker), newest (the default otherwise), wage, distance"),
    *PAGING_PARAMS,
]


# --- serialisation ---------------------------------------------------------------------------------------------

def _area(area: Area | None) -> dict | None:
    """An Area as JSON."""
    if area is None:
        return None
    return {"ward_code": area.ward_code, "ward_name": area.ward_full_name, "district_code": area.district_code,
            "district_name": area.district_name}


def _parts(parts: Parts) -> dict:
    """A score's parts as JSON."""
    return {"skills": parts.skills, "location": parts.location, "wage": parts.wage, "freshness": parts.freshness,
            "matched_required": list(parts.matched_required), "missing_required": list(parts.missing_required),
            "matched_nice": list(parts.matched_nice), "distance_km": parts.distance_km}


def _match(score: float, parts: Parts, reasons: list[Reason]) -> dict:
    """A match (score, parts, reasons and their one-line summary) as JSON."""
    return {"score": score, "parts": _parts(parts),
            "reasons": [{"kind": r.kind, "text": r.text, "positive": r.positive} for r in reasons],
            "summary": summary(reasons)}


def _stamp(value) -> str | None:
    """A stored (naive UTC) timestamp in ISO 8601 with Z."""
    return value.isoformat(timespec="seconds") + "Z" if value is not None else None


def _vacancy(vacancy, locale: str) -> dict:
    """The public summary of a vacancy."""
    return {
        "id": vacancy.id, "title": vacancy.title,
        "employer": {"id": vacancy.employer.id, "name": vacancy.employer.name},
        "area": _area(presenters.areas().get(vacancy.ward_code)),
        "wage_min": vacancy.wage_min, "wage_max": vacancy.wage_max, "job_type": vacancy.job_type,
        "deadline": vacancy.deadline.isoformat() if vacancy.deadline else None,
        "published_at": _stamp(vacancy.published_at),
        "skills": [{"id": link.skill.id, "label": link.skill.label(locale), "required": bool(link.required)}
                   for link in sorted(vacancy.skill_links, key=lambda link: (not link.required, link.skill_id))],
        "url": url_for("search.vacancy_detail", vacancy_id=vacancy.id),
    }


def _invalid(form) -> ApiError:
    """400 with the first problem as the message and every problem per parameter in details."""
    errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
    first = next(iter(errors.values()))[0]
    return ApiError(400, "validation_error", first, errors)


def _caller_worker():
    """The calling worker's profile, when the caller is a worker."""
    user = getattr(g, "api_user", None)
    return current_worker(user) if user is not None else None


def _paging() -> tuple[int, int]:
    """page and per_page from the query string, or a 400."""
    form = PagingForm(request.args)
    if not form.validate():
        raise _invalid(form)
    return form.values()


def _vacancy_or_404(vacancy_id: int):
    """The vacancy, or a JSON 404."""
    vacancy = presenters.get_vacancy(vacancy_id)
    if vacancy is None:
        raise ApiError(404, "not_found", _("Không tìm thấy tin tuyển dụng."))
    return vacancy


# --- routes ----------------------------------------------------------------------------------------------------

@bp.get("/vacancies")
@operation("get", "/vacancies", summary="Search open vacancies (free text, filters, sorts)", tags=["search"],
           auth=False, parameters=SEARCH_PARAMS, responses={200: SEARCH_RESULT}, errors=(401,))
def search_vacancies():
    """Public vacancy search. With a worker's token, every result also carries the worker's match and reasons."""
    worker = _caller_worker()
    form = VacancySearchForm(request.args, api=True,
                             default_origin=(worker.ward_code if worker else None) or CITY_CENTRE_WARD)
    if not form.validate():
        raise _invalid(form)
    query = form.to_query(worker_id=worker.id if worker else None)
    query.facets = True
    page = service.search_vacancies(query)
    locale = current_locale()
    items = []
    for card in presenters.search_cards(page, worker, locale):
        items.append({"vacancy": _vacancy(card.vacancy, locale), "relevance": max(0.0, card.relevance or 0),
                      "distance_km": card.distance_km,
                      "match": _match(card.match, card.parts, card.reasons) if card.parts is not None else None})
    return jsonify(items=items, total=page.total, page=query.page, per_page=query.per_page, backend=page.backend,
                   degraded=page.degraded, origin_ward=query.origin_ward, most_words=page.most_words,
                   place=None if page.place is None else {"kind": page.place.kind, "code": page.place.code,
                                                          "name": page.place.name},
                   facets=page.facets or {"district": {}, "occupation_group": {}, "job_type": {}, "wage_band": {}})


@bp.get("/vacancies/<int:vacancy_id>")
@operation("get", "/vacancies/{id}", summary="A vacancy (public when open, closed or expired)", tags=["search"],
           auth=False, parameters=[path_id("id", "Vacancy id")], responses={200: VACANCY_DETAIL}, errors=(401, 404))
def vacancy_detail(vacancy_id: int):
    """A vacancy anyone may see; with a worker's token and an open vacancy, also why it matches them."""
    vacancy = _vacancy_or_404(vacancy_id)
    if not can(getattr(g, "api_user", None), "vacancy.view", vacancy):
        raise ApiError(404, "not_found", _("Không tìm thấy tin tuyển dụng."))
    locale = current_locale()
    card = presenters.detail_match(vacancy, _caller_worker(), locale)
    occupation = vacancy.occupation
    body = {
        **_vacancy(vacancy, locale), "description": vacancy.description or "", "status": vacancy.status,
        "positions": vacancy.positions, "positions_open": vacancy.positions_open,
        "education_required": vacancy.education_required, "experience_required": vacancy.experience_required or 0,
        "occupation": {"code": occupation.code, "title": occupation.title(locale)} if occupation else None,
        "match": _match(card.match, card.parts, card.reasons) if card else None,
    }
    return jsonify(body)


@bp.get("/me/matches")
@operation("get", "/me/matches", summary="The calling worker's best vacancies, with the reasons", tags=["search"],
           parameters=PAGING_PARAMS, responses={200: MATCH_LIST}, errors=(403,))
def my_matches():
    """Worker only: the best vacancies for the caller's profile, a page at a time."""
    api_user(Role.WORKER.value)
    page_no, per_page = _paging()
    worker = _caller_worker()
    gaps = presenters.profile_gaps(worker)
    items, has_more, backend, degraded = [], False, "none", False
    if not gaps:
        result = service.match_vacancies_for_worker(worker.id, limit=per_page + 1, offset=(page_no - 1) * per_page)
        has_more = len(result.matches) > per_page
        result.matches = result.matches[:per_page]
        backend, degraded = result.backend, result.degraded
        locale = current_locale()
        items = [{"vacancy": _vacancy(card.vacancy, locale), "match": _match(card.match, card.parts, card.reasons)}
                 for card in presenters.match_cards(result, worker, locale)]
    return jsonify(items=items, page=page_no, per_page=per_page, has_more=has_more, profile_gaps=gaps,
                   backend=backend, degraded=degraded)


@bp.get("/vacancies/<int:vacancy_id>/candidates")
@operation("get", "/vacancies/{id}/candidates", summary="A vacancy's best candidates, with the reasons",
           tags=["search"], parameters=[path_id("id", "Vacancy id"), *PAGING_PARAMS], responses={200: CANDIDATE_LIST},
           errors=(403, 404))
def vacancy_candidates(vacancy_id: int):
    """The vacancy's employer only. Contact details appear only once the worker applied or accepted an invitation."""
    user = api_user()
    vacancy = _vacancy_or_404(vacancy_id)
    authorize_api("vacancy.candidates", vacancy, hide=not can(user, "vacancy.view", vacancy))
    page_no, per_page = _paging()
    result = service.match_workers_for_vacancy(vacancy.id, limit=per_page + 1, offset=(page_no - 1) * per_page)
    has_more = len(result.matches) > per_page
    result.matches = result.matches[:per_page]
    items = []
    for card in presenters.candidate_cards(result, vacancy, user, current_locale()):
        items.append({
            "worker_id": card.worker_id, "display_name": card.display_name, "area": _area(card.area),
            "skills": [{"id": i, "label": label, "wanted": wanted} for i, label, wanted in card.skills],
            "experience_years": card.experience_years, "education_level": card.education_level,
            "match": _match(card.score, card.parts, card.reasons), "applied": card.applied,
            "invitation": card.invitation, "contact": card.contact})
    return jsonify(vacancy_id=vacancy.id, items=items, page=page_no, per_page=per_page, has_more=has_more,
                   backend=result.backend, degraded=result.degraded)
