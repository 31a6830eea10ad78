"""Session pages and API through the real routes: create, join, register, ticket, check-in, result, report, feeds."""
from __future__ import annotations

import io
from datetime import date, timedelta

from icalendar import Calendar
from openpyxl import load_workbook
from sqlalchemy import select

from jobmarket.models import JobSession
from jobmarket.sessions import services

from tests.employers.conftest import login


def test_officer_creates_and_publishes_a_session_refusals_in_words(client, db, officer):
    login(client, officer)
    floor = services.ensure_central_floor()
    day = (date.today() + timedelta(days=9)).isoformat()
    form = {"theme": "Phiên việc làm cho sinh viên mới tốt nghiệp", "target_group": "Sinh viên", "mode": "in_person",
            "floor_id": str(floor.id), "day": day, "start_time": "08:00", "end_time": "07:00", "capacity": "300",
            "slot_minutes": "20", "registration_deadline": day}
    page = client.post("/phien/moi", data=form)
    assert page.status_code == 200 and "Giờ kết thúc phải sau giờ bắt đầu." in page.get_data(as_text=True)
    response = client.post("/phien/moi", data={**form, "end_time": "11:30"})
    session = db.session.scalar(select(JobSession))
    assert response.status_code == 302 and session.status == "draft"
    assert [i["status"] for i in client.get("/api/v1/sessions").get_json()["items"]] == ["draft"]  # the office's
    client.post("/auth/logout")
    assert client.get("/api/v1/sessions").get_json()["items"] == []  # drafts are not public
    assert client.get(f"/phien/{session.id}").status_code == 404
    login(client, officer)
    client.post(f"/phien/{session.id}/cong-bo")
    assert db.session.get(JobSession, session.id).status == "published"
    client.post("/auth/logout")
    calendar = client.get("/phien/").get_data(as_text=True)
    assert "Phiên việc làm cho sinh viên mới tốt nghiệp" in calendar and "215 Trung Kính" in calendar
    english = client.get("/phien/", headers={"Accept-Language": "en"})
    assert english.status_code == 200


def test_api_calendar_filters_and_bad_input(client, db, make_session):
    person = make_session(days=5)
    online = make_session(days=15, mode="online")
    items = client.get("/api/v1/sessions").get_json()["items"]
    assert [i["id"] for i in items] == [person.id, online.id]
    assert [i["id"] for i in client.get("/api/v1/sessions?mode=online").get_json()["items"]] == [online.id]
    later = (date.today() + timedelta(days=10)).isoformat()
    assert [i["id"] for i in client.get(f"/api/v1/sessions?from={later}").get_json()["items"]] == [online.id]
    assert [i["id"] for i in client.get(f"/api/v1/sessions?floor={person.floor_id}").get_json()["items"]] == [person.id]
    for bad in ("mode=teleport", "from=2026-13-45", "floor=abc", "from=hom-nay"):
        response = client.get(f"/api/v1/sessions?{bad}")
        assert response.status_code == 400 and response.get_json()["error"]["message"]
    assert client.get("/api/v1/sessions/999999").status_code == 404
    assert client.get(f"/api/v1/sessions/{online.id}").get_json()["floor"] is None
    feed = Calendar.from_ical(client.get("/phien/lich.ics").data)
    assert sorted(str(e["summary"]) for e in feed.walk("VEVENT")) == ["Phiên việc làm cơ khí"] * 2
    assert client.get("/phien/?from=khong-phai-ngay").status_code == 200


def test_employer_seeker_checkin_result_and_report(client, db, factory, officer, make_session):
    session = make_session()
    employer = factory.employer()
    vacancy = factory.vacancy(employer=employer, title="Thợ hàn bậc 3", required=("han-dien",))
    login(client, employer.owner)
    page = client.get(f"/phien/{session.id}").get_data(as_text=True)
    assert "Thợ hàn bậc 3" in page
    client.post(f"/phien/{session.id}/tham-gia", data={"vacancy_id": str(vacancy.id), "interviewers": "2",
                                                      "booth_needs": "Một màn hình"})
    part = session.employers[0]
    client.post("/auth/logout")
    login(client, officer)
    refused = client.post(f"/phien/tham-gia/{part.id}/duyet", data={"decision": "decline"}, follow_redirects=True)
    assert "Vui lòng nêu lý do từ chối." in refused.get_data(as_text=True)
    client.post(f"/phien/tham-gia/{part.id}/duyet", data={"decision": "approve", "booth": "A12"})
    client.post("/auth/logout")
    worker = factory.worker(skills=("han-dien",), full_name="Lê Thị Hoa", sex="female", birth_year=2000)
    login(client, worker.user)
    client.post(f"/phien/{session.id}/dang-ky")
    detail = client.get(f"/phien/{session.id}").get_data(as_text=True)
    assert "Thợ hàn bậc 3" in detail and "phù hợp" in detail
    client.post(f"/phien/{session.id}/chon-tin", data={"vacancy_id": str(vacancy.id)})
    reg = services.registration_of(session, worker)
    assert [r.vacancy_id for r in reg.requests] == [vacancy.id]
    ticket = client.get(f"/phien/{session.id}/ve").get_data(as_text=True)
    assert reg.ticket_code in ticket and "<svg" in ticket
    ics = Calendar.from_ical(client.get(f"/phien/{session.id}/ve.ics").data)
    assert reg.ticket_code in str(next(iter(ics.walk("VEVENT")))["description"])
    client.post("/auth/logout")
    login(client, officer)
    client.post(f"/phien/{session.id}/xep-lich")
    assert reg.requests[0].slot == 0
    first = client.post(f"/phien/{session.id}/check-in", data={"code": reg.ticket_code}).get_data(as_text=True)
    assert "Mời vào: Lê Thị Hoa." in first
    again = client.post(f"/phien/{session.id}/check-in", data={"code": reg.ticket_code}).get_data(as_text=True)
    assert "Vé này đã được sử dụng để vào phiên." in again
    client.post("/auth/logout")
    login(client, employer.owner)
    booth = client.get(f"/phien/gian-hang/{part.id}").get_data(as_text=True)
    assert "Lê Thị Hoa" in booth
    client.post(f"/phien/phong-van/{reg.requests[0].id}/ket-qua", data={"outcome": "hired"})
    assert reg.requests[0].outcome == "hired" and reg.requests[0].application_id
    client.post("/auth/logout")
    login(client, officer)
    report = client.get(f"/phien/{session.id}/bao-cao").get_data(as_text=True)
    assert "Số người được tuyển" in report
    csv_text = client.get(f"/phien/{session.id}/bao-cao?dinh-dang=csv").data.decode("utf-8-sig")
    assert "Số người được tuyển,1" in csv_text and "Nữ,1,1,1,1" in csv_text and "25-34" in csv_text
    workbook = load_workbook(io.BytesIO(client.get(f"/phien/{session.id}/bao-cao?dinh-dang=xlsx").data))
    values = [row for row in workbook.active.iter_rows(values_only=True)]
    assert ("Người lao động có mặt", 1) in [tuple(v for v in row if v is not None) for row in values]
    assert client.get(f"/phien/{session.id}/bao-cao?dinh-dang=in").status_code == 200
