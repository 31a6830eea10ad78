"""The job seeker's JSON API: own profile, applications, invitations, data export and account deletion."""
from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from ..api.core import api_blueprint, api_user, json_body
from ..api.openapi import operation, path_id, schema
from ..errors import ApiError
from ..geo.labels import ward_label
from . import services
from .forms import BIO_MAX, MAX_PREFERRED_WARDS, MAX_SKILLS, NOTE_MAX, ProfileForm, initial_values
from .labels import EDUCATION, JOB_TYPES, SEXES
from .services import WorkerError

bp = api_blueprint("workers_api", __name__)

_NULLABLE_STR = {"type": "string", "nullable": True}
WARD = schema("WorkerWard", {
    "type": "object", "required": ["code", "name", "district_code", "district"],
    "properties": {"code": {"type": "string"}, "name": {"type": "string"}, "district_code": {"type": "string"},
                   "district": {"type": "string"}}})
VACANCY_REF = schema("WorkerVacancyRef", {"type": "object", "required": ["id", "title", "employer", "status"],
                                          "properties": {"id": {"type": "integer"}, "title": {"type": "string"},
                                                         "employer": {"type": "string"},
                                                         "status": {"type": "string"}}})
PROFILE = schema("WorkerProfile", {
    "type": "object",
    "required": ["id", "full_name", "phone", "contact_email", "birth_year", "sex", "ward", "anywhere_in_hanoi",
                 "preferred_wards", "skills", "occupation", "expected_wage", "job_type", "education_level",
                 "experience_years", "languages", "bio", "is_visible", "has_cv"],
    "properties": {
        "id": {"type": "integer"}, "full_name": {"type": "string"}, "phone": _NULLABLE_STR,
        "contact_email": _NULLABLE_STR, "birth_year": {"type": "integer", "nullable": True},
        "sex": {"type": "string", "nullable": True, "enum": [*SEXES, None]},
        "ward": {"allOf": [WARD], "nullable": True},
        "anywhere_in_hanoi": {"type": "boolean"}, "preferred_wards": {"type": "array", "items": WARD},
        "skills": {"type": "array", "items": {"type": "object", "required": ["id", "slug", "label"], "properties": {
            "id": {"type": "integer"}, "slug": {"type": "string"}, "label": {"type": "string"}}}},
        "occupation": {"type": "object", "nullable": True, "required": ["code", "title"], "properties": {
            "code": {"type": "string"}, "title": {"type": "string"}}},
        "expected_wage": {"type": "integer", "nullable": True}, "job_type": _NULLABLE_STR,
        "education_level": _NULLABLE_STR, "experience_years": {"type": "integer"}, "languages": {"type": "string"},
        "bio": {"type": "string"}, "is_visible": {"type": "boolean"}, "is_seeking": {"type": "boolean"},
        "has_cv": {"type": "boolean"}, "registered_by_officer": {"type": "boolean"},
        "consent_at": _NULLABLE_STR, "created_at": _NULLABLE_STR, "updated_at": _NULLABLE_STR}})
PROFILE_INPUT = schema("WorkerProfileInput", {
    "type": "object", "additionalProperties": False,
    "description": "Fields left out keep their saved value. A new profile needs full_name, phone, a place "
                   "(ward_code, or address: a typed address, old or new, resolved offline) and skill_ids.",
    "properties": {
        "full_name": {"type": "string", "maxLength": 120}, "phone": {"type": "string", "maxLength": 30},
        "contact_email": {"type": "string", "maxLength": 254, "nullable": True},
        "birth_year": {"type": "integer", "nullable": True, "minimum": 1900, "maximum": 2100},
        "sex": {"type": "string", "enum": [*SEXES, None], "nullable": True},
        "address": {"type": "string", "maxLength": 300}, "ward_code": {"type": "string", "maxLength": 5},
        "anywhere_in_hanoi": {"type": "boolean"},
        "preferred_ward_codes": {"type": "array", "maxItems": MAX_PREFERRED_WARDS,
                                 "items": {"type": "string", "maxLength": 5}},
        "skill_ids": {"type": "array", "minItems": 1, "maxItems": MAX_SKILLS,
                      "items": {"type": "integer", "minimum": 1, "maximum": 2_147_483_647}},
        "occupation_code": {"type": "string", "maxLength": 5, "nullable": True},
        "expected_wage": {"type": "integer", "nullable": True, "minimum": 0, "maximum": 1_000_000_000},
        "job_type": {"type": "string", "enum": [*JOB_TYPES, None], "nullable": True},
        "education_level": {"type": "string", "enum": [*EDUCATION, None], "nullable": True},
        "experience_years": {"type": "integer", "minimum": 0, "maximum": 60},
        "languages": {"type": "string", "maxLength": 200}, "bio": {"type": "string", "maxLength": BIO_MAX},
        "is_visible": {"type": "boolean"}}})
