"""The job seeker's job-alert page: saved searches and "vacancies that match me"."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..authz import require_role
from ..extensions import db
from ..models import FormerDistrict, JobAlert
from . import alerts
from .views import bp


def _profile():
    """The logged-in job seeker's profile (None: not a worker, or no profile yet)."""
    from ..workers.services import get_profile

    if current_user.role != "worker":
        return None
    return get_profile(current_user)


def _wage(text: str | None) -> int | None:
    digits = "".join(ch for ch in (text or "") if ch.isdigit())[:10]
    return int(digits) if digits else None


@bp.route("/nguoi-lao-dong/thong-bao-viec-lam", methods=["GET", "POST"])
@login_required
def alerts_page():
    """List, add and remove job alerts; turn "vacancies that match me" on or off."""
    from ..workers.labels import JOB_TYPES

    require_role("worker")
    profile = _profile()
    if profile is None:
        flash(_("Bạn cần tạo hồ sơ người lao động trước khi lưu thông báo việc làm."), "error")
        return redirect(url_for("workers.profile"))
    error = None
    if request.method == "POST":
        action = request.form.get("action")
        try:
            if action == "save":
                district = request.form.get("district_code") or None
                job_type = request.form.get("job_type") or None
                if district and db.session.get(FormerDistrict, district) is None:
                    district = None
                if job_type not in JOB_TYPES:
                    job_type = None
                alerts.save_search(profile, q=request.form.get("q", ""), district_code=district, job_type=job_type,
                                   min_wage=_wage(request.form.get("min_wage")),
                                   frequency=request.form.get("frequency", "daily"))
                flash(_("Đã lưu thông báo việc làm."), "success")
            elif action == "match":
                alerts.set_match_alert(profile, request.form.get("on") == "1",
                                       request.form.get("frequency", "daily"))
                flash(_("Đã lưu lựa chọn."), "success")
            elif action == "delete" and request.form.get("id", "").isdigit():
                alerts.delete_alert(profile, int(request.form["id"]))
                flash(_("Đã xóa thông báo việc làm."), "success")
            return redirect(url_for(".alerts_page"))
        except alerts.AlertError as exc:
            error = str(exc)
    saved = list(db.session.scalars(select(JobAlert).where(JobAlert.worker_id == profile.id)
                                    .order_by(JobAlert.id)))
    match = next((a for a in saved if a.kind == "match"), None)
    districts = list(db.session.scalars(select(FormerDistrict).order_by(FormerDistrict.name_vi)))
    return render_template("notifications/alerts.html", saved=[a for a in saved if a.kind == "search"], match=match,
                           districts={d.code: d.name_vi for d in districts}, job_types=JOB_TYPES, error=error,
                           prefill=request.args), (422 if error else 200)


alerts_endpoint = "notifications.alerts_page"
