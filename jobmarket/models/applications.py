"""Applications and their history, invitations, and placements (hires: what statistics count)."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import FetchedValue, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._common import utcnow


class ApplicationStatus(str, enum.Enum):
    """Where an application stands."""

    RECEIVED = "received"
    SHORTLISTED = "shortlisted"
    INTERVIEW = "interview"
    HIRED = "hired"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class InvitationStatus(str, enum.Enum):
    """An employer's invitation to apply, and the worker's answer."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Application(db.Model):
    """A worker's application to a vacancy."""

    __tablename__ = "applications"
    __table_args__ = (UniqueConstraint("vacancy_id", "worker_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancies.id", ondelete="CASCADE"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker_profiles.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=ApplicationStatus.RECEIVED.value, index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    reject_reason: Mapped[str | None] = mapped_column(String(500))
    via_invitation: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # First move by the employer (any status change): the basis of response rate and response time.
    responded_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    # Set by the database (triggers of migration 0009, jobmarket/models/stats_summary.py): days from sending to
    # the first response, and the Hanoi month it was sent ('YYYY-MM'), indexed together, so the statistics' median
    # response time of a month walks stored numbers in order instead of computing and sorting them.
    response_days: Mapped[float | None] = mapped_column(server_default=FetchedValue(), server_onupdate=FetchedValue())
    created_month: Mapped[str | None] = mapped_column(String(7), server_default=FetchedValue(),
                                                      server_onupdate=FetchedValue())
    # Copies kept equal to the originals by the database (triggers of migration 0010), so the statistics filter
    # and count applications on their own index: the vacancy's place of work and occupation, the applicant's sex,
    # birth year and education (as placements carry them, but current rather than as at the hire).
    ward_code: Mapped[str | None] = mapped_column(String(5), server_default=FetchedValue(),
                                                  server_onupdate=FetchedValue())
    occupation_code: Mapped[str | None] = mapped_column(String(5), server_default=FetchedValue(),
                                                        server_onupdate=FetchedValue())
    sex: Mapped[str | None] = mapped_column(String(8), server_default=FetchedValue(), server_onupdate=FetchedValue())
    birth_year: Mapped[int | None] = mapped_column(server_default=FetchedValue(), server_onupdate=FetchedValue())
    education_level: Mapped[str | None] = mapped_column(String(20), server_default=FetchedValue(),
                                                        server_onupdate=FetchedValue())
    # The job exchange session the application came from (a hire at an interview there), if any. No foreign key:
    # SQLite can add one only by rebuilding the table, which would drop the statistics' triggers on it (sessions
    # are cancelled, never deleted).
    session_id: Mapped[int | None] = mapped_column(index=True)

    vacancy = relationship("Vacancy")
    worker = relationship("WorkerProfile")
    events: Mapped[list["ApplicationEvent"]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="ApplicationEvent.id"
    )


class ApplicationEvent(db.Model):
    """One move of an application: from, to, who, when, why."""

    __tablename__ = "application_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)

    application: Mapped[Application] = relationship(back_populates="events")


class Invitation(db.Model):
    """An employer's invitation to a worker to apply to a vacancy."""

    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("vacancy_id", "worker_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancies.id", ondelete="CASCADE"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker_profiles.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=InvitationStatus.PENDING.value)
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    responded_at: Mapped[datetime | None]

    vacancy = relationship("Vacancy")
    worker = relationship("WorkerProfile")


class Placement(db.Model):
    """A hire through the exchange. Keeps only anonymous facts, so it outlives the worker's account."""

    __tablename__ = "placements"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id", ondelete="SET NULL"), unique=True)
    vacancy_id: Mapped[int | None] = mapped_column(ForeignKey("vacancies.id", ondelete="SET NULL"), index=True)
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employers.id", ondelete="SET NULL"))
    hired_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    vacancy_published_at: Mapped[datetime | None]
    # Place of work (the vacancy's ward) and, for flows, where the worker lived.
    ward_code: Mapped[str] = mapped_column(ForeignKey("wards.code"), index=True)
    district_code: Mapped[str] = mapped_column(ForeignKey("former_districts.code"), index=True)
    worker_ward_code: Mapped[str | None] = mapped_column(ForeignKey("wards.code"))
    occupation_code: Mapped[str | None] = mapped_column(ForeignKey("occupations.code"), index=True)
    sex: Mapped[str | None] = mapped_column(String(8))
    birth_year: Mapped[int | None]
    education_level: Mapped[str | None] = mapped_column(String(20))
    days_to_fill: Mapped[float | None]
    # The job exchange session the hire was made at (an interview there), if any (no foreign key: see Application).
    session_id: Mapped[int | None] = mapped_column(index=True)
