"""Job seeker pages (/nguoi-lao-dong) and the officer's walk-in registration (/can-bo/nguoi-lao-dong/moi)."""
from __future__ import annotations

import json
import re
from collections import Counter

from flask import Blueprint, Response, abort, current_app, flash, jsonify, redirect, render_template, request, \
    send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from ..auth.passwords import verify_password
from ..auth.views import safe_next
from ..authz import authorize, can
from ..errors import error_response
from ..extensions import db
from ..geo.labels import ward_label
from ..models import Vacancy, WorkerProfile
from ..text import fold
from . import cv as cv_files
from . import labels, services
from .forms import (ApplyForm, CvForm, CvReadForm, DeleteAccountForm, ProfileForm, WalkinForm, fill_profile_form,
                    initial_values)
from .services import WorkerError

bp = Blueprint("workers", __name__)


@bp.context_processor
def _template_helpers() -> dict:
    """Labels for coded values, available in this area's templates."""
    return labels.template_helpers() | {"ward_label": ward_label}


def _worker():
    """The logged-in job seeker (401 when logged out, 403 for other roles)."""
    authorize("worker.profile.edit")
    return current_user._get_current_object()


def _vacancy_url(vacancy_id: int) -> str | None:
    """The public vacancy page, once the search area provides it."""
    if "search.vacancy_detail" in current_app.view_functions:
        return url_for("search.vacancy_detail", vacancy_id=vacancy_id)
    return None


@bp.get("/nguoi-lao-dong/")
def dashboard():
    """The job seeker's home: profile state, applications at a glance, pending invitations, own data."""
    user = _worker()
    profile = services.get_profile(user)
    applications = services.list_applications(profile) if profile else []
    invitations = services.list_invitations(profile) if profile else []
    return render_template("workers/dashboard.html", profile=profile, applications=applications[:5],
                           counts=Counter(a.status for a in applications), total=len(applications),
                           pending=[i for i in invitations if i.status == "pending"])


def _cv_proposal(read_form: CvReadForm):
    """Read the uploaded CV file or the pasted text: (proposal, None), or (None, a message saying what is wrong)."""
    from ..employers import proposals

    from . import cvtext

    upload = read_form.cv_file.data
    if upload is not None and getattr(upload, "filename", ""):
        max_bytes = current_app.config["CV_MAX_BYTES"]
        try:
            text = cvtext.extract_text(upload.stream.read(max_bytes + 1), upload.mimetype, max_bytes)
        except cv_files.CvError as exc:
            return None, exc.message
    else:
        text = cvtext.redact((read_form.cv_text.data or "").strip())
        if not text:
            return None, _("Chọn tệp CV hoặc dán nội dung CV rồi bấm “Điền từ CV”.")
        if len(text) > proposals.MAX_TEXT:
            return None, _("Nội dung dài quá 20.000 ký tự. Hãy dán phần kỹ năng và kinh nghiệm.")
    return proposals.read(None, text, None), None


def _fill_from_cv(form):
    """The no-JavaScript "Điền từ CV": the profile form comes back with the proposals in its empty fields."""
    read_form = CvReadForm()
    proposal, error = _cv_proposal(read_form)
    if error:
        read_form.cv_file.errors = [error]
        return read_form, None, []
    return read_form, proposal, fill_profile_form(form, proposal)


@bp.post("/nguoi-lao-dong/ho-so/doc-cv")
def profile_read_cv():
    """The fill-from-CV endpoint the profile and walk-in forms' script calls: a file or text in, proposals out."""
    if not (can(current_user, "worker.profile.edit") or can(current_user, "worker.register_walkin")):
        authorize("worker.profile.edit")
    if request.is_json:
        body = request.get_json(silent=True)
        text = body.get("text") if isinstance(body, dict) else None
        read_form = CvReadForm(data={"cv_text": text if isinstance(text, str) else ""})
    else:
        read_form = CvReadForm()
    proposal, error = _cv_proposal(read_form)
    if error:
        return jsonify(error={"code": "unreadable", "message": error}), 422
    return jsonify(proposal.to_json())


