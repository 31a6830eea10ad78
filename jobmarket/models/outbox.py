"""The search outbox: what changed (kind, id), written in the same transaction as the change."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._common import utcnow


class OutboxEntry(db.Model):
    """One pending index update. The drain re-reads the row, so the entry says only what, never how."""

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(16))  # "vacancy" or "worker"
    entity_id: Mapped[int] = mapped_column(index=True)
    # The row's version after the change; a deleted row's entry uses it to delete the document (see search/outbox.py).
    version: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
