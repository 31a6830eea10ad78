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
    install_session_checks(app)
