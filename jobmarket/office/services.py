"""Labour office rules: verify or reject a business, approve a held vacancy, take a vacancy down or restore it."""
from __future__ import annotations

import logging
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..employers.services import (ServiceError, VacancyData, hanoi_today, is_held, put_on_exchange,
                                  refuse_unlawful)
from ..extensions import db
from ..notifications import hooks as notification_hooks
from ..models import Employer, EmployerStatus, User, Vacancy, VacancyStatus
from ..models._common import utcnow
from ..security.audit import record as audit, snapshot
from ..text import clean

log = logging.getLogger(__name__)
REASON_MAX = 500
EMPLOYER_AUDIT = ("status", "status_reason", "verified_at", "verified_by_id")
VACANCY_AUDIT = ("status", "status_reason", "flagged", "published_at", "closed_at")
EMPLOYER_FILTERS = ("unverified", "verified", "rejected", "all")
VACANCY_FILTERS = ("flagged", "open", "taken_down", "all")


def _reason(reason: str | None) -> str:
    """A required reason, cleaned; raises when empty or too long."""
    text = clean(reason)
    if not text:
        raise ServiceError("reason_required", _("Vui lòng nêu lý do."), 422, field="reason")
    if len(text) > REASON_MAX:
        raise ServiceError("reason_too_long", _("Lý do tối đa 500 ký tự."), 422, field="reason")
    return text


def verify_employer(employer: Employer, officer: User, now: datetime | None = None) -> Employer:
    """Mark a business as checked: it may now publish vacancies."""
    if employer.is_verified:
        raise ServiceError("already_verified", _("Doanh nghiệp này đã được xác minh."), 409)
    before = snapshot(employer, EMPLOYER_AUDIT)
    employer.status = EmployerStatus.VERIFIED.value
    employer.status_reason = None
    employer.verified_at = now or utcnow()
    employer.verified_by_id = officer.id
    notification_hooks.employer_verified(employer)
    audit("employer.verify", target=employer, actor=officer, before=before, after=snapshot(employer, EMPLOYER_AUDIT),
          summary=employer.name)
    db.session.commit()
    log.info("employer %s verified by %s", employer.id, officer.id)
    return employer


def reject_employer(employer: Employer, officer: User, reason: str | None, now: datetime | None = None) -> Employer:
    """Refuse a business, with a reason the owner sees; its vacancies leave the exchange until it is verified."""
    text = _reason(reason)
    if employer.status == EmployerStatus.REJECTED.value:
        raise ServiceError("already_rejected", _("Doanh nghiệp này đã bị từ chối."), 409)
    before = snapshot(employer, EMPLOYER_AUDIT)
    employer.status = EmployerStatus.REJECTED.value
    employer.status_reason = text
    employer.verified_at = None
    employer.verified_by_id = officer.id
    notification_hooks.employer_rejected(employer)
    audit("employer.reject", target=employer, actor=officer, before=before, after=snapshot(employer, EMPLOYER_AUDIT),
          summary=employer.name)
    db.session.commit()
    log.info("employer %s rejected by %s", employer.id, officer.id)
    return employer


def approve_vacancy(vacancy: Vacancy, officer: User, now: datetime | None = None) -> Vacancy:
    """Publish a vacancy held for its wording, after an officer read it (the hard checks still apply)."""
    now = now or utcnow()
    if not is_held(vacancy):
        raise ServiceError("not_held", _("Tin này không ở trạng thái chờ duyệt."), 409)
    if not vacancy.employer.is_verified:
        raise ServiceError("employer_not_verified", _("Doanh nghiệp chưa được xác minh."), 422)
    if vacancy.deadline is None or vacancy.deadline <= hanoi_today(now):
        raise ServiceError("deadline_passed", _("Hạn nộp hồ sơ của tin đã qua."), 422)
    refuse_unlawful(VacancyData.of(vacancy), hanoi_today(now))
    before = snapshot(vacancy, VACANCY_AUDIT)
    put_on_exchange(vacancy, now)
    vacancy.updated_at = now
    audit("vacancy.approve", target=vacancy, actor=officer, before=before, after=snapshot(vacancy, VACANCY_AUDIT),
          summary=vacancy.title)
    db.session.commit()
    log.info("vacancy %s approved by %s", vacancy.id, officer.id)
    return vacancy


