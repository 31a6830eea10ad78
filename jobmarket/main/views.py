"""Home page, language switch and health check."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select, text

from ..auth.views import safe_next
from ..extensions import db
from ..i18n import LANG_COOKIE
from ..models import Employer, EmployerStatus, Vacancy, VacancyStatus, WorkerProfile
from ..search import listing_cache

bp = Blueprint("main", __name__)

# The unfiltered listing a visitor who is not logged in sees is kept as HTML (search/listing_cache.py).
bp.before_app_request(listing_cache.kept_response)
bp.after_app_request(listing_cache.keep_response)


@bp.route("/")
def index():
    """The home page: what the exchange is, a search box, and live counts."""
    def counts() -> tuple[int, int]:
        open_vacancies = db.session.scalar(
            select(func.count(Vacancy.id)).join(Employer).where(
                Vacancy.status == VacancyStatus.OPEN.value, Employer.status == EmployerStatus.VERIFIED.value))
        seekers = db.session.scalar(select(func.count(WorkerProfile.id)).where(WorkerProfile.is_seeking.is_(True)))
        return open_vacancies or 0, seekers or 0

    # Kept, not recounted per request (search/listing_cache.py says when they are recounted).
    open_vacancies, seekers = listing_cache.home_counts(counts)
    return render_template("main/index.html", open_vacancies=open_vacancies, seekers=seekers)


@bp.route("/lang/<code>", methods=["GET", "POST"])
def set_language(code: str):
    """Switch language; remembered in a cookie and, when logged in, on the account."""
    target = safe_next(request.args.get("next") or request.form.get("next")) or url_for("main.index")
    if code not in current_app.config["LANGUAGES"]:
        return redirect(target)
    if current_user.is_authenticated and current_user.locale != code:
        from ..auth.services import set_locale

        set_locale(current_user, code)
    response = redirect(target)
    response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


@bp.route("/healthz")
def health():
    """Liveness and database reachability, for the load balancer."""
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok")
