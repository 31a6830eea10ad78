"""Account recovery and verification: password reset and account claim by email, email verification,
password change (which ends the sessions of other devices)."""
from __future__ import annotations

import logging

from sqlalchemy import select

from ..extensions import db
from ..models import User
from ..models._common import utcnow
from .passwords import hash_password, verify_password
from .services import normalise_email
from .sessions import end_other_sessions

log = logging.getLogger(__name__)


def _security_mail(user: User, kind: str, key: str) -> None:
    """Queue a security message (always sent, no unsubscribe)."""
    from ..notifications.events import notify

    notify(user, kind, key=key, app=False)


def request_password_reset(email: str) -> None:
    """Send a reset link when the address belongs to an enabled account; otherwise do nothing. The caller shows the
    same answer either way. Commits."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email or "")))
    if user is not None and user.is_enabled:
        _security_mail(user, "password_reset", f"reset:{user.id}:{utcnow().isoformat()}")
        db.session.commit()
        log.info("password reset requested for user %s", user.id)


def set_new_password(user: User, password: str) -> None:
    """Store a new password (from a reset, a claim or the change page): the address is thereby proven (the link
    came by mail), old links stop working and every session of the account ends. Commits."""
    user.password_hash = hash_password(password)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    end_other_sessions(user)
    _security_mail(user, "password_changed", f"changed:{user.id}:{user.session_version}")
    db.session.commit()


def change_password(user: User, current: str, new: str) -> bool:
    """The change-password page: False when the current password is wrong; else as set_new_password."""
    if not verify_password(user.password_hash, current):
        return False
    set_new_password(user, new)
    return True


def request_verification(user: User) -> None:
    """Send an email-verification link to the user's current address (registration, change of address). Commits."""
    if user.email_verified_at is None:
        _security_mail(user, "verify_email", f"verify:{user.id}:{user.email}:{utcnow().isoformat()}")
        db.session.commit()


def mark_verified(user: User) -> bool:
    """Record that the address is proven; False when it already was. Commits."""
    if user.email_verified_at is not None:
        return False
    user.email_verified_at = utcnow()
    db.session.commit()
    return True


def change_email(user: User, password: str, new_email: str) -> str | None:
    """Move the account to a new address (unverified until its link is opened); an error message or None."""
    from flask_babel import gettext as _

    if not verify_password(user.password_hash, password):
        return _("Mật khẩu không đúng.")
    address = normalise_email(new_email)
    taken = db.session.scalar(select(User.id).where(User.email == address, User.id != user.id))
    if taken is not None:
        return _("Email này đã được đăng ký. Hãy đăng nhập hoặc dùng email khác.")
    user.email, user.email_verified_at = address, None
    db.session.flush()
    request_verification(user)
    return None


def invite_to_claim(user: User) -> None:
    """A walk-in job seeker with a real address is invited to claim the account (set a password). The caller
    commits."""
    from ..notifications.tasks import undeliverable

    if not undeliverable(user.email):
        from ..notifications.events import notify

        notify(user, "claim_account", key=f"claim:{user.id}", app=False)
