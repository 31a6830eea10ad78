"""One call per event, made by the service where the event happens (in its transaction, before its commit)."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from ..extensions import db
from .events import notify


def _owner_of(employer) -> int:
    return employer.owner_id


def application_moved(application, reason: str | None = None) -> None:
    """The job seeker hears that the employer moved their application (with the reason of a refusal)."""
    vacancy = application.vacancy
    notify(application.worker.user_id, "application_status",
           key=f"status:{application.id}:{application.status}:{len(application.events)}",
           title=vacancy.title, status=application.status, reason=reason or None)


def invitation_sent(invitation) -> None:
    """The job seeker hears of an employer's invitation (the business's name, never its contact)."""
    from ..models import Vacancy, WorkerProfile

    vacancy = db.session.get(Vacancy, invitation.vacancy_id)
    worker = db.session.get(WorkerProfile, invitation.worker_id)
    notify(worker.user_id, "invitation_received", key=f"invitation:{vacancy.id}:{worker.id}",
           title=vacancy.title, employer=vacancy.employer.name, vacancy_id=vacancy.id)


def application_received(application) -> None:
    """The employer hears of a new application (at once, or in the daily digest); no applicant's contact."""
    from ..models import Vacancy

    vacancy = application.vacancy or db.session.get(Vacancy, application.vacancy_id)
    db.session.flush()
    notify(vacancy.employer.owner_id, "application_received",
           key=f"application:{application.id}:{application.created_at:%Y%m%d%H%M%S}",
           title=vacancy.title, vacancy_id=vacancy.id)


def employer_verified(employer) -> None:
    """The business hears it was verified."""
    notify(employer.owner_id, "employer_verified", key=f"verified:{employer.id}:{employer.verified_at}",
           name=employer.name)


def employer_rejected(employer) -> None:
    """The business hears it was refused, and why."""
    notify(employer.owner_id, "employer_rejected", name=employer.name, reason=employer.status_reason or "")


def vacancy_taken_down(vacancy) -> None:
    """The business hears an officer took its vacancy down, and why."""
    notify(vacancy.employer.owner_id, "vacancy_taken_down", key=f"takedown:{vacancy.id}:{vacancy.closed_at}",
           title=vacancy.title, reason=vacancy.status_reason or "")


def unanswered_reminder(employer, application_ids: list[int], days: int, today: date) -> None:
    """The `jobs daily` reminder: applications waiting for an answer."""
    notify(employer.owner_id, "applications_unanswered", key=f"unanswered:{employer.id}:{today}",
           count=len(application_ids), days=days)


def vacancies_expiring(today: date, within_days: int = 3) -> int:
    """`jobs daily`: open vacancies whose deadline is `within_days` away; their employers hear it once."""
    from ..models import Vacancy

    deadline = today + timedelta(days=within_days)
    n = 0
    for vacancy in db.session.scalars(select(Vacancy).where(Vacancy.status == "open", Vacancy.deadline == deadline)):
        notify(vacancy.employer.owner_id, "vacancy_expiring", key=f"expiring:{vacancy.id}:{deadline}",
               title=vacancy.title, deadline=deadline.strftime("%d/%m/%Y"), vacancy_id=vacancy.id)
        n += 1
    return n


def walkin_registered(user) -> None:
    """A walk-in job seeker with a real address is invited to claim the account."""
    from ..auth.recovery import invite_to_claim

    invite_to_claim(user)
