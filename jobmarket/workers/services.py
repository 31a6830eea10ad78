"""The job seeker's rules: profile, CV, applications, invitations, own data, walk-in registration.

Every function here owns its transaction (one commit) and writes what the search index needs to the outbox.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..notifications import hooks as notification_hooks
from ..models import (ApiToken, Application, ApplicationEvent, ApplicationStatus, EmployerStatus,
                      Invitation, InvitationStatus, Placement, Skill, User, Vacancy, VacancyStatus, Ward,
                      WorkerProfile)
from ..models._common import utcnow
from ..text import clean_multiline
from . import cv as cv_files
from .labels import WITHDRAWABLE

WALKIN_EMAIL_DOMAIN = "walkin.invalid"  # RFC 2606: never deliverable, so a placeholder cannot reach anyone


class WorkerError(Exception):
    """A rule of the journey refused the action; code is stable (API), message is for people, status for HTTP."""

    def __init__(self, code: str, message: str, status: int = 409):
        """Keep code, message and HTTP status."""
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


@dataclass
class ProfileData:
    """Validated profile values (forms and the API build it; the service stores it)."""

    full_name: str
    phone: str
    ward_code: str | None
    skill_ids: list[int]
    contact_email: str | None = None
    birth_year: int | None = None
    sex: str | None = None
    anywhere_in_hanoi: bool = True
    preferred_ward_codes: list[str] = field(default_factory=list)
    occupation_code: str | None = None
    expected_wage: int | None = None
    job_type: str | None = None
    education_level: str | None = None
    experience_years: int = 0
    languages: str = ""
    bio: str = ""
    is_visible: bool = True


def get_profile(user: User) -> WorkerProfile | None:
    """The user's job seeker profile, if they made one."""
    return db.session.scalar(select(WorkerProfile).where(WorkerProfile.user_id == user.id))


def _touch(profile: WorkerProfile) -> None:
    """Mark activity (the freshness part of the score) and a new version for the index."""
    profile.last_active_at = utcnow()
    profile.version = (profile.version or 0) + 1


def _fill(profile: WorkerProfile, data: ProfileData) -> None:
    """Copy the values onto the profile row."""
    for name in ("full_name", "phone", "contact_email", "birth_year", "sex", "ward_code", "anywhere_in_hanoi",
                 "occupation_code", "expected_wage", "job_type", "education_level", "experience_years", "languages",
                 "bio", "is_visible"):
        setattr(profile, name, getattr(data, name))
    profile.skills = list(db.session.scalars(select(Skill).where(Skill.id.in_(data.skill_ids))))
    profile.preferred_wards = list(db.session.scalars(select(Ward).where(Ward.code.in_(data.preferred_ward_codes))))


def save_profile(user: User, data: ProfileData) -> tuple[WorkerProfile, bool]:
    """Create or update the user's profile; returns (profile, created). Submitting it is the person's consent."""
    profile = get_profile(user)
    created = profile is None
    if created:
        profile = WorkerProfile(user_id=user.id, consent_at=utcnow())
        db.session.add(profile)
    _fill(profile, data)
    _touch(profile)
    db.session.flush()
    db.session.commit()
    return profile, created


def set_visibility(user: User, visible: bool) -> WorkerProfile:
    """Show or hide the profile from employers' searches and candidate lists."""
    profile = _require_profile(user)
    if profile.is_visible != visible:
        profile.is_visible = visible
        profile.version = (profile.version or 0) + 1
        db.session.commit()
    return profile


def _require_profile(user: User) -> WorkerProfile:
    """The user's profile, or a WorkerError asking them to create one."""
    profile = get_profile(user)
    if profile is None:
        raise WorkerError("profile_required", _("Bạn cần tạo hồ sơ người lao động trước."), 409)
    return profile


# CV ------------------------------------------------------------------------------------------------------------

def save_cv(user: User, data: bytes) -> WorkerProfile:
    """Check and store a new CV, replacing the old one (removed only once the new one is committed)."""
    profile = _require_profile(user)
    try:
        cv_files.check_pdf(data, current_app.config["CV_MAX_BYTES"])
    except cv_files.CvError as exc:
        raise WorkerError(exc.code, exc.message, 400) from exc
    new_name = cv_files.store(data)
    old_name = profile.cv_filename
    profile.cv_filename = new_name
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        cv_files.remove(new_name)
        raise
    cv_files.remove(old_name)
    return profile


