"""Employer JSON API: the business, its vacancies, applications and invitations, under /api/v1."""
from __future__ import annotations

from datetime import date, datetime

from flask import jsonify, request
from flask_babel import gettext as _

from ..api.core import api_blueprint, api_user, authorize_api, json_body
from ..api.openapi import operation, path_id, query, schema
from ..authz import can, current_employer
from ..errors import ApiError
from ..extensions import db
from ..models import Application, ApplicationStatus, Employer, Invitation, Vacancy, VacancyStatus
from ..models.workers import EDUCATION_LEVELS, JOB_TYPES
from . import hiring
from .jsoncheck import check_query, validated
from .money import WAGE_CAP
from .services import (EmployerData, InvalidInput, ServiceError, VacancyData, application_counts, close_vacancy,
                       create_vacancy, employer_vacancies, is_held, publish_vacancy, register_employer,
                       update_employer, update_vacancy)

bp = api_blueprint("employers_api", __name__)
MAX_ID = 2**31 - 1
TAGS = ["employer"]

# --- Schemas (the same dicts validate requests and document them) ------------------------------------------------

_NULL_STR = {"type": "string", "nullable": True}
_DT = {"type": "string", "format": "date-time"}
_NULL_DT = {"type": "string", "format": "date-time", "nullable": True}
_ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
_STATUS_COUNTS = {"type": "object", "required": [s.value for s in ApplicationStatus],
                  "properties": {s.value: {"type": "integer", "minimum": 0} for s in ApplicationStatus},
                  "additionalProperties": False}

EMPLOYER_FIELDS = {
    "name": {"type": "string", "minLength": 1, "maxLength": 200, "description": "Tên doanh nghiệp"},
    "tax_code": {"type": "string", "minLength": 10, "maxLength": 14, "pattern": "^[0-9]{10}(-[0-9]{3})?$",
                 "description": "Mã số thuế: 10 chữ số (đúng chữ số kiểm tra), hoặc 10-3 cho chi nhánh"},
    "ward_code": {"type": "string", "pattern": "^[0-9]{5}$", "description": "Mã phường, xã 2025"},
    "address_detail": {"type": "string", "maxLength": 200},
    "sector": {"type": "string", "minLength": 1, "maxLength": 64},
    "contact_person": {"type": "string", "minLength": 1, "maxLength": 120},
    "contact_phone": {"type": "string", "minLength": 9, "maxLength": 20},
}
EMPLOYER_INPUT = {"type": "object", "additionalProperties": False, "properties": EMPLOYER_FIELDS,
                  "required": ["name", "tax_code", "ward_code", "sector", "contact_person", "contact_phone"]}
EMPLOYER_UPDATE = {"type": "object", "additionalProperties": False, "properties": EMPLOYER_FIELDS, "minProperties": 1}
EMPLOYER_OUT = {"type": "object", "required": ["id", "name", "tax_code", "ward_code", "district_code", "address_detail",
                                               "sector", "contact_person", "contact_phone", "status", "status_reason",
                                               "verified_at", "created_at"],
                "properties": {"id": _ID, "name": {"type": "string"}, "tax_code": {"type": "string"},
                               "ward_code": {"type": "string"}, "district_code": {"type": "string"},
                               "address_detail": {"type": "string"}, "sector": {"type": "string"},
                               "contact_person": {"type": "string"}, "contact_phone": _NULL_STR,
                               "status": {"type": "string", "enum": ["unverified", "verified", "rejected"]},
                               "status_reason": _NULL_STR, "verified_at": _NULL_DT, "created_at": _DT,
                               "owner_email": {"type": "string"}}}

