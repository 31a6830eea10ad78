"""The one place that decides who may do what to which object; every view and API route asks it."""
from __future__ import annotations

from typing import Any

from flask import abort
from flask_login import current_user
from sqlalchemy import exists, select

from .extensions import db
from .models import (Application, ApplicationStatus, Employer, Invitation, InvitationStatus, Role, User, Vacancy,
                     VacancyStatus, WorkerProfile)

PUBLIC_VACANCY_STATUSES = {VacancyStatus.OPEN.value, VacancyStatus.CLOSED.value, VacancyStatus.EXPIRED.value}


def _role(user: Any) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.role


def _owns_employer(user: Any, employer: Employer | None) -> bool:
    return employer is not None and _role(user) == Role.EMPLOYER.value and employer.owner_id == user.id


def _owns_worker(user: Any, worker: WorkerProfile | None) -> bool:
    return worker is not None and _role(user) == Role.WORKER.value and worker.user_id == user.id


def employer_has_contact_right(employer_id: int, worker_id: int) -> bool:
    """True once the worker applied to one of the employer's vacancies or accepted its invitation."""
    applied = select(Application.id).join(Vacancy).where(
        Vacancy.employer_id == employer_id, Application.worker_id == worker_id,
        Application.status != ApplicationStatus.WITHDRAWN.value)
    accepted = select(Invitation.id).join(Vacancy).where(
        Vacancy.employer_id == employer_id, Invitation.worker_id == worker_id,
        Invitation.status == InvitationStatus.ACCEPTED.value)
    return bool(db.session.scalar(select(exists(applied) | exists(accepted))))


def _employer_of(user: Any) -> Employer | None:
    if _role(user) != Role.EMPLOYER.value:
        return None
    return db.session.scalar(select(Employer).where(Employer.owner_id == user.id))


def can(user: Any, action: str, obj: Any = None) -> bool:
    """Whether user may perform action on obj. Unknown actions are refused."""
    role = _role(user)
    staff = role in {Role.OFFICER.value, Role.ADMIN.value}
    match action:
        # Vacancies
        case "vacancy.view":
            return obj.status in PUBLIC_VACANCY_STATUSES and obj.employer.is_verified or staff \
                or _owns_employer(user, obj.employer)
        case "vacancy.create":
            return role == Role.EMPLOYER.value and _employer_of(user) is not None
        case "vacancy.edit" | "vacancy.close" | "vacancy.candidates" | "vacancy.applications" | "vacancy.invite":
            return _owns_employer(user, obj.employer)
        case "vacancy.publish":
            return _owns_employer(user, obj.employer) and obj.employer.is_verified
        case "vacancy.takedown" | "vacancy.review":
            return staff
        case "vacancy.apply":
            return role == Role.WORKER.value and obj.status == VacancyStatus.OPEN.value
        # Employers
        case "employer.register":
            return role == Role.EMPLOYER.value
        case "employer.edit":
            return _owns_employer(user, obj)
        case "employer.view":
            return staff or _owns_employer(user, obj) or (obj is not None and obj.is_verified)
        case "employer.verify":
            return staff
        # Workers
        case "worker.profile.edit" | "worker.data.export" | "worker.delete":
            return _owns_worker(user, obj) if obj is not None else role == Role.WORKER.value
        case "worker.view":
            if _owns_worker(user, obj) or staff:
                return True
            employer = _employer_of(user)
            return employer is not None and (obj.is_visible or employer_has_contact_right(employer.id, obj.id))
        case "worker.contact" | "worker.cv":
            if _owns_worker(user, obj) or staff:
                return True
            employer = _employer_of(user)
            return employer is not None and employer_has_contact_right(employer.id, obj.id)
        case "worker.register_walkin":
            return staff
        # Applications
        case "application.view":
            return _owns_worker(user, obj.worker) or _owns_employer(user, obj.vacancy.employer) or staff
        case "application.withdraw":
            return _owns_worker(user, obj.worker)
        case "application.move":
            return _owns_employer(user, obj.vacancy.employer)
        case "invitation.respond":
            return _owns_worker(user, obj.worker)
        # Job exchange sessions (jobmarket/sessions)
        case "session.manage":
            return staff
        case "session.join":
            return role == Role.EMPLOYER.value
        case "session.register":
            return role == Role.WORKER.value
        case "session.participation.view":
            return staff or _owns_employer(user, obj.employer)
        case "session.interview.record":
            return staff or _owns_employer(user, obj.participation.employer)
        case "session.interview.ask_move":
            return _owns_employer(user, obj.participation.employer) or _owns_worker(user, obj.seeker.worker)
        case "session.ticket.view":
            return staff or _owns_worker(user, obj.worker)
        # Labour office and administration
        case "stats.view" | "office.access" | "search.synonyms":
            return staff
        case "admin.users" | "admin.vocabulary" | "admin.audit":
            return role == Role.ADMIN.value
    return False


def authorize(action: str, obj: Any = None, *, hide: bool = False) -> None:
    """Abort unless current_user may act: 401 when logged out, 404 when hide is set, else 403."""
    if can(current_user, action, obj):
        return
    if not getattr(current_user, "is_authenticated", False):
        abort(401)
    abort(404 if hide else 403)


def require_role(*roles: Role | str) -> None:
    """Abort 401/403 unless the current user has one of roles."""
    if not getattr(current_user, "is_authenticated", False):
        abort(401)
    if not current_user.has_role(*roles):
        abort(403)


def current_worker(user: User | None = None) -> WorkerProfile | None:
    """The logged-in worker's profile, if any."""
    user = user or current_user
    if _role(user) != Role.WORKER.value:
        return None
    return db.session.scalar(select(WorkerProfile).where(WorkerProfile.user_id == user.id))


def current_employer(user: User | None = None) -> Employer | None:
    """The logged-in employer's business, if registered."""
    return _employer_of(user or current_user)
