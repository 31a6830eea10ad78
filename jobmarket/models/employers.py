"""Employers (businesses) and the vacancies they post, with required and nice-to-have skills."""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._common import utcnow
from .geo import Ward
from .vocab import Occupation, Skill


class EmployerStatus(str, enum.Enum):
    """Whether the labour office has checked the business."""

    UNVERIFIED = "unverified"
    VERIFIED = "verified"
    REJECTED = "rejected"


class VacancyStatus(str, enum.Enum):
    """Life of a vacancy."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    EXPIRED = "expired"
    TAKEN_DOWN = "taken_down"


class Employer(db.Model):
    """A business registered on the exchange by its owner account."""

    __tablename__ = "employers"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    tax_code: Mapped[str] = mapped_column(String(14), unique=True)
    ward_code: Mapped[str] = mapped_column(ForeignKey("wards.code"))
    address_detail: Mapped[str] = mapped_column(String(200), default="")
    sector: Mapped[str] = mapped_column(String(64))
    contact_person: Mapped[str] = mapped_column(String(120))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12), default=EmployerStatus.UNVERIFIED.value, index=True)
    status_reason: Mapped[str | None] = mapped_column(String(500))
    verified_at: Mapped[datetime | None]
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    owner = relationship("User", foreign_keys=[owner_id])
    ward: Mapped[Ward] = relationship()
    vacancies: Mapped[list["Vacancy"]] = relationship(back_populates="employer")

    @property
    def is_verified(self) -> bool:
        """True once an officer has verified the business."""
        return self.status == EmployerStatus.VERIFIED.value


class VacancySkill(db.Model):
    """A skill a vacancy asks for: required, or nice to have."""

    __tablename__ = "vacancy_skills"

    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancies.id", ondelete="CASCADE"), primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id"), primary_key=True, index=True)
    required: Mapped[bool] = mapped_column(default=True)

    skill: Mapped[Skill] = relationship(lazy="joined")


class Vacancy(db.Model):
    """A job offer: what, where, for how much, how many, until when."""

    __tablename__ = "vacancies"

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    occupation_code: Mapped[str | None] = mapped_column(ForeignKey("occupations.code"), index=True)
    ward_code: Mapped[str] = mapped_column(ForeignKey("wards.code"), index=True)
    wage_min: Mapped[int | None]
    wage_max: Mapped[int | None]
    positions: Mapped[int] = mapped_column(default=1)
    positions_filled: Mapped[int] = mapped_column(default=0)
    job_type: Mapped[str] = mapped_column(String(16), default="full_time")
    deadline: Mapped[date | None]
    education_required: Mapped[str | None] = mapped_column(String(20))
    experience_required: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(12), default=VacancyStatus.DRAFT.value, index=True)
    status_reason: Mapped[str | None] = mapped_column(String(500))
    flagged: Mapped[bool] = mapped_column(default=False)
    flag_reason: Mapped[str | None] = mapped_column(String(500))
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    closed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    employer: Mapped[Employer] = relationship(back_populates="vacancies")
    ward: Mapped[Ward] = relationship()
    occupation: Mapped[Occupation | None] = relationship()
    skill_links: Mapped[list[VacancySkill]] = relationship(cascade="all, delete-orphan")

    @property
    def required_skills(self) -> list[Skill]:
        """Skills the vacancy requires."""
        return [link.skill for link in self.skill_links if link.required]

    @property
    def nice_skills(self) -> list[Skill]:
        """Skills that are a plus."""
        return [link.skill for link in self.skill_links if not link.required]

    @property
    def positions_open(self) -> int:
        """Positions not yet filled."""
        return max(0, self.positions - self.positions_filled)
