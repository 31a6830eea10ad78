"""Account rules: creating users, checking credentials, issuing and resolving API tokens."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import ApiToken, Role, User
from ..models._common import utcnow
from ..text import nfc
from .passwords import hash_password, needs_rehash, verify_password

SELF_SERVICE_ROLES = (Role.WORKER.value, Role.EMPLOYER.value)


class AccountError(ValueError):
    """A rule about accounts was broken; the message is for the user."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively and in NFC."""
    return nfc(email).strip().lower()


def create_user(email: str, password: str, role: str, locale: str = "vi", *, commit: bool = True) -> User:
    """Create an account; raises AccountError when the email is taken."""
    from flask_babel import gettext as _

    email = normalise_email(email)
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise AccountError("email_taken", _("Email này đã được đăng ký. Hãy đăng nhập hoặc dùng email khác."))
    user = User(email=email, password_hash=hash_password(password), role=role, locale=locale)
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise AccountError("email_taken", _("Email này đã được đăng ký. Hãy đăng nhập hoặc dùng email khác."))
    if commit:
        db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    """Return the user when the credentials are right (upgrading an outdated hash), else None."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        verify_password(_DUMMY_HASH(), password)  # same work whether or not the account exists
        return None
    if not verify_password(user.password_hash, password) or not user.is_enabled:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def account_for_login(email: str) -> User | None:
    """The account an email names (for the login throttle's device check), or None."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def warn_of_failed_logins(user: User, since) -> None:
    """Flash the owner a notice when their account was under a password-guessing attack since their last login."""
    from flask import flash
    from flask_babel import gettext as _
    from sqlalchemy import func

    from ..models import AuditEvent

    stmt = select(func.count(AuditEvent.id)).where(AuditEvent.action == "auth.login_throttled",
                                                     AuditEvent.target_type == "users", AuditEvent.target_id == user.id)
    if since is not None:
        stmt = stmt.where(AuditEvent.occurred_at >= since)
    if db.session.scalar(stmt):
        flash(_("Cảnh báo bảo mật: đã có nhiều lần đăng nhập sai mật khẩu vào tài khoản của bạn từ nơi khác kể từ "
                "lần đăng nhập trước. Nếu không phải bạn, hãy đổi mật khẩu."), "warning")


_dummy: list[str] = []


def _DUMMY_HASH() -> str:  # noqa: N802 - computed once, lazily
    if not _dummy:
        _dummy.append(hash_password(secrets.token_hex(8)))
    return _dummy[0]


def set_locale(user: User, locale: str) -> None:
    """Remember a logged-in user's language."""
    user.locale = locale
    db.session.commit()


def issue_token(user: User) -> tuple[str, ApiToken]:
    """Create an API token; the clear text is returned once and only its digest stored."""
    raw = secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, token_hash=hashlib.sha256(raw.encode()).hexdigest(),
                     expires_at=utcnow() + timedelta(days=current_app.config["API_TOKEN_DAYS"]))
    db.session.add(token)
    db.session.commit()
    return raw, token


def user_for_token(raw: str) -> User | None:
    """The enabled user a valid, unexpired token belongs to."""
    digest = hashlib.sha256(raw.encode()).hexdigest()
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    if token is None or token.expires_at < utcnow():
        return None
    user = db.session.get(User, token.user_id)
    return user if user is not None and user.is_enabled else None


def revoke_tokens(user: User) -> None:
    """Remove every API token of a user."""
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    db.session.commit()
