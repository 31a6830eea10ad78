"""Labour office JSON API: businesses to verify or reject, vacancies to review, take down or restore."""
from __future__ import annotations

from flask import jsonify, request

from ..api.core import api_blueprint, api_user, authorize_api, json_body
from ..api.openapi import operation, path_id, query, schema
from ..employers.api import (EMPLOYER_REF, PAGE_PARAM, VACANCY_LIST_REF, VACANCY_REF, employer_json, get_or_404,
                             raise_api, vacancy_json)
from ..employers.jsoncheck import check_query, validated
from ..employers.services import ServiceError, application_counts
from ..models import Employer, Vacancy
from . import services

bp = api_blueprint("office_api", __name__)
TAGS = ["office"]

REASON_INPUT = {"type": "object", "additionalProperties": False, "required": ["reason"], "properties": {
    "reason": {"type": "string", "minLength": 1, "maxLength": 500, "description": "Lý do (người liên quan sẽ thấy)"}}}
REASON_REF = schema("Reason", REASON_INPUT)
EMPLOYER_LIST_REF = schema("EmployerList", {"type": "object", "required": ["items", "total", "page"], "properties": {
    "items": {"type": "array", "items": EMPLOYER_REF}, "total": {"type": "integer"}, "page": {"type": "integer"}}})
STATUS_PARAM = {"type": "string", "enum": list(services.EMPLOYER_FILTERS), "default": "unverified"}
KIND_PARAM = {"type": "string", "enum": list(services.VACANCY_FILTERS), "default": "flagged"}


def _officer():
    """The calling officer or administrator."""
    user = api_user()
    authorize_api("office.access")
    return user


def _page() -> int:
    """The page asked for (checked against its declared schema)."""
    check_query("page", request.args.get("page"), PAGE_PARAM)
    return int(request.args.get("page", 1))


@bp.get("/office/employers")
@operation("get", "/office/employers", summary="Businesses by verification status, oldest waiting first (50 a page)",
           tags=TAGS, parameters=[query("status", STATUS_PARAM, "unverified, verified, rejected or all"),
                                  query("page", PAGE_PARAM, "Page number")],
           responses={200: EMPLOYER_LIST_REF}, errors=(403,))
def list_employers():
    """Businesses to verify (or any status)."""
    _officer()
    status = request.args.get("status", "unverified")
    check_query("status", status, STATUS_PARAM)
    page = _page()
    rows, total = services.list_employers(status, page)
    return jsonify(items=[employer_json(e, with_owner=True) for e in rows], total=total, page=page)


@bp.post("/office/employers/<int:employer_id>/verify")
@operation("post", "/office/employers/{employer_id}/verify", summary="Verify a business", tags=TAGS,
           parameters=[path_id("employer_id")], responses={200: EMPLOYER_REF}, errors=(403, 404, 409))
def verify(employer_id: int):
    """Verify a business: it may publish vacancies."""
    officer = _officer()
    employer = get_or_404(Employer, employer_id)
    try:
        services.verify_employer(employer, officer)
    except ServiceError as exc:
        raise_api(exc)
    return jsonify(employer_json(employer, with_owner=True))


@bp.post("/office/employers/<int:employer_id>/reject")
@operation("post", "/office/employers/{employer_id}/reject", summary="Reject a business, with a reason", tags=TAGS,
           parameters=[path_id("employer_id")], body=REASON_REF, responses={200: EMPLOYER_REF},
           errors=(403, 404, 409, 422))
def reject(employer_id: int):
    """Reject a business."""
    officer = _officer()
    employer = get_or_404(Employer, employer_id)
    body = validated(json_body(), REASON_INPUT)
    try:
        services.reject_employer(employer, officer, body["reason"])
    except ServiceError as exc:
        raise_api(exc)
    return jsonify(employer_json(employer, with_owner=True))


@bp.get("/office/vacancies")
@operation("get", "/office/vacancies", summary="Vacancies held for review (flagged), open, taken down or all",
           tags=TAGS, parameters=[query("kind", KIND_PARAM, "flagged, open, taken_down or all"),
                                  query("page", PAGE_PARAM, "Page number")],
           responses={200: VACANCY_LIST_REF}, errors=(403,))
def list_vacancies():
    """Vacancies for the office to look at."""
    _officer()
    kind = request.args.get("kind", "flagged")
    check_query("kind", kind, KIND_PARAM)
    rows, total = services.list_vacancies(kind, _page())
    counts = application_counts([v.id for v in rows])
    return jsonify(items=[vacancy_json(v, counts[v.id]) for v in rows], total=total)


@bp.post("/office/vacancies/<int:vacancy_id>/approve")
@operation("post", "/office/vacancies/{vacancy_id}/approve", summary="Publish a vacancy held for its wording",
           tags=TAGS, parameters=[path_id("vacancy_id")], responses={200: VACANCY_REF}, errors=(403, 404, 409, 422))
def approve(vacancy_id: int):
    """Approve a held vacancy."""
    officer = _officer()
    vacancy = get_or_404(Vacancy, vacancy_id)
    try:
        services.approve_vacancy(vacancy, officer)
    except ServiceError as exc:
        raise_api(exc)
    return jsonify(vacancy_json(vacancy))


@bp.post("/office/vacancies/<int:vacancy_id>/takedown")
@operation("post", "/office/vacancies/{vacancy_id}/takedown", summary="Take a vacancy down, with a reason",
           tags=TAGS, parameters=[path_id("vacancy_id")], body=REASON_REF, responses={200: VACANCY_REF},
           errors=(403, 404, 409, 422))
def takedown(vacancy_id: int):
    """Take a vacancy down."""
    officer = _officer()
    vacancy = get_or_404(Vacancy, vacancy_id)
    authorize_api("vacancy.takedown", vacancy)
    body = validated(json_body(), REASON_INPUT)
    try:
        services.take_down_vacancy(vacancy, officer, body["reason"])
    except ServiceError as exc:
        raise_api(exc)
    return jsonify(vacancy_json(vacancy))


@bp.post("/office/vacancies/<int:vacancy_id>/restore")
@operation("post", "/office/vacancies/{vacancy_id}/restore", summary="Restore a vacancy taken down by mistake",
           tags=TAGS, parameters=[path_id("vacancy_id")], responses={200: VACANCY_REF}, errors=(403, 404, 409))
def restore(vacancy_id: int):
    """Restore a taken-down vacancy."""
    officer = _officer()
    vacancy = get_or_404(Vacancy, vacancy_id)
    try:
        services.restore_vacancy(vacancy, officer)
    except ServiceError as exc:
        raise_api(exc)
    return jsonify(vacancy_json(vacancy))
