"""Signed links: password reset and account claim (single use, tied to the password), email verification, unsubscribe."""
from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

PURPOSES = {"reset": "password-reset", "claim": "account-claim", "verify": "email-verify", "unsubscribe": "unsubscribe"}


class TokenError(ValueError):
    """A link that cannot be used: `reason` is 'expired', 'used' or 'invalid'."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=PURPOSES[purpose])


def password_fingerprint(user) -> str:
    """Changes whenever the password (or session version) changes: a used reset link stops working."""
    return hashlib.sha256(f"{user.password_hash}|{user.session_version or 0}".encode()).hexdigest()[:20]


def make_token(purpose: str, user, **extra) -> str:
    """A signed, timestamped token for one user and purpose."""
    data = {"u": user.id, **extra}
    if purpose in ("reset", "claim"):
        data["f"] = password_fingerprint(user)
    return _serializer(purpose).dumps(data)


def max_age(purpose: str) -> int:
    """How long a link of this purpose lives, in seconds."""
    return {"reset": 60 * int(current_app.config["PASSWORD_RESET_MINUTES"]), "claim": 7 * 24 * 3600,
            "verify": 3 * 24 * 3600, "unsubscribe": 10 * 365 * 24 * 3600}[purpose]


def read_token(purpose: str, token: str) -> dict:
    """The token's data; TokenError('expired' | 'invalid')."""
    try:
        data = _serializer(purpose).loads(token, max_age=max_age(purpose))
    except SignatureExpired:
        raise TokenError("expired")
    except BadSignature:
        raise TokenError("invalid")
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise TokenError("invalid")
    return data


def user_for_token(purpose: str, token: str):
    """The user a reset/claim/verify token is for; TokenError when expired, used (password changed since, address
    changed since) or tampered with."""
    from ..extensions import db
    from ..models import User

    data = read_token(purpose, token)
    user = db.session.get(User, data["u"])
    if user is None or not user.is_enabled:
        raise TokenError("invalid")
    if purpose in ("reset", "claim") and data.get("f") != password_fingerprint(user):
        raise TokenError("used")
    if purpose == "verify" and data.get("e") != user.email:
        raise TokenError("used")
    return user
