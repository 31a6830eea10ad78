"""Curated query-time synonyms and abbreviations (NV = nhân viên, driver = lái xe) that officers can extend."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._common import utcnow


class SearchSynonym(db.Model):
    """One entry: a query phrase and the phrases it also means; two-way entries make every phrase mean the others.

    `phrase_folded` and `equivalents_folded` are the folded forms (jobmarket.text.fold) that search compares;
    `equivalents` is ';'-separated as typed. Seed rows (source 'seed') come from refdata/data/search_synonyms.csv;
    an officer's edit turns a row into source 'officer' so `flask refdata load` no longer overwrites it, and deleting
    a seed row only deactivates it so a reload does not bring it back.
    """

    __tablename__ = "search_synonyms"

    id: Mapped[int] = mapped_column(primary_key=True)
    phrase: Mapped[str] = mapped_column(String(120))
    phrase_folded: Mapped[str] = mapped_column(String(120), unique=True)
    equivalents: Mapped[str] = mapped_column(Text)
    equivalents_folded: Mapped[str] = mapped_column(Text)
    two_way: Mapped[bool] = mapped_column(default=False)
    kind: Mapped[str] = mapped_column(String(16), default="synonym")  # "synonym" or "abbreviation"
    note: Mapped[str] = mapped_column(String(255), default="")
    source: Mapped[str] = mapped_column(String(16), default="officer")  # "seed" or "officer"
    is_active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def equivalent_list(self) -> list[str]:
        """The equivalents as typed, one per item."""
        return [e for e in (x.strip() for x in self.equivalents.split(";")) if e]
