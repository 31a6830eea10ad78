"""Session rotation: a fresh session at login, and a session that ends when its account's privileges change."""
from __future__ import annotations

import logging
import secrets

from flask import Flask, flash, session
from flask_babel import gettext as _

log = logging.getLogger(__name__)

# Keys that survive the rotation at login (the language a visitor chose before logging in).
_KEPT = ("lang",)
AUTH_ROLE_KEY = "_auth_role"
SESSION_ID_KEY = "_sid"


def start_authenticated_session(user, *, remember: bool = False) -> None:
    """Log user in on a brand-new session: nothing from before the login (a planted or stolen anonymous
    cookie, its CSRF token) carries over, and the role the session was granted is recorded."""
    from flask_login import login_user

    kept = {k: session[k] for k in _KEPT if k in session}
    session.clear()
    session.update(kept)
    login_user(user, remember=remember)
    session[AUTH_ROLE_KEY] = user.role
    session[SESSION_ID_KEY] = secrets.token_urlsafe(16)


def end_session() -> None:
    """Log out and drop everything the session held."""
    from flask_login import logout_user

    logout_user()
    session.clear()


def install_session_checks(app: Flask) -> None:
    """End a session whose account was disabled or changed role since it was granted (privilege change)."""
    # Registered after the app's own before_request hooks, so the user is loaded fresh for this request.

    @app.before_request
    def _check_session_privileges():
        from flask import current_app, request

        remember_cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
        if "_user_id" not in session and remember_cookie not in request.cookies:
            return None
        from flask_login import AnonymousUserMixin, current_user

        if isinstance(current_user._get_current_object(), AnonymousUserMixin):
            return None
        if not current_user.is_active:  # flask-login already treats a disabled account as anonymous; end it
            log.info("session of disabled user %s ended", current_user.id)
            end_session()
            flash(_("Tài khoản này đã bị khóa. Vui lòng liên hệ Trung tâm dịch vụ việc làm."), "error")
            return None
        granted = session.get(AUTH_ROLE_KEY)
        if granted is None:
            # Restored from a remember-me cookie (a login of its own): a new session with today's role.
            session[AUTH_ROLE_KEY] = current_user.role
            session[SESSION_ID_KEY] = secrets.token_urlsafe(16)
            return None
        if granted != current_user.role:
            log.info("session of user %s ended: role changed from %s to %s", current_user.id, granted,
                     current_user.role)
            end_session()
            flash(_("Quyền của tài khoản đã thay đổi. Vui lòng đăng nhập lại."), "info")
        return None
