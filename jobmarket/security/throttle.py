"""Login throttling that slows a password guesser without letting anyone lock an owner out of their account.

Three counters of failed logins, in the rate-limit storage (RATELIMIT_STORAGE_URI: memory:// or redis://):
- per address: one address trying many accounts (LOGIN_FAILURES_PER_ADDRESS a minute);
- per account and address: one address guessing one account (LOGIN_ATTEMPTS_PER_MINUTE a minute);
- per account, from every address: past LOGIN_ACCOUNT_DELAY_AFTER failures in LOGIN_ACCOUNT_WINDOW seconds each
  further failure makes the next attempt wait longer (1, 2, 4 ... LOGIN_ACCOUNT_MAX_DELAY seconds), and the owner
  is told once per window.
A browser the owner has logged in from before carries a signed device cookie (OWASP's "device cookies"): it is
exempt from the account-wide delay, so an attacker elsewhere can slow strangers down but not keep the owner out.
When the storage (Redis) cannot be reached, the counters fall back to this process's memory for a while:
throttling gets weaker across processes, login keeps working.
"""
from __future__ import annotations

import hashlib
import logging
import secrets
import time
from dataclasses import dataclass

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from limits.storage import MemoryStorage, storage_from_string

log = logging.getLogger(__name__)

DEVICE_COOKIE = "jm_device"
DEVICE_DAYS = 180
RETRY_STORAGE_AFTER = 30.0  # seconds on the memory fallback before the real storage is tried again
_PREFIX = "jm-login"


@dataclass(frozen=True)
class Refusal:
    """An attempt refused before the password was checked: why, and how long to wait."""

    reason: str
    retry_after: int


class _Counters:
    """The configured storage, with a per-process memory fallback while it is unreachable."""

    def __init__(self, uri: str):
        self.uri = uri
        self.fallback = MemoryStorage()
        self.failed_at: float | None = None
        self.primary = self._connect()

    def _connect(self):
        options = {}
        if self.uri.startswith(("redis://", "rediss://")):
            options = {"socket_connect_timeout": 0.3, "socket_timeout": 0.3}
        try:
            return storage_from_string(self.uri, **options)
        except Exception as exc:  # a bad or unreachable storage must not stop logins
            log.warning("login throttle storage %s unusable (%s): using process memory", self.uri, exc)
            self.failed_at = time.monotonic()
            return None

    def _storage(self):
        if self.failed_at is not None:
            if time.monotonic() - self.failed_at < RETRY_STORAGE_AFTER:
                return self.fallback
            if self.primary is None:
                self.primary = self._connect()
                if self.primary is None:
                    return self.fallback
            self.failed_at = None
        return self.primary

    def _call(self, method: str, *args):
        storage = self._storage()
        try:
            return getattr(storage, method)(*args)
        except Exception as exc:
            if storage is self.fallback:
                raise
            log.warning("login throttle storage unreachable (%s): counting in process memory for %ds", exc,
                        RETRY_STORAGE_AFTER)
            self.failed_at = time.monotonic()
            return getattr(self.fallback, method)(*args)

    def incr(self, key: str, expiry: int) -> int:
        """Add one to a counter that expires expiry seconds after its first hit."""
        return int(self._call("incr", key, expiry))

    def get(self, key: str) -> int:
        """A counter's value (0 when absent or expired)."""
        return int(self._call("get", key) or 0)

    def expires_in(self, key: str) -> int:
        """Whole seconds until a counter expires (0 when absent)."""
        if self.get(key) <= 0:
            return 0
        return max(1, int(self._call("get_expiry", key) - time.time() + 0.999))

    def set_for(self, key: str, seconds: int) -> None:
        """A marker that lasts seconds (replacing an earlier one)."""
        self._call("clear", key)
        self._call("incr", key, seconds)

    def clear(self, key: str) -> None:
        """Forget a counter."""
        self._call("clear", key)


def _counters() -> _Counters:
    counters = current_app.extensions.get("jobmarket_login_throttle")
    if counters is None:
        counters = current_app.extensions["jobmarket_login_throttle"] = _Counters(
            current_app.config.get("RATELIMIT_STORAGE_URI") or "memory://")
    return counters


def enabled() -> bool:
    """Throttling follows RATELIMIT_ENABLED (tests switch it off unless they test it)."""
    return bool(current_app.config.get("LOGIN_THROTTLE_ENABLED", current_app.config.get("RATELIMIT_ENABLED", True)))


def _digest(email: str) -> str:
    """Accounts are keyed by a digest, so the storage holds no email addresses."""
    return hashlib.sha256(email.encode("utf-8")).hexdigest()[:32]


