"""Security hardening shared by every area: response headers, login throttling, the audit log, safe spreadsheets."""
from __future__ import annotations

from flask import Flask


def install(app: Flask) -> None:
    """Attach the security headers and the session checks to the app."""
    from .audit import install_append_only_guard
    from .form_messages import install_form_messages
    from .headers import install_headers
    from .sessions import install_session_checks

    install_append_only_guard()
    install_form_messages()
    install_headers(app)
    hops = int(app.config.get("TRUSTED_PROXY_HOPS") or 0)
    if hops > 0:
        # Behind a reverse proxy every request comes from the proxy's address: the login throttle and the audit
        # log need the client's, from X-Forwarded-For, trusted for exactly this many proxies (never more: the
        # header is otherwise the client's to forge).
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0)
    install_session_checks(app)
