"""The daily job: expire vacancies, remind and then decline unanswered applications, erase old candidates' data.

`flask --app jobmarket jobs daily` runs it; `run_daily(now)` is the same work as a function. Every step selects
only rows that still need it, so running the job twice (or after a missed day) does no harm.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import and_, delete, exists, select

from .employers.services import hanoi_today
from .extensions import db
from .notifications import hooks as notification_hooks
from .models import (Application, ApplicationEvent, ApplicationStatus, Employer, Invitation, Vacancy, VacancyStatus)
from .models._common import utcnow

log = logging.getLogger(__name__)
AUTO_DECLINE_REASON = "hết hạn phản hồi"
jobs_cli = AppGroup("jobs", help="Periodic jobs.")


@dataclass
class DailyReport:
    """What one run did."""

    expired: list[int] = field(default_factory=list)
    reminded: dict[int, list[int]] = field(default_factory=dict)  # employer id -> application ids
    declined: list[int] = field(default_factory=list)
    erased_applications: int = 0
    erased_invitations: int = 0

    def lines(self) -> list[str]:
        """A human-readable account, one line per step."""
        reminded = sum(len(v) for v in self.reminded.values())
        return [
            f"expired vacancies: {len(self.expired)}" + (f" (ids {_ids(self.expired)})" if self.expired else ""),
            f"reminders: {reminded} application(s) to {len(self.reminded)} employer(s)",
            f"auto-declined applications: {len(self.declined)}" + (f" (ids {_ids(self.declined)})" if self.declined else ""),
            f"erased after retention: {self.erased_applications} application(s), {self.erased_invitations} invitation(s)",
        ]


def _ids(ids: list[int]) -> str:
    """A short list of ids for a log line."""
    return ", ".join(map(str, ids[:20])) + (", …" if len(ids) > 20 else "")


def expire_vacancies(now: datetime, report: DailyReport) -> None:
    """Open vacancies whose deadline (a Hanoi date) is before today become expired."""
    today = hanoi_today(now)
    for vacancy in db.session.scalars(select(Vacancy).where(Vacancy.status == VacancyStatus.OPEN.value,
                                                            Vacancy.deadline < today).order_by(Vacancy.id)):
        vacancy.status = VacancyStatus.EXPIRED.value
        vacancy.closed_at = now
        vacancy.updated_at = now
        report.expired.append(vacancy.id)


def _unanswered(older_than: datetime):
    """Applications still waiting for the employer's first move, received before older_than."""
    return select(Application).where(Application.status == ApplicationStatus.RECEIVED.value,
                                     Application.responded_at.is_(None), Application.created_at <= older_than)


def decline_unanswered(now: datetime, days: int, report: DailyReport) -> None:
    """Applications nobody answered for `days` are declined, logged with no actor; responded_at stays empty
    (the employer never answered, which is what the response rate must show)."""
    for application in db.session.scalars(_unanswered(now - timedelta(days=days)).order_by(Application.id)):
        application.status = ApplicationStatus.REJECTED.value
        application.reject_reason = AUTO_DECLINE_REASON
        application.updated_at = now
        application.events.append(ApplicationEvent(from_status=ApplicationStatus.RECEIVED.value,
                                                   to_status=ApplicationStatus.REJECTED.value, actor_id=None,
                                                   note=AUTO_DECLINE_REASON, at=now))
        report.declined.append(application.id)


def remind_employers(now: datetime, days: int, report: DailyReport) -> None:
    """Applications unanswered for `days` and not yet reminded: stamp reminded_at and log a reminder per employer.

    There is no mail server: the reminder is the log line and the notice on the employer's dashboard.
    """
    stmt = (_unanswered(now - timedelta(days=days)).where(Application.reminded_at.is_(None))
            .order_by(Application.id))
    for application in db.session.scalars(stmt):
        application.reminded_at = now
        report.reminded.setdefault(application.vacancy.employer_id, []).append(application.id)
    for employer_id, ids in report.reminded.items():
        employer = db.session.get(Employer, employer_id)
        notification_hooks.unanswered_reminder(employer, ids, days, hanoi_today(now))
        log.warning("reminder to employer %s (%s, %s): %d application(s) unanswered for %d days: %s", employer_id,
                    employer.name, employer.contact_phone, len(ids), days, _ids(ids))


def erase_old_candidates(now: datetime, days: int, report: DailyReport) -> None:
    """Rejected and withdrawn applications whose last change is older than `days` go, with their history and note;
    so do invitations that old unless the worker was hired through that vacancy. Placements are untouched."""
    cutoff = now - timedelta(days=days)
    finished = (Application.status.in_((ApplicationStatus.REJECTED.value, ApplicationStatus.WITHDRAWN.value)),
                Application.updated_at <= cutoff)
    ids = list(db.session.scalars(select(Application.id).where(*finished)))
    if ids:
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            db.session.execute(delete(ApplicationEvent).where(ApplicationEvent.application_id.in_(chunk)))
            db.session.execute(delete(Application).where(Application.id.in_(chunk)))
    hired_here = exists().where(and_(Application.vacancy_id == Invitation.vacancy_id,
                                     Application.worker_id == Invitation.worker_id,
                                     Application.status == ApplicationStatus.HIRED.value))
    old_invitations = list(db.session.scalars(select(Invitation.id).where(Invitation.created_at <= cutoff,
                                                                          ~hired_here)))
    if old_invitations:
        db.session.execute(delete(Invitation).where(Invitation.id.in_(old_invitations)))
    report.erased_applications, report.erased_invitations = len(ids), len(old_invitations)


def run_daily(now: datetime | None = None) -> DailyReport:
    """Run every step for the moment `now` (naive UTC) and commit once."""
    now = now or utcnow()
    config = current_app.config
    report = DailyReport()
    expire_vacancies(now, report)
    decline_unanswered(now, int(config["AUTO_DECLINE_AFTER_DAYS"]), report)
    remind_employers(now, int(config["REMIND_AFTER_DAYS"]), report)
    notification_hooks.vacancies_expiring(hanoi_today(now))
    db.session.flush()
    erase_old_candidates(now, int(config["RETENTION_DAYS"]), report)
    db.session.commit()
    for line in report.lines():
        log.info("daily job: %s", line)
    return report


@jobs_cli.command("daily")
@click.option("--now", "now_text", default=None, help="Run as of this UTC moment (ISO 8601), for catching up.")
def daily(now_text: str | None) -> None:
    """Expire vacancies, remind and decline unanswered applications, erase old candidates' data."""
    try:
        now = datetime.fromisoformat(now_text) if now_text else None
    except ValueError:
        raise click.BadParameter("expected an ISO 8601 date-time, e.g. 2026-03-01T02:00", param_hint="--now")
    if now is not None and now.tzinfo is not None:
        now = now.astimezone(timezone.utc).replace(tzinfo=None)
    report = run_daily(now)
    for employer_id, ids in report.reminded.items():
        employer = db.session.get(Employer, employer_id)
        click.echo(f"reminder: {employer.name} ({employer.contact_phone or 'no phone'}): "
                   f"{len(ids)} application(s) waiting for an answer")
    for line in report.lines():
        click.echo(line)


def register(app: Flask) -> None:
    """Attach the `jobs` command group."""
    app.cli.add_command(jobs_cli)