def delete_cv(user: User) -> None:
    """Remove the CV."""
    profile = _require_profile(user)
    old_name, profile.cv_filename = profile.cv_filename, None
    db.session.commit()
    cv_files.remove(old_name)


# Applications --------------------------------------------------------------------------------------------------

def _event(application: Application, old: str | None, new: str, actor: User | None, note: str = "") -> None:
    """Log one status change (who, when)."""
    application.events.append(ApplicationEvent(from_status=old, to_status=new, actor_id=actor.id if actor else None,
                                               note=note))


def _open_vacancy(vacancy_id: int) -> Vacancy:
    """A vacancy people may apply to, or a WorkerError saying why not."""
    vacancy = db.session.get(Vacancy, vacancy_id) if 0 < vacancy_id < 2**31 else None
    if vacancy is None or vacancy.status in {VacancyStatus.DRAFT.value, VacancyStatus.TAKEN_DOWN.value} \
            or vacancy.employer.status != EmployerStatus.VERIFIED.value:
        raise WorkerError("vacancy_not_found", _("Không tìm thấy tin tuyển dụng này."), 404)
    if vacancy.status != VacancyStatus.OPEN.value or (vacancy.deadline and vacancy.deadline < date.today()):
        raise WorkerError("vacancy_closed", _("Tin tuyển dụng này đã đóng, không nhận hồ sơ nữa."), 409)
    return vacancy


def apply(user: User, vacancy_id: int, note: str = "") -> Application:
    """Apply to an open vacancy; refuses unknown or closed vacancies, duplicates and users without a profile.

    An application withdrawn earlier is reopened (one application per vacancy and worker); a pending invitation
    to the same vacancy counts as accepted.
    """
    profile = get_profile(user)
    if profile is None:
        raise WorkerError("profile_required", _("Bạn cần tạo hồ sơ người lao động trước khi ứng tuyển."), 409)
    vacancy = _open_vacancy(vacancy_id)
    note = clean_multiline(note)[:1000]
    invitation = db.session.scalar(select(Invitation).where(Invitation.vacancy_id == vacancy.id,
                                                            Invitation.worker_id == profile.id))
    application = db.session.scalar(select(Application).where(Application.vacancy_id == vacancy.id,
                                                              Application.worker_id == profile.id))
    if application is not None and application.status != ApplicationStatus.WITHDRAWN.value:
        raise WorkerError("already_applied", _("Bạn đã ứng tuyển vị trí này rồi."), 409)
    if application is None:
        application = Application(vacancy_id=vacancy.id, worker_id=profile.id, note=note)
        db.session.add(application)
        _event(application, None, ApplicationStatus.RECEIVED.value, user)
    else:
        _event(application, application.status, ApplicationStatus.RECEIVED.value, user, _("Ứng tuyển lại"))
        application.status, application.note, application.responded_at = ApplicationStatus.RECEIVED.value, note, None
        application.created_at = utcnow()
    if invitation is not None and invitation.status == InvitationStatus.PENDING.value:
        invitation.status, invitation.responded_at = InvitationStatus.ACCEPTED.value, utcnow()
    if invitation is not None and invitation.status == InvitationStatus.ACCEPTED.value:
        application.via_invitation = True
    _touch(profile)
    try:
        notification_hooks.application_received(application)
        db.session.commit()
    except IntegrityError:  # the same person applied twice at the same moment (two tabs)
        db.session.rollback()
        raise WorkerError("already_applied", _("Bạn đã ứng tuyển vị trí này rồi."), 409)
    return application


def _own_application(user: User, application_id: int) -> Application:
    """One of the user's own applications, or a 404 WorkerError (others' look the same as missing)."""
    profile = get_profile(user)
    application = db.session.get(Application, application_id) if 0 < application_id < 2**31 else None
    if profile is None or application is None or application.worker_id != profile.id:
        raise WorkerError("application_not_found", _("Không tìm thấy đơn ứng tuyển này."), 404)
    return application


def withdraw(user: User, application_id: int) -> Application:
    """Withdraw an application still under consideration (not once hired, rejected or already withdrawn)."""
    application = _own_application(user, application_id)
    if application.status not in WITHDRAWABLE:
        raise WorkerError("cannot_withdraw", _("Đơn ứng tuyển này đã có kết quả nên không thể rút."), 409)
    _event(application, application.status, ApplicationStatus.WITHDRAWN.value, user)
    application.status = ApplicationStatus.WITHDRAWN.value
    db.session.commit()
    return application


