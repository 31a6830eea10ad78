"""Pages to register, log in and log out."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import limiter
from ..i18n import current_locale
from ..security import throttle
from ..security.sessions import end_session, start_authenticated_session
from .forms import LoginForm, RegisterForm
from .recovery import request_verification
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
            request_verification(user)
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


# --- Recovery and verification -------------------------------------------------------------------------------------

def _reset_limit() -> str:
    return f"{current_app.config['PASSWORD_RESETS_PER_HOUR']}/hour"


def _reset_account_key() -> str:
    return "reset:" + normalise_email(request.form.get("email", "") or "")[:254]


def _link_problem(reason: str):
    """The clear page for a link that is expired, already used or not valid."""
    from flask import render_template as render

    return render("auth/link_problem.html", reason=reason), {"invalid": 400, "verified": 200}.get(reason, 410)


@bp.route("/quen-mat-khau", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"], key_func=_reset_account_key, scope="reset-account")
@limiter.limit(_reset_limit, methods=["POST"], scope="reset-ip")
def forgot_password():
    """Ask for a reset link; the answer is the same whether or not the address has an account."""
    from .forms import ForgotPasswordForm
    from .recovery import request_password_reset

    form = ForgotPasswordForm()
    if form.validate_on_submit():
        request_password_reset(form.email.data)
        return render_template("auth/forgot_sent.html", email=form.email.data)
    return render_template("auth/forgot.html", form=form), (422 if form.errors else 200)


def _new_password_page(purpose: str, token: str, title: str):
    """The reset and claim pages: check the link, then take a new password."""
    from .forms import NewPasswordForm
    from .recovery import set_new_password
    from .tokens import TokenError, user_for_token

    try:
        user = user_for_token(purpose, token)
    except TokenError as exc:
        return _link_problem(exc.reason)
    form = NewPasswordForm()
    if form.validate_on_submit():
        set_new_password(user, form.password.data)
        end_session()
        flash(_("Đã đặt mật khẩu mới. Hãy đăng nhập bằng mật khẩu mới."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/new_password.html", form=form, title=title), (422 if form.errors else 200)


@bp.route("/dat-lai-mat-khau/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password from a reset link (single use, PASSWORD_RESET_MINUTES)."""
    return _new_password_page("reset", token, _("Đặt mật khẩu mới"))


@bp.route("/nhan-tai-khoan/<token>", methods=["GET", "POST"])
def claim_account(token: str):
    """A walk-in job seeker claims the account an officer made: they choose its password."""
    return _new_password_page("claim", token, _("Nhận tài khoản"))


@bp.get("/xac-nhan-email/<token>")
def verify_email(token: str):
    """Open an email-verification link."""
    from .recovery import mark_verified
    from .tokens import TokenError, user_for_token

    try:
        user = user_for_token("verify", token)
    except TokenError as exc:
        return _link_problem(exc.reason)
    if not mark_verified(user):
        return _link_problem("verified")
    flash(_("Đã xác nhận địa chỉ email."), "success")
    return redirect(home_for(current_user) if current_user.is_authenticated else url_for("main.index"))


@bp.route("/doi-mat-khau", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the password; every other device is logged out, this one stays in."""
    from .forms import ChangePasswordForm
    from .recovery import change_password as change

    form = ChangePasswordForm()
    if form.validate_on_submit():
        if change(current_user, form.current.data, form.password.data):
            start_authenticated_session(current_user._get_current_object())  # this device: new session, new version
            flash(_("Đã đổi mật khẩu. Các thiết bị khác đã được đăng xuất."), "success")
            return redirect(home_for(current_user))
        form.current.errors.append(_("Mật khẩu không đúng."))
    return render_template("auth/change_password.html", form=form), (422 if form.errors else 200)


@bp.route("/doi-email", methods=["GET", "POST"])
@login_required
def change_email():
    """Move the account to another address; a verification link goes to the new one."""
    from .forms import ChangeEmailForm
    from .recovery import change_email as change

    form = ChangeEmailForm()
    if form.validate_on_submit():
        problem = change(current_user, form.password.data, form.email.data)
        if problem is None:
            flash(_("Đã đổi email. Hãy mở thư xác nhận chúng tôi vừa gửi tới địa chỉ mới."), "success")
            return redirect(home_for(current_user))
        form.email.errors.append(problem)
    return render_template("auth/change_email.html", form=form), (422 if form.errors else 200)


@bp.post("/xac-nhan-email/gui-lai")
@login_required
@limiter.limit("5/hour", scope="verify-resend")
def resend_verification():
    """Send the verification link again."""
    request_verification(current_user)
    flash(_("Đã gửi lại thư xác nhận email."), "info")
    return redirect(safe_next(request.form.get("next")) or home_for(current_user))
