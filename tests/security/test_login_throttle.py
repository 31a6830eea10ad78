"""Login throttling: per address, per account and address, and an account-wide delay the owner's browser skips."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from jobmarket.models import AuditEvent
from jobmarket.security.throttle import DEVICE_COOKIE, account_delay

from ..factories import PASSWORD

WRONG = "wrong-password-1"


@pytest.fixture
def throttled_config(app_config):
    app_config.update(RATELIMIT_ENABLED=True, LOGIN_ATTEMPTS_PER_MINUTE=5, LOGIN_FAILURES_PER_ADDRESS=12,
                      LOGIN_ACCOUNT_DELAY_AFTER=6, LOGIN_ACCOUNT_MAX_DELAY=60)
    return app_config


def _post(client, email, password=WRONG, ip="10.0.0.1"):
    return client.post("/auth/login", data={"email": email, "password": password},
                       environ_overrides={"REMOTE_ADDR": ip})


def test_one_address_guessing_one_account_is_stopped_but_the_owner_elsewhere_is_not(throttled_config, app, db,
                                                                                   factory):
    factory.user(email="owner@example.vn")
    attacker = app.test_client()
    codes = [_post(attacker, "owner@example.vn", ip="10.6.6.6").status_code for _ in range(6)]
    assert codes == [401] * 5 + [429]
    refused = _post(attacker, "owner@example.vn", PASSWORD, ip="10.6.6.6")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert "quá nhiều lần" in refused.get_data(as_text=True)  # in the user's language (Vietnamese by default)
    owner = app.test_client()
    assert _post(owner, "owner@example.vn", PASSWORD, ip="10.1.1.1").status_code == 302


def test_one_address_trying_many_accounts_is_stopped(throttled_config, app, db):
    client = app.test_client()
    codes = [_post(client, f"user{i}@example.vn", ip="10.9.9.9").status_code for i in range(13)]
    assert codes == [401] * 12 + [429]
    assert _post(client, "other@example.vn", ip="10.9.9.10").status_code == 401  # another address is unaffected


def test_account_wide_delay_grows_and_caps():
    assert [account_delay(n, 4, 60) for n in range(2, 13)] == [0, 0, 1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_many_addresses_on_one_account_slow_strangers_not_the_owner(throttled_config, app, db, factory):
    owner_user = factory.user(email="target@example.vn")
    owner = app.test_client()
    login = _post(owner, "target@example.vn", PASSWORD, ip="10.1.1.1")
    assert login.status_code == 302
    device_cookie = owner.get_cookie(DEVICE_COOKIE, path="/auth")
    assert device_cookie is not None and device_cookie.http_only
    owner.post("/auth/logout")
    # A botnet: every attempt from a new address, so neither address counter ever fills.
    attackers = app.test_client()
    codes = [_post(attackers, "target@example.vn", ip=f"10.2.0.{i}").status_code for i in range(6)]
    assert codes == [401] * 6
    delayed = _post(attackers, "target@example.vn", PASSWORD, ip="10.2.0.99")
    assert delayed.status_code == 429 and delayed.headers["Retry-After"] == "1"
    # The owner's browser (device cookie) is not delayed, and is told about the attack at login.
    back = _post(owner, "target@example.vn", PASSWORD, ip="10.1.1.1")
    assert back.status_code == 302
    page = owner.get(back.headers["Location"], follow_redirects=True)
    assert "Cảnh báo bảo mật" in page.get_data(as_text=True)
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.login_throttled")))
    assert [(e.target_type, e.target_id, e.after["failures"]) for e in events] == [("users", owner_user.id, 6)]
    # ... and by a security mail, queued once, that names no one but the owner's own account.
    import json

    from jobmarket.models import QueuedJob

    mails = [json.loads(j.payload) for j in db.session.scalars(select(QueuedJob))]
    notices = [m for m in mails if m.get("kind") == "login_throttled"]
    assert [(m["user_id"], m["context"]["failures"]) for m in notices] == [(owner_user.id, 6)]


def test_a_forged_device_cookie_does_not_skip_the_delay(throttled_config, app, db, factory):
    user = factory.user(email="forge@example.vn")
    client = app.test_client()
    for i in range(6):
        _post(client, "forge@example.vn", ip=f"10.3.0.{i}")
    client.set_cookie(DEVICE_COOKIE, f'{{"u": {user.id}}}', path="/auth")
    assert _post(client, "forge@example.vn", PASSWORD, ip="10.3.0.50").status_code == 429


def test_successful_logins_do_not_count(throttled_config, app, db, factory):
    factory.user(email="ok@example.vn")
    client = app.test_client()
    for _ in range(8):
        assert _post(client, "ok@example.vn", PASSWORD).status_code == 302
        client.post("/auth/logout")


def _redis_or_skip(url):
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError as exc:
        from ..dbutil import missing_dependency

        missing_dependency(f"Redis is not reachable: {exc}")
    return redis.Redis.from_url(url)


def test_counters_live_in_redis_when_configured(throttled_config, db, make_app):
    url = "redis://127.0.0.1:6379/5"
    r = _redis_or_skip(url)
    for key in r.scan_iter("*jm-login*"):
        r.delete(key)
    throttled_config["RATELIMIT_STORAGE_URI"] = url
    try:
        client = make_app(throttled_config).test_client()
        codes = [_post(client, "redis@example.vn", ip="10.4.0.1").status_code for _ in range(6)]
        assert codes == [401] * 5 + [429]
        assert any(b"jm-login:acct-ip:" in k for k in r.keys("*")), "counters were not stored in Redis"
        # A second app process (another gunicorn worker) sees the same counters.
        other = make_app(throttled_config).test_client()
        assert _post(other, "redis@example.vn", ip="10.4.0.1").status_code == 429
    finally:
        for key in r.scan_iter("*jm-login*"):
            r.delete(key)


def test_login_works_with_redis_down(throttled_config, db, factory, make_app):
    """Redis unreachable (nothing listens on the port): logins still succeed, throttling falls back to process
    memory, the rate-limited type-ahead answers, and nothing is a 500."""
    factory.user(email="down@example.vn")
    throttled_config["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:1/5"
    app = make_app(throttled_config)
    client = app.test_client()
    assert _post(client, "down@example.vn", PASSWORD).status_code == 302
    client.post("/auth/logout")
    codes = [_post(client, "down@example.vn", ip="10.5.0.1").status_code for _ in range(6)]
    assert codes == [401] * 5 + [429]
    assert client.get("/goi-y/ky-nang?q=han").status_code == 200
    counters = app.extensions["jobmarket_login_throttle"]
    assert counters.failed_at is not None and counters.fallback.get(next(iter(counters.fallback.storage))) > 0