def list_applications(profile: WorkerProfile) -> list[Application]:
    """The worker's applications, newest first, with vacancy, employer and history loaded."""
    return list(db.session.scalars(
        select(Application).where(Application.worker_id == profile.id)
        .options(selectinload(Application.events), joinedload(Application.vacancy).joinedload(Vacancy.employer))
        .order_by(Application.created_at.desc(), Application.id.desc())))


# Invitations ---------------------------------------------------------------------------------------------------

def list_invitations(profile: WorkerProfile) -> list[Invitation]:
    """Invitations to the worker, pending first then newest."""
    rows = db.session.scalars(
        select(Invitation).where(Invitation.worker_id == profile.id)
        .options(joinedload(Invitation.vacancy).joinedload(Vacancy.employer))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc()))
    return sorted(rows, key=lambda i: i.status != InvitationStatus.PENDING.value)


def respond_invitation(user: User, invitation_id: int, accept: bool) -> tuple[Invitation, Application | None]:
    """Accept (which applies, via_invitation: the employer may now contact the worker) or decline."""
    profile = get_profile(user)
    invitation = db.session.get(Invitation, invitation_id) if 0 < invitation_id < 2**31 else None
    if profile is None or invitation is None or invitation.worker_id != profile.id:
        raise WorkerError("invitation_not_found", _("Không tìm thấy lời mời này."), 404)
    if invitation.status != InvitationStatus.PENDING.value:
        raise WorkerError("invitation_answered", _("Bạn đã trả lời lời mời này rồi."), 409)
    if not accept:
        invitation.status, invitation.responded_at = InvitationStatus.DECLINED.value, utcnow()
        db.session.commit()
        return invitation, None
    vacancy = _open_vacancy(invitation.vacancy_id)
    invitation.status, invitation.responded_at = InvitationStatus.ACCEPTED.value, utcnow()
    application = db.session.scalar(select(Application).where(Application.vacancy_id == vacancy.id,
                                                              Application.worker_id == profile.id))
    if application is None:
        application = Application(vacancy_id=vacancy.id, worker_id=profile.id, via_invitation=True)
        db.session.add(application)
        _event(application, None, ApplicationStatus.RECEIVED.value, user, _("Nhận lời mời"))
    elif application.status == ApplicationStatus.WITHDRAWN.value:
        _event(application, application.status, ApplicationStatus.RECEIVED.value, user, _("Nhận lời mời"))
        application.status, application.responded_at, application.via_invitation = \
            ApplicationStatus.RECEIVED.value, None, True
    else:
        application.via_invitation = True
    _touch(profile)
    db.session.commit()
    return invitation, application


# Own data ------------------------------------------------------------------------------------------------------

def _iso(value: datetime | date | None) -> str | None:
    """ISO 8601 text of a date or UTC time (None stays None)."""
    return None if value is None else value.isoformat() + ("Z" if isinstance(value, datetime) else "")


def _ward_json(ward: Ward | None) -> dict | None:
    """A ward as JSON: code, name, former district."""
    return None if ward is None else {"code": ward.code, "name": ward.full_name_vi,
                                      "district_code": ward.district_code, "district": ward.district.name_vi}


def application_json(application: Application) -> dict:
    """One application as the worker sees it (export and API)."""
    vacancy = application.vacancy
    return {
        "id": application.id,
        "vacancy": {"id": vacancy.id, "title": vacancy.title, "employer": vacancy.employer.name,
                    "status": vacancy.status},
        "status": application.status, "note": application.note or "",
        "via_invitation": bool(application.via_invitation),
        "reject_reason": application.reject_reason, "created_at": _iso(application.created_at),
        "updated_at": _iso(application.updated_at),
        "history": [{"from_status": e.from_status, "to_status": e.to_status, "at": _iso(e.at), "note": e.note or "",
                     "by_me": e.actor_id == application.worker.user_id} for e in application.events],
    }


def invitation_json(invitation: Invitation) -> dict:
    """One invitation as the worker sees it."""
    vacancy = invitation.vacancy
    return {"id": invitation.id,
            "vacancy": {"id": vacancy.id, "title": vacancy.title, "employer": vacancy.employer.name,
                        "status": vacancy.status},
            "message": invitation.message or "", "status": invitation.status, "created_at": _iso(invitation.created_at),
            "responded_at": _iso(invitation.responded_at)}