VACANCY_FIELDS = {
    "title": {"type": "string", "minLength": 3, "maxLength": 200},
    "description": {"type": "string", "maxLength": 10000},
    "occupation_code": {"type": "string", "pattern": "^[0-9]{2,5}$", "description": "Mã nghề VSCO 2020"},
    "required_skill_ids": {"type": "array", "items": _ID, "minItems": 1, "maxItems": 20, "uniqueItems": True},
    "nice_skill_ids": {"type": "array", "items": _ID, "maxItems": 20, "uniqueItems": True},
    "ward_code": {"type": "string", "pattern": "^[0-9]{5}$"},
    "wage_min": {"type": "integer", "minimum": 100000, "maximum": WAGE_CAP, "description": "VND mỗi tháng"},
    "wage_max": {"type": "integer", "minimum": 100000, "maximum": WAGE_CAP, "nullable": True},
    "positions": {"type": "integer", "minimum": 1, "maximum": 10000},
    "job_type": {"type": "string", "enum": list(JOB_TYPES)},
    "deadline": {"type": "string", "format": "date", "description": "Sau hôm nay, tối đa một năm"},
    "education_required": {"type": "string", "enum": [e for e in EDUCATION_LEVELS if e != "none"], "nullable": True},
    "experience_required": {"type": "integer", "minimum": 0, "maximum": 50},
}
VACANCY_INPUT = {"type": "object", "additionalProperties": False, "properties": VACANCY_FIELDS,
                 "required": ["title", "occupation_code", "required_skill_ids", "ward_code", "wage_min", "positions",
                              "job_type", "deadline"]}
VACANCY_UPDATE = {"type": "object", "additionalProperties": False, "properties": VACANCY_FIELDS, "minProperties": 1}
VACANCY_OUT = {"type": "object", "required": [
    "id", "employer_id", "title", "description", "occupation_code", "ward_code", "district_code", "wage_min",
    "wage_max", "positions", "positions_filled", "job_type", "deadline", "education_required", "experience_required",
    "required_skill_ids", "nice_skill_ids", "status", "held", "flagged", "flag_reason", "status_reason",
    "published_at", "closed_at", "created_at", "updated_at", "application_counts"], "properties": {
    "id": _ID, "employer_id": _ID, "title": {"type": "string"}, "description": {"type": "string"},
    "occupation_code": _NULL_STR, "ward_code": {"type": "string"}, "district_code": {"type": "string"},
    "wage_min": {"type": "integer", "nullable": True}, "wage_max": {"type": "integer", "nullable": True},
    "positions": {"type": "integer"}, "positions_filled": {"type": "integer"},
    "job_type": {"type": "string"}, "deadline": {"type": "string", "format": "date", "nullable": True},
    "education_required": _NULL_STR, "experience_required": {"type": "integer"},
    "required_skill_ids": {"type": "array", "items": {"type": "integer"}},
    "nice_skill_ids": {"type": "array", "items": {"type": "integer"}},
    "status": {"type": "string", "enum": [s.value for s in VacancyStatus]},
    "held": {"type": "boolean", "description": "Chờ cán bộ duyệt vì nội dung bị gắn cờ"},
    "flagged": {"type": "boolean"}, "flag_reason": _NULL_STR, "status_reason": _NULL_STR,
    "published_at": _NULL_DT, "closed_at": _NULL_DT, "created_at": _DT, "updated_at": _DT,
    "application_counts": _STATUS_COUNTS}}
VACANCY_LIST = {"type": "object", "required": ["items", "total"], "properties": {
    "items": {"type": "array", "items": {"$ref": "#/components/schemas/Vacancy"}}, "total": {"type": "integer"}}}

EVENT_OUT = {"type": "object", "required": ["from_status", "to_status", "actor_id", "note", "at"], "properties": {
    "from_status": _NULL_STR, "to_status": {"type": "string"}, "actor_id": {"type": "integer", "nullable": True},
    "note": {"type": "string"}, "at": _DT}}
APPLICATION_OUT = {"type": "object", "required": [
    "id", "vacancy_id", "status", "note", "reject_reason", "via_invitation", "created_at", "responded_at",
    "reminded_at", "worker", "events", "allowed_moves"], "properties": {
    "id": _ID, "vacancy_id": _ID, "status": {"type": "string", "enum": [s.value for s in ApplicationStatus]},
    "note": {"type": "string"}, "reject_reason": _NULL_STR, "via_invitation": {"type": "boolean"},
    "created_at": _DT, "responded_at": _NULL_DT, "reminded_at": _NULL_DT,
    "worker": {"type": "object", "required": ["id", "full_name", "ward_code", "phone", "email"], "properties": {
        "id": _ID, "full_name": {"type": "string"}, "ward_code": _NULL_STR,
        "phone": {**_NULL_STR, "description": "Chỉ có khi người lao động đã ứng tuyển (chưa rút) hoặc nhận lời mời"},
        "email": _NULL_STR}},
    "events": {"type": "array", "items": EVENT_OUT},
    "allowed_moves": {"type": "array", "items": {"type": "string"}}}}
