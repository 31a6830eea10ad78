"""The employer's side of hiring: moving applications to a hire or a rejection, placements, and invitations."""
from __future__ import annotations

import logging
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..notifications import hooks as notification_hooks
from ..models import (Application, ApplicationEvent, ApplicationStatus, Invitation, InvitationStatus, Placement, User,
                      Vacancy, VacancyStatus, WorkerProfile)
from ..models._common import utcnow
from ..text import clean, clean_multiline
from .services import ServiceError

log = logging.getLogger(__name__)

S = ApplicationStatus
# Forward along received → shortlisted → interview → hired (a step may be skipped), or rejected from any open
# state. Hired, rejected and withdrawn are final.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.RECEIVED.value: (S.SHORTLISTED.value, S.INTERVIEW.value, S.HIRED.value, S.REJECTED.value),
    S.SHORTLISTED.value: (S.INTERVIEW.value, S.HIRED.value, S.REJECTED.value),
    S.INTERVIEW.value: (S.HIRED.value, S.REJECTED.value),
}
MOVE_TARGETS = (S.SHORTLISTED.value, S.INTERVIEW.value, S.HIRED.value, S.REJECTED.value)
REASON_MAX = 500


def allowed_moves(application: Application) -> tuple[str, ...]:
    """The statuses an application may be moved to from where it stands."""
    return TRANSITIONS.get(application.status, ())


def move_application(application: Application, to_status: str, actor: User | None, reason: str | None = None,
                     now: datetime | None = None) -> Application:
    """Move an application one step; logs the move, stamps the first response, records a hire as a placement."""
    now = now or utcnow()
    reason = clean(reason)
    if to_status not in MOVE_TARGETS:
        raise ServiceError("invalid_status", _("Trạng thái không hợp lệ."), 422, field="to_status")
    if application.status == S.WITHDRAWN.value:
        raise ServiceError("application_withdrawn", _("Người lao động đã rút hồ sơ này nên không thể chuyển trạng thái."),
                           409)
    if to_status not in allowed_moves(application):
        raise ServiceError("invalid_transition", _("Không thể chuyển hồ sơ từ “%(from)s” sang “%(to)s”.",
                                                   **{"from": status_label(application.status),
                                                      "to": status_label(to_status)}), 409, field="to_status")
    if to_status == S.REJECTED.value and not reason:
        raise ServiceError("reason_required", _("Vui lòng nêu lý do từ chối."), 422, field="reason")
    if len(reason) > REASON_MAX:
        raise ServiceError("reason_too_long", _("Lý do tối đa 500 ký tự."), 422, field="reason")
    vacancy = application.vacancy
    if to_status == S.HIRED.value:
        # Lock the vacancy row so two simultaneous hires cannot overfill it.
        vacancy = db.session.get(Vacancy, application.vacancy_id, with_for_update=True, populate_existing=True)
        if vacancy.status == VacancyStatus.TAKEN_DOWN.value:
            raise ServiceError("vacancy_taken_down", _("Tin đã bị cán bộ gỡ xuống nên không thể tuyển qua tin này."),
                               409)
        if vacancy.positions_open <= 0:
            raise ServiceError("positions_filled", _("Tin này đã tuyển đủ số lượng."), 409)
    from_status = application.status
    application.status = to_status
    application.updated_at = now
    if application.responded_at is None:
        application.responded_at = now
    if to_status == S.REJECTED.value:
        application.reject_reason = reason
    application.events.append(ApplicationEvent(from_status=from_status, to_status=to_status,
                                               actor_id=actor.id if actor else None, note=reason, at=now))
    if to_status == S.HIRED.value:
        _record_placement(application, vacancy, now)
    notification_hooks.application_moved(application, reason)
    db.session.commit()
    log.info("application %s: %s -> %s", application.id, from_status, to_status)
    return application