def profile_json(profile: WorkerProfile) -> dict:
    """The profile as its owner sees it (everything held)."""
    return {
        "id": profile.id, "full_name": profile.full_name, "phone": profile.phone,
        "contact_email": profile.contact_email, "birth_year": profile.birth_year, "sex": profile.sex,
        "ward": _ward_json(profile.ward), "anywhere_in_hanoi": bool(profile.anywhere_in_hanoi),
        "preferred_wards": [_ward_json(w) for w in sorted(profile.preferred_wards, key=lambda w: w.code)],
        "skills": [{"id": s.id, "slug": s.slug, "label": s.label_vi} for s in profile.skills],
        "occupation": None if profile.occupation is None else {"code": profile.occupation.code,
                                                               "title": profile.occupation.title_vi},
        "expected_wage": profile.expected_wage, "job_type": profile.job_type,
        "education_level": profile.education_level, "experience_years": profile.experience_years or 0,
        "languages": profile.languages or "", "bio": profile.bio or "", "is_visible": bool(profile.is_visible),
        "is_seeking": bool(profile.is_seeking), "has_cv": bool(profile.cv_filename),
        "registered_by_officer": profile.registered_by_id is not None, "consent_at": _iso(profile.consent_at),
        "created_at": _iso(profile.created_at), "updated_at": _iso(profile.updated_at),
    }


def export_data(user: User) -> dict:
    """Everything the exchange holds about the user, as one JSON-ready object."""
    profile = get_profile(user)
    return {
        "exported_at": _iso(utcnow()),
        "account": {"email": user.email, "role": user.role, "locale": user.locale,
                    "created_at": _iso(user.created_at), "last_login_at": _iso(user.last_login_at)},
        "profile": profile_json(profile) if profile else None,
        "applications": [application_json(a) for a in list_applications(profile)] if profile else [],
        "invitations": [invitation_json(i) for i in list_invitations(profile)] if profile else [],
    }


def delete_account(user: User) -> None:
    """Erase the account: profile, CV file, applications (and their history), invitations, tokens, login.

    Placements stay, as anonymous counts: they never pointed at the worker and lose their application link.
    The outbox row makes the search index drop the worker's document.
    """
    profile = get_profile(user)
    cv_name = profile.cv_filename if profile else None
    if profile is not None:
        application_ids = select(Application.id).where(Application.worker_id == profile.id)
        db.session.execute(update(Placement).where(Placement.application_id.in_(application_ids))
                           .values(application_id=None), execution_options={"synchronize_session": False})
        db.session.execute(delete(ApplicationEvent).where(ApplicationEvent.application_id.in_(application_ids)),
                           execution_options={"synchronize_session": False})
        db.session.execute(delete(Application).where(Application.worker_id == profile.id),
                           execution_options={"synchronize_session": False})
        db.session.execute(delete(Invitation).where(Invitation.worker_id == profile.id),
                           execution_options={"synchronize_session": False})
        db.session.delete(profile)
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    db.session.delete(user)
    db.session.commit()
    cv_files.remove(cv_name)


# The labour office ---------------------------------------------------------------------------------------------

def walkin_register(officer: User, data: ProfileData, email: str | None, consent: bool) -> tuple[User, WorkerProfile]:
    """An officer registers a job seeker in person, with their consent recorded (time and officer).

    The account gets a random password nobody is told: no one can log in to it until the person claims it by
    resetting the password with their email. Without an email, a placeholder address is used.
    """
    from ..auth.services import AccountError, create_user

    if not consent:
        raise WorkerError("consent_required", _("Cần có sự đồng ý của người lao động trước khi đăng ký."), 400)
    address = email or f"nld-{secrets.token_hex(6)}@{WALKIN_EMAIL_DOMAIN}"
    try:
        user = create_user(address, secrets.token_urlsafe(32), "worker", commit=False)
    except AccountError as exc:
        raise WorkerError(exc.code, exc.message, 409) from exc
    profile = WorkerProfile(user_id=user.id, registered_by_id=officer.id, consent_at=utcnow())
    db.session.add(profile)
    _fill(profile, data)
    _touch(profile)
    db.session.flush()
    notification_hooks.walkin_registered(user)
    from ..security.audit import record as audit

    audit("worker.walkin_register", target=user, actor=officer, after={"email": user.email, "profile_id": profile.id,
                                                                       "consent_at": profile.consent_at})
    db.session.commit()
    return user, profile
