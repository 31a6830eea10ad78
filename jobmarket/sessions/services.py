"""Session rules: floors, the life of a session, employers and job seekers taking part, check-in, the plan, outcomes.

Every function here owns its transaction: it validates, changes rows and commits once. Refusals are ServiceError
with a message in the user's language (422 a rule refuses the input, 409 a clash with the current state, 404 what
the caller may not see), which pages show as a flash and the API as JSON.
"""
from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..employers.services import HANOI_OFFSET, ServiceError, hanoi_today
from ..extensions import db
from ..models import (Application, ApplicationEvent, ApplicationStatus, Employer, Placement, User, Vacancy,
                      VacancyStatus, Ward, WorkerProfile)
from ..models._common import utcnow
from ..models.sessions import (InterviewOutcome, InterviewRequest, JobSession, ParticipationStatus, SessionEmployer,
                               SessionFloor, SessionMode, SessionNotice, SessionSeeker, SessionStatus,
                               SessionVacancy)
from ..text import clean
from . import planning

log = logging.getLogger(__name__)

CENTRAL_FLOOR = {"name": "Sàn giao dịch việc làm Hà Nội (trụ sở chính)",
                 "address": "215 Trung Kính, Yên Hòa, Cầu Giấy, Hà Nội", "ward_code": "00175", "capacity": 1500,
                 "rooms": 6}
MODES = tuple(m.value for m in SessionMode)
OUTCOMES = tuple(o.value for o in InterviewOutcome)
MAX_INTERVIEWERS = 20
MAX_CAPACITY = 100_000
MAX_REQUESTS = 10  # vacancies one job seeker may ask to meet at one session
OPEN_STATUSES = (SessionStatus.PUBLISHED.value, SessionStatus.POSTPONED.value)


# --- telling people -----------------------------------------------------------------------------------------------

def tell(session: JobSession, user_ids, kind: str, detail: str = "") -> int:
    """Tell these people about a change of this session: the one place every 'tell' goes through.

    Each gets a notice on their session pages and, through the notification centre, an in-app notice and a mail
    (queued after commit, unless they switched it off). Runs inside the caller's transaction (the caller commits,
    so a rolled-back change tells no one). Returns how many people were told.
    """
    from ..notifications import notify

    ids = sorted({i for i in user_ids if i})
    for user_id in ids:
        db.session.add(SessionNotice(session_id=session.id, user_id=user_id, kind=kind, message=detail or ""))
        notify(user_id, "session_changed", theme=session.theme, session_id=session.id, change=kind,
               detail=detail or "")
    return len(ids)


def people_of(session: JobSession) -> set[int]:
    """Every account taking part: the owners of employers registered and the job seekers registered."""
    owners = db.session.scalars(select(Employer.owner_id).join(SessionEmployer).where(
        SessionEmployer.session_id == session.id, SessionEmployer.status != ParticipationStatus.DECLINED.value))
    seekers = db.session.scalars(select(WorkerProfile.user_id).join(SessionSeeker).where(
        SessionSeeker.session_id == session.id, SessionSeeker.cancelled.is_(False)))
    return set(owners) | set(seekers)


def notices_for(user_id: int, session_id: int | None = None) -> list[SessionNotice]:
    """The notices of a user (of one session when given), newest first."""
    q = select(SessionNotice).where(SessionNotice.user_id == user_id)
    if session_id is not None:
        q = q.where(SessionNotice.session_id == session_id)
    return list(db.session.scalars(q.order_by(SessionNotice.id.desc()).limit(50)))


# --- floors ---------------------------------------------------------------------------------------------------------

def ensure_central_floor() -> SessionFloor:
    """The central floor at 215 Trung Kính (seeded once, when the reference data is there)."""
    floor = db.session.scalar(select(SessionFloor).where(SessionFloor.address == CENTRAL_FLOOR["address"]))
    if floor is None:
        floor = SessionFloor(**CENTRAL_FLOOR)
        db.session.add(floor)
        db.session.commit()
    return floor


