"""Employer pages: the business, its vacancies, the applications they receive, invitations and candidate profiles."""
from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..authz import authorize, can, current_employer, require_role
from ..extensions import db
from ..models import Application, Role, Vacancy, WorkerProfile
from . import hiring, labels, proposals
from .forms import ActionForm, EmployerForm, InviteForm, MoveForm, VacancyForm, fill_vacancy_form
from .services import (InvalidInput, ServiceError, VacancyData, application_counts, close_vacancy, create_vacancy,
                       employer_vacancies, is_held, publish_vacancy, register_employer, unanswered_reminders,
                       update_employer, update_vacancy)

bp = Blueprint("employers", __name__, url_prefix="/doanh-nghiep")
bp.record_once(lambda state: labels.install(state.app))

MAX_ID = 2**31 - 1


def _get(model, object_id: int):
    """A row by id, or 404 (ids beyond the column's range included)."""
    row = db.session.get(model, object_id) if 0 < object_id <= MAX_ID else None
    if row is None:
        abort(404)
    return row


def _employer_or_redirect():
    """The logged-in employer's business; None when it is not registered yet (the caller redirects)."""
    require_role(Role.EMPLOYER)
    return current_employer()


def _own_vacancy(vacancy_id: int, action: str = "vacancy.edit") -> Vacancy:
    """One of the logged-in employer's vacancies; others' are not found."""
    require_role(Role.EMPLOYER)
    vacancy = _get(Vacancy, vacancy_id)
    authorize(action, vacancy, hide=True)
    return vacancy


def _attach(form, exc: ServiceError) -> None:
    """Put a service's field errors on the form (or a general error when no field fits)."""
    errors = exc.errors if isinstance(exc, InvalidInput) else {exc.field or "": [exc.message]}
    for name, messages in errors.items():
        target = form._fields.get(name)
        if target is None:
            general_errors(form).append(" ".join(messages))
        else:
            target.errors = list(target.errors) + list(messages)


def general_errors(form) -> list[str]:
    """Errors about the whole form (shown above it); kept apart from WTForms' own so the shared macros work."""
    if not hasattr(form, "general_errors"):
        form.general_errors = []
    return form.general_errors


def _status(form) -> int:
    """422 when the form shows errors, else 200."""
    has_errors = bool(general_errors(form)) or any(f.errors for f in form)
    return 422 if has_errors else 200


# --- The business ---------------------------------------------------------------------------------------------------

@bp.route("/")
@login_required
def dashboard():
    """The employer's home: the business, notices, and each vacancy with its applications by status."""
    employer = _employer_or_redirect()
    if employer is None:
        return redirect(url_for("employers.register"))
    vacancies = employer_vacancies(employer)
    counts = application_counts([v.id for v in vacancies])
    return render_template("employers/dashboard.html", employer=employer, vacancies=vacancies, counts=counts,
                           reminders=unanswered_reminders(employer), action_form=ActionForm(), is_held=is_held)


@bp.route("/dang-ky", methods=["GET", "POST"])
@login_required
def register():
    """Register the business of the logged-in employer account."""
    employer = _employer_or_redirect()
    if employer is not None:
        return redirect(url_for("employers.edit"))
    authorize("employer.register")
    form = EmployerForm()
    if form.validate_on_submit():
        try:
            register_employer(current_user, form.to_data())
        except ServiceError as exc:
            _attach(form, exc)
        else:
            flash(_("Đã đăng ký doanh nghiệp. Cán bộ việc làm sẽ xác minh; trong lúc chờ, bạn có thể soạn tin nháp."),
                  "success")
            return redirect(url_for("employers.dashboard"))
    return render_template("employers/business_form.html", form=form, employer=None), _status(form)


