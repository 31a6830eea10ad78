"""Session rules: life of a session, who may take part, tickets, the plan and re-plan, outcomes into statistics."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from jobmarket.employers.services import ServiceError
from jobmarket.models import Application, Placement
from jobmarket.models import stats_summary
from jobmarket.models.sessions import InterviewRequest, SessionNotice
from jobmarket.sessions import planning, services


def refused(code, call, *args, **kwargs):
    with pytest.raises(ServiceError) as info:
        call(*args, **kwargs)
    assert info.value.code == code
    assert info.value.message
    return info.value


def test_central_floor_is_seeded_once(db):
    first, second = services.ensure_central_floor(), services.ensure_central_floor()
    assert first.id == second.id and "215 Trung Kính" in first.address and first.ward.district.name_vi == "Cầu Giấy"


def test_session_validation_and_life(db, officer, make_session):
    floor = services.ensure_central_floor()
    base = {"theme": "Phiên", "mode": "in_person", "floor_id": floor.id, "day": date.today() + timedelta(days=5),
            "start_time": "08:00", "end_time": "11:00"}
    refused("floor_required", services.save_session, officer, {**base, "floor_id": None})
    refused("invalid_hours", services.save_session, officer, {**base, "end_time": "07:00"})
    refused("session_in_past", services.save_session, officer, {**base, "day": date.today() - timedelta(days=1)})
    refused("deadline_after_session", services.save_session, officer,
            {**base, "registration_deadline": date.today() + timedelta(days=9)})
    refused("invalid_mode", services.save_session, officer, {**base, "mode": "teleport"})
    online = services.save_session(officer, {**base, "mode": "online", "floor_id": None})
    assert online.floor is None and online.status == "draft"
    assert services.list_sessions() == []  # drafts are not on the public calendar
    session = make_session()
    assert [s.id for s in services.list_sessions()] == [session.id]
    assert [s.id for s in services.list_sessions(mode="online", staff=True)] == [online.id]
    refused("reason_required", services.cancel_session, session, officer, "")
    services.postpone_session(session, officer, {"day": date.today() + timedelta(days=20), "reason": "Mưa bão"})
    assert session.status == "postponed" and session.day == date.today() + timedelta(days=20)
    services.cancel_session(session, officer, "Trùng lịch")
    refused("already_cancelled", services.cancel_session, session, officer, "again")


def test_only_verified_employers_with_their_open_vacancies(db, factory, officer, make_session):
    session = make_session()
    unverified = factory.employer(verified=False)
    vacancy = factory.vacancy(employer=unverified)
    refused("employer_not_verified", services.join_session, session, unverified, [vacancy.id], 1)
    employer = factory.employer()
    other = factory.vacancy()
    refused("invalid_vacancy", services.join_session, session, employer, [other.id], 1)
    draft = factory.vacancy(employer=employer, status="draft", published_at=None)
    refused("vacancy_not_open", services.join_session, session, employer, [draft.id], 1)
    refused("invalid_interviewers", services.join_session, session, employer, [draft.id], 0)
    mine = factory.vacancy(employer=employer)
    part = services.join_session(session, employer, [mine.id], 2, "Cần ổ điện")
    refused("reason_required", services.decide_participation, part, officer, False, "")
    refused("booth_required", services.decide_participation, part, officer, True)
    services.decide_participation(part, officer, False, "Hết gian hàng")
    assert part.status == "declined"
    refused("participation_declined", services.join_session, session, employer, [mine.id], 1)
    notices = services.notices_for(employer.owner_id, session.id)
    assert [n.kind for n in notices] == ["declined"] and notices[0].message == "Hết gian hàng"


def test_online_room_unguessable_and_shown_only_to_people_scheduled(app, db, factory, officer, make_session, booth,
                                                                   seeker):
    app.config["SESSIONS_JITSI_BASE_URL"] = "https://meet.example.vn/"
    session = make_session(mode="hybrid")
    part, vacancy = booth(session)
    url = services.room_url(part)
    assert url.startswith("https://meet.example.vn/HanoiViecLam-") and len(part.room_token) == 24
    scheduled = seeker(session, [vacancy])
    stranger = seeker(session)
    services.replan(session, officer)
    assert services.may_see_room(scheduled.worker.user, part)
    assert not services.may_see_room(stranger.worker.user, part)
    assert services.may_see_room(part.employer.owner, part) and services.may_see_room(officer, part)


def test_registration_rules_and_matches_first(db, factory, officer, make_session, booth):
    session = make_session(capacity=1)
    part, weld = booth(session, title="Thợ hàn", skills=("han-dien",))
    _part2, other = booth(session, title="Kế toán", skills=())
    worker = factory.worker(skills=("han-dien",))
    reg = services.register_seeker(session, worker, worker.user)
    refused("already_registered", services.register_seeker, session, worker, worker.user)
    late = factory.worker()
    refused("session_full", services.register_seeker, session, late, late.user)
    walk = services.register_seeker(session, late, officer, walk_in=True)  # an officer at the floor may still
    assert walk.walk_in and walk.registered_by_id == officer.id and walk.ticket_code != reg.ticket_code
    matches = services.matches_in_session(session, worker)
    assert matches[0].vacancy.id == weld.id and matches[0].score > matches[1].score
    assert matches[0].parts.skills == 1.0
    refused("vacancy_not_in_session", services.set_requests, reg, [factory.vacancy().id])
    refused("too_many_requests", services.set_requests, reg, list(range(1, 13)))
    services.set_requests(reg, [weld.id, other.id])
    assert sorted(r.vacancy_id for r in reg.requests) == sorted([weld.id, other.id])


def test_registration_closes_after_the_deadline(db, factory, make_session):
    session = make_session(days=3, registration_deadline=date.today() + timedelta(days=1))
    worker = factory.worker()
    refused("registration_closed", services.register_seeker, session, worker, worker.user,
            today=date.today() + timedelta(days=2))


def test_a_ticket_works_once_and_only_at_its_session(db, officer, make_session, seeker):
    session, other = make_session(), make_session(days=12)
    reg = seeker(session)
    refused("ticket_other_session", services.check_in, other, reg.ticket_code, officer)
    refused("ticket_unknown", services.check_in, session, "khong-co", officer)
    assert services.check_in(session, reg.ticket_code, officer).checked_in_at is not None
    refused("ticket_used", services.check_in, session, reg.ticket_code, officer)
    refused("already_checked_in", services.cancel_registration, reg)


def test_plan_keeps_rules_and_replan_keeps_checked_in_and_loses_nothing(db, officer, make_session, booth, seeker):
    session = make_session()  # 08:00-09:00, 20 minutes: 3 slots
    booths = [booth(session, interviewers=1) for _ in range(2)]
    regs = [seeker(session, [v for _p, v in booths]) for _ in range(4)]
    result = services.replan(session, officer)
    reqs = list(db.session.scalars(select(InterviewRequest)))
    assert result["requests"] == 8 and result["scheduled"] == 6 and result["gap_to_bound"] < 1e-9
    assert planning.check([planning.Request(r.id, r.seeker_id, r.participation_id, r.score) for r in reqs],
                          {p.id: 1 for p, _v in booths}, 3,
                          {r.id: (r.slot, r.seat) for r in reqs if r.slot is not None}) == []
    services.check_in(session, regs[0].ticket_code, officer)
    kept = {r.id: (r.slot, r.seat) for r in regs[0].requests}
    late = seeker(session, [booths[0][1]])  # a late registration
    services.replan(session, officer)
    assert {r.id: (r.slot, r.seat) for r in regs[0].requests} == kept
    assert len(list(db.session.scalars(select(InterviewRequest)))) == 9  # nothing registered lost
    assert late.requests[0].id
    # No-shows: once the session began, people not checked in lose their future slots but keep their requests.
    began = datetime.combine(session.day, session.start_time) - timedelta(hours=7) + timedelta(minutes=25)
    services.replan(session, officer, now=began)
    for reg in regs[1:]:
        assert all(r.slot is None or r.slot < 2 for r in reg.requests)
    now_held = {r.id: (r.slot, r.seat) for r in regs[0].requests}
    assert all(now_held[rid] == place for rid, place in kept.items() if place[0] is not None)
    services.cancel_session(session, officer, "Sự cố")
    assert db.session.scalar(select(InterviewRequest.id).where(InterviewRequest.slot.is_not(None))) is None
    assert len(list(db.session.scalars(select(InterviewRequest)))) == 9
    refused("session_cancelled", services.replan, session, officer)
    told = {n.user_id for n in db.session.scalars(select(SessionNotice).where(SessionNotice.kind == "cancelled"))}
    assert {r.worker.user_id for r in regs} <= told and booths[0][0].employer.owner_id in told
    # The notification centre has it too, and a mail is queued for each of them.
    from jobmarket.models import Notification, QueuedJob

    centre = {n.user_id for n in db.session.scalars(select(Notification).where(Notification.kind == "session_changed"))}
    assert told <= centre
    mailed = [j for j in db.session.scalars(select(QueuedJob)) if '"session_changed"' in (j.payload or "")]
    assert {json_user(j) for j in mailed} >= told


def json_user(job) -> int:
    import json

    return json.loads(job.payload)["user_id"]


def test_officer_moves_a_slot_within_the_rules(db, officer, make_session, booth, seeker):
    session = make_session()
    (part, vacancy), (part2, vacancy2) = booth(session), booth(session)
    a, b = seeker(session, [vacancy, vacancy2]), seeker(session, [vacancy])
    services.replan(session, officer)
    ra = next(r for r in a.requests if r.vacancy_id == vacancy.id)
    rb = b.requests[0]
    refused("seat_busy", services.move_interview, rb, officer, ra.slot, 0)
    refused("invalid_seat", services.move_interview, rb, officer, 0, 3)
    other = next(r for r in a.requests if r.vacancy_id == vacancy2.id)
    refused("seeker_busy", services.move_interview, ra, officer, other.slot, 0)
    free = ({0, 1, 2} - {ra.slot, rb.slot}).pop()
    services.move_interview(rb, officer, free, 0)
    assert rb.locked and rb.slot == free
    services.replan(session, officer)
    assert rb.slot == free
    refused("reason_required", services.ask_move, ra, "")
    assert services.ask_move(ra, "Tôi bận buổi sáng").move_requested == "Tôi bận buổi sáng"


def test_a_hire_becomes_an_application_and_placement_counted_by_the_statistics(db, officer, make_session, booth,
                                                                              seeker):
    session = make_session()
    part, vacancy = booth(session)
    reg = seeker(session, [vacancy], sex="female", birth_year=1998)
    services.replan(session, officer)
    req = reg.requests[0]
    refused("not_checked_in", services.record_outcome, req, part.employer.owner, "hired")
    refused("invalid_outcome", services.record_outcome, req, part.employer.owner, "maybe")
    services.check_in(session, reg.ticket_code, officer)
    services.record_outcome(req, part.employer.owner, "hired")
    application = db.session.get(Application, req.application_id)
    placement = db.session.scalar(select(Placement).where(Placement.application_id == application.id))
    assert application.status == "hired" and application.session_id == session.id
    assert placement.session_id == session.id and placement.sex == "female"
    assert stats_summary.differences(db.session.connection()) == {}
    refused("already_hired", services.record_outcome, req, part.employer.owner, "not_selected")


def test_statistics_count_placements_by_session_and_against_the_online_board(client, db, factory, officer,
                                                                            make_session, booth, seeker):
    from jobmarket.employers.hiring import move_application
    from tests.employers.conftest import login

    session = make_session()
    part, vacancy = booth(session)
    reg = seeker(session, [vacancy])
    services.replan(session, officer)
    services.check_in(session, reg.ticket_code, officer)
    services.record_outcome(reg.requests[0], officer, "hired")
    online = factory.vacancy()
    application = Application(vacancy_id=online.id, worker_id=factory.worker().id)
    db.session.add(application)
    db.session.commit()
    move_application(application, "hired", online.employer.owner)
    login(client, officer)
    page = client.get("/can-bo/thong-ke").get_data(as_text=True)
    assert "Tại phiên giao dịch việc làm" in page and "Qua sàn trực tuyến" in page and session.theme in page
    csv_text = client.get("/can-bo/thong-ke/xuat/phien-va-san.csv").data.decode("utf-8-sig")
    assert "Tại phiên giao dịch việc làm,1" in csv_text and "Qua sàn trực tuyến,1" in csv_text
