"""JSON API of the notification centre: GET /api/v1/me/notifications."""
from __future__ import annotations

import json

from flask import jsonify, request
from sqlalchemy import select

from flask_babel import gettext as _

from ..api.core import api_blueprint, api_user
from ..errors import ApiError
from ..api.openapi import operation, query, schema
from ..extensions import db
from ..models import Notification
from .events import describe, unread_count

bp = api_blueprint("notifications_api", __name__)

NOTIFICATION = schema("Notification", {
    "type": "object", "required": ["id", "kind", "subject", "lines", "link", "created_at", "read"],
    "properties": {"id": {"type": "integer"}, "kind": {"type": "string"}, "subject": {"type": "string"},
                   "lines": {"type": "array", "items": {"type": "string"}},
                   "link": {"type": "string", "nullable": True}, "created_at": {"type": "string"},
                   "read": {"type": "boolean"}}})
NOTIFICATION_LIST = schema("NotificationList", {
    "type": "object", "required": ["items", "unread"],
    "properties": {"items": {"type": "array", "items": NOTIFICATION}, "unread": {"type": "integer"}}})


@bp.get("/me/notifications")
@operation("get", "/me/notifications", summary="The caller's notifications, newest first", tags=["notifications"],
           parameters=[query("unread", {"type": "boolean"}, "Only unread notifications"),
                       query("limit", {"type": "integer", "minimum": 1, "maximum": 100}, "At most this many")],
           responses={200: NOTIFICATION_LIST})
def my_notifications():
    """The latest notifications in the caller's language (their own only)."""
    user = api_user()
    unread = request.args.getlist("unread")
    limit_text = request.args.getlist("limit")
    if len(unread) > 1 or (unread and unread[0].lower() not in ("true", "false", "1", "0")):
        raise ApiError(400, "validation_error", _("Dữ liệu không hợp lệ."), {"unread": ["true | false"]})
    if len(limit_text) > 1 or (limit_text and not (limit_text[0].isascii() and limit_text[0].isdigit()
                                                    and 1 <= int(limit_text[0]) <= 100)):
        raise ApiError(400, "validation_error", _("Dữ liệu không hợp lệ."), {"limit": ["1..100"]})
    limit = int(limit_text[0]) if limit_text else 50
    stmt = select(Notification).where(Notification.user_id == user.id)
    if unread and unread[0].lower() in ("1", "true"):
        stmt = stmt.where(Notification.read_at.is_(None))
    rows = db.session.scalars(stmt.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit))
    items = []
    for n in rows:
        text = describe(n.kind, json.loads(n.payload or "{}"))
        items.append({"id": n.id, "kind": n.kind, "subject": str(text["subject"]),
                      "lines": [str(line) for line in text["lines"]], "link": text["link"],
                      "created_at": n.created_at.isoformat() + "Z", "read": n.read_at is not None})
    return jsonify({"items": items, "unread": unread_count(user.id)})