APPLICATION_LIST = {"type": "object", "required": ["items", "total", "page"], "properties": {
    "items": {"type": "array", "items": {"$ref": "#/components/schemas/EmployerApplication"}},
    "total": {"type": "integer"}, "page": {"type": "integer"}}}
MOVE_INPUT = {"type": "object", "additionalProperties": False, "required": ["to_status"], "properties": {
    "to_status": {"type": "string", "enum": list(hiring.MOVE_TARGETS)},
    "reason": {"type": "string", "maxLength": 500, "description": "Bắt buộc khi to_status là rejected"}}}
INVITATION_INPUT = {"type": "object", "additionalProperties": False, "required": ["worker_id"], "properties": {
    "worker_id": _ID, "message": {"type": "string", "maxLength": 1000}}}
INVITATION_OUT = {"type": "object", "required": ["id", "vacancy_id", "worker_id", "status", "message", "created_at"],
                  "properties": {"id": _ID, "vacancy_id": _ID, "worker_id": _ID,
                                 "status": {"type": "string", "enum": ["pending", "accepted", "declined"]},
                                 "message": {"type": "string"}, "created_at": _DT}}

EMPLOYER_REF = schema("Employer", EMPLOYER_OUT)
EMPLOYER_INPUT_REF = schema("EmployerInput", EMPLOYER_INPUT)
EMPLOYER_UPDATE_REF = schema("EmployerUpdate", EMPLOYER_UPDATE)
VACANCY_REF = schema("Vacancy", VACANCY_OUT)
VACANCY_INPUT_REF = schema("VacancyInput", VACANCY_INPUT)
VACANCY_UPDATE_REF = schema("VacancyUpdate", VACANCY_UPDATE)
VACANCY_LIST_REF = schema("VacancyList", VACANCY_LIST)
APPLICATION_REF = schema("EmployerApplication", APPLICATION_OUT)
APPLICATION_LIST_REF = schema("EmployerApplicationList", APPLICATION_LIST)
MOVE_REF = schema("ApplicationMove", MOVE_INPUT)
INVITATION_INPUT_REF = schema("InvitationInput", INVITATION_INPUT)
INVITATION_REF = schema("Invitation", INVITATION_OUT)
PAGE_PARAM = {"type": "integer", "minimum": 1, "maximum": 100000}

# --- Serialisers ----------------------------------------------------------------------------------------------------


def _dt(value: datetime | None) -> str | None:
    """A stored (naive UTC) moment as RFC 3339."""
    return value.isoformat() + "Z" if value is not None else None


def _d(value: date | None) -> str | None:
    """A date as YYYY-MM-DD."""
    return value.isoformat() if value is not None else None


def employer_json(employer: Employer, with_owner: bool = False) -> dict:
    """A business as the API shows it."""
    out = {"id": employer.id, "name": employer.name, "tax_code": employer.tax_code, "ward_code": employer.ward_code,
           "district_code": employer.ward.district_code, "address_detail": employer.address_detail or "",
           "sector": employer.sector, "contact_person": employer.contact_person,
           "contact_phone": employer.contact_phone, "status": employer.status,
           "status_reason": employer.status_reason, "verified_at": _dt(employer.verified_at),
           "created_at": _dt(employer.created_at)}
    if with_owner:
        out["owner_email"] = employer.owner.email
    return out