def take_down_vacancy(vacancy: Vacancy, officer: User, reason: str | None, now: datetime | None = None) -> Vacancy:
    """Remove a vacancy from the exchange, with the reason the employer sees."""
    text = _reason(reason)
    if vacancy.status == VacancyStatus.TAKEN_DOWN.value:
        raise ServiceError("already_taken_down", _("Tin này đã bị gỡ."), 409)
    before = snapshot(vacancy, VACANCY_AUDIT)
    vacancy.status = VacancyStatus.TAKEN_DOWN.value
    vacancy.status_reason = text
    vacancy.flagged = False
    vacancy.closed_at = now or utcnow()
    vacancy.updated_at = now or utcnow()
    notification_hooks.vacancy_taken_down(vacancy)
    audit("vacancy.take_down", target=vacancy, actor=officer, before=before, after=snapshot(vacancy, VACANCY_AUDIT),
          summary=vacancy.title)
    db.session.commit()
    log.info("vacancy %s taken down by %s: %s", vacancy.id, officer.id, text)
    return vacancy


def restore_vacancy(vacancy: Vacancy, officer: User, now: datetime | None = None) -> Vacancy:
    """Undo a wrongful take-down: the vacancy returns to where it would be now (open, expired, closed or draft)."""
    now = now or utcnow()
    if vacancy.status != VacancyStatus.TAKEN_DOWN.value:
        raise ServiceError("not_taken_down", _("Tin này không bị gỡ."), 409)
    before = snapshot(vacancy, VACANCY_AUDIT)
    vacancy.status_reason = None
    if vacancy.published_at is None:
        vacancy.status = VacancyStatus.DRAFT.value
    elif vacancy.deadline is None or vacancy.deadline < hanoi_today(now):
        vacancy.status = VacancyStatus.EXPIRED.value
    elif vacancy.positions_open <= 0:
        vacancy.status = VacancyStatus.CLOSED.value
    else:
        vacancy.status = VacancyStatus.OPEN.value
        vacancy.closed_at = None
    vacancy.updated_at = now
    audit("vacancy.restore", target=vacancy, actor=officer, before=before, after=snapshot(vacancy, VACANCY_AUDIT),
          summary=vacancy.title)
    db.session.commit()
    log.info("vacancy %s restored by %s to %s", vacancy.id, officer.id, vacancy.status)
    return vacancy


def to_do_counts() -> dict[str, int]:
    """What waits for the labour office."""
    def count(stmt) -> int:
        """The number a count query returns (0 for none)."""
        return db.session.scalar(stmt) or 0

    return {
        "unverified": count(select(func.count(Employer.id)).where(Employer.status == EmployerStatus.UNVERIFIED.value)),
        "flagged": count(select(func.count(Vacancy.id)).where(Vacancy.flagged.is_(True),
                                                              Vacancy.status == VacancyStatus.DRAFT.value)),
        "taken_down": count(select(func.count(Vacancy.id)).where(Vacancy.status == VacancyStatus.TAKEN_DOWN.value)),
        "open": count(select(func.count(Vacancy.id)).where(Vacancy.status == VacancyStatus.OPEN.value)),
    }


def list_employers(status: str = "unverified", page: int = 1, per_page: int = 50) -> tuple[list[Employer], int]:
    """Businesses by verification status (oldest waiting first), a page at a time, and the total."""
    stmt = select(Employer)
    if status != "all":
        stmt = stmt.where(Employer.status == status)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(stmt.order_by(Employer.created_at, Employer.id).limit(per_page)
                              .offset((page - 1) * per_page))
    return list(rows), total


def list_vacancies(kind: str = "flagged", page: int = 1, per_page: int = 50) -> tuple[list[Vacancy], int]:
    """Vacancies held for review, open, taken down or all, a page at a time, and the total."""
    stmt = select(Vacancy)
    if kind == "flagged":
        stmt = stmt.where(Vacancy.flagged.is_(True), Vacancy.status == VacancyStatus.DRAFT.value)
    elif kind in ("open", "taken_down"):
        stmt = stmt.where(Vacancy.status == kind)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(stmt.order_by(Vacancy.updated_at.desc(), Vacancy.id.desc()).limit(per_page)
                              .offset((page - 1) * per_page))
    return list(rows), total
