"""The vocabularies matching speaks: skills (with rarity weights) and VSCO 2020 occupations."""
from __future__ import annotations

from sqlalchemy import Float, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class Skill(db.Model):
    """A skill with Vietnamese and English labels, synonyms, and the rarity weight matching uses."""

    __tablename__ = "skills"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    label_vi: Mapped[str] = mapped_column(String(120))
    label_en: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(32), index=True)
    occupation_group: Mapped[str] = mapped_column(String(4))
    synonyms: Mapped[str] = mapped_column(Text, default="")
    # Folded labels and synonyms, space-separated, for diacritic-insensitive type-ahead.
    search_text: Mapped[str] = mapped_column(Text, default="")
    # Rarity weight in [1, 3]: recomputed from how many vacancies and workers carry the skill.
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    demand_count: Mapped[int] = mapped_column(default=0)
    supply_count: Mapped[int] = mapped_column(default=0)

    def label(self, locale: str = "vi") -> str:
        """The label in the given language."""
        return self.label_en if locale == "en" else self.label_vi


class Occupation(db.Model):
    """A VSCO 2020 occupation (levels 1 to 5) with its ISCO-08 English title where one exists."""

    __tablename__ = "occupations"

    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    level: Mapped[int]
    parent_code: Mapped[str | None] = mapped_column(String(5), index=True)
    title_vi: Mapped[str] = mapped_column(String(255))
    title_en: Mapped[str | None] = mapped_column(String(255))
    search_text: Mapped[str] = mapped_column(Text, default="")

    def title(self, locale: str = "vi") -> str:
        """The title in the given language, falling back to Vietnamese."""
        return (self.title_en or self.title_vi) if locale == "en" else self.title_vi