@bp.route("/thong-tin", methods=["GET", "POST"])
@login_required
def edit():
    """Edit the business."""
    employer = _employer_or_redirect()
    if employer is None:
        return redirect(url_for("employers.register"))
    authorize("employer.edit", employer)
    form = EmployerForm(obj=employer if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            update_employer(employer, form.to_data())
        except ServiceError as exc:
            db.session.rollback()
            _attach(form, exc)
        else:
            flash(_("Đã lưu thông tin doanh nghiệp."), "success")
            return redirect(url_for("employers.dashboard"))
    return render_template("employers/business_form.html", form=form, employer=employer), _status(form)


# --- Vacancies ------------------------------------------------------------------------------------------------------

def _publish_message(outcome: str) -> str:
    """What the employer is told after asking to publish."""
    if outcome == "held":
        return _("Tin có nội dung cần cán bộ việc làm xem xét (thu phí, đặt cọc hoặc hứa hẹn quá mức) nên đang chờ "
                 "duyệt; tin sẽ được đăng khi cán bộ duyệt.")
    return _("Đã đăng tin tuyển dụng.")


def _fill(form):
    """The no-JavaScript "Điền từ mô tả": read the pasted text (or the description) and fill the empty fields."""
    text = (form.source_text.data or "").strip() or (form.description.data or "")
    if not text.strip():
        form.source_text.errors = [_("Dán nội dung tin tuyển dụng vào ô này rồi bấm “Điền từ mô tả”.")]
        return None, []
    if len(text) > proposals.MAX_TEXT:
        form.source_text.errors = [_("Nội dung dài quá 20.000 ký tự. Hãy dán phần mô tả công việc chính.")]
        return None, []
    proposal = proposals.read(form.title.data, text, None, record=True)
    return proposal, fill_vacancy_form(form, proposal, text)


@bp.post("/tin/doc-mo-ta")
@login_required
def vacancy_read_text():
    """The fill-from-text endpoint the vacancy form's script calls: JSON in, proposals out, nothing saved."""
    require_role(Role.EMPLOYER)
    authorize("vacancy.create")
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("text", ""), str) \
            or not isinstance(body.get("title", ""), str):
        return jsonify(error={"code": "invalid_json", "message": _("Nội dung gửi lên không hợp lệ.")}), 400
    text = body.get("text", "").strip()
    if not text:
        return jsonify(error={"code": "empty", "message": _("Dán nội dung tin tuyển dụng vào ô này rồi bấm "
                                                            "“Điền từ mô tả”.")}), 422
    if len(text) > proposals.MAX_TEXT:
        return jsonify(error={"code": "too_long", "message": _("Nội dung dài quá 20.000 ký tự. Hãy dán phần mô tả "
                                                               "công việc chính.")}), 422
    from .forms import first_line

    proposal = proposals.read(body.get("title") or None, text, None, record=True)
    return jsonify(proposal.to_json() | {"title": first_line(text)})


@bp.route("/tin/moi", methods=["GET", "POST"])
@login_required
def vacancy_new():
    """Write a new vacancy: save it as a draft, or save and publish."""
    employer = _employer_or_redirect()
    if employer is None:
        flash(_("Vui lòng đăng ký doanh nghiệp trước khi đăng tin."), "info")
        return redirect(url_for("employers.register"))
    authorize("vacancy.create")
    form = VacancyForm()
    vacancy = None
    proposal, filled = None, []
    if request.method == "POST" and request.form.get("action") == "fill":
        proposal, filled = _fill(form)
    elif form.validate_on_submit() and (data := form.to_data()) is not None:
        try:
            vacancy = create_vacancy(employer, data)
        except ServiceError as exc:
            _attach(form, exc)
        else:
            if request.form.get("action") != "publish":
                flash(_("Đã lưu tin nháp."), "success")
                return redirect(url_for("employers.dashboard"))
            try:
                flash(_publish_message(publish_vacancy(vacancy)), "success")
                return redirect(url_for("employers.dashboard"))
            except ServiceError as exc:
                db.session.rollback()
                _attach(form, exc)
                general_errors(form).insert(0, _("Tin đã được lưu nháp nhưng chưa đăng được:"))
    return render_template("employers/vacancy_form.html", form=form, vacancy=vacancy, employer=employer,
                           action_form=ActionForm(), held=bool(vacancy and is_held(vacancy)), proposal=proposal,
                           filled=filled), _status(form)


