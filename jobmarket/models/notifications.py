"""Notifications: in-app notices, per-channel settings, the queue's job table, and job alerts with their hits."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._common import utcnow


class Notification(db.Model):
    """One notice in a user's notification centre; `payload` is JSON of what the notice's template needs."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None]


class NotificationSetting(db.Model):
    """A user's choice for one kind of notice on one channel ('app', 'mail'; 'digest' = employers' daily digest).
    No row means the default (on, no digest)."""

    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    channel: Mapped[str] = mapped_column(String(8), primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=True)


class QueuedJob(db.Model):
    """One piece of background work (a mail, a digest): the table is the queue's outbox and its memory.

    Written in the transaction of the change that causes it, handed to Redis (or run in-process) after commit.
    `key` is the delivery key: the same message is queued and sent once. A job that fails is retried with backoff
    (`run_after`); after the last attempt it stays 'failed' with its error, for the admins' page.
    """

    __tablename__ = "queued_jobs"
    __table_args__ = (Index("ix_queued_jobs_status_run_after", "status", "run_after"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    task: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text, default="{}")
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending, running, done, failed
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    run_after: Mapped[datetime] = mapped_column(default=utcnow)
    queued_at: Mapped[datetime | None]  # handed to Redis at this moment (None: not yet, or Redis was down)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None]


class JobAlert(db.Model):
    """A job seeker's alert: a saved search (words and filters) or 'vacancies that match me' (kind 'match')."""

    __tablename__ = "job_alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker_profiles.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8), default="search")  # search, match
    q: Mapped[str] = mapped_column(String(200), default="")
    # The folded words of q; `lead_word` (the longest) is what a new vacancy's words are looked up by.
    words: Mapped[str] = mapped_column(String(400), default="")
    lead_word: Mapped[str | None] = mapped_column(String(60), index=True)
    ward_code: Mapped[str | None] = mapped_column(String(5))
    district_code: Mapped[str | None] = mapped_column(String(5))
    job_type: Mapped[str | None] = mapped_column(String(16))
    min_wage: Mapped[int | None]
    frequency: Mapped[str] = mapped_column(String(8), default="daily")  # daily, weekly
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sent_at: Mapped[datetime | None]


class AlertHit(db.Model):
    """A new vacancy found for a job seeker's alert, waiting to be sent (or sent). Unique per (worker, vacancy):
    a vacancy is never sent to the same person twice, whichever of their alerts found it."""

    __tablename__ = "alert_hits"
    __table_args__ = (UniqueConstraint("worker_id", "vacancy_id"), Index("ix_alert_hits_worker_sent", "worker_id", "sent_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("job_alerts.id", ondelete="CASCADE"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("worker_profiles.id", ondelete="CASCADE"))
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancies.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(default=0.0)
    reasons: Mapped[str] = mapped_column(Text, default="[]")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


class AlertedVacancy(db.Model):
    """A vacancy already matched against every alert (matching runs once per new vacancy)."""

    __tablename__ = "alerted_vacancies"

    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancies.id", ondelete="CASCADE"), primary_key=True)
    matched_at: Mapped[datetime] = mapped_column(default=utcnow)
