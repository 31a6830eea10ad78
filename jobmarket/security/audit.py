"""Writing and reading the audit log; services call `record` inside the transaction of the action they audit."""
from __future__ import annotations

import enum
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask import has_request_context, request
from sqlalchemy import func, select

from ..extensions import db
from ..models import AuditEvent
from ..text import clean

PER_PAGE = 50
_DAY = timedelta(days=1)


def _jsonable(value):
    """Values as JSON can hold them (dates as ISO text, enums as their value)."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def snapshot(obj, fields: tuple[str, ...]) -> dict:
    """The named attributes of obj, ready for the log's before/after."""
    return {name: _jsonable(getattr(obj, name, None)) for name in fields}


def record(action: str, *, target=None, target_type: str | None = None, target_id: int | None = None,
           before: dict | None = None, after: dict | None = None, actor=None, summary: str = "") -> AuditEvent:
    """Add one event to the session (the caller's transaction commits it with the action, or rolls both back).

    actor defaults to the logged-in user; the address and browser come from the current request, if any.
    """
    if actor is None and has_request_context():
        from flask_login import current_user

        actor = current_user if current_user.is_authenticated else None
    if target is not None:
        target_type = target_type or getattr(target, "__tablename__", type(target).__name__.lower())
        target_id = target_id if target_id is not None else getattr(target, "id", None)
    event = AuditEvent(action=action, target_type=target_type, target_id=target_id,
                       summary=(summary or "")[:300], before=_jsonable(before) if before else None,
                       after=_jsonable(after) if after else None)
    if actor is not None:
        event.actor_id, event.actor_email, event.actor_role = actor.id, actor.email, actor.role
    if has_request_context():
        event.ip_address = (request.remote_addr or "")[:45] or None
        event.user_agent = (request.user_agent.string or "")[:200] or None
    db.session.add(event)
    return event


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or delete a recorded event."""


def _refuse_changes(session, flush_context, instances) -> None:
    """The ORM may add events, never change or delete one (PostgreSQL's trigger also refuses raw SQL)."""
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditLogIsAppendOnly(f"audit event {obj.id} cannot be changed or deleted")


def install_append_only_guard() -> None:
    """Register the flush check once per process."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    if not event.contains(Session, "before_flush", _refuse_changes):
        event.listen(Session, "before_flush", _refuse_changes)


def find_events(*, actor: str = "", action: str = "", target_type: str = "", target_id: int | None = None,
                since: date | None = None, until: date | None = None, page: int = 1) -> tuple[list[AuditEvent], int]:
    """Events matching the filters, newest first, one page at a time, and how many match in all."""
    stmt = select(AuditEvent)
    actor = clean(actor).lower()
    if actor:
        stmt = stmt.where(func.lower(AuditEvent.actor_email).contains(actor))
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if target_type:
        stmt = stmt.where(AuditEvent.target_type == target_type)
    if target_id is not None:
        stmt = stmt.where(AuditEvent.target_id == target_id)
    if since is not None:
        stmt = stmt.where(AuditEvent.occurred_at >= datetime.combine(since, datetime.min.time()))
    if until is not None:
        stmt = stmt.where(AuditEvent.occurred_at < datetime.combine(until, datetime.min.time()) + _DAY)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    events = list(db.session.scalars(stmt.order_by(AuditEvent.id.desc()).limit(PER_PAGE)
                                      .offset((page - 1) * PER_PAGE)))
    return events, total


def known_actions() -> list[str]:
    """Every action the log holds, for the filter's choices."""
    return list(db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))

