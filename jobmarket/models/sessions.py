"""Job exchange sessions (phiên giao dịch việc làm): floors, sessions, who takes part, tickets, the interview plan."""
from __future__ import annotations

import enum
from datetime import date, datetime, time

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._common import utcnow


class SessionMode(str, enum.Enum):
    """Where a session happens."""

    IN_PERSON = "in_person"
    ONLINE = "online"
    HYBRID = "hybrid"


class SessionStatus(str, enum.Enum):
    """Life of a session: drafted, published (open), postponed, cancelled."""

    DRAFT = "draft"
    PUBLISHED = "published"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"


class ParticipationStatus(str, enum.Enum):
    """An employer's request to take part, and the office's answer."""

    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


class InterviewOutcome(str, enum.Enum):
    """What an interviewer records after an interview."""

    HIRED = "hired"
    SECOND_ROUND = "second_round"
    NOT_SELECTED = "not_selected"
    NO_SHOW = "no_show"


class SessionFloor(db.Model):
    """A job exchange floor (sàn giao dịch việc làm): reference data the labour office manages."""

    __tablename__ = "session_floors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300))
    ward_code: Mapped[str] = mapped_column(ForeignKey("wards.code"))
    capacity: Mapped[int] = mapped_column(default=500)
    rooms: Mapped[int] = mapped_column(default=1)
    active: Mapped[bool] = mapped_column(default=True)

    ward = relationship("Ward")


class JobSession(db.Model):
    """One session: a day and hours at a floor (or online), a theme and target group, a capacity."""

    __tablename__ = "job_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    theme: Mapped[str] = mapped_column(String(200))
    target_group: Mapped[str] = mapped_column(String(200), default="")
    floor_id: Mapped[int | None] = mapped_column(ForeignKey("session_floors.id"), index=True)
    mode: Mapped[str] = mapped_column(String(12), default=SessionMode.IN_PERSON.value)
    # Hanoi local date and hours: a session is a day on the city's calendar.
    day: Mapped[date] = mapped_column(index=True)
    start_time: Mapped[time]
    end_time: Mapped[time]
    registration_deadline: Mapped[date]
    capacity: Mapped[int] = mapped_column(default=500)
    slot_minutes: Mapped[int] = mapped_column(default=20)
    status: Mapped[str] = mapped_column(String(12), default=SessionStatus.DRAFT.value, index=True)
    status_reason: Mapped[str | None] = mapped_column(String(500))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    planned_at: Mapped[datetime | None]

    floor: Mapped[SessionFloor | None] = relationship()
    employers: Mapped[list["SessionEmployer"]] = relationship(back_populates="session", order_by="SessionEmployer.id")


class SessionEmployer(db.Model):
    """An employer taking part in a session: the vacancies it brings, its booth and interviewers."""

    __tablename__ = "session_employers"
    __table_args__ = (UniqueConstraint("session_id", "employer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("job_sessions.id", ondelete="CASCADE"), index=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=ParticipationStatus.PENDING.value)
    decision_reason: Mapped[str | None] = mapped_column(String(500))
    booth_needs: Mapped[str] = mapped_column(String(500), default="")
    interviewers: Mapped[int] = mapped_column(default=1)
    booth: Mapped[str | None] = mapped_column(String(40))
    # The online room's name: random, unguessable; the link is shown only to people scheduled into it.
    room_token: Mapped[str | None] = mapped_column(String(40), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped[JobSession] = relationship(back_populates="employers")
    employer = relationship("Employer")
    vacancies: Mapped[list["SessionVacancy"]] = relationship(back_populates="participation",
                                                             cascade="all, delete-orphan")


class SessionVacancy(db.Model):
    """A vacancy an employer brings to a session."""

    __tablename__ = "session_vacancies"

    participation_id: Mapped[int] = mapped_column(ForeignKey("session_employers.id", ondelete="CASCADE"),
                                                  primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancies.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)

    participation: Mapped[SessionEmployer] = relationship(back_populates="vacancies")
    vacancy = relationship("Vacancy")


class SessionSeeker(db.Model):
    """A job seeker's registration (their ticket): the QR code, check-in, walk-in or not."""

    __tablename__ = "session_seekers"
    __table_args__ = (UniqueConstraint("session_id", "worker_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("job_sessions.id", ondelete="CASCADE"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker_profiles.id", ondelete="CASCADE"), index=True)
    ticket_code: Mapped[str] = mapped_column(String(40), unique=True)
    walk_in: Mapped[bool] = mapped_column(default=False)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    cancelled: Mapped[bool] = mapped_column(default=False)
    checked_in_at: Mapped[datetime | None]
    checked_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped[JobSession] = relationship()
    worker = relationship("WorkerProfile")
    requests: Mapped[list["InterviewRequest"]] = relationship(back_populates="seeker", cascade="all, delete-orphan")


class InterviewRequest(db.Model):
    """A job seeker asks to meet a vacancy at a session; the plan gives it a slot (or not), the interview a result."""

    __tablename__ = "interview_requests"
    __table_args__ = (UniqueConstraint("seeker_id", "vacancy_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("session_seekers.id", ondelete="CASCADE"), index=True)
    participation_id: Mapped[int] = mapped_column(ForeignKey("session_employers.id", ondelete="CASCADE"), index=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancies.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(default=0.0)
    # The plan: slot number from the session's start, and which interviewer (seat) of the booth.
    slot: Mapped[int | None]
    seat: Mapped[int | None]
    locked: Mapped[bool] = mapped_column(default=False)  # an officer fixed it by hand
    move_requested: Mapped[str | None] = mapped_column(String(500))
    outcome: Mapped[str | None] = mapped_column(String(14))
    outcome_at: Mapped[datetime | None]
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    seeker: Mapped[SessionSeeker] = relationship(back_populates="requests")
    participation: Mapped[SessionEmployer] = relationship()
    vacancy = relationship("Vacancy")


class SessionNotice(db.Model):
    """A change people must hear about (cancelled, postponed, slot moved), shown on their session pages."""

    __tablename__ = "session_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("job_sessions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