@bp.route("/tin/<int:vacancy_id>/sua", methods=["GET", "POST"])
@login_required
def vacancy_edit(vacancy_id: int):
    """Edit a vacancy; with "publish", save then publish (refusals leave the saved changes in place)."""
    vacancy = _own_vacancy(vacancy_id)
    form = VacancyForm()
    if request.method == "GET":
        form.fill_from(VacancyData.of(vacancy))
    elif request.form.get("action") == "fill":
        proposal, filled = _fill(form)
        return _render_edit(form, vacancy, proposal, filled)
    elif form.validate_on_submit() and (data := form.to_data()) is not None:
        try:
            outcome = update_vacancy(vacancy, data)
        except ServiceError as exc:
            db.session.rollback()
            _attach(form, exc)
        else:
            if request.form.get("action") == "publish" and vacancy.status != "open" and not is_held(vacancy):
                try:
                    outcome = publish_vacancy(vacancy)
                except ServiceError as exc:
                    db.session.rollback()
                    _attach(form, exc)
                    general_errors(form).insert(0, _("Đã lưu thay đổi nhưng chưa đăng được:"))
                    return _render_edit(form, vacancy)
                flash(_publish_message(outcome), "success")
            elif outcome == "held":
                flash(_publish_message("held"), "warning")
            else:
                flash(_("Đã lưu thay đổi."), "success")
            return redirect(url_for("employers.dashboard"))
    return _render_edit(form, vacancy)


def _render_edit(form, vacancy: Vacancy, proposal=None, filled=()):
    """The edit page (with the reader's proposals after "Điền từ mô tả")."""
    return render_template("employers/vacancy_form.html", form=form, vacancy=vacancy, employer=vacancy.employer,
                           action_form=ActionForm(), held=is_held(vacancy), proposal=proposal,
                           filled=list(filled)), _status(form)


@bp.post("/tin/<int:vacancy_id>/dang")
@login_required
def vacancy_publish(vacancy_id: int):
    """Publish a draft (or reopen a closed or expired vacancy)."""
    vacancy = _own_vacancy(vacancy_id)
    if ActionForm().validate_on_submit():
        try:
            flash(_publish_message(publish_vacancy(vacancy)), "success")
        except ServiceError as exc:
            db.session.rollback()
            flash(exc.message, "error")
    return redirect(url_for("employers.dashboard"))


@bp.post("/tin/<int:vacancy_id>/dong")
@login_required
def vacancy_close(vacancy_id: int):
    """Close a vacancy: no more applications."""
    vacancy = _own_vacancy(vacancy_id, "vacancy.close")
    if ActionForm().validate_on_submit():
        try:
            close_vacancy(vacancy)
            flash(_("Đã đóng tin tuyển dụng."), "success")
        except ServiceError as exc:
            db.session.rollback()
            flash(exc.message, "error")
    return redirect(url_for("employers.dashboard"))


# --- Applications and invitations ----------------------------------------------------------------------------------

@bp.route("/tin/<int:vacancy_id>/ho-so")
@login_required
def vacancy_applications(vacancy_id: int):
    """The applications a vacancy received: status, note, history and the applicant's contact."""
    vacancy = _own_vacancy(vacancy_id, "vacancy.applications")
    page = request.args.get("trang", 1, type=int) or 1
    page = max(1, min(page, 100_000))
    applications, total = hiring.vacancy_applications(vacancy, page=page)
    contact = {a.worker_id: can(current_user, "worker.contact", a.worker) for a in applications}
    return render_template("employers/applications.html", vacancy=vacancy, applications=applications, total=total,
                           page=page, per_page=50, contact=contact, invitations=hiring.employer_invitations(vacancy),
                           allowed_moves=hiring.allowed_moves, move_form=MoveForm())


