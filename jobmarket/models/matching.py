"""Derived tables of the database search backend: skill postings bucketed by ward, skill-weight totals, words.

They are computed from the rows (vacancies, vacancy skills, worker profiles, worker skills, preferred wards, skill
weights and labels) and kept in sync by jobmarket/search/dbindex.py (whose session hooks the app factory installs) within the same
transaction as the change; models never import the search package.
Eligibility (open, verified, visible, seeking, enabled) is never copied here: queries read it from the rows.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, Float, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

NO_PLACE = ""  # ward_code of the postings of a worker with no ward at all (location part 0 everywhere)


class DbSearchVacancy(db.Model):
    """Per vacancy: sums of the rarity weights of its required and nice-to-have skills."""

    __tablename__ = "dbsearch_vacancies"

    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancies.id", ondelete="CASCADE"), primary_key=True)
    req_total: Mapped[float] = mapped_column(Float)
    nice_total: Mapped[float] = mapped_column(Float)
    nice_count: Mapped[int] = mapped_column(Integer)


class DbSearchVacancySkill(db.Model):
    """One skill of a vacancy, filed under the vacancy's ward: the inverted index workers are matched through.

    `rest` is the share of the vacancy's required (or, for a nice-to-have skill, nice-to-have) skill weight held by
    this skill and the ones after it, skills ordered rarest first (weight desc, id asc). A worker whose first held
    skill of the vacancy is this one covers at most `rest` of it, so postings with a small rest can be skipped when
    only high coverage could still make the top (prefix filtering)."""

    __tablename__ = "dbsearch_vacancy_skills"
    __table_args__ = (Index("ix_dbsearch_vacancy_skills_vacancy_id", "vacancy_id"), {"sqlite_with_rowid": False})

    skill_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ward_code: Mapped[str] = mapped_column(String(5), primary_key=True)
    required: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    rest: Mapped[float] = mapped_column(Float, primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancies.id", ondelete="CASCADE"), primary_key=True)
    # Copies of the vacancy's wage and publication, so a candidate's wage and freshness parts are known from the index.
    offered: Mapped[int | None] = mapped_column(BigInteger)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)


class DbSearchWorkerSkill(db.Model):
    """One skill of a worker, filed under each of the worker's places (home ward, and preferred wards unless
    'anywhere in Hanoi'; NO_PLACE when none): the inverted index vacancies are matched through."""

    __tablename__ = "dbsearch_worker_skills"
    __table_args__ = (Index("ix_dbsearch_worker_skills_worker_id", "worker_id"), {"sqlite_with_rowid": False})

    skill_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ward_code: Mapped[str] = mapped_column(String(5), primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker_profiles.id", ondelete="CASCADE"), primary_key=True)
    # Copies of the worker's expectation and activity: a candidate's wage and freshness parts known from the index.
    expected_wage: Mapped[int | None] = mapped_column(BigInteger)
    last_active_at: Mapped[datetime | None] = mapped_column(DateTime)


class DbSearchWardDistance(db.Model):
    """Great-circle km between two ward centres (scoring.haversine_km), for every ordered pair of wards."""

    __tablename__ = "dbsearch_ward_distances"
    __table_args__ = {"sqlite_with_rowid": False}

    ward_a: Mapped[str] = mapped_column(String(5), primary_key=True)
    ward_b: Mapped[str] = mapped_column(String(5), primary_key=True)
    km: Mapped[float] = mapped_column(Float)


class DbSearchVacancyWord(db.Model):
    """One term of a vacancy's text for free-text search (jobmarket/search/relevance.py): a folded syllable, a folded
    pair of adjacent syllables ("ke toan"), or an exact lower-case spelling ("=điện"), with its weighted term
    frequency in half units (`level`, capped) and the saturated weight the score multiplies by the term's rarity."""

    __tablename__ = "dbsearch_vacancy_words"
    __table_args__ = (Index("ix_dbsearch_vacancy_words_vacancy_id", "vacancy_id"), {"sqlite_with_rowid": False})

    word: Mapped[str] = mapped_column(Text, primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancies.id", ondelete="CASCADE"), primary_key=True)
    level: Mapped[int] = mapped_column(SmallInteger)
    weight: Mapped[float] = mapped_column(Float)


class DbSearchTerm(db.Model):
    """How many vacancies hold a term (document frequency), kept with the words; the app computes rarity (idf) from
    it for both backends. The row with word relevance.DOCS_KEY holds the number of vacancies indexed."""

    __tablename__ = "dbsearch_terms"
    __table_args__ = {"sqlite_with_rowid": False}

    word: Mapped[str] = mapped_column(Text, primary_key=True)
    df: Mapped[int] = mapped_column(Integer)
    max_level: Mapped[int] = mapped_column(SmallInteger, default=0)  # never lowered: an upper bound on levels
