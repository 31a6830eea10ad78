"""Pages to register, log in and log out."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..i18n import current_locale
from ..security import throttle
from ..security.sessions import end_session, start_authenticated_session
from .forms import LoginForm, RegisterForm
from .services import (AccountError, account_for_login, authenticate, create_user, normalise_email,
                       warn_of_failed_logins)

bp = Blueprint("auth", __name__, url_prefix="/auth")


def safe_next(target: str | None) -> str | None:
    """Only local paths are followed after login (no open redirects)."""
    if not target:
        return None
    target = target.replace("\\", "/")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def home_for(user) -> str:
    """Where each role lands after login."""
    return {
        "worker": url_for("workers.dashboard") if "workers.dashboard" in current_app.view_functions else url_for("main.index"),
        "employer": url_for("employers.dashboard") if "employers.dashboard" in current_app.view_functions else url_for("main.index"),
        "officer": url_for("office.dashboard") if "office.dashboard" in current_app.view_functions else url_for("main.index"),
        "admin": url_for("office.dashboard") if "office.dashboard" in current_app.view_functions else url_for("main.index"),
    }.get(user.role, url_for("main.index"))


@bp.route("/register", methods=["GET", "POST"])
def register():
    """Create a job seeker or employer account."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = create_user(form.email.data, form.password.data, form.role.data, locale=current_locale())
        except AccountError as exc:
            form.email.errors.append(exc.message)
        else:
            start_authenticated_session(user)
            flash(_("Đăng ký thành công. Chào mừng bạn!"), "success")
            return redirect(home_for(user))
    return render_template("auth/register.html", form=form), (422 if form.errors else 200)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in on a fresh session; failed attempts are throttled per address, per account and address, and
    (for browsers the owner never logged in from) per account with a growing delay: see security/throttle.py."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        email = normalise_email(form.email.data)[:254]
        known = account_for_login(email)
        refusal = throttle.check(email, known.id if known else None)
        if refusal is not None:
            form.password.errors.append(_("Bạn đã thử quá nhiều lần. Vui lòng đợi %(seconds)d giây rồi thử lại.",
                                          seconds=refusal.retry_after))
            response = make_response(render_template("auth/login.html", form=form), 429)
            response.headers["Retry-After"] = str(refusal.retry_after)
            return response
        previous_login = known.last_login_at if known else None
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            throttle.succeeded(email)
            start_authenticated_session(user, remember=form.remember.data)
            warn_of_failed_logins(user, previous_login)
            response = redirect(safe_next(request.args.get("next")) or home_for(user))
            throttle.remember_device(response, user.id)
            return response
        throttle.failed(email, known)
        form.password.errors.append(_("Email hoặc mật khẩu không đúng."))
    return render_template("auth/login.html", form=form), (401 if form.errors else 200)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log out (POST, so a link elsewhere cannot log you out)."""
    end_session()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("main.index"))
