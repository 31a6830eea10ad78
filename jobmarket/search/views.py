"""Search pages: public vacancy search and vacancy pages, a worker's best matches, an employer's best candidates."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from ..authz import authorize, can, current_worker, require_role
from ..i18n import current_locale
from ..models import Role, VacancyStatus
from . import presenters, service
from .forms import PagingForm, VacancySearchForm, job_type_labels

bp = Blueprint("search", __name__)


def _common() -> dict:
    """Labels every search template uses."""
    return {"job_types": job_type_labels(), "education": presenters.education_labels()}


def _vacancy_or_404(vacancy_id: int):
    """The vacancy, or 404."""
    vacancy = presenters.get_vacancy(vacancy_id)
    if vacancy is None:
        abort(404)
    return vacancy


@bp.get("/viec-lam")
def vacancies():
    """Public vacancy search: free text, filters, sorts, pages; a logged-in worker also sees match reasons."""
    worker = current_worker()
    # A worker who sorts by distance without naming a ward is measured from home.
    form = VacancySearchForm(request.args, default_origin=worker.ward_code if worker else None,
                             locale=current_locale())
    if not form.validate():
        return render_template("search/vacancies.html", form=form, page=None, cards=[], query=None,
                               worker=worker, **_common()), 400
    query = form.to_query(worker_id=worker.id if worker else None)
    form.sort.data, form.per_page.data = query.sort, str(query.per_page)  # show what was applied
    page = service.search_vacancies(query)
    cards = presenters.search_cards(page, worker, current_locale())
    origin = presenters.areas().get(query.origin_ward) if query.origin_ward else None
    return render_template("search/vacancies.html", form=form, page=page, cards=cards, query=query, worker=worker,
                           origin=origin, **_common())


@bp.get("/viec-lam/<int:vacancy_id>")
def vacancy_detail(vacancy_id: int):
    """A vacancy's public page, with the apply form for workers and, for a worker, why it matches them."""
    vacancy = _vacancy_or_404(vacancy_id)
    if not can(current_user, "vacancy.view", vacancy):
        abort(404)
    worker = current_worker()
    locale = current_locale()
    match = presenters.detail_match(vacancy, worker, locale)
    return render_template(
        "search/vacancy_detail.html", vacancy=vacancy, area=presenters.areas().get(vacancy.ward_code), worker=worker,
        match=match, application=presenters.application_of(worker, vacancy),
        can_apply=can(current_user, "vacancy.apply", vacancy),
        is_owner=can(current_user, "vacancy.candidates", vacancy), locale=locale,
        is_open=vacancy.status == VacancyStatus.OPEN.value, **_common())


@bp.get("/viec-lam/phu-hop")
@login_required
def my_matches():
    """'Việc phù hợp': the worker's best vacancies with the reasons, a page at a time."""
    require_role(Role.WORKER)
    worker = current_worker()
    form = PagingForm(request.args)
    if not form.validate():
        return render_template("search/my_matches.html", form=form, worker=worker, cards=[], missing=[],
                               page_no=1, has_more=False, result=None, **_common()), 400
    missing = presenters.profile_gaps(worker)
    page_no, per_page = form.values()
    cards, has_more, result = [], False, None
    if not missing:
        result = service.match_vacancies_for_worker(worker.id, limit=per_page + 1, offset=(page_no - 1) * per_page)
        has_more = len(result.matches) > per_page
        result.matches = result.matches[:per_page]
        cards = presenters.match_cards(result, worker, current_locale())
    return render_template("search/my_matches.html", form=form, worker=worker, cards=cards, missing=missing,
                           page_no=page_no, per_page=per_page, has_more=has_more, result=result, **_common())


@bp.get("/doanh-nghiep/tin/<int:vacancy_id>/ung-vien")
@login_required
def candidates(vacancy_id: int):
    """'Ứng viên phù hợp': a vacancy's best candidates with the reasons, for the vacancy's employer only."""
    vacancy = _vacancy_or_404(vacancy_id)
    # Someone who may not even see the vacancy is told it does not exist; someone who may see it, that it is not theirs.
    authorize("vacancy.candidates", vacancy, hide=not can(current_user, "vacancy.view", vacancy))
    form = PagingForm(request.args)
    if not form.validate():
        return render_template("search/candidates.html", form=form, vacancy=vacancy, cards=[], page_no=1,
                               has_more=False, result=None, **_common()), 400
    page_no, per_page = form.values()
    result = service.match_workers_for_vacancy(vacancy.id, limit=per_page + 1, offset=(page_no - 1) * per_page)
    has_more = len(result.matches) > per_page
    result.matches = result.matches[:per_page]
    cards = presenters.candidate_cards(result, vacancy, current_user, current_locale())
    return render_template("search/candidates.html", form=form, vacancy=vacancy, cards=cards, page_no=page_no,
                           per_page=per_page, has_more=has_more, result=result,
                           is_open=vacancy.status == VacancyStatus.OPEN.value, **_common())
