"""Security headers on every response: a nonce-based Content-Security-Policy, framing, referrer, sniffing, HSTS."""
from __future__ import annotations

import secrets

from flask import Flask, g, request

PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
                      "payment=(), usb=()")


def csp_nonce() -> str:
    """The nonce of this response's inline <script>/<style> elements (one per request, unguessable)."""
    nonce = g.get("csp_nonce")
    if nonce is None:
        nonce = g.csp_nonce = secrets.token_urlsafe(18)
    return nonce


def page_policy(nonce: str) -> str:
    """The CSP of HTML pages: only our own files and elements carrying this response's nonce may run or style."""
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        f"style-src 'self' 'nonce-{nonce}'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


# JSON, files and static assets never need to run anything.
STRICT_POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'"


def security_headers(response, *, production: bool, nonce: str | None) -> None:
    """Set the headers on one response (only those a view has not set itself)."""
    headers = response.headers
    is_html = (response.mimetype or "") == "text/html"
    headers.setdefault("Content-Security-Policy", page_policy(nonce or csp_nonce()) if is_html else STRICT_POLICY)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
    if production:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def install_headers(app: Flask) -> None:
    """Give templates `csp_nonce()` and put the headers on every response, errors and static files included."""
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    production = app.config.get("ENV_NAME") == "production"

    @app.before_request
    def _fresh_nonce() -> None:
        # `g` outlives a request when an app context is shared (tests, CLI): each response gets its own nonce.
        g.pop("csp_nonce", None)

    @app.after_request
    def _security_headers(response):
        security_headers(response, production=production, nonce=g.get("csp_nonce"))
        if request.endpoint != "static" and _logged_in():
            # Pages of a signed-in person must not be kept by a shared browser's or a proxy's cache.
            response.headers.setdefault("Cache-Control", "private, no-store")
        return response


def _logged_in() -> bool:
    """Whether the request was made by a signed-in user (without loading one just to ask)."""
    from flask import session

    return "_user_id" in session
