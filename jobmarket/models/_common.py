"""Small helpers shared by the model modules: UTC timestamps."""
from datetime import datetime, timezone


def utcnow() -> datetime:
    """Return the current time in UTC, naive, as every timestamp column stores it."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
