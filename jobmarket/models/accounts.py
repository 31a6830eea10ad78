"""Accounts: users with one role each, and API tokens."""
from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._common import utcnow


class Role(str, enum.Enum):
    """What a user is on the exchange."""

    WORKER = "worker"
    EMPLOYER = "employer"
    OFFICER = "officer"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    """A login: email, password hash, role and preferred language."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), index=True)
    locale: Mapped[str] = mapped_column(String(5), default="vi")
    is_enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Raised on every password change: sessions and remember-me cookies of an older version stop working.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    email_verified_at: Mapped[datetime | None]

    def get_id(self) -> str:  # flask-login: the session names the user and the session version
        """The id flask-login keeps in the session: 'id.version'."""
        return f"{self.id}.{self.session_version or 0}"

    @property
    def is_active(self) -> bool:  # flask-login: disabled accounts cannot log in
        """Whether the account may log in."""
        return bool(self.is_enabled)

    def has_role(self, *roles: Role | str) -> bool:
        """True when the user's role is one of roles."""
        return self.role in {r.value if isinstance(r, Role) else r for r in roles}


class ApiToken(db.Model):
    """A bearer token for the JSON API; only its SHA-256 digest is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
