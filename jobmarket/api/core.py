"""What every API route shares: the bearer-token user, JSON body parsing and role checks."""
from __future__ import annotations

from typing import Any

from flask import g, request
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import ApiError
from ..models import User


def load_token_user() -> None:
    """Before each API request: resolve a bearer token (or fall back to the browser session)."""
    from ..auth.services import user_for_token

    g.api_user = None
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = user_for_token(header[7:].strip())
        if user is None:
            raise ApiError(401, "invalid_token", _("Mã truy cập không hợp lệ hoặc đã hết hạn."))
        g.api_user = user
    elif getattr(current_user, "is_authenticated", False):
        g.api_user = current_user._get_current_object()


def api_user(*roles: str) -> User:
    """The authenticated caller, optionally required to have one of roles (401 / 403 otherwise)."""
    user = getattr(g, "api_user", None)
    if user is None:
        raise ApiError(401, "unauthorized", _("Bạn cần đăng nhập."))
    if roles and user.role not in roles:
        raise ApiError(403, "forbidden", _("Bạn không có quyền thực hiện thao tác này."))
    return user


def json_body() -> dict[str, Any]:
    """The request's JSON object, or a 400 with a clear message."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_json", _("Nội dung gửi lên phải là một đối tượng JSON."))
    return data


def form_errors(form) -> ApiError:
    """A 400 carrying a form's field errors."""
    return ApiError(400, "validation_error", _("Dữ liệu không hợp lệ."),
                    {name: [str(e) for e in errs] for name, errs in form.errors.items()})


def authorize_api(action: str, obj: Any = None, *, hide: bool = False) -> None:
    """The central authorisation check, answered in JSON."""
    from ..authz import can

    if can(getattr(g, "api_user", None), action, obj):
        return
    if getattr(g, "api_user", None) is None:
        raise ApiError(401, "unauthorized", _("Bạn cần đăng nhập."))
    if hide:
        raise ApiError(404, "not_found", _("Không tìm thấy."))
    raise ApiError(403, "forbidden", _("Bạn không có quyền thực hiện thao tác này."))


def api_blueprint(name: str, import_name: str):
    """A blueprint mounted under /api/v1 with token authentication and no CSRF (tokens are not cookies)."""
    from flask import Blueprint

    from ..extensions import csrf

    blueprint = Blueprint(name, import_name, url_prefix="/api/v1")
    csrf.exempt(blueprint)
    blueprint.before_request(load_token_user)
    return blueprint
