"""Security headers on every kind of response: pages, API, errors, files and static assets; HSTS in production."""
from __future__ import annotations

import re

import pytest

COMMON = {"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
          "Referrer-Policy": "strict-origin-when-cross-origin", "Cross-Origin-Opener-Policy": "same-origin"}


def _assert_common(response):
    for name, value in COMMON.items():
        assert response.headers.get(name) == value, (name, response.request.path)
    assert "camera=()" in response.headers["Permissions-Policy"]
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    return csp


@pytest.mark.parametrize("path", ["/", "/auth/login", "/auth/register"])
def test_pages_carry_a_nonce_csp(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    csp = _assert_common(response)
    nonce = re.search(r"script-src 'self' 'nonce-([A-Za-z0-9_-]+)'", csp).group(1)
    assert len(nonce) >= 22
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp and "form-action 'self'" in csp
    # Every inline <script>/<style> on the page carries this response's nonce; no inline handlers.
    html = response.get_data(as_text=True)
    for tag in re.findall(r"<(?:script|style)\b[^>]*>", html):
        assert "src=" in tag or f'nonce="{nonce}"' in tag, tag
    assert not re.search(r"\son[a-z]+\s*=", html) and "javascript:" not in html
    assert "Strict-Transport-Security" not in response.headers  # not over plain HTTP in development


def test_nonce_differs_per_response(client, db):
    first = client.get("/").headers["Content-Security-Policy"]
    second = client.get("/").headers["Content-Security-Policy"]
    assert first != second


def test_api_errors_and_static_files_carry_the_headers(client, db):
    responses = {
        "api": client.get("/api/v1/openapi.json"),
        "api_401": client.get("/api/v1/me"),
        "page_404": client.get("/khong-co-trang-nay"),
        "api_404": client.get("/api/v1/khong-co"),
        "405": client.put("/auth/login"),
        "static": client.get("/static/css/app.css"),
        "static_js": client.get("/static/js/typeahead.js"),
    }
    assert responses["api"].status_code == 200 and responses["static"].status_code == 200
    assert responses["page_404"].status_code == 404 and responses["api_404"].status_code == 404
    assert responses["405"].status_code == 405 and responses["api_401"].status_code == 401
    for kind, response in responses.items():
        csp = _assert_common(response)
        if response.mimetype != "text/html":
            assert csp.startswith("default-src 'none'"), kind
    for response in responses.values():
        response.close()


def test_unexpected_error_page_carries_the_headers(app_config, db, make_app):
    app_config["RAISE_UNHANDLED"] = False
    app = make_app(app_config)

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    _assert_common(response)
    assert "Dữ liệu của bạn không bị mất" in response.get_data(as_text=True)


def test_signed_in_pages_are_not_cached(client, auth, db, factory):
    factory.user(email="cache@example.vn")
    auth.login(email="cache@example.vn")
    response = client.get("/")
    assert "no-store" in response.headers["Cache-Control"]
    static = client.get("/static/css/app.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")  # assets stay cacheable
    static.close()


def test_production_sends_hsts_and_secure_cookies(app_config, db, factory, make_app):
    factory.user(email="prod@example.vn")
    app_config.update(ENV_NAME="production", SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    client = make_app(app_config).test_client()
    page = client.get("/", base_url="https://jobs.example.vn")
    assert page.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    login = client.post("/auth/login", data={"email": "prod@example.vn", "password": "mat-khau-dai-10",
                                             "remember": "y"}, base_url="https://jobs.example.vn")
    assert login.status_code == 302
    cookies = login.headers.getlist("Set-Cookie")
    assert cookies and all("Secure" in c and "HttpOnly" in c for c in cookies), cookies
    assert {c.split("=", 1)[0] for c in cookies} >= {"session", "remember_token", "jm_device"}
    static = client.get("/static/css/app.css", base_url="https://jobs.example.vn")
    assert "Strict-Transport-Security" in static.headers
    static.close()


def test_production_configuration_turns_secure_cookies_on(monkeypatch, database_url, make_app):
    monkeypatch.setenv("JOBMARKET_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s3cret-for-test")
    app = make_app({"SQLALCHEMY_DATABASE_URI": database_url})
    assert app.config["ENV_NAME"] == "production"
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    response = app.test_client().get("/", base_url="https://jobs.example.vn")
    assert "Strict-Transport-Security" in response.headers


def test_client_address_behind_a_trusted_proxy(app_config, db, factory, make_app):
    """With TRUSTED_PROXY_HOPS=1 the audit log and the throttle see the client's address, not the proxy's; without
    it a forged X-Forwarded-For is ignored."""
    from sqlalchemy import select

    from jobmarket.models import AuditEvent

    officer = factory.user("officer", email="proxy@example.vn")
    employers = [factory.employer(verified=False), factory.employer(verified=False)]
    for hops, employer, expected in ((1, employers[0], "203.0.113.7"), (0, employers[1], "10.0.0.2")):
        app_config["TRUSTED_PROXY_HOPS"] = hops
        client = make_app(app_config).test_client()
        env = {"REMOTE_ADDR": "10.0.0.2"}
        headers = {"X-Forwarded-For": "203.0.113.7"}
        client.post("/auth/login", data={"email": officer.email, "password": "mat-khau-dai-10"},
                    environ_overrides=env, headers=headers)
        client.post(f"/can-bo/doanh-nghiep/{employer.id}/xac-minh", environ_overrides=env, headers=headers)
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.target_id == employer.id,
                                                           AuditEvent.action == "employer.verify"))
        assert event.ip_address == expected
