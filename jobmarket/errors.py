"""Error pages and JSON errors: every failure gets a clear message, never a bare 500."""
from __future__ import annotations

import logging

from flask import Flask, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sqlalchemy_exc
from werkzeug.exceptions import HTTPException

from .extensions import db

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error with a stable code for API clients and a message for people."""

    def __init__(self, status: int, code: str, message: str, details: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details or {}


def _messages() -> dict[int, str]:
    return {
        400: _("Yêu cầu không hợp lệ."),
        401: _("Bạn cần đăng nhập."),
        403: _("Bạn không có quyền thực hiện thao tác này."),
        404: _("Không tìm thấy trang hoặc dữ liệu bạn yêu cầu."),
        405: _("Phương thức không được hỗ trợ."),
        413: _("Tệp quá lớn."),
        429: _("Bạn đã thử quá nhiều lần. Vui lòng đợi một phút rồi thử lại."),
        500: _("Đã có lỗi xảy ra. Dữ liệu của bạn không bị mất; vui lòng thử lại."),
        503: _("Hệ thống đang tạm thời gián đoạn (không kết nối được cơ sở dữ liệu). Thao tác của bạn chưa được "
               "lưu; vui lòng thử lại sau ít phút."),
    }


_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          413: "payload_too_large", 429: "too_many_requests", 500: "internal_error",
          503: "service_unavailable"}


def wants_json() -> bool:
    """API requests get JSON errors."""
    return request.path.startswith("/api/")


def error_response(status: int, message: str | None = None, code: str | None = None, details: dict | None = None):
    """Build the error response in the shape the client expects."""
    message = message or _messages().get(status, _messages()[500])
    if wants_json():
        body = {"error": {"code": code or _CODES.get(status, "error"), "message": message}}
        if details:
            body["error"]["details"] = details
        return jsonify(body), status
    return render_template("errors/error.html", status=status, message=message), status


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def guard_nul_bytes():
    """NUL bytes: PostgreSQL text cannot store them and no person types one.

    Forms and query strings are cleaned (the byte is dropped, so what the person typed is kept); a JSON body or a
    path holding one is refused with a clear message.
    """
    from werkzeug.datastructures import ImmutableMultiDict

    if "\x00" in request.path:
        return error_response(422, _("Dữ liệu gửi lên chứa ký tự không hợp lệ."), "invalid_characters")
    if any(_has_nul(v) for v in request.args.values()):
        request.args = ImmutableMultiDict([(k.replace("\x00", ""), v.replace("\x00", ""))
                                           for k, v in request.args.items(multi=True)])
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if request.mimetype == "application/json":
            if _has_nul(request.get_json(silent=True)):
                return error_response(422, _("Dữ liệu gửi lên chứa ký tự không hợp lệ."), "invalid_characters")
        elif any(_has_nul(v) for v in request.form.values()):
            request.form = ImmutableMultiDict([(k.replace("\x00", ""), v.replace("\x00", ""))
                                               for k, v in request.form.items(multi=True)])
    return None


def database_unavailable(exc: Exception) -> bool:
    """True for a failure of the database itself (down, restarting, no free connection, SQLite busy), as opposed to
    a bug in a statement (SQLite reports 'no such column' with the same exception class)."""
    if isinstance(exc, sqlalchemy_exc.TimeoutError) or getattr(exc, "connection_invalidated", False):
        return True
    if not isinstance(exc, (sqlalchemy_exc.OperationalError, sqlalchemy_exc.InterfaceError)):
        # psycopg reports a server shutting down mid-statement as an OperationalError subclass; anything else
        # (integrity, data, programming errors) is a bug or a rule, not an outage.
        return False
    orig = getattr(exc, "orig", None)
    if orig is not None and type(orig).__module__.startswith("sqlite3"):
        return any(word in str(orig).lower() for word in ("locked", "busy", "unable to open"))
    return True


def install_error_handlers(app: Flask) -> None:
    """Register the handlers on the app."""
    app.before_request(guard_nul_bytes)

    @app.teardown_appcontext
    def _close_session_safely(exc):
        # Runs before Flask-SQLAlchemy's own teardown (registered earlier, so called later). When the database
        # goes away mid-request, closing the session's connection raises; the answer was already made, so discard
        # the dead connection (the pool makes a new one) instead of turning that answer into a 500.
        try:
            db.session.remove()
        except sqlalchemy_exc.SQLAlchemyError as failure:
            log.warning("discarding a database connection that failed on close: %s", failure.__class__.__name__)
            try:
                db.session().invalidate()
            except (sqlalchemy_exc.SQLAlchemyError, OSError):
                pass
            db.session.registry.clear()

    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        return error_response(exc.status, exc.message, exc.code, exc.details)

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError):
        return error_response(400, _("Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Vui lòng tải lại trang và thử lại."), "csrf_failed")

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        status = exc.code or 500
        if status == 401 and not wants_json():
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if status >= 500:
            db.session.rollback()
        message = None
        if status not in _messages() and exc.description:
            message = exc.description
        body, status = error_response(status, message)
        response = make_response(body, status)
        for name, value in exc.get_headers():  # Allow on 405, Retry-After on 429, ...
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(sqlalchemy_exc.DBAPIError)
    @app.errorhandler(sqlalchemy_exc.TimeoutError)
    def _database_unavailable(exc: Exception):
        # The database is down, restarting or out of connections: nothing was committed (the transaction rolls
        # back), so say so and ask the client to retry, instead of a 500 or a hung request.
        if not database_unavailable(exc):
            return _unexpected(exc)
        try:
            db.session.rollback()
        except sqlalchemy_exc.SQLAlchemyError:
            pass
        log.warning("database unavailable on %s %s: %s", request.method, request.path, exc.__class__.__name__)
        # The page must render without the database: the header would load the logged-in user from it.
        from flask import g

        from .extensions import login_manager

        g._login_user = login_manager.anonymous_user()
        g.api_user = None  # its language would be read from the database too (the language cookie still counts)
        body, status = error_response(503)
        response = make_response(body, status)
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        db.session.rollback()
        if app.config.get("TESTING") and app.config.get("RAISE_UNHANDLED", True):
            raise exc  # a test sees the real traceback, not a page
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500)
