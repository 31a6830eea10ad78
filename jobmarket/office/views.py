"""Labour office pages: what waits for an officer, businesses to verify, vacancies to review or take down."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..authz import authorize
from ..employers import labels
from ..employers.services import ServiceError, application_counts, is_held
from ..extensions import db
from ..models import Employer, Vacancy
from . import services
from .forms import ActionForm, ReasonForm

bp = Blueprint("office", __name__, url_prefix="/can-bo")
bp.record_once(lambda state: labels.install(state.app))
MAX_ID = 2**31 - 1


def _get(model, object_id: int):
    """A row by id, or 404."""
    row = db.session.get(model, object_id) if 0 < object_id <= MAX_ID else None
    if row is None:
        abort(404)
    return row


def _page() -> int:
    """The page number asked for (1 when missing or nonsense)."""
    page = request.args.get("trang", 1, type=int) or 1
    return max(1, min(page, 100_000))


def _back(default: str) -> str:
    """Where to go after an action: the local page the form came from, else default."""
    from ..auth.views import safe_next

    return safe_next(request.form.get("next")) or default


@bp.route("/")
@login_required
def dashboard():
    """What waits for the labour office, with links."""
    authorize("office.access")
    return render_template("office/dashboard.html", counts=services.to_do_counts())


@bp.route("/doanh-nghiep")
@login_required
def employers():
    """Businesses by verification status (unverified first)."""
    authorize("office.access")
    status = request.args.get("trang-thai", "unverified")
    if status not in services.EMPLOYER_FILTERS:
        status = "unverified"
    page = _page()
    rows, total = services.list_employers(status, page)
    return render_template("office/employers.html", employers=rows, total=total, page=page, per_page=50,
                           status=status, reason_form=ReasonForm(), action_form=ActionForm())


@bp.post("/doanh-nghiep/<int:employer_id>/xac-minh")
@login_required
def employer_verify(employer_id: int):
    """Verify a business."""
    authorize("employer.verify")
    employer = _get(Employer, employer_id)
    if ActionForm().validate_on_submit():
        try:
            services.verify_employer(employer, current_user)
            flash(_("Đã xác minh doanh nghiệp “%(name)s”.", name=employer.name), "success")
        except ServiceError as exc:
            db.session.rollback()
            flash(exc.message, "error")
    return redirect(_back(url_for("office.employers")))


@bp.post("/doanh-nghiep/<int:employer_id>/tu-choi")
@login_required
def employer_reject(employer_id: int):
    """Reject a business, with a reason."""
    authorize("employer.verify")
    employer = _get(Employer, employer_id)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            services.reject_employer(employer, current_user, form.reason.data)
            flash(_("Đã từ chối doanh nghiệp “%(name)s”.", name=employer.name), "success")
        except ServiceError as exc:
            db.session.rollback()
            flash(exc.message, "error")
    else:
        flash(_("Lý do tối đa 500 ký tự."), "error")
    return redirect(_back(url_for("office.employers")))


@bp.route("/tin")
@login_required
def vacancies():
    """Vacancies to review (held for their wording), open ones, taken-down ones."""
    authorize("office.access")
    kind = request.args.get("loai", "flagged")
    if kind not in services.VACANCY_FILTERS:
        kind = "flagged"
    page = _page()
    rows, total = services.list_vacancies(kind, page)
    return render_template("office/vacancies.html", vacancies=rows, total=total, page=page, per_page=50, kind=kind,
                           is_held=is_held)


@bp.route("/tin/<int:vacancy_id>")
@login_required
def vacancy(vacancy_id: int):
    """One vacancy as an officer reviews it, with the actions that apply."""
    authorize("vacancy.review")
    row = _get(Vacancy, vacancy_id)
    return render_template("office/vacancy.html", vacancy=row, held=is_held(row),
                           counts=application_counts([row.id])[row.id], reason_form=ReasonForm(),
                           action_form=ActionForm())


@bp.post("/tin/<int:vacancy_id>/duyet")
@login_required
def vacancy_approve(vacancy_id: int):
    """Publish a vacancy held for its wording."""
    authorize("vacancy.review")
    row = _get(Vacancy, vacancy_id)
    if ActionForm().validate_on_submit():
        try:
            services.approve_vacancy(row, current_user)
            flash(_("Đã duyệt và đăng tin “%(title)s”.", title=row.title), "success")
        except ServiceError as exc:
            db.session.rollback()
            flash(exc.message, "error")
    return redirect(url_for("office.vacancy", vacancy_id=row.id))


@bp.post("/tin/<int:vacancy_id>/go")
@login_required
def vacancy_takedown(vacancy_id: int):
    """Take a vacancy down, with a reason the employer sees."""
    authorize("vacancy.takedown")
    row = _get(Vacancy, vacancy_id)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            services.take_down_vacancy(row, current_user, form.reason.data)
            flash(_("Đã gỡ tin “%(title)s”.", title=row.title), "success")
        except ServiceError as exc:
            db.session.rollback()
            flash(exc.message, "error")
    else:
        flash(_("Lý do tối đa 500 ký tự."), "error")
    return redirect(url_for("office.vacancy", vacancy_id=row.id))


@bp.post("/tin/<int:vacancy_id>/khoi-phuc")
@login_required
def vacancy_restore(vacancy_id: int):
    """Put back a vacancy that was taken down by mistake."""
    authorize("vacancy.takedown")
    row = _get(Vacancy, vacancy_id)
    if ActionForm().validate_on_submit():
        try:
            services.restore_vacancy(row, current_user)
            flash(_("Đã khôi phục tin “%(title)s”.", title=row.title), "success")
        except ServiceError as exc:
            db.session.rollback()
            flash(exc.message, "error")
    return redirect(url_for("office.vacancy", vacancy_id=row.id))


@bp.route("/nhap-tin", methods=["GET", "POST"])
@login_required
def vacancy_import():
    """Import vacancies on behalf of a business (job fairs): the business is named by its tax code."""
    from ..employers import import_views, importing

    authorize("office.access")
    tax_code = (request.values.get("tax_code") or "").strip()
    employer = importing.employer_by_tax_code(tax_code) if tax_code else None
    urls = {"self": url_for("office.vacancy_import"), "csv": url_for("employers.import_template", kind="csv"),
            "xlsx": url_for("employers.import_template", kind="xlsx"), "back": url_for("office.dashboard")}
    if tax_code and employer is None:
        return render_template("employers/import.html", employer=None, urls=urls, form=ActionForm(), on_behalf=True,
                       step="upload", tax_code=tax_code, labels=importing.LABELS, max_rows=importing.MAX_ROWS,
                       file_error=_("Không có doanh nghiệp nào với mã số thuế %(code)s.", code=tax_code)), 422
    if request.method == "POST" and employer is None:
        return render_template("employers/import.html", employer=None, urls=urls, form=ActionForm(),
                               on_behalf=True, step="upload", tax_code="", labels=importing.LABELS,
                               max_rows=importing.MAX_ROWS,
                               file_error=_("Vui lòng nhập mã số thuế của doanh nghiệp.")), 422
    return import_views.handle(employer, urls, on_behalf=True)