def vacancy_json(vacancy: Vacancy, counts: dict[str, int] | None = None) -> dict:
    """A vacancy as the API shows it to its owner and to officers."""
    if counts is None:
        counts = application_counts([vacancy.id])[vacancy.id]
    return {"id": vacancy.id, "employer_id": vacancy.employer_id, "title": vacancy.title,
            "description": vacancy.description or "", "occupation_code": vacancy.occupation_code,
            "ward_code": vacancy.ward_code, "district_code": vacancy.ward.district_code,
            "wage_min": vacancy.wage_min, "wage_max": vacancy.wage_max, "positions": vacancy.positions,
            "positions_filled": vacancy.positions_filled, "job_type": vacancy.job_type,
            "deadline": _d(vacancy.deadline), "education_required": vacancy.education_required,
            "experience_required": vacancy.experience_required,
            "required_skill_ids": sorted(s.id for s in vacancy.required_skills),
            "nice_skill_ids": sorted(s.id for s in vacancy.nice_skills), "status": vacancy.status,
            "held": is_held(vacancy), "flagged": bool(vacancy.flagged), "flag_reason": vacancy.flag_reason,
            "status_reason": vacancy.status_reason, "published_at": _dt(vacancy.published_at),
            "closed_at": _dt(vacancy.closed_at), "created_at": _dt(vacancy.created_at),
            "updated_at": _dt(vacancy.updated_at), "application_counts": counts}


def application_json(application: Application, user) -> dict:
    """An application as its vacancy's owner sees it; contact only while the worker has given that right."""
    worker = application.worker
    contact = can(user, "worker.contact", worker)
    return {"id": application.id, "vacancy_id": application.vacancy_id, "status": application.status,
            "note": application.note or "", "reject_reason": application.reject_reason,
            "via_invitation": bool(application.via_invitation), "created_at": _dt(application.created_at),
            "responded_at": _dt(application.responded_at), "reminded_at": _dt(application.reminded_at),
            "worker": {"id": worker.id, "full_name": worker.full_name, "ward_code": worker.ward_code,
                       "phone": worker.phone if contact else None,
                       "email": worker.contact_email if contact else None},
            "events": [{"from_status": e.from_status, "to_status": e.to_status, "actor_id": e.actor_id,
                        "note": e.note or "", "at": _dt(e.at)} for e in application.events],
            "allowed_moves": list(hiring.allowed_moves(application))}


def invitation_json(invitation: Invitation) -> dict:
    """An invitation as the API shows it."""
    return {"id": invitation.id, "vacancy_id": invitation.vacancy_id, "worker_id": invitation.worker_id,
            "status": invitation.status, "message": invitation.message or "", "created_at": _dt(invitation.created_at)}


def raise_api(exc: ServiceError) -> None:
    """A service's refusal as a JSON error (field errors in details)."""
    db.session.rollback()
    details = exc.errors if isinstance(exc, InvalidInput) else ({exc.field: [exc.message]} if exc.field else None)
    raise ApiError(exc.status, exc.code, exc.message, details)


def get_or_404(model, object_id: int):
    """A row by id or a JSON 404."""
    row = db.session.get(model, object_id) if 0 < object_id <= MAX_ID else None
    if row is None:
        raise ApiError(404, "not_found", _("Không tìm thấy."))
    return row


def _own_employer():
    """The calling employer account and its business (404 no_employer when not registered)."""
    user = api_user("employer")
    employer = current_employer(user)
    if employer is None:
        raise ApiError(404, "no_employer", _("Tài khoản này chưa đăng ký doanh nghiệp."))
    return user, employer


def _own_vacancy(vacancy_id: int, action: str = "vacancy.edit") -> Vacancy:
    """One of the caller's vacancies (others' are not found)."""
    api_user("employer")
    vacancy = get_or_404(Vacancy, vacancy_id)
    authorize_api(action, vacancy, hide=True)
    return vacancy


def _employer_data(body: dict, base: EmployerData | None = None) -> EmployerData:
    """Business data from a validated body, over base for a partial update."""
    data = base or EmployerData()
    for key in EMPLOYER_FIELDS:
        if key in body:
            setattr(data, key, body[key])
    return data


def _vacancy_data(body: dict, base: VacancyData | None = None) -> VacancyData:
    """Vacancy data from a validated body, over base for a partial update."""
    data = base or VacancyData(experience_required=0)
    for key in VACANCY_FIELDS:
        if key not in body:
            continue
        value = body[key]
        if key == "deadline":
            value = date.fromisoformat(value)
        elif key in ("wage_min", "wage_max", "positions", "experience_required") and value is not None:
            value = int(value)
        elif key in ("required_skill_ids", "nice_skill_ids"):
            value = [int(v) for v in value]
        setattr(data, key, value)
    return data