def _int(value, name: str, low: int, high: int, message: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ServiceError("invalid_" + name, message, 422, field=name) from None
    if not low <= number <= high:
        raise ServiceError("invalid_" + name, message, 422, field=name)
    return number


def save_floor(data: dict, floor: SessionFloor | None = None) -> SessionFloor:
    """Add or edit a floor: name, address, ward, capacity, rooms."""
    name, address = clean(data.get("name"))[:200], clean(data.get("address"))[:300]
    if not name or not address:
        raise ServiceError("floor_incomplete", _("Vui lòng nhập tên và địa chỉ của sàn."), 422, field="name")
    ward_code = clean(data.get("ward_code"))
    if not ward_code or db.session.get(Ward, ward_code) is None:
        raise ServiceError("invalid_ward", _("Phường/xã không hợp lệ."), 422, field="ward_code")
    capacity = _int(data.get("capacity"), "capacity", 1, MAX_CAPACITY, _("Sức chứa phải từ 1 đến 100.000 người."))
    rooms = _int(data.get("rooms", 1), "rooms", 1, 500, _("Số phòng phải từ 1 đến 500."))
    floor = floor or SessionFloor()
    floor.name, floor.address, floor.ward_code, floor.capacity, floor.rooms = name, address, ward_code, capacity, rooms
    db.session.add(floor)
    db.session.commit()
    return floor


def floors(active_only: bool = True) -> list[SessionFloor]:
    """The floors, by name."""
    q = select(SessionFloor).order_by(SessionFloor.name)
    if active_only:
        q = q.where(SessionFloor.active.is_(True))
    return list(db.session.scalars(q))


# --- sessions -------------------------------------------------------------------------------------------------------

def _date(value, name: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ServiceError("invalid_" + name, _("Ngày không hợp lệ (định dạng YYYY-MM-DD)."), 422, field=name) from None


def _time(value, name: str) -> time:
    if isinstance(value, time):
        return value
    try:
        return time.fromisoformat(str(value))
    except ValueError:
        raise ServiceError("invalid_" + name, _("Giờ không hợp lệ (định dạng HH:MM)."), 422, field=name) from None


def _validate_schedule(day: date, start: time, end: time, deadline: date, today: date) -> None:
    if day < today:
        raise ServiceError("session_in_past", _("Ngày tổ chức phiên không được ở quá khứ."), 422, field="day")
    if end <= start:
        raise ServiceError("invalid_hours", _("Giờ kết thúc phải sau giờ bắt đầu."), 422, field="end_time")
    if deadline > day:
        raise ServiceError("deadline_after_session", _("Hạn đăng ký phải trước hoặc đúng ngày tổ chức phiên."), 422,
                           field="registration_deadline")


def save_session(actor: User, data: dict, session: JobSession | None = None, today: date | None = None) -> JobSession:
    """Create or edit a session (a draft until published)."""
    today = today or hanoi_today()
    theme = clean(data.get("theme"))[:200]
    if not theme:
        raise ServiceError("theme_required", _("Vui lòng nhập chủ đề của phiên."), 422, field="theme")
    mode = data.get("mode") or SessionMode.IN_PERSON.value
    if mode not in MODES:
        raise ServiceError("invalid_mode", _("Hình thức tổ chức không hợp lệ."), 422, field="mode")
    floor_id = data.get("floor_id") or None
    floor = None
    if floor_id not in (None, "", 0, "0"):
        floor_id = _int(floor_id, "floor_id", 1, 2**31 - 1, _("Sàn giao dịch không hợp lệ."))
        floor = db.session.get(SessionFloor, floor_id)
        if floor is None:
            raise ServiceError("invalid_floor", _("Sàn giao dịch không hợp lệ."), 422, field="floor_id")
    if mode != SessionMode.ONLINE.value and floor is None:
        raise ServiceError("floor_required", _("Phiên trực tiếp hoặc kết hợp cần chọn sàn giao dịch."), 422,
                           field="floor_id")
    day = _date(data.get("day"), "day")
    start, end = _time(data.get("start_time"), "start_time"), _time(data.get("end_time"), "end_time")
    deadline = _date(data.get("registration_deadline") or day, "registration_deadline")
    _validate_schedule(day, start, end, deadline, today)
    capacity = _int(data.get("capacity", 500), "capacity", 1, MAX_CAPACITY, _("Sức chứa phải từ 1 đến 100.000 người."))
    if floor is not None and mode == SessionMode.IN_PERSON.value and capacity > floor.capacity:
        raise ServiceError("over_floor_capacity", _("Sức chứa vượt quá sức chứa của sàn (%(n)d người).",
                                                     n=floor.capacity), 422, field="capacity")
    slot_minutes = _int(data.get("slot_minutes", 20), "slot_minutes", 5, 240,
                        _("Thời lượng mỗi lượt phỏng vấn phải từ 5 đến 240 phút."))
    if session is not None and session.status == SessionStatus.CANCELLED.value:
        raise ServiceError("session_cancelled", _("Phiên đã bị hủy nên không thể sửa."), 409)
    session = session or JobSession(created_by_id=actor.id)
    session.theme, session.target_group = theme, clean(data.get("target_group"))[:200]
    session.mode, session.floor_id, session.day, session.start_time, session.end_time = mode, floor_id, day, start, end
    session.registration_deadline, session.capacity, session.slot_minutes = deadline, capacity, slot_minutes
    db.session.add(session)
    db.session.commit()
    return session


def publish_session(session: JobSession, actor: User) -> JobSession:
    """Open a drafted session for registration and put it on the public calendar."""
    if session.status != SessionStatus.DRAFT.value:
        raise ServiceError("not_draft", _("Chỉ phiên ở trạng thái nháp mới có thể công bố."), 409)
    session.status = SessionStatus.PUBLISHED.value
    db.session.commit()
    return session


def postpone_session(session: JobSession, actor: User, data: dict, today: date | None = None) -> JobSession:
    """Move a session to a new day and hours; everyone taking part is told, their plan is cleared for re-planning."""
    if session.status not in OPEN_STATUSES:
        raise ServiceError("cannot_postpone", _("Chỉ phiên đã công bố mới có thể hoãn."), 409)
    reason = clean(data.get("reason"))[:500]
    if not reason:
        raise ServiceError("reason_required", _("Vui lòng nêu lý do hoãn phiên."), 422, field="reason")
    day = _date(data.get("day"), "day")
    start = _time(data.get("start_time") or session.start_time, "start_time")
    end = _time(data.get("end_time") or session.end_time, "end_time")
    deadline = _date(data.get("registration_deadline") or day, "registration_deadline")
    _validate_schedule(day, start, end, deadline, today or hanoi_today())
    session.day, session.start_time, session.end_time, session.registration_deadline = day, start, end, deadline
    session.status, session.status_reason = SessionStatus.POSTPONED.value, reason
    _clear_plan(session, keep_locked=False)
    tell(session, people_of(session), "postponed", reason)
    db.session.commit()
    return session


def cancel_session(session: JobSession, actor: User, reason: str) -> JobSession:
    """Cancel a session: nothing stays scheduled, every registration is kept, everyone taking part is told."""
    reason = clean(reason)[:500]
    if session.status == SessionStatus.CANCELLED.value:
        raise ServiceError("already_cancelled", _("Phiên này đã bị hủy."), 409)
    if not reason:
        raise ServiceError("reason_required", _("Vui lòng nêu lý do hủy phiên."), 422, field="reason")
    session.status, session.status_reason = SessionStatus.CANCELLED.value, reason
    _clear_plan(session, keep_locked=False)
    tell(session, people_of(session), "cancelled", reason)
    db.session.commit()
    return session


def _clear_plan(session: JobSession, keep_locked: bool) -> None:
    """Unschedule the session's requests (the requests themselves stay)."""
    for req in _requests(session):
        if keep_locked and req.locked:
            continue
        req.slot = req.seat = None
        req.locked = False


def list_sessions(*, mode: str | None = None, floor_id: int | None = None, date_from: date | None = None,
                  date_to: date | None = None, include_past: bool = False, staff: bool = False) -> list[JobSession]:
    """Sessions on the calendar (published, postponed, cancelled; drafts for staff only), by day."""
    q = select(JobSession).order_by(JobSession.day, JobSession.start_time, JobSession.id)
    if not staff:
        q = q.where(JobSession.status != SessionStatus.DRAFT.value)
    if mode:
        q = q.where(JobSession.mode == mode)
    if floor_id:
        q = q.where(JobSession.floor_id == floor_id)
    if date_from:
        q = q.where(JobSession.day >= date_from)
    elif not include_past:
        q = q.where(JobSession.day >= hanoi_today())
    if date_to:
        q = q.where(JobSession.day <= date_to)
    return list(db.session.scalars(q.limit(500)))


def is_visible(session: JobSession | None, staff: bool) -> bool:
    """Whether a session may be shown: drafts only to the labour office."""
    return session is not None and (staff or session.status != SessionStatus.DRAFT.value)


def registration_open(session: JobSession, today: date | None = None) -> bool:
    """Published (or postponed) and the registration deadline not passed."""
    return session.status in OPEN_STATUSES and (today or hanoi_today()) <= session.registration_deadline


def _require_open(session: JobSession, today: date | None = None) -> None:
    if session.status == SessionStatus.CANCELLED.value:
        raise ServiceError("session_cancelled", _("Phiên đã bị hủy."), 409)
    if session.status not in OPEN_STATUSES:
        raise ServiceError("session_not_open", _("Phiên chưa mở đăng ký."), 409)
    if (today or hanoi_today()) > session.registration_deadline:
        raise ServiceError("registration_closed", _("Đã hết hạn đăng ký tham gia phiên này."), 409)


def n_slots(session: JobSession) -> int:
    """How many interview slots of slot_minutes fit between the session's start and end."""
    minutes = (datetime.combine(session.day, session.end_time) - datetime.combine(session.day, session.start_time))
    return max(0, int(minutes.total_seconds() // 60) // session.slot_minutes)


def slot_start(session: JobSession, slot: int) -> datetime:
    """The Hanoi local time a slot starts."""
    return datetime.combine(session.day, session.start_time) + timedelta(minutes=slot * session.slot_minutes)


def starts_utc(session: JobSession) -> tuple[datetime, datetime]:
    """The session's start and end in naive UTC."""
    return (datetime.combine(session.day, session.start_time) - HANOI_OFFSET,
            datetime.combine(session.day, session.end_time) - HANOI_OFFSET)


# --- employers ------------------------------------------------------------------------------------------------------

def join_session(session: JobSession, employer: Employer, vacancy_ids, interviewers, booth_needs: str = "",
                 today: date | None = None) -> SessionEmployer:
    """A verified employer asks to take part with the open vacancies it brings and its interviewers."""
    if employer is None or not employer.is_verified:
        raise ServiceError("employer_not_verified", _("Chỉ doanh nghiệp đã được xác minh mới có thể tham gia phiên."),
                           403)
    _require_open(session, today)
    interviewers = _int(interviewers, "interviewers", 1, MAX_INTERVIEWERS,
                        _("Số người phỏng vấn phải từ 1 đến 20."))
    ids = set()
    for value in vacancy_ids or ():
        ids.add(_int(value, "vacancy_ids", 1, 2**31 - 1, _("Tin tuyển dụng không hợp lệ.")))
    if not ids:
        raise ServiceError("vacancies_required", _("Vui lòng chọn ít nhất một tin tuyển dụng mang đến phiên."), 422,
                           field="vacancy_ids")
    vacancies = list(db.session.scalars(select(Vacancy).where(Vacancy.id.in_(ids))))
    if len(vacancies) != len(ids) or any(v.employer_id != employer.id for v in vacancies):
        raise ServiceError("invalid_vacancy", _("Tin tuyển dụng không hợp lệ."), 422, field="vacancy_ids")
    if any(v.status != VacancyStatus.OPEN.value for v in vacancies):
        raise ServiceError("vacancy_not_open", _("Chỉ mang đến phiên các tin đang đăng tuyển."), 422,
                           field="vacancy_ids")
    part = db.session.scalar(select(SessionEmployer).where(SessionEmployer.session_id == session.id,
                                                           SessionEmployer.employer_id == employer.id))
    if part is not None and part.status == ParticipationStatus.DECLINED.value:
        raise ServiceError("participation_declined", _("Đăng ký của doanh nghiệp cho phiên này đã bị từ chối."), 409)
    part = part or SessionEmployer(session_id=session.id, employer_id=employer.id)
    part.interviewers, part.booth_needs = interviewers, clean(booth_needs)[:500]
    kept = {sv.vacancy_id for sv in part.vacancies}
    part.vacancies.extend(SessionVacancy(vacancy_id=v.id) for v in vacancies if v.id not in kept)
    db.session.add(part)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError("already_joined", _("Doanh nghiệp đã đăng ký tham gia phiên này."), 409) from None
    return part


def decide_participation(part: SessionEmployer, actor: User, approve: bool, reason: str = "",
                         booth: str = "") -> SessionEmployer:
    """An officer approves (with a booth, and an online room for online/hybrid sessions) or declines with a reason."""
    reason, booth = clean(reason)[:500], clean(booth)[:40]
    session = part.session
    if session.status == SessionStatus.CANCELLED.value:
        raise ServiceError("session_cancelled", _("Phiên đã bị hủy."), 409)
    if approve:
        if session.mode != SessionMode.ONLINE.value and not booth:
            raise ServiceError("booth_required", _("Vui lòng ghi số gian hàng cho doanh nghiệp."), 422, field="booth")
        part.status, part.booth, part.decision_reason = ParticipationStatus.APPROVED.value, booth or None, None
        if session.mode != SessionMode.IN_PERSON.value and not part.room_token:
            part.room_token = secrets.token_hex(12)
        tell(session, [part.employer.owner_id], "approved", booth)
    else:
        if not reason:
            raise ServiceError("reason_required", _("Vui lòng nêu lý do từ chối."), 422, field="reason")
        part.status, part.decision_reason = ParticipationStatus.DECLINED.value, reason
        for req in db.session.scalars(select(InterviewRequest).where(InterviewRequest.participation_id == part.id)):
            req.slot = req.seat = None
        tell(session, [part.employer.owner_id], "declined", reason)
    db.session.commit()
    return part


def room_url(part: SessionEmployer) -> str | None:
    """The booth's online room (a Jitsi Meet link), or None for an in-person booth."""
    if not part.room_token:
        return None
    base = current_app.config.get("SESSIONS_JITSI_BASE_URL", "https://meet.jit.si").rstrip("/")
    return f"{base}/HanoiViecLam-{part.session_id}-{part.room_token}"


def may_see_room(user, part: SessionEmployer) -> bool:
    """The room is shown to the labour office, the employer, and job seekers scheduled into the booth."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.role in ("officer", "admin") or part.employer.owner_id == user.id:
        return True
    return db.session.scalar(select(func.count(InterviewRequest.id)).join(SessionSeeker).join(WorkerProfile).where(
        InterviewRequest.participation_id == part.id, InterviewRequest.slot.is_not(None),
        WorkerProfile.user_id == user.id, SessionSeeker.cancelled.is_(False))) > 0


def approved_participations(session: JobSession) -> list[SessionEmployer]:
    """Employers approved for a session."""
    return list(db.session.scalars(select(SessionEmployer).where(
        SessionEmployer.session_id == session.id, SessionEmployer.status == ParticipationStatus.APPROVED.value)
        .order_by(SessionEmployer.id)))


# --- job seekers ----------------------------------------------------------------------------------------------------

def registration_of(session: JobSession, worker: WorkerProfile | None) -> SessionSeeker | None:
    """The worker's registration for the session, if any."""
    if worker is None:
        return None
    return db.session.scalar(select(SessionSeeker).where(SessionSeeker.session_id == session.id,
                                                         SessionSeeker.worker_id == worker.id))


def register_seeker(session: JobSession, worker: WorkerProfile, actor: User, walk_in: bool = False,
                    today: date | None = None) -> SessionSeeker:
    """Register a job seeker (by themselves, or a walk-in by an officer at the floor) and issue their ticket."""
    if worker is None:
        raise ServiceError("profile_required", _("Vui lòng tạo hồ sơ người lao động trước khi đăng ký phiên."), 409)
    if walk_in:
        if session.status == SessionStatus.CANCELLED.value:
            raise ServiceError("session_cancelled", _("Phiên đã bị hủy."), 409)
    else:
        _require_open(session, today)
    reg = registration_of(session, worker)
    if reg is not None and not reg.cancelled:
        raise ServiceError("already_registered", _("Bạn đã đăng ký phiên này."), 409)
    active = db.session.scalar(select(func.count(SessionSeeker.id)).where(
        SessionSeeker.session_id == session.id, SessionSeeker.cancelled.is_(False)))
    if active >= session.capacity and not walk_in:
        raise ServiceError("session_full", _("Phiên đã đủ số người đăng ký."), 409)
    if reg is None:
        reg = SessionSeeker(session_id=session.id, worker_id=worker.id, ticket_code=secrets.token_urlsafe(12))
        db.session.add(reg)
    reg.cancelled, reg.walk_in = False, walk_in
    reg.registered_by_id = actor.id if actor is not None and walk_in else None
    db.session.commit()
    return reg


def cancel_registration(reg: SessionSeeker) -> SessionSeeker:
    """A job seeker withdraws from a session; their requests stay (nothing registered is lost) but lose their slots."""
    if reg.checked_in_at is not None:
        raise ServiceError("already_checked_in", _("Bạn đã có mặt tại phiên nên không thể hủy đăng ký."), 409)
    reg.cancelled = True
    for req in reg.requests:
        req.slot = req.seat = None
    db.session.commit()
    return reg


@dataclass
class SessionMatch:
    """A vacancy of the session for one job seeker: the score and its parts (the reasons)."""

    vacancy: Vacancy
    participation: SessionEmployer
    score: float
    parts: object | None


def matches_in_session(session: JobSession, worker: WorkerProfile) -> list[SessionMatch]:
    """The session's vacancies for this job seeker, best match first, with the reasons."""
    from ..search.service import explain_match

    out = []
    for part in approved_participations(session):
        for sv in part.vacancies:
            match = explain_match(worker.id, sv.vacancy_id)
            out.append(SessionMatch(sv.vacancy, part, match.score if match else 0.0, match.parts if match else None))
    out.sort(key=lambda m: (-m.score, m.vacancy.id))
    return out


def set_requests(reg: SessionSeeker, vacancy_ids, today: date | None = None) -> list[InterviewRequest]:
    """The vacancies a job seeker wants to meet. Kept requests keep their slots; dropped ones are removed."""
    session = reg.session
    if reg.cancelled:
        raise ServiceError("registration_cancelled", _("Đăng ký phiên đã bị hủy."), 409)
    if session.status == SessionStatus.CANCELLED.value:
        raise ServiceError("session_cancelled", _("Phiên đã bị hủy."), 409)
    ids = []
    for value in vacancy_ids or ():
        number = _int(value, "vacancy_ids", 1, 2**31 - 1, _("Tin tuyển dụng không hợp lệ."))
        if number not in ids:
            ids.append(number)
    if len(ids) > MAX_REQUESTS:
        raise ServiceError("too_many_requests", _("Mỗi người chọn tối đa %(n)d tin để phỏng vấn trong một phiên.",
                                                  n=MAX_REQUESTS), 422, field="vacancy_ids")
    offered = {sv.vacancy_id: part for part in approved_participations(session) for sv in part.vacancies}
    if any(i not in offered for i in ids):
        raise ServiceError("vacancy_not_in_session", _("Tin tuyển dụng này không có trong phiên."), 422,
                           field="vacancy_ids")
    held = {r.vacancy_id: r for r in reg.requests}
    for vacancy_id, req in held.items():
        if vacancy_id not in ids:
            if req.outcome is not None:
                raise ServiceError("interview_done", _("Không thể bỏ một buổi phỏng vấn đã có kết quả."), 409)
            reg.requests.remove(req)
    from ..search.service import explain_match

    for vacancy_id in ids:
        if vacancy_id not in held:
            match = explain_match(reg.worker_id, vacancy_id)
            reg.requests.append(InterviewRequest(participation_id=offered[vacancy_id].id, vacancy_id=vacancy_id,
                                                 score=match.score if match else 0.0))
    db.session.commit()
    return list(reg.requests)


# --- check-in -------------------------------------------------------------------------------------------------------

def check_in(session: JobSession, code: str, actor: User, now: datetime | None = None) -> SessionSeeker:
    """Admit the holder of a ticket: the code must be of this session, and works once."""
    code = clean(code)
    if session.status == SessionStatus.CANCELLED.value:
        raise ServiceError("session_cancelled", _("Phiên đã bị hủy."), 409)
    if not code or len(code) > 40:
        raise ServiceError("ticket_unknown", _("Mã vé không hợp lệ."), 404)
    # One guarded UPDATE, committed at once: the write lock is held for one statement, and two scanners reading
    # the same code admit it once. Only a refusal reads the row to say why.
    table = SessionSeeker.__table__
    admitted = db.session.execute(table.update().where(
        table.c.ticket_code == code, table.c.session_id == session.id, table.c.checked_in_at.is_(None),
        table.c.cancelled.is_(False)).values(checked_in_at=now or utcnow(),
                                             checked_in_by_id=actor.id if actor else None)
        .returning(table.c.id)).scalar()
    db.session.commit()
    if admitted is not None:
        return db.session.get(SessionSeeker, admitted)
    reg = db.session.scalar(select(SessionSeeker).where(SessionSeeker.ticket_code == code))
    if reg is None:
        raise ServiceError("ticket_unknown", _("Mã vé không hợp lệ."), 404)
    if reg.session_id != session.id:
        raise ServiceError("ticket_other_session", _("Vé này thuộc một phiên khác."), 409)
    if reg.cancelled:
        raise ServiceError("ticket_cancelled", _("Đăng ký này đã bị hủy."), 409)
    raise ServiceError("ticket_used", _("Vé này đã được sử dụng để vào phiên."), 409)


# --- the plan -------------------------------------------------------------------------------------------------------

def _requests(session: JobSession) -> list[InterviewRequest]:
    """The session's interview requests, each with its registration loaded in the same query."""
    from sqlalchemy.orm import contains_eager

    return list(db.session.scalars(select(InterviewRequest).join(SessionSeeker).options(
        contains_eager(InterviewRequest.seeker)).where(SessionSeeker.session_id == session.id)
        .order_by(InterviewRequest.id)))


def current_slot(session: JobSession, now: datetime | None = None) -> int:
    """The first slot that has not started yet (0 before the session, n_slots after it)."""
    local = (now or utcnow()) + HANOI_OFFSET
    start = datetime.combine(session.day, session.start_time)
    if local <= start:
        return 0
    passed = (local - start).total_seconds() // 60
    return min(n_slots(session), int(-(-passed // session.slot_minutes)))


def replan(session: JobSession, actor: User | None, now: datetime | None = None,
           time_limit: float = 10.0) -> dict:
    """Recompute the plan. Interviews of checked-in job seekers, fixed by hand or already held keep their slot; slots
    already begun are not used again; no-shows (not checked in once the session began) are left out."""
    if session.status == SessionStatus.CANCELLED.value:
        raise ServiceError("session_cancelled", _("Phiên đã bị hủy nên không thể xếp lịch."), 409)
    if session.status not in OPEN_STATUSES:
        raise ServiceError("session_not_open", _("Phiên chưa được công bố."), 409)
    from_slot = current_slot(session, now)
    started = from_slot > 0
    parts = {p.id: p for p in approved_participations(session)}
    seats = {pid: p.interviewers for pid, p in parts.items()}
    reqs = _requests(session)
    old = {r.id: (r.slot, r.seat) for r in reqs}
    plan_requests, fixed = [], []
    for r in reqs:
        seeker = r.seeker
        if seeker.cancelled or r.participation_id not in parts:
            r.slot = r.seat = None
            continue
        keep = r.slot is not None and (r.locked or r.outcome is not None or seeker.checked_in_at is not None
                                       or (started and r.slot < from_slot))
        if keep and r.slot < n_slots(session) and r.seat is not None and r.seat < seats[r.participation_id]:
            plan_requests.append(planning.Request(r.id, seeker.id, r.participation_id, r.score))
            fixed.append(planning.Fixed(r.id, r.slot, r.seat))
            continue
        if r.outcome is not None or (started and seeker.checked_in_at is None):
            r.slot = r.seat = None  # a no-show keeps the request but no future slot
            continue
        plan_requests.append(planning.Request(r.id, seeker.id, r.participation_id, r.score))
    result = planning.plan(plan_requests, seats, n_slots(session), fixed, from_slot, time_limit=time_limit)
    greedy = planning.greedy(plan_requests, seats, n_slots(session), fixed, from_slot)
    fixed_ids = {f.request for f in fixed}
    moved = set()
    for r in reqs:
        if r.id in result.slots:
            r.slot, r.seat = result.slots[r.id]
        elif r.id in fixed_ids:
            continue
        else:
            r.slot = r.seat = None
        if old[r.id][0] is not None and old[r.id] != (r.slot, r.seat):
            moved.add(r.seeker.worker.user_id)
    session.planned_at = utcnow()
    tell(session, moved, "slot_moved")
    db.session.commit()
    log.info("session %s planned: %d of %d requests, total %.3f, gap to bound %.4f, greedy %.3f", session.id,
             len(result.slots), len(plan_requests), result.total, result.gap_to_bound, greedy.total)
    return {"scheduled": len(result.slots), "requests": len(plan_requests), "total": result.total,
            "bound": result.bound, "gap_to_bound": result.gap_to_bound, "greedy_total": greedy.total,
            "greedy_gap": 0.0 if result.total <= 0 else (result.total - greedy.total) / result.total,
            "seconds": result.seconds, "status": result.status, "unplaced": len(result.unplaced)}


def move_interview(req: InterviewRequest, actor: User, slot, seat) -> InterviewRequest:
    """An officer moves one interview by hand: no overlap for the job seeker, within the booth's interviewers."""
    session = req.seeker.session
    if session.status == SessionStatus.CANCELLED.value:
        raise ServiceError("session_cancelled", _("Phiên đã bị hủy nên không thể xếp lịch."), 409)
    if req.outcome is not None:
        raise ServiceError("interview_done", _("Buổi phỏng vấn đã có kết quả nên không thể dời."), 409)
    slot = _int(slot, "slot", 0, max(0, n_slots(session) - 1), _("Lượt phỏng vấn không hợp lệ."))
    seat = _int(seat, "seat", 0, req.participation.interviewers - 1,
                _("Gian hàng chỉ có %(n)d người phỏng vấn.", n=req.participation.interviewers))
    clash = db.session.scalar(select(InterviewRequest.id).where(
        InterviewRequest.seeker_id == req.seeker_id, InterviewRequest.slot == slot, InterviewRequest.id != req.id))
    if clash:
        raise ServiceError("seeker_busy", _("Người lao động đã có một buổi phỏng vấn khác vào giờ này."), 409)
    taken = db.session.scalar(select(InterviewRequest.id).where(
        InterviewRequest.participation_id == req.participation_id, InterviewRequest.slot == slot,
        InterviewRequest.seat == seat, InterviewRequest.id != req.id))
    if taken:
        raise ServiceError("seat_busy", _("Người phỏng vấn này đã có lịch vào giờ này."), 409)
    req.slot, req.seat, req.locked, req.move_requested = slot, seat, True, None
    tell(session, [req.seeker.worker.user_id, req.participation.employer.owner_id], "slot_moved")
    db.session.commit()
    return req


def ask_move(req: InterviewRequest, reason: str) -> InterviewRequest:
    """The job seeker or the employer asks the office to move a slot."""
    reason = clean(reason)[:500]
    if not reason:
        raise ServiceError("reason_required", _("Vui lòng nêu lý do muốn dời lịch."), 422, field="reason")
    if req.slot is None:
        raise ServiceError("not_scheduled", _("Buổi phỏng vấn này chưa được xếp lịch."), 409)
    req.move_requested = reason
    db.session.commit()
    return req


# --- outcomes -------------------------------------------------------------------------------------------------------

def record_outcome(req: InterviewRequest, actor: User, outcome: str, now: datetime | None = None) -> InterviewRequest:
    """An interviewer records the result; a hire becomes an application moved to hired and a placement, tagged with
    the session, as the statistics count them."""
    from ..employers.hiring import _record_placement

    now = now or utcnow()
    if outcome not in OUTCOMES:
        raise ServiceError("invalid_outcome", _("Kết quả phỏng vấn không hợp lệ."), 422, field="outcome")
    session = req.seeker.session
    if session.status == SessionStatus.CANCELLED.value:
        raise ServiceError("session_cancelled", _("Phiên đã bị hủy."), 409)
    if req.outcome == InterviewOutcome.HIRED.value:
        raise ServiceError("already_hired", _("Người lao động đã được tuyển qua buổi phỏng vấn này."), 409)
    if outcome != InterviewOutcome.NO_SHOW.value and req.seeker.checked_in_at is None:
        raise ServiceError("not_checked_in", _("Người lao động chưa làm thủ tục vào phiên."), 409)
    if outcome == InterviewOutcome.HIRED.value:
        vacancy = db.session.get(Vacancy, req.vacancy_id, with_for_update=True, populate_existing=True)
        if vacancy.status == VacancyStatus.TAKEN_DOWN.value:
            raise ServiceError("vacancy_taken_down", _("Tin đã bị cán bộ gỡ xuống nên không thể tuyển qua tin này."),
                               409)
        if vacancy.positions_open <= 0:
            raise ServiceError("positions_filled", _("Tin này đã tuyển đủ số lượng."), 409)
        application = db.session.scalar(select(Application).where(Application.vacancy_id == vacancy.id,
                                                                   Application.worker_id == req.seeker.worker_id))
        if application is None:
            application = Application(vacancy_id=vacancy.id, worker_id=req.seeker.worker_id,
                                      status=ApplicationStatus.RECEIVED.value, created_at=now, updated_at=now,
                                      note=_("Phỏng vấn tại phiên giao dịch việc làm"))
            db.session.add(application)
            db.session.flush()
        elif application.status in (ApplicationStatus.HIRED.value, ApplicationStatus.REJECTED.value,
                                     ApplicationStatus.WITHDRAWN.value):
            raise ServiceError("application_closed", _("Hồ sơ ứng tuyển của người này vào tin đã kết thúc."), 409)
        from_status = application.status
        application.status, application.updated_at, application.session_id = ApplicationStatus.HIRED.value, now, \
            session.id
        application.responded_at = application.responded_at or now
        application.events.append(ApplicationEvent(from_status=from_status, to_status=ApplicationStatus.HIRED.value,
                                                   actor_id=actor.id, note=_("Tuyển tại phiên giao dịch việc làm"),
                                                   at=now))
        placement = _record_placement(application, vacancy, now)
        placement.session_id = session.id
        req.application_id = application.id
    req.outcome, req.outcome_at = outcome, now
    db.session.commit()
    return req
