"""Job seekers: the profile matching reads (skills, place, wage) and the few facts statistics need."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Column, DateTime, FetchedValue, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._common import utcnow
from .geo import Ward
from .vocab import Occupation, Skill

worker_skills = Table(
    "worker_skills",
    db.metadata,
    Column("worker_id", Integer, ForeignKey("worker_profiles.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", Integer, ForeignKey("skills.id"), primary_key=True, index=True),
    # Copies of the holder's profile, kept equal to it by the database (triggers of migration 0010,
    # jobmarket/models/stats_summary.py): the statistics count the job seekers holding a skill, with any filter,
    # from this table's index alone. Written by the database only.
    Column("is_seeking", Boolean, server_default=FetchedValue()),
    Column("created_at", DateTime, server_default=FetchedValue()),
    Column("ward_code", String(5), server_default=FetchedValue()),
    Column("occupation_code", String(5), server_default=FetchedValue()),
    Column("sex", String(8), server_default=FetchedValue()),
    Column("birth_year", Integer, server_default=FetchedValue()),
    Column("education_level", String(20), server_default=FetchedValue()),
)

worker_preferred_wards = Table(
    "worker_preferred_wards",
    db.metadata,
    Column("worker_id", Integer, ForeignKey("worker_profiles.id", ondelete="CASCADE"), primary_key=True),
    Column("ward_code", String(5), ForeignKey("wards.code"), primary_key=True),
)

JOB_TYPES = ("full_time", "part_time", "shift", "seasonal")
EDUCATION_LEVELS = ("none", "primary", "lower_secondary", "upper_secondary", "vocational", "college", "university", "postgraduate")
SEXES = ("female", "male", "other")


class WorkerProfile(db.Model):
    """A job seeker's profile. Phone and email are contact data: never indexed, shown only after applying."""

    __tablename__ = "worker_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(20))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    birth_year: Mapped[int | None]
    sex: Mapped[str | None] = mapped_column(String(8))
    ward_code: Mapped[str | None] = mapped_column(ForeignKey("wards.code"), index=True)
    anywhere_in_hanoi: Mapped[bool] = mapped_column(default=True)
    occupation_code: Mapped[str | None] = mapped_column(ForeignKey("occupations.code"))
    expected_wage: Mapped[int | None]
    job_type: Mapped[str | None] = mapped_column(String(16))
    education_level: Mapped[str | None] = mapped_column(String(20))
    experience_years: Mapped[int] = mapped_column(default=0)
    languages: Mapped[str] = mapped_column(String(200), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    cv_filename: Mapped[str | None] = mapped_column(String(64))
    is_visible: Mapped[bool] = mapped_column(default=True)
    is_seeking: Mapped[bool] = mapped_column(default=True)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    consent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    last_active_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Bumped on every change; the search index keeps the highest version it has seen.
    version: Mapped[int] = mapped_column(default=1)

    user = relationship("User", foreign_keys=[user_id])
    ward: Mapped[Ward | None] = relationship(foreign_keys=[ward_code])
    occupation: Mapped[Occupation | None] = relationship()
    skills: Mapped[list[Skill]] = relationship(secondary=worker_skills, order_by=Skill.label_vi)
    preferred_wards: Mapped[list[Ward]] = relationship(secondary=worker_preferred_wards)