# --- The business ---------------------------------------------------------------------------------------------------

@bp.get("/employer")
@operation("get", "/employer", summary="The caller's business", tags=TAGS, responses={200: EMPLOYER_REF},
           errors=(403, 404))
def get_employer():
    """The business of the calling employer account."""
    _, employer = _own_employer()
    return jsonify(employer_json(employer))


@bp.post("/employer")
@operation("post", "/employer", summary="Register the caller's business (unverified until an officer checks it)",
           tags=TAGS, body=EMPLOYER_INPUT_REF, responses={201: EMPLOYER_REF}, errors=(403, 409, 422))
def post_employer():
    """Register a business."""
    user = api_user("employer")
    body = validated(json_body(), EMPLOYER_INPUT)
    try:
        employer = register_employer(user, _employer_data(body))
    except ServiceError as exc:
        raise_api(exc)
    return jsonify(employer_json(employer)), 201


@bp.put("/employer")
@operation("put", "/employer", summary="Edit the caller's business (fields left out keep their value)", tags=TAGS,
           body=EMPLOYER_UPDATE_REF, responses={200: EMPLOYER_REF}, errors=(403, 404, 409, 422))
def put_employer():
    """Edit the business."""
    _, employer = _own_employer()
    body = validated(json_body(), EMPLOYER_UPDATE)
    base = EmployerData(name=employer.name, tax_code=employer.tax_code, ward_code=employer.ward_code,
                        sector=employer.sector, contact_person=employer.contact_person,
                        contact_phone=employer.contact_phone or "", address_detail=employer.address_detail or "")
    try:
        update_employer(employer, _employer_data(body, base))
    except ServiceError as exc:
        raise_api(exc)
    return jsonify(employer_json(employer))


# --- Vacancies ------------------------------------------------------------------------------------------------------

@bp.get("/employer/vacancies")
@operation("get", "/employer/vacancies", summary="The caller's vacancies, newest first, with application counts",
           tags=TAGS, responses={200: VACANCY_LIST_REF}, errors=(403, 404))
def list_vacancies():
    """Every vacancy of the business."""
    _, employer = _own_employer()
    vacancies = employer_vacancies(employer)
    counts = application_counts([v.id for v in vacancies])
    return jsonify(items=[vacancy_json(v, counts[v.id]) for v in vacancies], total=len(vacancies))


@bp.post("/employer/vacancies")
@operation("post", "/employer/vacancies", summary="Create a vacancy as a draft", tags=TAGS, body=VACANCY_INPUT_REF,
           responses={201: VACANCY_REF}, errors=(403, 404, 422))
def post_vacancy():
    """Create a draft vacancy."""
    _, employer = _own_employer()
    body = validated(json_body(), VACANCY_INPUT)
    try:
        vacancy = create_vacancy(employer, _vacancy_data(body))
    except ServiceError as exc:
        raise_api(exc)
    return jsonify(vacancy_json(vacancy)), 201


@bp.get("/employer/vacancies/<int:vacancy_id>")
@operation("get", "/employer/vacancies/{vacancy_id}", summary="One of the caller's vacancies", tags=TAGS,
           parameters=[path_id("vacancy_id")], responses={200: VACANCY_REF}, errors=(403, 404))
def get_vacancy(vacancy_id: int):
    """A vacancy of the business."""
    return jsonify(vacancy_json(_own_vacancy(vacancy_id)))


@bp.put("/employer/vacancies/<int:vacancy_id>")
@operation("put", "/employer/vacancies/{vacancy_id}",
           summary="Edit a vacancy (fields left out keep their value); an open one must still pass the publish checks",
           tags=TAGS, parameters=[path_id("vacancy_id")], body=VACANCY_UPDATE_REF, responses={200: VACANCY_REF},
           errors=(403, 404, 409, 422))
