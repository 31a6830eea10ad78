"""The reader's growing vocabulary: aliases of skills and occupations, and phrases it met that matched nothing."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._common import utcnow

ALIAS_SOURCES = ("data", "admin")
PHRASE_STATUSES = ("open", "mapped", "added", "ignored")


class SkillAlias(db.Model):
    """Another way people write a skill ("tin học văn phòng" for MS Office); from the shipped data or an admin."""

    __tablename__ = "skill_aliases"
    __table_args__ = (UniqueConstraint("skill_id", "folded", name="uq_skill_aliases_skill_folded"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(160))
    folded: Mapped[str] = mapped_column(String(160), index=True)
    source: Mapped[str] = mapped_column(String(8), default="data")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OccupationAlias(db.Model):
    """A job title as postings write it ("kế toán tổng hợp", "shipper") and the VSCO 2020 unit group it names."""

    __tablename__ = "occupation_aliases"
    __table_args__ = (UniqueConstraint("occupation_code", "folded", name="uq_occupation_aliases_code_folded"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occupation_code: Mapped[str] = mapped_column(ForeignKey("occupations.code", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(160))
    folded: Mapped[str] = mapped_column(String(160), index=True)
    source: Mapped[str] = mapped_column(String(8), default="data")


class ReadingPhrase(db.Model):
    """A phrase the reader met in requirements that matched no skill: how often, a few examples, what was decided."""

    __tablename__ = "reading_phrases"

    id: Mapped[int] = mapped_column(primary_key=True)
    folded: Mapped[str] = mapped_column(String(160), unique=True)
    phrase: Mapped[str] = mapped_column(String(160))
    count: Mapped[int] = mapped_column(default=0)
    # Up to five short excerpts of text around the phrase, one per line.
    examples: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(8), default="open", index=True)
    skill_id: Mapped[int | None] = mapped_column(ForeignKey("skills.id", ondelete="SET NULL"))
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)
