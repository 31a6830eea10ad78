"""Pages: the notification centre, notification settings, one-click unsubscribe, job alerts, the development mail
box and the admins' list of failed jobs."""
from __future__ import annotations

import json

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..extensions import csrf, db
from ..models import Notification, QueuedJob
from ..models._common import utcnow
from . import events, queue, tasks  # noqa: F401  (queue: the after-commit hook; tasks: registers the mail task)

bp = Blueprint("notifications", __name__)


@bp.app_context_processor
def _bell() -> dict:
    """`notifications_unread()` for the header's bell (counted only when the header asks)."""
    def unread() -> int:
        if not getattr(current_user, "is_authenticated", False):
            return 0
        return events.unread_count(current_user.id)

    return {"notifications_unread": unread}


@bp.get("/thong-bao")
@login_required
def centre():
    """The notification centre: the latest notices, unread first in bold."""
    rows = list(db.session.scalars(select(Notification).where(Notification.user_id == current_user.id)
                                   .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(100)))
    notices = [{"row": n, **events.describe(n.kind, json.loads(n.payload or "{}"))} for n in rows]
    return render_template("notifications/centre.html", notices=notices)


@bp.post("/thong-bao/da-doc")
@login_required
def mark_read():
    """Mark one notice (`id`) or all of them read."""
    stmt = select(Notification).where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
    if request.form.get("id", "").isdigit():
        stmt = stmt.where(Notification.id == int(request.form["id"]))
    now = utcnow()
    for notice in db.session.scalars(stmt):
        notice.read_at = now
    db.session.commit()
    return redirect(url_for(".centre"))


@bp.route("/thong-bao/cai-dat", methods=["GET", "POST"])
@login_required
def settings():
    """Switch each kind of notice on or off per channel (security messages cannot be switched off)."""
    kinds = events.settable_kinds(current_user)
    if request.method == "POST":
        choices = {}
        for name, kind in kinds:
            for channel in events.CHANNELS:
                choices[(name, channel)] = request.form.get(f"{name}:{channel}") == "on"
            if kind.digest:
                choices[(name, "digest")] = request.form.get(f"{name}:digest") == "on"
        events.save_settings(current_user, choices)
        flash(_("Đã lưu cài đặt thông báo."), "success")
        return redirect(url_for(".settings"))
    current = {(name, channel): events.setting(current_user.id, name, channel)
               for name, _k in kinds for channel in (*events.CHANNELS, "digest")}
    return render_template("notifications/settings.html", kinds=kinds, current=current, channels=events.CHANNELS)


@bp.route("/thong-bao/huy-nhan/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: the mail client POSTs List-Unsubscribe=One-Click with no cookie and no form token
def unsubscribe(token: str):
    """One-click unsubscribe from one kind of mail (signed link; GET asks, POST does)."""
    from ..auth.tokens import TokenError, read_token

    try:
        data = read_token("unsubscribe", token)
    except TokenError:
        return render_template("auth/link_problem.html", reason="invalid"), 400
    kind = data.get("k")
    if kind not in events.KINDS or events.KINDS[kind].security:
        return render_template("auth/link_problem.html", reason="invalid"), 400
    if request.method == "POST":
        events.unsubscribe(data["u"], kind)
        return render_template("notifications/unsubscribed.html", label=events.KINDS[kind].label, done=True)
    return render_template("notifications/unsubscribed.html", label=events.KINDS[kind].label, done=False)


@bp.get("/dev/mail")
def dev_mail():
    """Development only: the messages written to MAIL_FOLDER when there is no MAIL_SERVER."""
    if current_app.config.get("ENV_NAME") != "development":
        abort(404)
    from .mail import mail_files

    return render_template("notifications/dev_mail.html", messages=mail_files(current_app.config["MAIL_FOLDER"]),
                           folder=current_app.config["MAIL_FOLDER"], server=current_app.config.get("MAIL_SERVER"))


def _admin() -> None:
    """Admins only (the central role check)."""
    from ..authz import require_role

    require_role("admin")


@bp.get("/quan-tri/hang-doi")
@login_required
def failed_jobs():
    """Admins: jobs that failed for good, with their error, and how many are waiting."""
    _admin()
    failed = list(db.session.scalars(select(QueuedJob).where(QueuedJob.status == "failed")
                                     .order_by(QueuedJob.id.desc()).limit(200)))
    from sqlalchemy import func

    waiting = db.session.scalar(select(func.count(QueuedJob.id)).where(QueuedJob.status.in_(("pending", "running"))))
    return render_template("notifications/failed_jobs.html", failed=failed, waiting=waiting)


@bp.post("/quan-tri/hang-doi/<int:job_id>/gui-lai")
@login_required
def retry_job(job_id: int):
    """Admins: try a failed job again."""
    _admin()
    if queue.retry_failed(job_id):
        flash(_("Đã đưa việc vào hàng đợi lại."), "success")
    return redirect(url_for(".failed_jobs"))


from . import alert_views  # noqa: E402,F401  (the job seekers' alert pages, on this blueprint)