def put_vacancy(vacancy_id: int):
    """Edit a vacancy."""
    vacancy = _own_vacancy(vacancy_id)
    body = validated(json_body(), VACANCY_UPDATE)
    try:
        update_vacancy(vacancy, _vacancy_data(body, VacancyData.of(vacancy)))
    except ServiceError as exc:
        raise_api(exc)
    return jsonify(vacancy_json(vacancy))


@bp.post("/employer/vacancies/<int:vacancy_id>/publish")
@operation("post", "/employer/vacancies/{vacancy_id}/publish",
           summary="Publish (or reopen); fee wording holds it for an officer (held: true)", tags=TAGS,
           parameters=[path_id("vacancy_id")], responses={200: VACANCY_REF}, errors=(403, 404, 409, 422))
def publish(vacancy_id: int):
    """Publish a vacancy."""
    vacancy = _own_vacancy(vacancy_id)
    try:
        publish_vacancy(vacancy)
    except ServiceError as exc:
        raise_api(exc)
    return jsonify(vacancy_json(vacancy))


@bp.post("/employer/vacancies/<int:vacancy_id>/close")
@operation("post", "/employer/vacancies/{vacancy_id}/close", summary="Close an open vacancy", tags=TAGS,
           parameters=[path_id("vacancy_id")], responses={200: VACANCY_REF}, errors=(403, 404, 409))
def close(vacancy_id: int):
    """Close a vacancy."""
    vacancy = _own_vacancy(vacancy_id, "vacancy.close")
    try:
        close_vacancy(vacancy)
    except ServiceError as exc:
        raise_api(exc)
    return jsonify(vacancy_json(vacancy))


# --- Applications and invitations ----------------------------------------------------------------------------------

@bp.get("/employer/vacancies/<int:vacancy_id>/applications")
@operation("get", "/employer/vacancies/{vacancy_id}/applications",
           summary="Applications to one of the caller's vacancies (50 a page, newest first)", tags=TAGS,
           parameters=[path_id("vacancy_id"), query("page", PAGE_PARAM, "Page number")],
           responses={200: APPLICATION_LIST_REF}, errors=(403, 404))
def list_applications(vacancy_id: int):
    """A page of a vacancy's applications."""
    user = api_user("employer")
    vacancy = _own_vacancy(vacancy_id, "vacancy.applications")
    check_query("page", request.args.get("page"), PAGE_PARAM)
    page = int(request.args.get("page", 1))
    rows, total = hiring.vacancy_applications(vacancy, page=page)
    return jsonify(items=[application_json(a, user) for a in rows], total=total, page=page)


@bp.post("/applications/<int:application_id>/move")
@operation("post", "/applications/{application_id}/move",
           summary="Move an application: shortlisted, interview, hired, or rejected (with a reason)", tags=TAGS,
           parameters=[path_id("application_id")], body=MOVE_REF, responses={200: APPLICATION_REF},
           errors=(403, 404, 409, 422))
def move(application_id: int):
    """Move an application to another status."""
    user = api_user("employer")
    application = get_or_404(Application, application_id)
    authorize_api("application.move", application, hide=True)
    body = validated(json_body(), MOVE_INPUT)
    try:
        hiring.move_application(application, body["to_status"], user, body.get("reason"))
    except ServiceError as exc:
        raise_api(exc)
    return jsonify(application_json(application, user))


@bp.post("/employer/vacancies/<int:vacancy_id>/invitations")
@operation("post", "/employer/vacancies/{vacancy_id}/invitations",
           summary="Invite a visible, seeking worker to apply to an open vacancy (once)", tags=TAGS,
           parameters=[path_id("vacancy_id")], body=INVITATION_INPUT_REF, responses={201: INVITATION_REF},
           errors=(403, 404, 409, 422))
def invite(vacancy_id: int):
    """Invite a worker."""
    vacancy = _own_vacancy(vacancy_id, "vacancy.invite")
    body = validated(json_body(), INVITATION_INPUT)
    try:
        invitation = hiring.invite_worker(vacancy, int(body["worker_id"]), body.get("message"))
    except ServiceError as exc:
        raise_api(exc)
    return jsonify(invitation_json(invitation)), 201


# --- Bulk import ----------------------------------------------------------------------------------------------------