def _address() -> str:
    return request.remote_addr or "unknown"


def _keys(email: str) -> dict[str, str]:
    account, address = _digest(email), _address()
    return {"address": f"{_PREFIX}:ip:{address}", "pair": f"{_PREFIX}:acct-ip:{account}:{address}",
            "account": f"{_PREFIX}:acct:{account}", "wait": f"{_PREFIX}:wait:{account}",
            "told": f"{_PREFIX}:told:{account}"}


def _config(name: str, default: int) -> int:
    return int(current_app.config.get(name, default))


# Device cookies -------------------------------------------------------------------------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="jobmarket-login-device")


def trusted_device_for(user_id: int | None) -> bool:
    """Whether this browser carries a device cookie from an earlier successful login to that account."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw or user_id is None:
        return False
    try:
        data = _serializer().loads(raw, max_age=DEVICE_DAYS * 86400)
    except BadSignature:
        return False
    return isinstance(data, dict) and data.get("u") == user_id


def remember_device(response, user_id: int) -> None:
    """Give the browser a device cookie for this account (after a successful login)."""
    value = _serializer().dumps({"u": user_id, "n": secrets.token_urlsafe(8)})
    response.set_cookie(DEVICE_COOKIE, value, max_age=DEVICE_DAYS * 86400, httponly=True, samesite="Lax",
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")), path="/auth")


# The three counters ---------------------------------------------------------------------------------------------

def check(email: str, user_id: int | None) -> Refusal | None:
    """Before checking a password: refuse the attempt when a counter says this address or account must wait."""
    if not enabled():
        return None
    counters, keys = _counters(), _keys(email)
    if counters.get(keys["address"]) >= _config("LOGIN_FAILURES_PER_ADDRESS", 20):
        return Refusal("address", counters.expires_in(keys["address"]))
    if counters.get(keys["pair"]) >= _config("LOGIN_ATTEMPTS_PER_MINUTE", 5):
        return Refusal("account_address", counters.expires_in(keys["pair"]))
    if not trusted_device_for(user_id):
        wait = counters.expires_in(keys["wait"])
        if wait > 0:
            return Refusal("account", wait)
    return None


def account_delay(failures: int, threshold: int, maximum: int) -> int:
    """Seconds a stranger waits after the account's failures-th failure: 0 below threshold, then 1, 2, 4 ...
    up to maximum (an attacker's guesses slow to a trickle; the cap keeps a real person's wait bearable)."""
    if failures < threshold:
        return 0
    return min(2 ** min(failures - threshold, 16), maximum)


def failed(email: str, user) -> None:
    """After a wrong password: count it, make the account's strangers wait longer, tell the owner once."""
    if not enabled():
        return
    counters, keys = _counters(), _keys(email)
    counters.incr(keys["address"], 60)
    counters.incr(keys["pair"], 60)
    window = _config("LOGIN_ACCOUNT_WINDOW", 900)
    failures = counters.incr(keys["account"], window)
    threshold = _config("LOGIN_ACCOUNT_DELAY_AFTER", 10)
    if failures < threshold:
        return
    delay = account_delay(failures, threshold, _config("LOGIN_ACCOUNT_MAX_DELAY", 60))
    counters.set_for(keys["wait"], delay)
    if user is not None and counters.get(keys["told"]) == 0:
        counters.incr(keys["told"], window)
        notify_owner_of_login_attack(user, failures=failures, address=_address())


def succeeded(email: str) -> None:
    """After a right password: this address's count for the account starts again (the account-wide one does
    not: the owner logging in must not reset an attacker's delay elsewhere)."""
    if not enabled():
        return
    _counters().clear(_keys(email)["pair"])


def notify_owner_of_login_attack(user, *, failures: int, address: str) -> None:
    """Tell an account's owner that many wrong passwords were tried: a security event in the audit log (shown to
    the owner at their next login), a log line, and a security mail (which cannot be switched off).
    """
    from ..extensions import db
    from .audit import record

    log.warning("login: %d failed attempts on account %s, latest from %s; owner notified", failures, user.id,
                address)
    try:
        record("auth.login_throttled", target=user, actor=None, target_type="users",
               after={"failures": failures, "address": address}, summary=f"{failures} failed logins")
        db.session.commit()
    except Exception:  # the notice must never turn a refused login into an error page
        db.session.rollback()
        log.exception("could not record the login notice for user %s", user.id)
    from ..notifications import notify

    try:
        notify(user, "login_throttled", app=False, failures=failures, address=address)
        db.session.commit()  # the mail is queued after this commit
    except Exception:  # the notice must never turn a refused login into an error page
        db.session.rollback()
        log.exception("could not send the login notice to user %s", user.id)
