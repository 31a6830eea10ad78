"""Moving applications: valid and invalid transitions, reasons, history, first response, hires and placements."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from jobmarket.models import ApplicationEvent, Placement
from jobmarket.models._common import utcnow

from .conftest import fresh, login, make_application


@pytest.fixture
def setup(factory, verified, db):
    """An open vacancy for 2 with one application from a worker with statistics facts."""
    published = utcnow() - timedelta(days=10)
    vacancy = factory.vacancy(employer=verified, positions=2, occupation_code="7212", ward_code="00008",
                              published_at=published, required=("han-dien",))
    worker = factory.worker(skills=("han-dien",), sex="female", birth_year=1995, education_level="vocational",
                            ward_code="00004")
    application = make_application(db, vacancy, worker, note="Tôi có 3 năm kinh nghiệm.")
    return vacancy, worker, application


def move(client, application, to_status, reason=""):
    return client.post(f"/doanh-nghiep/ho-so/{application.id}/chuyen", data={"to_status": to_status, "reason": reason},
                       follow_redirects=True)


def test_list_shows_status_note_history_and_contact(client, setup, verified, db):
    vacancy, worker, application = setup
    login(client, verified.owner)
    page = client.get(f"/doanh-nghiep/tin/{vacancy.id}/ho-so").get_data(as_text=True)
    assert worker.full_name in page and "Tôi có 3 năm kinh nghiệm." in page and "Đã nhận" in page
    assert worker.phone in page and worker.contact_email in page  # the worker applied
    assert "Lịch sử" in page


def test_the_whole_path_to_a_hire(client, setup, verified, db):
    vacancy, worker, application = setup
    login(client, verified.owner)
    before = utcnow()
    assert "Vào danh sách chọn" in move(client, application, "shortlisted").get_data(as_text=True)
    first = fresh(db, application).responded_at
    assert first is not None and first >= before.replace(microsecond=0) - timedelta(seconds=1)
    move(client, application, "interview")
    move(client, application, "hired")
    application = fresh(db, application)
    assert application.status == "hired" and application.responded_at == first  # only the first move stamps it
    events = [(e.from_status, e.to_status, e.actor_id) for e in application.events]
    assert events == [(None, "received", None), ("received", "shortlisted", verified.owner_id),
                      ("shortlisted", "interview", verified.owner_id), ("interview", "hired", verified.owner_id)]
    assert all(e.at is not None for e in application.events)
    placement = db.session.scalar(select(Placement))
    assert placement.application_id == application.id and placement.vacancy_id == vacancy.id
    assert placement.employer_id == verified.id
    assert (placement.ward_code, placement.district_code, placement.worker_ward_code) == ("00008", "001", "00004")
    assert (placement.occupation_code, placement.sex, placement.birth_year, placement.education_level) == \
        ("7212", "female", 1995, "vocational")
    assert placement.vacancy_published_at == fresh(db, vacancy).published_at
    assert placement.days_to_fill == pytest.approx((placement.hired_at - placement.vacancy_published_at)
                                                   .total_seconds() / 86400)
    assert 9.9 < placement.days_to_fill < 10.1
    vacancy = fresh(db, vacancy)
    assert vacancy.positions_filled == 1 and vacancy.status == "open"


def test_the_last_position_filled_closes_the_vacancy(client, factory, setup, verified, db):
    vacancy, worker, application = setup
    other = make_application(db, vacancy, factory.worker(skills=("han-dien",)))
    third = make_application(db, vacancy, factory.worker(skills=("han-dien",)))
    login(client, verified.owner)
    move(client, application, "hired")
    move(client, other, "hired")
    vacancy = fresh(db, vacancy)
    assert vacancy.positions_filled == 2 and vacancy.status == "closed" and vacancy.closed_at is not None
    refused = move(client, third, "hired")
    assert "Tin này đã tuyển đủ số lượng." in refused.get_data(as_text=True)
    assert fresh(db, third).status == "received"
    assert db.session.scalar(select(func.count(Placement.id))) == 2


def test_reject_needs_a_reason(client, setup, verified, db):
    vacancy, worker, application = setup
    login(client, verified.owner)
    assert "Vui lòng nêu lý do từ chối." in move(client, application, "rejected", "  ").get_data(as_text=True)
    assert fresh(db, application).status == "received" and fresh(db, application).responded_at is None
    assert "Lý do tối đa 500 ký tự." in move(client, application, "rejected", "x" * 501).get_data(as_text=True)
    move(client, application, "rejected", "Chưa đủ kinh nghiệm hàn TIG")
    application = fresh(db, application)
    assert application.status == "rejected" and application.reject_reason == "Chưa đủ kinh nghiệm hàn TIG"
    assert application.events[-1].note == "Chưa đủ kinh nghiệm hàn TIG"


@pytest.mark.parametrize("start,target", [
    ("hired", "shortlisted"), ("hired", "rejected"), ("rejected", "shortlisted"), ("rejected", "hired"),
    ("interview", "shortlisted"), ("shortlisted", "shortlisted"), ("received", "received"),
    ("received", "withdrawn"), ("received", "nonsense"),
])
def test_invalid_transitions_are_refused(client, factory, verified, db, start, target):
    vacancy = factory.vacancy(employer=verified)
    application = make_application(db, vacancy, factory.worker(), status=start)
    login(client, verified.owner)
    page = move(client, application, target, "lý do").get_data(as_text=True)
    assert "Không thể chuyển hồ sơ" in page or "Trạng thái không hợp lệ." in page
    assert fresh(db, application).status == start
    assert db.session.scalar(select(func.count(ApplicationEvent.id))) == 1


def test_a_withdrawn_application_cannot_be_moved(client, factory, verified, db):
    vacancy = factory.vacancy(employer=verified)
    application = make_application(db, vacancy, factory.worker(), status="withdrawn")
    login(client, verified.owner)
    page = move(client, application, "shortlisted").get_data(as_text=True)
    assert "Người lao động đã rút hồ sơ này" in page
    assert fresh(db, application).status == "withdrawn"


def test_skipping_forward_is_allowed(client, setup, verified, db):
    vacancy, worker, application = setup
    login(client, verified.owner)
    move(client, application, "interview")
    assert fresh(db, application).status == "interview"


def test_others_cannot_move_an_application(client, factory, setup, db):
    vacancy, worker, application = setup
    login(client, factory.employer().owner)
    assert client.post(f"/doanh-nghiep/ho-so/{application.id}/chuyen", data={"to_status": "hired"}).status_code == 404
    client.post("/auth/logout")
    login(client, worker.user)
    assert client.post(f"/doanh-nghiep/ho-so/{application.id}/chuyen", data={"to_status": "hired"}).status_code == 403
    assert fresh(db, application).status == "received"


def test_dashboard_counts_applications_by_status(client, factory, setup, verified, db):
    vacancy, worker, application = setup
    make_application(db, vacancy, factory.worker(), status="shortlisted")
    make_application(db, vacancy, factory.worker(), status="shortlisted")
    make_application(db, vacancy, factory.worker(), status="withdrawn")
    login(client, verified.owner)
    page = client.get("/doanh-nghiep/").get_data(as_text=True)
    assert "Đã nhận: <strong>1</strong>" in page and "Vào danh sách chọn: <strong>2</strong>" in page
    assert "Đã rút hồ sơ: <strong>1</strong>" in page
