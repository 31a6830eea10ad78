"""Login sessions that end on a password change: the session carries the user's session version."""
from __future__ import annotations

from ..extensions import db


def load_session_user(session_id: str):
    """The user of a session id 'id.version' (or a plain 'id' from before versions, valid for version 0); None when
    the password was changed since (the version moved on), so every other device is logged out."""
    from ..models import User

    head, _, version = str(session_id).partition(".")
    try:
        user = db.session.get(User, int(head))
        wanted = int(version) if version else 0
    except ValueError:
        return None
    if user is None or (user.session_version or 0) != wanted:
        return None
    return user


def end_other_sessions(user) -> None:
    """Move the session version on (the caller commits, then logs the current device in again if it should stay)."""
    user.session_version = (user.session_version or 0) + 1
