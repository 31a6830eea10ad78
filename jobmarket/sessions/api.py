"""Sessions JSON API: the public calendar and one session; check-in for the labour office's scanners."""
from __future__ import annotations

from datetime import date

from flask import g, jsonify, request
from flask_babel import gettext as _

from ..api.core import api_blueprint, api_user, authorize_api, json_body
from ..api.openapi import operation, path_id, query, schema
from ..authz import can
from ..employers.api import get_or_404, raise_api
from ..employers.jsoncheck import check_query, validated
from ..employers.services import ServiceError
from ..errors import ApiError
from ..models import JobSession
from . import services

bp = api_blueprint("sessions_api", __name__)
TAGS = ["sessions"]
MODE_PARAM = {"type": "string", "enum": list(services.MODES)}
FLOOR_PARAM = {"type": "integer", "minimum": 1, "maximum": 2_147_483_647}
DATE_PARAM = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
SESSION_REF = schema("JobSession", {"type": "object", "required": ["id", "theme", "mode", "status", "day"],
                                    "properties": {
    "id": {"type": "integer"}, "theme": {"type": "string"}, "target_group": {"type": "string"},
    "mode": {"type": "string", "enum": list(services.MODES)}, "status": {"type": "string"},
    "day": {"type": "string", "format": "date"}, "start_time": {"type": "string"}, "end_time": {"type": "string"},
    "registration_deadline": {"type": "string", "format": "date"}, "capacity": {"type": "integer"},
    "registration_open": {"type": "boolean"}, "status_reason": {"type": "string", "nullable": True},
    "floor": {"type": "object", "nullable": True, "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"}, "address": {"type": "string"},
        "ward_code": {"type": "string"}}}}})
SESSION_LIST_REF = schema("JobSessionList", {"type": "object", "required": ["items"], "properties": {
    "items": {"type": "array", "items": SESSION_REF}}})
CHECKIN_INPUT = {"type": "object", "additionalProperties": False, "required": ["code"], "properties": {
    "code": {"type": "string", "minLength": 1, "maxLength": 40}}}
CHECKIN_REF = schema("CheckIn", CHECKIN_INPUT)
CHECKED_IN_REF = schema("CheckedIn", {"type": "object", "required": ["registration_id", "checked_in_at"],
                                      "properties": {"registration_id": {"type": "integer"},
                                                     "full_name": {"type": "string"},
                                                     "checked_in_at": {"type": "string", "format": "date-time"}}})


def session_json(s: JobSession) -> dict:
    """A session as the API shows it."""
    return {"id": s.id, "theme": s.theme, "target_group": s.target_group, "mode": s.mode, "status": s.status,
            "day": s.day.isoformat(), "start_time": s.start_time.strftime("%H:%M"),
            "end_time": s.end_time.strftime("%H:%M"), "registration_deadline": s.registration_deadline.isoformat(),
            "capacity": s.capacity, "registration_open": services.registration_open(s),
            "status_reason": s.status_reason,
            "floor": None if s.floor is None else {"id": s.floor.id, "name": s.floor.name, "address": s.floor.address,
                                                   "ward_code": s.floor.ward_code}}


def _date(name: str) -> date | None:
    value = request.args.get(name)
    check_query(name, value, DATE_PARAM)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ApiError(400, "validation_error", _("Ngày không hợp lệ (định dạng YYYY-MM-DD)."),
                       {name: [_("Ngày không hợp lệ (định dạng YYYY-MM-DD).")]}) from None


def _staff() -> bool:
    return can(getattr(g, "api_user", None), "session.manage")


@bp.get("/sessions")
@operation("get", "/sessions", summary="Upcoming job exchange sessions (filters: mode, floor, date range)",
           tags=TAGS, auth=False, parameters=[query("mode", MODE_PARAM, "in_person, online or hybrid"),
                                              query("floor", FLOOR_PARAM, "Floor id"),
                                              query("from", DATE_PARAM, "From this day (YYYY-MM-DD)"),
                                              query("to", DATE_PARAM, "Until this day (YYYY-MM-DD)")],
           responses={200: SESSION_LIST_REF})
def list_sessions():
    """The calendar of sessions."""
    mode = request.args.get("mode")
    check_query("mode", mode, MODE_PARAM)
    floor = request.args.get("floor")
    check_query("floor", floor, FLOOR_PARAM)
    sessions = services.list_sessions(mode=mode, floor_id=int(floor) if floor else None, date_from=_date("from"),
                                      date_to=_date("to"), staff=_staff())
    return jsonify(items=[session_json(s) for s in sessions])


@bp.get("/sessions/<int:session_id>")
@operation("get", "/sessions/{session_id}", summary="One session", tags=TAGS, auth=False,
           parameters=[path_id("session_id")], responses={200: SESSION_REF}, errors=(404,))
def get_session(session_id: int):
    """One session of the calendar."""
    session = get_or_404(JobSession, session_id)
    if not services.is_visible(session, _staff()):
        raise ApiError(404, "not_found", _("Không tìm thấy."))
    return jsonify(session_json(session))


@bp.post("/sessions/<int:session_id>/check-in")
@operation("post", "/sessions/{session_id}/check-in", summary="Admit a ticket at the door (labour office)",
           tags=TAGS, parameters=[path_id("session_id")], body=CHECKIN_REF, responses={200: CHECKED_IN_REF},
           errors=(403, 404, 409))
def check_in(session_id: int):
    """Check a ticket code in: once, and only at its own session."""
    user = api_user()
    authorize_api("session.manage")
    session = get_or_404(JobSession, session_id)
    data = validated(json_body(), CHECKIN_INPUT)
    try:
        reg = services.check_in(session, data["code"], user)
    except ServiceError as exc:
        raise_api(exc)
    return jsonify(registration_id=reg.id, full_name=reg.worker.full_name,
                   checked_in_at=reg.checked_in_at.isoformat() + "Z")
