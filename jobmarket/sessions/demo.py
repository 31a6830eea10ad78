"""Demo sessions: two past sessions at the central floor with interviews and outcomes, one upcoming open session."""
from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from sqlalchemy import select

from ..employers.services import HANOI_OFFSET
from ..extensions import db
from ..models import Employer, User, Vacancy, WorkerProfile
from ..models.sessions import (InterviewRequest, JobSession, SessionEmployer, SessionSeeker, SessionVacancy)
from . import planning, services

THEMES = (("Phiên giao dịch việc làm định kỳ tháng", "Mọi người lao động", "in_person"),
          ("Phiên việc làm cho lao động về nước", "Lao động hoàn thành hợp đồng ở nước ngoài", "hybrid"),
          ("Phiên việc làm cho sinh viên mới tốt nghiệp", "Sinh viên, học viên mới tốt nghiệp", "hybrid"))


def _session(rng: random.Random, officer: User | None, floor_id: int, day, theme) -> JobSession:
    title, target, mode = theme
    session = JobSession(theme=title, target_group=target, floor_id=floor_id, mode=mode, day=day,
                         start_time=time(8, 0), end_time=time(11, 30), registration_deadline=day - timedelta(days=1),
                         capacity=300, slot_minutes=15, status="published",
                         created_by_id=officer.id if officer else None)
    db.session.add(session)
    db.session.flush()
    return session


def _fill(rng: random.Random, session: JobSession, employers: list[Employer], workers: list[WorkerProfile]) -> list:
    """Booths with the employers' open vacancies, registrations with tickets, and each seeker's best 1-3 wishes."""
    from ..search.service import explain_match

    parts = []
    for k, employer in enumerate(employers):
        opened = datetime.combine(session.day, time(0)) - HANOI_OFFSET  # brought only if published before the day
        vacancies = [v for v in employer.vacancies if v.status == "open" and v.published_at is not None
                     and v.published_at < opened][:3]
        if not vacancies:
            continue
        part = SessionEmployer(session_id=session.id, employer_id=employer.id, status="approved",
                               interviewers=rng.randint(1, 3), booth=f"A{k + 1}",
                               room_token=f"{rng.getrandbits(96):024x}" if session.mode != "in_person" else None)
        part.vacancies = [SessionVacancy(vacancy_id=v.id) for v in vacancies]
        db.session.add(part)
        parts.append((part, vacancies))
    db.session.flush()
    regs = []
    for worker in workers:
        reg = SessionSeeker(session_id=session.id, worker_id=worker.id, ticket_code=f"{rng.getrandbits(72):018x}",
                            walk_in=rng.random() < 0.1)
        db.session.add(reg)
        db.session.flush()
        scored = []
        for part, vacancies in parts:
            for v in vacancies:
                match = explain_match(worker.id, v.id)
                scored.append((match.score if match else 0.0, part, v))
        scored.sort(key=lambda s: (-s[0], s[2].id))
        for score, part, v in scored[: rng.randint(1, 3)]:
            db.session.add(InterviewRequest(seeker_id=reg.id, participation_id=part.id, vacancy_id=v.id,
                                            score=score))
        regs.append(reg)
    db.session.flush()
    requests = list(db.session.scalars(select(InterviewRequest).join(SessionSeeker).where(
        SessionSeeker.session_id == session.id)))
    result = planning.plan([planning.Request(r.id, r.seeker_id, r.participation_id, r.score) for r in requests],
                           {p.id: p.interviewers for p, _v in parts}, services.n_slots(session), time_limit=5.0)
    for r in requests:
        r.slot, r.seat = result.slots.get(r.id, (None, None))
    db.session.commit()
    return regs


def seed(seed: int, now: datetime) -> int:
    """Create the three demo sessions (idempotent: nothing if sessions exist). Returns how many were created."""
    if db.session.scalar(select(JobSession.id).limit(1)) is not None:
        return 0
    rng = random.Random(seed * 31 + 15)
    floor = services.ensure_central_floor()
    officer = db.session.scalar(select(User).where(User.role == "officer").order_by(User.id))
    employers = list(db.session.scalars(select(Employer).where(Employer.status == "verified").order_by(Employer.id)))
    workers = list(db.session.scalars(select(WorkerProfile).where(WorkerProfile.is_seeking.is_(True))
                                      .order_by(WorkerProfile.id)))
    if len(employers) < 2 or len(workers) < 6:
        return 0
    today = (now + HANOI_OFFSET).date()
    for days_ago, theme in ((40, THEMES[0]), (12, THEMES[1])):
        day = today - timedelta(days=days_ago)
        session = _session(rng, officer, floor.id, day, theme)
        regs = _fill(rng, session, rng.sample(employers, min(4, len(employers))),
                     rng.sample(workers, min(24, len(workers))))
        for reg in regs:
            present = rng.random() < 0.8
            for req in sorted(reg.requests, key=lambda r: r.slot if r.slot is not None else 99):
                if req.slot is None:
                    continue
                at = datetime.combine(day, session.start_time) - HANOI_OFFSET + \
                    timedelta(minutes=req.slot * session.slot_minutes)
                if present and reg.checked_in_at is None:
                    reg.checked_in_at = at - timedelta(minutes=10)
                    db.session.commit()
                outcome = rng.choices(["hired", "second_round", "not_selected"], weights=[3, 2, 5])[0] \
                    if present else "no_show"
                try:
                    services.record_outcome(req, officer, outcome, now=at + timedelta(minutes=10))
                except services.ServiceError:  # the vacancy filled up meanwhile: not selected this time
                    db.session.rollback()
                    services.record_outcome(req, officer, "not_selected", now=at + timedelta(minutes=10))
    upcoming = _session(rng, officer, floor.id, today + timedelta(days=14), THEMES[2])
    upcoming.registration_deadline = today + timedelta(days=12)
    _fill(rng, upcoming, employers[:3], workers[:8])
    db.session.commit()
    return 3