def _record_placement(application: Application, vacancy: Vacancy, now: datetime) -> Placement:
    """A hire: anonymous facts for statistics, one more position filled, and the vacancy closes when full."""
    worker: WorkerProfile = application.worker
    published = vacancy.published_at
    placement = Placement(
        application_id=application.id, vacancy_id=vacancy.id, employer_id=vacancy.employer_id, hired_at=now,
        vacancy_published_at=published, ward_code=vacancy.ward_code, district_code=vacancy.ward.district_code,
        worker_ward_code=worker.ward_code, occupation_code=vacancy.occupation_code, sex=worker.sex,
        birth_year=worker.birth_year, education_level=worker.education_level,
        days_to_fill=max(0.0, (now - published).total_seconds() / 86400) if published else None)
    db.session.add(placement)
    vacancy.positions_filled += 1
    if vacancy.positions_filled >= vacancy.positions and vacancy.status == VacancyStatus.OPEN.value:
        vacancy.status = VacancyStatus.CLOSED.value
        vacancy.closed_at = now
    vacancy.updated_at = now
    return placement


def status_label(status: str) -> str:
    """An application status in words."""
    from .labels import APPLICATION_STATUS_LABELS

    return str(APPLICATION_STATUS_LABELS.get(status, status))


def invitable_worker(worker_id: int) -> WorkerProfile | None:
    """A worker employers may invite: visible, seeking and with an enabled account."""
    if not 0 < worker_id < 2**31:
        return None
    worker = db.session.get(WorkerProfile, worker_id)
    if worker is None or not worker.is_visible or not worker.is_seeking or not worker.user.is_enabled:
        return None
    return worker


def invite_worker(vacancy: Vacancy, worker_id: int, message: str | None = None,
                  now: datetime | None = None) -> Invitation:
    """Invite a worker to apply to an open vacancy (once per vacancy and worker)."""
    now = now or utcnow()
    message = clean_multiline(message)
    if len(message) > 1000:
        raise ServiceError("message_too_long", _("Lời nhắn tối đa 1.000 ký tự."), 422, field="message")
    if vacancy.status != VacancyStatus.OPEN.value or not vacancy.employer.is_verified:
        raise ServiceError("vacancy_not_open", _("Chỉ mời ứng tuyển được vào tin đang đăng."), 409)
    worker = invitable_worker(worker_id)
    if worker is None:
        raise ServiceError("worker_not_found", _("Không tìm thấy người lao động này, hoặc họ không nhận lời mời."),
                           404)
    if db.session.scalar(select(Invitation.id).where(Invitation.vacancy_id == vacancy.id,
                                                     Invitation.worker_id == worker.id)) is not None:
        raise ServiceError("duplicate_invitation", _("Bạn đã mời người này ứng tuyển vào tin này rồi."), 409)
    if db.session.scalar(select(Application.id).where(Application.vacancy_id == vacancy.id,
                                                      Application.worker_id == worker.id)) is not None:
        raise ServiceError("already_applied", _("Người này đã nộp hồ sơ vào tin này."), 409)
    invitation = Invitation(vacancy_id=vacancy.id, worker_id=worker.id, message=message,
                            status=InvitationStatus.PENDING.value, created_at=now)
    db.session.add(invitation)
    try:
        db.session.flush()
        notification_hooks.invitation_sent(invitation)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError("duplicate_invitation", _("Bạn đã mời người này ứng tuyển vào tin này rồi."), 409)
    log.info("vacancy %s invited worker %s", vacancy.id, worker.id)
    return invitation


def vacancy_applications(vacancy: Vacancy, page: int = 1, per_page: int = 50) -> tuple[list[Application], int]:
    """A page of a vacancy's applications (newest first) and how many there are."""
    from sqlalchemy import func

    total = db.session.scalar(select(func.count(Application.id)).where(Application.vacancy_id == vacancy.id)) or 0
    rows = db.session.scalars(select(Application).where(Application.vacancy_id == vacancy.id)
                              .order_by(Application.created_at.desc(), Application.id.desc())
                              .limit(per_page).offset((max(1, page) - 1) * per_page))
    return list(rows), total


def employer_invitations(vacancy: Vacancy) -> list[Invitation]:
    """Invitations sent for a vacancy, newest first."""
    return list(db.session.scalars(select(Invitation).where(Invitation.vacancy_id == vacancy.id)
                                   .order_by(Invitation.created_at.desc(), Invitation.id.desc())))