HISTORY = {"type": "array", "items": {"type": "object", "required": ["from_status", "to_status", "at"], "properties": {
    "from_status": _NULLABLE_STR, "to_status": {"type": "string"}, "at": {"type": "string"},
    "note": {"type": "string"}, "by_me": {"type": "boolean"}}}}
APPLICATION = schema("WorkerApplication", {
    "type": "object", "required": ["id", "vacancy", "status", "note", "via_invitation", "created_at", "history"],
    "properties": {"id": {"type": "integer"}, "vacancy": VACANCY_REF, "status": {"type": "string", "enum": [
        "received", "shortlisted", "interview", "hired", "rejected", "withdrawn"]}, "note": {"type": "string"},
        "via_invitation": {"type": "boolean"}, "reject_reason": _NULLABLE_STR, "created_at": {"type": "string"},
        "updated_at": _NULLABLE_STR, "history": HISTORY}})
INVITATION = schema("WorkerInvitation", {
    "type": "object", "required": ["id", "vacancy", "message", "status", "created_at", "responded_at"],
    "properties": {"id": {"type": "integer"}, "vacancy": VACANCY_REF, "message": {"type": "string"},
                   "status": {"type": "string", "enum": ["pending", "accepted", "declined"]},
                   "created_at": {"type": "string"}, "responded_at": _NULLABLE_STR}})
APPLY_INPUT = schema("ApplyRequest", {"type": "object", "additionalProperties": False, "properties": {
    "note": {"type": "string", "maxLength": NOTE_MAX}}})
EXPORT = schema("WorkerDataExport", {
    "type": "object", "required": ["exported_at", "account", "profile", "applications", "invitations"],
    "properties": {"exported_at": {"type": "string"},
                   "account": {"type": "object", "required": ["email", "role"], "properties": {
                       "email": {"type": "string"}, "role": {"type": "string"}, "locale": {"type": "string"},
                       "created_at": _NULLABLE_STR, "last_login_at": _NULLABLE_STR}},
                   "profile": {"allOf": [PROFILE], "nullable": True},
                   "applications": {"type": "array", "items": APPLICATION},
                   "invitations": {"type": "array", "items": INVITATION}}})