@bp.post("/ho-so/<int:application_id>/chuyen")
@login_required
def application_move(application_id: int):
    """Move an application (shortlist, interview, hire, reject with a reason)."""
    require_role(Role.EMPLOYER)
    application = _get(Application, application_id)
    authorize("application.move", application, hide=True)
    form = MoveForm()
    if form.validate_on_submit():
        try:
            hiring.move_application(application, form.to_status.data or "", current_user, form.reason.data)
        except ServiceError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            flash(_("Đã chuyển hồ sơ của %(name)s sang “%(status)s”.", name=application.worker.full_name,
                    status=hiring.status_label(application.status)), "success")
    else:
        flash(_("Nội dung gửi lên không hợp lệ. Vui lòng thử lại."), "error")
    return redirect(url_for("employers.vacancy_applications", vacancy_id=application.vacancy_id)
                    + f"#ho-so-{application.id}")


@bp.post("/tin/<int:vacancy_id>/moi/<int:worker_id>")
@login_required
def invite(vacancy_id: int, worker_id: int):
    """Invite a worker to apply to one of the employer's open vacancies."""
    vacancy = _own_vacancy(vacancy_id, "vacancy.invite")
    form = InviteForm()
    if form.validate_on_submit():
        try:
            hiring.invite_worker(vacancy, worker_id, form.message.data)
        except ServiceError as exc:
            db.session.rollback()
            if exc.status == 404:
                abort(404)
            flash(exc.message, "error")
        else:
            flash(_("Đã gửi lời mời ứng tuyển vào “%(title)s”.", title=vacancy.title), "success")
    else:
        flash(_("Nội dung gửi lên không hợp lệ. Vui lòng thử lại."), "error")
    return redirect(url_for("employers.worker_profile", worker_id=worker_id))


@bp.route("/ung-vien/<int:worker_id>")
@login_required
def worker_profile(worker_id: int):
    """What an employer may see of a worker; contact and CV only once the worker applied or accepted an invitation."""
    worker = _get(WorkerProfile, worker_id)
    authorize("worker.view", worker, hide=True)
    employer = current_employer()
    open_vacancies, applications, invitations = [], [], []
    if employer is not None:
        from sqlalchemy import select

        from ..models import Invitation

        own = select(Vacancy.id).where(Vacancy.employer_id == employer.id)
        applications = list(db.session.scalars(select(Application).where(
            Application.worker_id == worker.id, Application.vacancy_id.in_(own))))
        invitations = list(db.session.scalars(select(Invitation).where(
            Invitation.worker_id == worker.id, Invitation.vacancy_id.in_(own))))
        invited = {i.vacancy_id for i in invitations} | {a.vacancy_id for a in applications}
        open_vacancies = [v for v in employer_vacancies(employer)
                          if v.status == "open" and v.id not in invited and employer.is_verified]
    return render_template("employers/worker.html", worker=worker,
                           show_contact=can(current_user, "worker.contact", worker),
                           show_cv=can(current_user, "worker.cv", worker) and bool(worker.cv_filename),
                           can_invite=employer is not None and hiring.invitable_worker(worker.id) is not None,
                           open_vacancies=open_vacancies, applications=applications, invitations=invitations,
                           invite_form=InviteForm())


# --- Bulk import ----------------------------------------------------------------------------------------------------

@bp.route("/nhap-tin", methods=["GET", "POST"])
@login_required
def vacancy_import():
    """Import many vacancies from a CSV, XLSX or JSON-lines file: preview, then create them as drafts."""
    from . import import_views

    employer = _employer_or_redirect()
    if employer is None:
        flash(_("Vui lòng đăng ký doanh nghiệp trước khi đăng tin."), "info")
        return redirect(url_for("employers.register"))
    authorize("vacancy.create")
    return import_views.handle(employer, import_views.employer_urls())


@bp.get("/nhap-tin/mau.<any(csv, xlsx):kind>")
@login_required
def import_template(kind: str):
    """The import template to download (Vietnamese headers and one example row)."""
    from . import import_views

    require_role(Role.EMPLOYER, Role.OFFICER, Role.ADMIN)
    return import_views.template_download(kind)