@bp.route("/nguoi-lao-dong/ho-so", methods=["GET", "POST"])
def profile():
    """Create or edit the profile; an ambiguous address comes back with a choice of wards, nothing lost."""
    user = _worker()
    current = services.get_profile(user)
    form = ProfileForm(data=initial_values(current, user) if request.method == "GET" else None)
    if request.method == "POST" and request.form.get("action") == "fill":
        read_form, proposal, filled = _fill_from_cv(form)
        return render_template("workers/profile.html", form=form, profile=current, read_form=read_form,
                               proposal=proposal, filled=filled), (422 if read_form.errors else 200)
    if form.validate_on_submit():
        saved, created = services.save_profile(user, form.to_data())
        flash(_("Đã tạo hồ sơ của bạn.") if created else _("Đã lưu hồ sơ."), "success")
        flash(_("Nơi ở: %(ward)s", ward=ward_label(form.ward)), "info")
        return redirect(safe_next(request.args.get("next")) or url_for(".dashboard"))
    return render_template("workers/profile.html", form=form, profile=current,
                           read_form=CvReadForm(formdata=None)), (422 if form.errors else 200)


@bp.post("/nguoi-lao-dong/hien-thi")
def visibility():
    """Hide the profile from employers, or show it again."""
    user = _worker()
    visible = request.form.get("visible") == "1"
    try:
        services.set_visibility(user, visible)
    except WorkerError as exc:
        flash(exc.message, "error")
        return redirect(url_for(".profile"))
    flash(_("Hồ sơ của bạn đang hiển thị với nhà tuyển dụng.") if visible
          else _("Hồ sơ của bạn đã được ẩn: nhà tuyển dụng không tìm thấy bạn nữa."), "success")
    return redirect(url_for(".dashboard"))


@bp.route("/nguoi-lao-dong/cv", methods=["GET", "POST"])
def cv():
    """Upload or replace the CV (PDF, checked by content)."""
    user = _worker()
    profile = services.get_profile(user)
    if profile is None:
        flash(_("Bạn cần tạo hồ sơ người lao động trước."), "warning")
        return redirect(url_for(".profile"))
    form = CvForm()
    if form.validate_on_submit():
        upload = form.cv.data
        if upload is None or not getattr(upload, "filename", ""):
            form.cv.errors.append(_("Vui lòng chọn tệp CV dạng PDF."))
        else:
            try:
                services.save_cv(user, upload.stream.read(current_app.config["CV_MAX_BYTES"] + 1))
            except WorkerError as exc:
                form.cv.errors.append(exc.message)
            else:
                flash(_("Đã lưu CV của bạn."), "success")
                return redirect(url_for(".cv"))
    return render_template("workers/cv.html", form=form, profile=profile), (422 if form.errors else 200)


@bp.post("/nguoi-lao-dong/cv/xoa")
def cv_delete():
    """Remove the CV."""
    user = _worker()
    try:
        services.delete_cv(user)
    except WorkerError as exc:
        flash(exc.message, "error")
    else:
        flash(_("Đã xoá CV."), "success")
    return redirect(url_for(".cv"))


@bp.get("/nguoi-lao-dong/<int:worker_id>/cv.pdf")
def cv_download(worker_id: int):
    """The CV file: to its owner, staff, and employers the worker applied to (404 to anyone else)."""
    profile = db.session.get(WorkerProfile, worker_id) if worker_id < 2**31 else None
    if profile is None:
        abort(404)
    authorize("worker.cv", profile, hide=True)
    path = cv_files.path_for(profile.cv_filename or "")
    if path is None or not path.is_file():
        abort(404)
    name = re.sub(r"[^a-z0-9]+", "-", fold(profile.full_name)).strip("-") or "nguoi-lao-dong"
    response = send_file(path, mimetype="application/pdf", as_attachment=True, download_name=f"CV-{name}.pdf",
                         max_age=0, conditional=False, etag=False)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox"
    return response


@bp.route("/nguoi-lao-dong/ung-tuyen/<int:vacancy_id>", methods=["GET", "POST"])
def apply(vacancy_id: int):
    """Apply to a vacancy (a note is optional); the GET shows the form on its own."""
    user = _worker()
    back = _vacancy_url(vacancy_id)
    if services.get_profile(user) is None:
        flash(_("Bạn cần tạo hồ sơ người lao động trước khi ứng tuyển."), "warning")
        return redirect(url_for(".profile", next=back or url_for(".apply", vacancy_id=vacancy_id)))
    form = ApplyForm()
    if form.validate_on_submit():
        try:
            services.apply(user, vacancy_id, form.note.data or "")
        except WorkerError as exc:
            if exc.status == 404:
                return error_response(404, exc.message)
            flash(exc.message, "error")
            return redirect(url_for(".applications") if exc.code == "already_applied" else back
                            or url_for(".applications"))
        flash(_("Đã gửi hồ sơ ứng tuyển. Bạn có thể theo dõi kết quả tại đây."), "success")
        return redirect(url_for(".applications"))
    vacancy = db.session.get(Vacancy, vacancy_id) if vacancy_id < 2**31 else None
    if vacancy is None:
        return error_response(404, _("Không tìm thấy tin tuyển dụng này."))
    authorize("vacancy.view", vacancy, hide=True)
    return render_template("workers/apply.html", form=form, vacancy=vacancy, back=back), (422 if form.errors else 200)