def _list_of(item: dict) -> dict:
    """The schema of {"items": [item, ...]}."""
    return {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": item}}}


# JSON field -> (form field, accepted Python types, may be null)
_FIELDS: dict[str, tuple[str, tuple[type, ...], bool]] = {
    "full_name": ("full_name", (str,), False), "phone": ("phone", (str,), False),
    "contact_email": ("contact_email", (str,), True), "birth_year": ("birth_year", (int,), True),
    "sex": ("sex", (str,), True), "address": ("address", (str,), False), "ward_code": ("ward_code", (str,), False),
    "anywhere_in_hanoi": ("anywhere_in_hanoi", (bool,), False),
    "preferred_ward_codes": ("preferred_wards", (list,), False), "skill_ids": ("skills", (list,), False),
    "occupation_code": ("occupation_code", (str,), True), "expected_wage": ("expected_wage", (int,), True),
    "job_type": ("job_type", (str,), True), "education_level": ("education_level", (str,), True),
    "experience_years": ("experience_years", (int,), False), "languages": ("languages", (str,), False),
    "bio": ("bio", (str,), False), "is_visible": ("is_visible", (bool,), False),
}
_ITEM_TYPES = {"preferred_ward_codes": str, "skill_ids": int}
_FORM_TO_JSON = {form_name: json_name for json_name, (form_name, _types, _null) in _FIELDS.items()}


def _type_ok(value, types: tuple[type, ...], nullable: bool) -> bool:
    """Whether a JSON value has one of the accepted types (a boolean is not a number here)."""
    if value is None:
        return nullable
    if isinstance(value, bool) and bool not in types:
        return False
    return isinstance(value, types)


def _formdata(body: dict, profile, user) -> MultiDict:
    """The profile form's input: saved values, overlaid with the JSON fields (type-checked first)."""
    errors: dict[str, list[str]] = {}
    for key, value in body.items():
        if key not in _FIELDS:
            errors[key] = [_("Trường này không được hỗ trợ.")]
            continue
        _form_name, types, nullable = _FIELDS[key]
        item_type = _ITEM_TYPES.get(key)
        if not _type_ok(value, types, nullable) or (
                item_type and not all(_type_ok(v, (item_type,), False) for v in value)):
            errors[key] = [_("Kiểu dữ liệu không đúng.")]
    if errors:
        raise ApiError(400, "validation_error", _("Dữ liệu không hợp lệ."), errors)
    values = initial_values(profile, user)
    values["ward_code"] = profile.ward_code if profile and profile.ward_code else ""
    values["address"] = ""
    if "address" in body or "ward_code" in body:
        values["ward_code"] = body.get("ward_code") or ""
        values["address"] = body.get("address") or ""
    for key, value in body.items():
        if key in {"address", "ward_code"}:
            continue
        form_name = _FIELDS[key][0]
        if isinstance(value, bool):
            values[form_name] = value
        elif isinstance(value, list):
            values[form_name] = [str(v) for v in value]
        else:
            values[form_name] = "" if value is None else str(value)
    data = MultiDict()
    for name, value in values.items():
        if isinstance(value, bool):
            if value:
                data.add(name, "y")
        elif isinstance(value, list):
            for item in value:
                data.add(name, item)
        else:
            data.add(name, value)
    return data


def _worker_error(exc: WorkerError) -> ApiError:
    """The API error for a refused action."""
    return ApiError(exc.status, exc.code, exc.message)


@bp.get("/me/profile")
@operation("get", "/me/profile", summary="The job seeker's own profile", tags=["job seeker"],
           responses={200: PROFILE}, errors=(403, 404))
def get_profile():
    """Everything in the caller's profile."""
    user = api_user("worker")
    profile = services.get_profile(user)
    if profile is None:
        raise ApiError(404, "profile_not_found", _("Bạn chưa tạo hồ sơ người lao động."))
    return jsonify(services.profile_json(profile))


@bp.put("/me/profile")
@operation("put", "/me/profile", summary="Create or update the job seeker's profile", tags=["job seeker"],
           body=PROFILE_INPUT, responses={200: PROFILE, 201: PROFILE}, errors=(403, 422))
def put_profile():
    """Create or update the profile. An address that resolves to several wards answers 422 with the candidates."""
    user = api_user("worker")
    body = json_body()
    profile = services.get_profile(user)
    form = ProfileForm(formdata=_formdata(body, profile, user), meta={"csrf": False})
    if not form.validate():
        if form.ward_code.choices:
            raise ApiError(422, "ward_ambiguous", " ".join(form.address.errors), {
                "address": [str(e) for e in form.address.errors],
                "candidates": [{"code": c.code, "name": c.name, "district": c.district_name, "via": c.via,
                                "default": c.is_default, "label": ward_label(c)}
                               for c in form.ward_candidates]})
        # Well-typed input that a rule refuses (a place outside Hanoi, an unknown skill): 422, as across the API.
        raise ApiError(422, "validation_error", _("Dữ liệu không hợp lệ."),
                       {_FORM_TO_JSON.get(name, name): [str(e) for e in errs] for name, errs in form.errors.items()})
    saved, created = services.save_profile(user, form.to_data())
    return jsonify(services.profile_json(saved)), (201 if created else 200)


@bp.get("/me/applications")
@operation("get", "/me/applications", summary="The job seeker's applications with their history",
           tags=["job seeker"], responses={200: _list_of(APPLICATION)}, errors=(403,))
def list_applications():
    """Every application, newest first."""
    user = api_user("worker")
    profile = services.get_profile(user)
    items = [services.application_json(a) for a in services.list_applications(profile)] if profile else []
    return jsonify(items=items)


@bp.post("/vacancies/<int:vacancy_id>/applications")
@operation("post", "/vacancies/{vacancy_id}/applications", summary="Apply to a vacancy", tags=["job seeker"],
           parameters=[path_id("vacancy_id", "Vacancy")], body=APPLY_INPUT, responses={201: APPLICATION},
           errors=(403, 404, 409))
def apply(vacancy_id: int):
    """Apply with an optional note (an empty body is fine)."""
    user = api_user("worker")
    body = json_body() if request.get_data(cache=True) else {}
    extra = set(body) - {"note"}
    if extra:
        raise ApiError(400, "validation_error", _("Dữ liệu không hợp lệ."),
                       {key: [_("Trường này không được hỗ trợ.")] for key in extra})
    note = body.get("note", "")
    if not isinstance(note, str) or len(note) > NOTE_MAX:
        raise ApiError(400, "validation_error", _("Dữ liệu không hợp lệ."),
                       {"note": [_("Lời nhắn dài tối đa %(max)d ký tự.", max=NOTE_MAX)]})
    try:
        application = services.apply(user, vacancy_id, note)
    except WorkerError as exc:
        raise _worker_error(exc)
    return jsonify(services.application_json(application)), 201


@bp.post("/applications/<int:application_id>/withdraw")
@operation("post", "/applications/{application_id}/withdraw", summary="Withdraw an application",
           tags=["job seeker"], parameters=[path_id("application_id", "Application")],
           responses={200: APPLICATION}, errors=(403, 404, 409))
def withdraw(application_id: int):
    """Withdraw an application still under consideration."""
    user = api_user("worker")
    try:
        application = services.withdraw(user, application_id)
    except WorkerError as exc:
        raise _worker_error(exc)
    return jsonify(services.application_json(application))


@bp.get("/me/invitations")
@operation("get", "/me/invitations", summary="Invitations to the job seeker", tags=["job seeker"],
           responses={200: _list_of(INVITATION)}, errors=(403,))
def list_invitations():
    """Invitations, pending first."""
    user = api_user("worker")
    profile = services.get_profile(user)
    items = [services.invitation_json(i) for i in services.list_invitations(profile)] if profile else []
    return jsonify(items=items)


@bp.post("/invitations/<int:invitation_id>/accept")
@operation("post", "/invitations/{invitation_id}/accept", summary="Accept an invitation (applies)",
           tags=["job seeker"], parameters=[path_id("invitation_id", "Invitation")],
           responses={200: {"type": "object", "required": ["invitation", "application"], "properties": {
               "invitation": INVITATION, "application": APPLICATION}}}, errors=(403, 404, 409))
def accept_invitation(invitation_id: int):
    """Accept: the application is created and the employer may contact the worker."""
    user = api_user("worker")
    try:
        invitation, application = services.respond_invitation(user, invitation_id, True)
    except WorkerError as exc:
        raise _worker_error(exc)
    return jsonify(invitation=services.invitation_json(invitation),
                   application=services.application_json(application))


@bp.post("/invitations/<int:invitation_id>/decline")
@operation("post", "/invitations/{invitation_id}/decline", summary="Decline an invitation", tags=["job seeker"],
           parameters=[path_id("invitation_id", "Invitation")],
           responses={200: {"type": "object", "required": ["invitation"], "properties": {"invitation": INVITATION}}},
           errors=(403, 404, 409))
def decline_invitation(invitation_id: int):
    """Decline."""
    user = api_user("worker")
    try:
        invitation, _application = services.respond_invitation(user, invitation_id, False)
    except WorkerError as exc:
        raise _worker_error(exc)
    return jsonify(invitation=services.invitation_json(invitation))


@bp.get("/me/export")
@operation("get", "/me/export", summary="Everything held about the job seeker", tags=["job seeker"],
           responses={200: EXPORT}, errors=(403,))
def export():
    """The same JSON the page offers for download."""
    user = api_user("worker")
    return jsonify(services.export_data(user))


@bp.delete("/me")
@operation("delete", "/me", summary="Delete the job seeker's account and data", tags=["job seeker"],
           responses={204: None}, errors=(403,))
def delete_me():
    """Erase the account (placements stay as anonymous counts)."""
    user = api_user("worker")
    services.delete_account(user)
    return "", 204
