"""Labour office pages and API: verify or reject businesses, review held vacancies, take down and restore."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from jobmarket.models import Vacancy

from tests.employers.conftest import fresh, login, token_for


def test_dashboard_counts_what_waits(client, factory, officer, db):
    factory.employer(verified=False)
    factory.employer(verified=False)
    held = factory.vacancy(status="draft", flagged=True, flag_reason="“đặt cọc”", published_at=None)
    factory.vacancy(status="taken_down", status_reason="Lừa đảo")
    login(client, officer)
    page = client.get("/can-bo/").get_data(as_text=True)
    assert "Doanh nghiệp chờ xác minh" in page and '<p class="score">2</p>' in page
    assert "Tin chờ duyệt" in page and "Tin đã gỡ: 1" in page
    assert ("/can-bo/thong-ke" in page) == ("stats.dashboard" in client.application.view_functions)
    listing = client.get("/can-bo/tin?loai=flagged").get_data(as_text=True)
    assert held.title in listing and "đặt cọc" in listing


@pytest.mark.parametrize("role", ["officer", "admin"])
def test_staff_see_the_office(client, factory, db, role):
    login(client, factory.user(role))
    for url in ("/can-bo/", "/can-bo/doanh-nghiep", "/can-bo/tin", "/can-bo/tin?loai=all",
                "/can-bo/doanh-nghiep?trang-thai=nonsense&trang=-4"):
        assert client.get(url).status_code == 200, url


def test_others_do_not(client, factory, db):
    vacancy = factory.vacancy()
    assert client.get("/can-bo/").status_code == 302  # log in first
    for user in (factory.worker().user, vacancy.employer.owner):
        login(client, user)
        for url in ("/can-bo/", "/can-bo/doanh-nghiep", "/can-bo/tin", f"/can-bo/tin/{vacancy.id}"):
            assert client.get(url).status_code == 403, url
        for url in (f"/can-bo/doanh-nghiep/{vacancy.employer_id}/xac-minh", f"/can-bo/tin/{vacancy.id}/go",
                    f"/can-bo/tin/{vacancy.id}/khoi-phuc", f"/can-bo/tin/{vacancy.id}/duyet"):
            assert client.post(url, data={"reason": "x"}).status_code == 403, url
        client.post("/auth/logout")
    assert fresh(db, vacancy).status == "open"


def test_verify_a_business(client, factory, officer, db):
    employer = factory.employer(verified=False)
    vacancy = factory.vacancy(employer=employer, status="draft", published_at=None)
    version_before = vacancy.version
    login(client, officer)
    page = client.get("/can-bo/doanh-nghiep").get_data(as_text=True)
    assert employer.name in page and employer.tax_code in page
    done = client.post(f"/can-bo/doanh-nghiep/{employer.id}/xac-minh", follow_redirects=True)
    assert "Đã xác minh doanh nghiệp" in done.get_data(as_text=True)
    employer = fresh(db, employer)
    assert employer.status == "verified" and employer.verified_by_id == officer.id and employer.verified_at
    assert fresh(db, vacancy).version > version_before  # the vacancy is re-sent to the index
    again = client.post(f"/can-bo/doanh-nghiep/{employer.id}/xac-minh", follow_redirects=True)
    assert "đã được xác minh" in again.get_data(as_text=True)


def test_reject_a_business_needs_a_reason(client, factory, officer, db):
    employer = factory.employer(verified=False)
    login(client, officer)
    empty = client.post(f"/can-bo/doanh-nghiep/{employer.id}/tu-choi", data={"reason": " "}, follow_redirects=True)
    assert "Vui lòng nêu lý do." in empty.get_data(as_text=True)
    assert fresh(db, employer).status == "unverified"
    too_long = client.post(f"/can-bo/doanh-nghiep/{employer.id}/tu-choi", data={"reason": "x" * 3000},
                           follow_redirects=True)
    assert "Lý do tối đa 500 ký tự." in too_long.get_data(as_text=True)
    client.post(f"/can-bo/doanh-nghiep/{employer.id}/tu-choi", data={"reason": "Mã số thuế không khớp tên"})
    employer = fresh(db, employer)
    assert employer.status == "rejected" and employer.status_reason == "Mã số thuế không khớp tên"
    assert client.post("/can-bo/doanh-nghiep/99999999999/tu-choi", data={"reason": "x"}).status_code == 404


def test_after_an_action_the_officer_returns_to_the_list_only_locally(client, factory, officer, db):
    employer = factory.employer(verified=False)
    login(client, officer)
    response = client.post(f"/can-bo/doanh-nghiep/{employer.id}/xac-minh", data={"next": "https://evil.example/"})
    assert "evil" not in response.headers["Location"]


def test_approve_a_held_vacancy(client, factory, officer, db):
    vacancy = factory.vacancy(status="draft", flagged=True, flag_reason="“đặt cọc”", published_at=None,
                              description="Không thu phí. Đặt cọc đồng phục sẽ được hoàn lại.", required=("han-dien",))
    login(client, officer)
    page = client.get(f"/can-bo/tin/{vacancy.id}").get_data(as_text=True)
    assert "Chờ cán bộ duyệt" in page and "Duyệt và đăng tin" in page
    client.post(f"/can-bo/tin/{vacancy.id}/duyet")
    vacancy = fresh(db, vacancy)
    assert vacancy.status == "open" and not vacancy.flagged and vacancy.published_at is not None
    again = client.post(f"/can-bo/tin/{vacancy.id}/duyet", follow_redirects=True)
    assert "không ở trạng thái chờ duyệt" in again.get_data(as_text=True)


def test_approval_still_refuses_a_sex_demand(client, factory, officer, db):
    vacancy = factory.vacancy(status="draft", flagged=True, published_at=None, description="Đặt cọc. Chỉ tuyển nữ.")
    login(client, officer)
    page = client.post(f"/can-bo/tin/{vacancy.id}/duyet", follow_redirects=True).get_data(as_text=True)
    assert "không được yêu cầu giới tính" in page
    assert fresh(db, vacancy).status == "draft"


def test_take_down_needs_a_reason_then_restore(client, factory, officer, db):
    vacancy = factory.vacancy()
    login(client, officer)
    empty = client.post(f"/can-bo/tin/{vacancy.id}/go", data={"reason": ""}, follow_redirects=True)
    assert "Vui lòng nêu lý do." in empty.get_data(as_text=True) and fresh(db, vacancy).status == "open"
    client.post(f"/can-bo/tin/{vacancy.id}/go", data={"reason": "Thu phí người lao động"})
    vacancy = fresh(db, vacancy)
    assert vacancy.status == "taken_down" and vacancy.status_reason == "Thu phí người lao động"
    client.post("/auth/logout")
    login(client, vacancy.employer.owner)
    assert "Thu phí người lao động" in client.get("/doanh-nghiep/").get_data(as_text=True)
    client.post("/auth/logout")
    login(client, officer)
    client.post(f"/can-bo/tin/{vacancy.id}/khoi-phuc")
    vacancy = fresh(db, vacancy)
    assert vacancy.status == "open" and vacancy.status_reason is None
    again = client.post(f"/can-bo/tin/{vacancy.id}/khoi-phuc", follow_redirects=True)
    assert "Tin này không bị gỡ." in again.get_data(as_text=True)


@pytest.mark.parametrize("values,restored", [
    ({"deadline": date.today() - timedelta(days=2)}, "expired"),
    ({"positions": 1, "positions_filled": 1}, "closed"),
    ({"published_at": None}, "draft"),
])
def test_restore_puts_the_vacancy_where_it_would_be_now(client, factory, officer, db, values, restored):
    vacancy = factory.vacancy(**values)
    login(client, officer)
    client.post(f"/can-bo/tin/{vacancy.id}/go", data={"reason": "Nhầm"})
    client.post(f"/can-bo/tin/{vacancy.id}/khoi-phuc")
    assert fresh(db, vacancy).status == restored


def test_office_api(client, factory, officer, db):
    headers = token_for(client, officer)
    waiting = factory.employer(verified=False)
    factory.employer(verified=True)
    listing = client.get("/api/v1/office/employers?status=unverified", headers=headers)
    assert listing.status_code == 200 and [e["id"] for e in listing.json["items"]] == [waiting.id]
    assert listing.json["items"][0]["owner_email"] == waiting.owner.email
    assert client.get("/api/v1/office/employers?status=all", headers=headers).json["total"] == 2
    bad = client.get("/api/v1/office/employers?status=maybe", headers=headers)
    assert bad.status_code == 400 and bad.json["error"]["code"] == "validation_error"
    assert client.get("/api/v1/office/employers?page=0", headers=headers).status_code == 400
    verified = client.post(f"/api/v1/office/employers/{waiting.id}/verify", headers=headers)
    assert verified.status_code == 200 and verified.json["status"] == "verified"
    assert client.post(f"/api/v1/office/employers/{waiting.id}/verify", headers=headers).status_code == 409
    no_reason = client.post(f"/api/v1/office/employers/{waiting.id}/reject", headers=headers, json={})
    assert no_reason.status_code == 400 and "reason" in no_reason.json["error"]["details"]
    blank = client.post(f"/api/v1/office/employers/{waiting.id}/reject", headers=headers, json={"reason": "   "})
    assert blank.status_code == 422 and blank.json["error"]["code"] == "reason_required"
    rejected = client.post(f"/api/v1/office/employers/{waiting.id}/reject", headers=headers,
                           json={"reason": "Không tồn tại"})
    assert rejected.status_code == 200 and rejected.json["status"] == "rejected"
    malformed = client.post(f"/api/v1/office/employers/{waiting.id}/reject", headers=headers, data="{",
                            content_type="application/json")
    assert malformed.status_code == 400 and malformed.json["error"]["code"] == "invalid_json"
    assert client.post("/api/v1/office/employers/99999999999/verify", headers=headers).status_code == 404


def test_office_api_vacancies(client, factory, officer, db):
    headers = token_for(client, officer)
    held = factory.vacancy(status="draft", flagged=True, flag_reason="x", published_at=None, required=("han-dien",))
    open_one = factory.vacancy()
    flagged = client.get("/api/v1/office/vacancies", headers=headers).json
    assert [v["id"] for v in flagged["items"]] == [held.id] and flagged["items"][0]["held"] is True
    assert client.get("/api/v1/office/vacancies?kind=everything", headers=headers).status_code == 400
    approved = client.post(f"/api/v1/office/vacancies/{held.id}/approve", headers=headers)
    assert approved.status_code == 200 and approved.json["status"] == "open"
    no_reason = client.post(f"/api/v1/office/vacancies/{open_one.id}/takedown", headers=headers, json={"reason": ""})
    assert no_reason.status_code == 400
    down = client.post(f"/api/v1/office/vacancies/{open_one.id}/takedown", headers=headers,
                       json={"reason": "Yêu cầu đặt cọc"})
    assert down.status_code == 200 and down.json["status"] == "taken_down" and down.json["status_reason"] == "Yêu cầu đặt cọc"
    assert client.post(f"/api/v1/office/vacancies/{open_one.id}/takedown", headers=headers,
                       json={"reason": "lại"}).json["error"]["code"] == "already_taken_down"
    restored = client.post(f"/api/v1/office/vacancies/{open_one.id}/restore", headers=headers)
    assert restored.status_code == 200 and restored.json["status"] == "open"


def test_office_api_is_for_staff_only(client, factory, db):
    vacancy = factory.vacancy()
    for user in (factory.worker().user, vacancy.employer.owner):
        headers = token_for(client, user)
        assert client.get("/api/v1/office/employers", headers=headers).status_code == 403
        response = client.post(f"/api/v1/office/vacancies/{vacancy.id}/takedown", headers=headers,
                               json={"reason": "x"})
        assert response.status_code == 403 and response.json["error"]["code"] == "forbidden"
    assert client.get("/api/v1/office/employers").status_code == 401
    assert fresh(db, vacancy).status == "open"
