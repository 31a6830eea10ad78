"""What notifies whom: the kinds of notice, each person's settings, and `notify()`, the one call features make.

`notify(user, kind, key=..., **context)` writes the in-app notice in the caller's transaction and queues the mail
(sent after commit, in the user's language). Context holds only what the notice shows (titles, names of
businesses, statuses, reasons); never another person's phone or email.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..extensions import db
from ..models import Notification, NotificationSetting, User


@dataclass(frozen=True)
class Kind:
    """One kind of notice: who gets it, its label on the settings page, and whether it is a security message
    (always sent, never switched off, no unsubscribe link)."""

    label: object
    roles: tuple[str, ...]
    security: bool = False
    digest: bool = False  # employers may take it as a daily digest instead of at once


KINDS: dict[str, Kind] = {
    "invitation_received": Kind(_l("Lời mời ứng tuyển từ nhà tuyển dụng"), ("worker",)),
    "application_status": Kind(_l("Hồ sơ ứng tuyển của tôi đổi trạng thái"), ("worker",)),
    "job_alert": Kind(_l("Việc làm mới phù hợp (thông báo việc làm)"), ("worker",)),
    "application_received": Kind(_l("Có hồ sơ ứng tuyển mới"), ("employer",), digest=True),
    "applications_unanswered": Kind(_l("Nhắc hồ sơ chưa trả lời"), ("employer",)),
    "vacancy_expiring": Kind(_l("Tin tuyển dụng sắp hết hạn"), ("employer",)),
    "employer_verified": Kind(_l("Doanh nghiệp được xác minh"), ("employer",)),
    "employer_rejected": Kind(_l("Doanh nghiệp bị từ chối"), ("employer",)),
    "vacancy_taken_down": Kind(_l("Tin tuyển dụng bị gỡ"), ("employer",)),
    "session_changed": Kind(_l("Thay đổi của phiên giao dịch việc làm tôi tham gia"), ("worker", "employer")),
    "password_reset": Kind(_l("Đặt lại mật khẩu"), ("worker", "employer", "officer", "admin"), security=True),
    "verify_email": Kind(_l("Xác nhận email"), ("worker", "employer", "officer", "admin"), security=True),
    "claim_account": Kind(_l("Nhận tài khoản"), ("worker",), security=True),
    "password_changed": Kind(_l("Mật khẩu đã đổi"), ("worker", "employer", "officer", "admin"), security=True),
    "login_throttled": Kind(_l("Nhiều lần đăng nhập sai vào tài khoản"), ("worker", "employer", "officer", "admin"),
                            security=True),
}
CHANNELS = ("app", "mail")


def setting(user_id: int, kind: str, channel: str, session=None) -> bool:
    """Whether a user gets `kind` on `channel` (security messages always; default on, digest off)."""
    if KINDS[kind].security:
        return channel != "digest"
    session = session if session is not None else db.session
    row = session.get(NotificationSetting, (user_id, kind, channel))
    if row is None:
        return channel != "digest"
    return bool(row.enabled)


def settable_kinds(user: User) -> list[tuple[str, Kind]]:
    """The kinds a user may switch on and off (their role's, no security messages)."""
    return [(name, kind) for name, kind in KINDS.items() if user.role in kind.roles and not kind.security]


def save_settings(user: User, choices: dict[tuple[str, str], bool]) -> None:
    """Store the settings page's choices {(kind, channel): on} and commit."""
    for (kind, channel), enabled in choices.items():
        if kind not in KINDS or KINDS[kind].security:
            continue
        row = db.session.get(NotificationSetting, (user.id, kind, channel))
        if row is None:
            db.session.add(NotificationSetting(user_id=user.id, kind=kind, channel=channel, enabled=enabled))
        else:
            row.enabled = enabled
    db.session.commit()


def unsubscribe(user_id: int, kind: str) -> None:
    """One-click unsubscribe: no more mail of this kind (the in-app notice stays); commits."""
    row = db.session.get(NotificationSetting, (user_id, kind, "mail"))
    if row is None:
        db.session.add(NotificationSetting(user_id=user_id, kind=kind, channel="mail", enabled=False))
    else:
        row.enabled = False
    db.session.commit()


def notify(user: User | int, kind: str, *, key: str | None = None, app: bool = True, mail: bool = True,
           session=None, **context) -> Notification | None:
    """Tell a user something: an in-app notice (in the caller's transaction) and a mail queued after commit, each
    unless the user switched it off. `key` makes the mail idempotent (the same key is sent once); without it every
    call is a new message. Returns the in-app notice, if one was written. The caller commits.

    Example: ``notify(owner, "vacancy_taken_down", key=f"takedown:{v.id}", title=v.title, reason=v.status_reason)``.
    """
    from .queue import enqueue

    if kind not in KINDS:
        raise KeyError(f"unknown notification kind {kind!r}")
    session = session if session is not None else db.session
    user_id = user if isinstance(user, int) else user.id
    notice = None
    if app and not KINDS[kind].security and setting(user_id, kind, "app", session):
        notice = Notification(user_id=user_id, kind=kind, payload=json.dumps(context, ensure_ascii=False, default=str))
        session.add(notice)
    if mail and setting(user_id, kind, "mail", session) and not (KINDS[kind].digest and
                                                                 setting(user_id, kind, "digest", session)):
        job_key = key or f"{kind}:{user_id}:{uuid.uuid4().hex}"
        enqueue("mail", job_key, {"user_id": user_id, "kind": kind, "context": context, "key": job_key},
                session=session)
    return notice


def notify_many(kind: str, items: list[tuple[int, str, dict]]) -> int:
    """`notify` for many people at once (the alerts run): items are (user id, delivery key, context). Settings and
    existing keys are read in one query each and the rows written in bulk; the caller commits. Returns how many
    mails were queued."""
    from ..models import QueuedJob
    from ..models._common import utcnow
    from .queue import register_after_commit

    if not items:
        return 0
    user_ids = list({u for u, _k, _c in items})
    off: set[tuple[int, str]] = set()
    for start in range(0, len(user_ids), 900):
        off.update(db.session.execute(select(NotificationSetting.user_id, NotificationSetting.channel).where(
            NotificationSetting.user_id.in_(user_ids[start:start + 900]), NotificationSetting.kind == kind,
            NotificationSetting.enabled.is_(False))).all())
    keys = [k[:200] for _u, k, _c in items]
    taken: set[str] = set()
    for start in range(0, len(keys), 900):
        taken.update(db.session.scalars(select(QueuedJob.key).where(QueuedJob.key.in_(keys[start:start + 900]))))
    now = utcnow()
    notices, jobs = [], []
    for user_id, key, context in items:
        if (user_id, "app") not in off:
            notices.append({"user_id": user_id, "kind": kind, "created_at": now,
                            "payload": json.dumps(context, ensure_ascii=False, default=str)})
        if (user_id, "mail") not in off and key[:200] not in taken:
            jobs.append({"key": key[:200], "task": "mail", "status": "pending", "attempts": 0, "run_after": now,
                         "created_at": now, "payload": json.dumps({"user_id": user_id, "kind": kind, "key": key,
                                                                   "context": context}, ensure_ascii=False,
                                                                  default=str)})
    for start in range(0, len(notices), 5000):
        db.session.execute(Notification.__table__.insert(), notices[start:start + 5000])
    for start in range(0, len(jobs), 5000):
        ids = db.session.scalars(QueuedJob.__table__.insert().returning(QueuedJob.__table__.c.id),
                                 jobs[start:start + 5000]).all()
        register_after_commit(db.session, list(ids))
    return len(jobs)


def _session_change_line(change: str) -> str:
    """What changed in a job exchange session, in words."""
    return {
        "postponed": _("Phiên đã được dời lịch."),
        "cancelled": _("Phiên đã bị hủy. Lịch phỏng vấn của phiên không còn hiệu lực."),
        "approved": _("Doanh nghiệp của bạn đã được nhận tham gia phiên."),
        "declined": _("Đăng ký tham gia phiên của doanh nghiệp bạn không được chấp nhận."),
        "slot_moved": _("Lịch phỏng vấn của bạn trong phiên đã thay đổi."),
    }.get(change, _("Phiên có thay đổi."))


def describe(kind: str, context: dict) -> dict:
    """The words and link of a notice, in the current language: subject, lines, link and its label.
    Mail and the notification centre both show this."""
    c = context
    status_text = ""
    if "status" in c:
        from ..employers.hiring import status_label

        status_text = status_label(c["status"])
    texts = {
        "invitation_received": (_("Bạn được mời ứng tuyển: %(title)s", title=c.get("title", "")),
                                [_("%(employer)s mời bạn ứng tuyển vị trí “%(title)s”.", employer=c.get("employer", ""),
                                   title=c.get("title", ""))], "workers.invitations", {},
                                _("Xem lời mời")),
        "application_status": (_("Hồ sơ của bạn: %(status)s", status=status_text),
                               [_("Hồ sơ ứng tuyển vị trí “%(title)s” chuyển sang “%(status)s”.",
                                  title=c.get("title", ""), status=status_text)]
                               + ([_("Lý do: %(reason)s", reason=c["reason"])] if c.get("reason") else []),
                               "workers.applications", {}, _("Xem hồ sơ ứng tuyển")),
        "application_received": (_("Hồ sơ ứng tuyển mới: %(title)s", title=c.get("title", "")),
                                 [_("Tin “%(title)s” vừa nhận một hồ sơ ứng tuyển.", title=c.get("title", ""))],
                                 "employers.vacancy_applications", {"vacancy_id": c.get("vacancy_id", 0)},
                                 _("Xem hồ sơ")),
        "application_digest": (_("Hồ sơ ứng tuyển mới trong ngày: %(count)d", count=int(c.get("count", 0))),
                               [_("“%(title)s”: %(count)d hồ sơ mới", title=t, count=int(n))
                                for t, n in (c.get("vacancies", []) if kind == "application_digest" else [])],
                               "employers.dashboard", {},
                               _("Mở trang doanh nghiệp")),
        "applications_unanswered": (_("%(count)d hồ sơ đang chờ bạn trả lời", count=int(c.get("count", 0))),
                                    [_("%(count)d hồ sơ ứng tuyển chưa được trả lời sau %(days)d ngày. Hồ sơ không "
                                       "được trả lời sẽ tự động bị từ chối.", count=int(c.get("count", 0)),
                                       days=int(c.get("days", 0)))], "employers.dashboard", {},
                                    _("Trả lời hồ sơ")),
        "vacancy_expiring": (_("Tin sắp hết hạn: %(title)s", title=c.get("title", "")),
                             [_("Tin “%(title)s” hết hạn nộp hồ sơ vào ngày %(deadline)s.", title=c.get("title", ""),
                                deadline=c.get("deadline", ""))], "employers.dashboard", {}, _("Gia hạn tin")),
        "employer_verified": (_("Doanh nghiệp đã được xác minh"),
                              [_("%(name)s đã được cán bộ xác minh. Bạn có thể đăng tin tuyển dụng.",
                                 name=c.get("name", ""))], "employers.dashboard", {}, _("Mở trang doanh nghiệp")),
        "employer_rejected": (_("Doanh nghiệp chưa được xác minh"),
                              [_("Cán bộ chưa xác minh %(name)s.", name=c.get("name", "")),
                               _("Lý do: %(reason)s", reason=c.get("reason", ""))], "employers.dashboard", {},
                              _("Sửa thông tin doanh nghiệp")),
        "vacancy_taken_down": (_("Tin bị gỡ: %(title)s", title=c.get("title", "")),
                               [_("Cán bộ đã gỡ tin “%(title)s” khỏi sàn.", title=c.get("title", "")),
                                _("Lý do: %(reason)s", reason=c.get("reason", ""))], "employers.dashboard", {},
                               _("Mở trang doanh nghiệp")),
        "job_alert": (_("%(count)d việc làm mới phù hợp với bạn", count=len(c.get("vacancies", []))),
                      [_("Việc làm mới khớp với thông báo việc làm của bạn:")], "notifications.alerts_page", {},
                      _("Quản lý thông báo việc làm")),
        "session_changed": (_("Phiên giao dịch việc làm: %(theme)s", theme=c.get("theme", "")),
                            [_session_change_line(c.get("change", ""))]
                            + ([_("Chi tiết: %(detail)s", detail=c["detail"])] if c.get("detail") else []),
                            "sessions.detail", {"session_id": c.get("session_id", 0)}, _("Xem phiên")),
    }
    subject, lines, endpoint, values, label = texts[kind]
    try:
        link = url_for(endpoint, _external=True, **values)
    except Exception:  # an area missing in this build: the notice still reads well without its link
        link = None
    return {"subject": subject, "lines": lines, "link": link, "link_label": label}


def unread_count(user_id: int) -> int:
    """How many notices a user has not read (the bell)."""
    from sqlalchemy import func

    return db.session.scalar(select(func.count(Notification.id)).where(Notification.user_id == user_id,
                                                                       Notification.read_at.is_(None))) or 0