def _import_schemas() -> tuple[dict, dict]:
    """The import body and answer: rows keyed like the template's columns (English names), and a per-row report."""
    from .importing import FIELD_NAMES, MAX_ROWS

    row = {"type": "object", "additionalProperties": False, "required": ["title"], "properties": {
        name: {"type": "string", "maxLength": 10000} for name in FIELD_NAMES}}
    row["properties"]["title"] = {"type": "string", "minLength": 1, "maxLength": 400}
    body = {"type": "object", "additionalProperties": False, "required": ["rows"], "properties": {
        "rows": {"type": "array", "items": row, "minItems": 1, "maxItems": MAX_ROWS,
                 "description": "Một tin mỗi phần tử; kỹ năng, nghề, lương, nơi làm việc đọc từ title/description/"
                                "address khi các trường riêng để trống (skills: tên kỹ năng cách nhau bởi ';')"},
        "dry_run": {"type": "boolean", "description": "Chỉ đọc và báo cáo, không tạo tin"},
        "employer_tax_code": {"type": "string", "maxLength": 20,
                              "description": "Bắt buộc với cán bộ việc làm: doanh nghiệp được nhập hộ"}}}
    report = {"type": "object", "required": ["row", "status", "title", "reasons", "warnings"], "properties": {
        "row": {"type": "integer"}, "status": {"type": "string", "enum": ["ok", "decide", "invalid", "refused"]},
        "title": {"type": "string"}, "occupation_code": _NULL_STR, "ward_code": _NULL_STR,
        "wage_min": {"type": "integer", "nullable": True}, "wage_max": {"type": "integer", "nullable": True},
        "required_skill_ids": {"type": "array", "items": {"type": "integer"}},
        "nice_skill_ids": {"type": "array", "items": {"type": "integer"}}, "job_type": {"type": "string"},
        "deadline": {"type": "string", "format": "date", "nullable": True},
        "understood": {"type": "array", "items": {"type": "object"}},
        "ward_choices": {"type": "array", "items": {"type": "string"}},
        "occupation_choices": {"type": "array", "items": {"type": "string"}},
        "reasons": {"type": "array", "items": {"type": "string"}},
        "warnings": {"type": "array", "items": {"type": "string"}}}}
    answer = {"type": "object", "required": ["dry_run", "created", "rows"], "properties": {
        "dry_run": {"type": "boolean"}, "created": {"type": "array", "items": _ID},
        "rows": {"type": "array", "items": report}}}
    return body, answer


IMPORT_INPUT, IMPORT_OUT = _import_schemas()


@bp.post("/employer/vacancies/import")
@operation("post", "/employer/vacancies/import",
           summary="Import many vacancies as drafts (one transaction); every row is reported with what was read "
                   "and why it was not created (rule broken, decision needed). Officers name the business.",
           tags=TAGS, body=schema("VacancyImport", IMPORT_INPUT), responses={200: schema("VacancyImportReport",
                                                                                          IMPORT_OUT)},
           errors=(403, 404, 422))
def import_vacancies():
    """Read the rows, report each one, and create those that can be created as drafts."""
    from . import importing

    user = api_user("employer", "officer", "admin")
    body = validated(json_body(), IMPORT_INPUT)
    if user.role == "employer":
        employer = current_employer(user)
        if employer is None:
            raise ApiError(404, "no_employer", _("Tài khoản này chưa đăng ký doanh nghiệp."))
    else:
        employer = importing.employer_by_tax_code(body.get("employer_tax_code") or "")
        if employer is None:
            raise ApiError(404, "employer_not_found", _("Không có doanh nghiệp nào với mã số thuế này."))
    try:
        raw = [importing.row_from_object(obj, i) for i, obj in enumerate(body["rows"], start=1)]
    except importing.ImportFileError as exc:
        raise ApiError(422, exc.code, exc.message)
    rows = importing.read_rows(raw)
    created = []
    if not body.get("dry_run") and any(r.status == "ok" for r in rows):
        try:
            created = importing.create_drafts(employer, rows)
        except ServiceError as exc:
            raise_api(exc)
    return jsonify(dry_run=bool(body.get("dry_run")), created=[v.id for v in created],
                   rows=[r.to_json() for r in rows])