@bp.get("/nguoi-lao-dong/don-ung-tuyen")
def applications():
    """Every application with its status and full history."""
    user = _worker()
    profile = services.get_profile(user)
    return render_template("workers/applications.html", profile=profile,
                           applications=services.list_applications(profile) if profile else [],
                           vacancy_url=_vacancy_url)


@bp.post("/nguoi-lao-dong/don-ung-tuyen/<int:application_id>/rut")
def withdraw(application_id: int):
    """Withdraw an application."""
    user = _worker()
    try:
        services.withdraw(user, application_id)
    except WorkerError as exc:
        if exc.status == 404:
            return error_response(404, exc.message)
        flash(exc.message, "error")
    else:
        flash(_("Đã rút hồ sơ ứng tuyển."), "success")
    return redirect(url_for(".applications"))


@bp.get("/nguoi-lao-dong/loi-moi")
def invitations():
    """Invitations from employers: accept (which applies) or decline."""
    user = _worker()
    profile = services.get_profile(user)
    return render_template("workers/invitations.html", profile=profile,
                           invitations=services.list_invitations(profile) if profile else [],
                           vacancy_url=_vacancy_url)


def _respond(invitation_id: int, accept: bool):
    """Answer an invitation and come back to the list."""
    user = _worker()
    try:
        services.respond_invitation(user, invitation_id, accept)
    except WorkerError as exc:
        if exc.status == 404 and exc.code == "invitation_not_found":
            return error_response(404, exc.message)
        flash(exc.message, "error")
        return redirect(url_for(".invitations"))
    if accept:
        flash(_("Đã nhận lời mời: hồ sơ của bạn đã được gửi tới nhà tuyển dụng."), "success")
        return redirect(url_for(".applications"))
    flash(_("Đã từ chối lời mời."), "success")
    return redirect(url_for(".invitations"))


@bp.post("/nguoi-lao-dong/loi-moi/<int:invitation_id>/nhan-loi")
def invitation_accept(invitation_id: int):
    """Accept an invitation."""
    return _respond(invitation_id, True)


@bp.post("/nguoi-lao-dong/loi-moi/<int:invitation_id>/tu-choi")
def invitation_decline(invitation_id: int):
    """Decline an invitation."""
    return _respond(invitation_id, False)


@bp.get("/nguoi-lao-dong/du-lieu-cua-toi.json")
def export():
    """Download everything held about the user as a JSON file."""
    authorize("worker.data.export")
    body = json.dumps(services.export_data(current_user), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": "attachment; filename=du-lieu-cua-toi.json", "Cache-Control": "private, no-store"})


@bp.route("/nguoi-lao-dong/xoa-tai-khoan", methods=["GET", "POST"])
def delete_account():
    """Delete the account after confirming with the password."""
    authorize("worker.delete")
    user = current_user._get_current_object()
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if not verify_password(user.password_hash, form.password.data):
            form.password.errors.append(_("Mật khẩu không đúng."))
        else:
            services.delete_account(user)
            logout_user()
            flash(_("Tài khoản và toàn bộ dữ liệu của bạn đã được xoá."), "success")
            return redirect(url_for("main.index"))
    return render_template("workers/delete_account.html", form=form,
                           profile=services.get_profile(user)), (422 if form.errors else 200)


@bp.route("/can-bo/nguoi-lao-dong/moi", methods=["GET", "POST"])
def walkin():
    """An officer registers a job seeker who came to the office, recording the person's consent."""
    authorize("worker.register_walkin")
    form = WalkinForm(data={})
    if request.method == "POST" and request.form.get("action") == "fill":
        read_form, proposal, filled = _fill_from_cv(form)
        return render_template("workers/walkin.html", form=form, read_form=read_form, proposal=proposal,
                               filled=filled), (422 if read_form.errors else 200)
    if form.validate_on_submit():
        try:
            user, profile = services.walkin_register(current_user, form.to_data(),
                                                     (form.account_email.data or "").strip().lower() or None,
                                                     bool(form.consent.data))
        except WorkerError as exc:
            form.account_email.errors.append(exc.message)
        else:
            flash(_("Đã đăng ký người lao động %(name)s (mã hồ sơ %(id)d).", name=profile.full_name, id=profile.id),
                  "success")
            return redirect(url_for(".walkin"))
    return render_template("workers/walkin.html", form=form,
                           read_form=CvReadForm(formdata=None)), (422 if form.errors else 200)
