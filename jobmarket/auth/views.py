"""Pages to register, log in and log out."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import limiter
from ..i18n import current_locale
from .forms import LoginForm, RegisterForm
from .services import AccountError, authenticate, create_user, normalise_email

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


def _login_failed(response) -> bool:
    """Only failed attempts count toward the throttle (a success redirects)."""
    return request.method == "POST" and response.status_code != 302


def _account_key() -> str:
    return "login:" + normalise_email(request.form.get("email", "") or "")[:254]


def _login_limit() -> str:
    return f"{current_app.config['LOGIN_ATTEMPTS_PER_MINUTE']}/minute"


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
            login_user(user)
            flash(_("Đăng ký thành công. Chào mừng bạn!"), "success")
            return redirect(home_for(user))
    return render_template("auth/register.html", form=form), (422 if form.errors else 200)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_login_failed, key_func=_account_key,
               scope="login-account")
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_login_failed, scope="login-ip")
def login():
    """Log in; failed attempts are throttled per account and per address."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")) or home_for(user))
        form.password.errors.append(_("Email hoặc mật khẩu không đúng."))
    return render_template("auth/login.html", form=form), (401 if form.errors else 200)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log out (POST, so a link elsewhere cannot log you out)."""
    logout_user()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("main.index"))
