"""'Việc phù hợp' for workers and 'Ứng viên phù hợp' for employers: access, reasons, pages, and contact privacy."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from jobmarket.models import Application, Invitation
from jobmarket.models._common import utcnow
from jobmarket.search import service

from .test_search_page import result_titles, text_of

PRIVATE = ("0912345678", "nhung.private@example.vn", "Nguyễn Thị Hồng Nhung")  # the candidate's contact data


# --- Việc phù hợp ------------------------------------------------------------------------------------------------

def test_worker_sees_best_vacancies_with_reasons(client, market, login):
    login(market.worker.user)
    response = client.get("/viec-lam/phu-hop")
    assert response.status_code == 200
    assert result_titles(response) == ["Kế toán tổng hợp"]  # the only vacancy sharing a skill with her
    text = text_of(response)
    assert re.search(r"Phù hợp \d+% 1/2 kỹ năng yêu cầu · cách 2,1 km · cùng khu vực Cầu Giấy · lương phù hợp", text)


def test_worker_matches_are_paginated(client, market, login, factory):
    for n in range(3):
        factory.vacancy(employer=market.other_employer, title=f"Kế toán viên {n}", ward_code="00166",
                        required=("ke-toan-tong-hop", "ke-toan-thue", "ke-toan-kho"),
                        published_at=utcnow() - timedelta(days=20 + n))
    login(market.worker.user)
    first = client.get("/viec-lam/phu-hop?per_page=2")
    assert result_titles(first) == ["Kế toán tổng hợp", "Kế toán viên 0"]
    html = first.get_data(as_text=True)
    assert 'rel="prev"' not in html
    second = client.get(re.search(r'<a rel="next" href="([^"]+)"', html).group(1).replace("&amp;", "&"))
    assert result_titles(second) == ["Kế toán viên 1", "Kế toán viên 2"]
    third = client.get("/viec-lam/phu-hop?per_page=2&page=3")
    assert 'rel="next"' not in third.get_data(as_text=True)
    assert "Trang này không còn kết quả." in text_of(third)


@pytest.mark.parametrize("values,message", [
    ({"skills": ()}, "Hồ sơ chưa có kỹ năng nào."),
    ({"ward_code": None}, "Hồ sơ chưa có phường, xã nơi bạn ở."),
])
def test_incomplete_profile_gets_a_friendly_empty_state(client, factory, login, market, values, message):
    worker = factory.worker(**{"skills": ("ke-toan-tong-hop",), **values})
    login(worker.user)
    response = client.get("/viec-lam/phu-hop")
    assert response.status_code == 200
    text = text_of(response)
    assert "Hãy hoàn thiện hồ sơ để xem việc phù hợp" in text and message in text
    assert result_titles(response) == []


def test_worker_account_without_profile_and_link_to_profile(client, factory, login, app, market):
    user = factory.user("worker")
    login(user)
    response = client.get("/viec-lam/phu-hop")
    assert response.status_code == 200
    assert "Bạn chưa tạo hồ sơ người lao động." in text_of(response)
    if "workers.profile" in app.view_functions:
        assert 'href="/nguoi-lao-dong/ho-so"' in response.get_data(as_text=True)


def test_no_matching_vacancy_says_so(client, factory, login, market):
    worker = factory.worker(skills=("lai-xe-hang-b",))
    login(worker.user)
    response = client.get("/viec-lam/phu-hop")
    assert response.status_code == 200 and "Chưa có việc nào phù hợp" in text_of(response)


def test_my_matches_access(client, market, login):
    anonymous = client.get("/viec-lam/phu-hop")
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]
    for user in (market.employer.owner, market.officer):
        login(user)
        assert client.get("/viec-lam/phu-hop").status_code == 403


@pytest.mark.parametrize("args", [{"page": "-1"}, {"page": "x"}, {"per_page": str(10 ** 9)}, {"per_page": "0"}])
def test_my_matches_bad_paging(client, market, login, args):
    login(market.worker.user)
    response = client.get("/viec-lam/phu-hop", query_string=args)
    assert response.status_code == 400
    assert "Vui lòng sửa các lỗi bên dưới" in text_of(response)


def test_degraded_matches_show_the_notice(client, market, login, monkeypatch):
    real = service.match_vacancies_for_worker

    def degraded(*args, **kwargs):
        page = real(*args, **kwargs)
        page.degraded = True
        return page

    monkeypatch.setattr(service, "match_vacancies_for_worker", degraded)
    login(market.worker.user)
    assert "kết quả có thể chưa đầy đủ" in text_of(client.get("/viec-lam/phu-hop"))


# --- Ứng viên phù hợp --------------------------------------------------------------------------------------------

def candidates_url(vacancy) -> str:
    return f"/doanh-nghiep/tin/{vacancy.id}/ung-vien"


def test_owner_sees_candidates_with_reasons_but_no_contact(client, market, login, other_areas_routes):
    login(market.employer.owner)
    response = client.get(candidates_url(market.accountant))
    assert response.status_code == 200
    text = text_of(response)
    html = response.get_data(as_text=True)
    assert "N. T. H. Nhung" in text
    assert re.search(r"Phù hợp \d+% 1/2 kỹ năng yêu cầu · cách 2,1 km · cùng khu vực Cầu Giấy · lương phù hợp · "
                     r"hoạt động hôm nay", text)
    assert "Phường Yên Hòa, khu vực Cầu Giấy" in text and "4 năm" in text and "Đại học" in text
    assert "Có: Kế toán tổng hợp" in text and "Còn thiếu: Kế toán thuế" in text
    for secret in PRIVATE:
        assert secret not in html
    # Hidden profiles and workers without a shared skill are not candidates.
    assert "Ẩn" not in text and "Hùng" not in text
    invite = f'action="/doanh-nghiep/tin/{market.accountant.id}/moi/{market.worker.id}"'
    assert invite in html and 'name="csrf_token"' in html


def test_contact_appears_once_the_worker_applied(client, market, login, db):
    application = Application(vacancy_id=market.accountant.id, worker_id=market.worker.id)
    db.session.add(application)
    db.session.commit()
    login(market.employer.owner)
    html = client.get(candidates_url(market.accountant)).get_data(as_text=True)
    for secret in PRIVATE:
        assert secret in html
    assert "Đã ứng tuyển" in text_of(client.get(candidates_url(market.accountant)))
    # A withdrawn application takes the right away again.
    application.status = "withdrawn"
    db.session.commit()
    html = client.get(candidates_url(market.accountant)).get_data(as_text=True)
    for secret in PRIVATE:
        assert secret not in html


def test_contact_appears_once_an_invitation_is_accepted_and_not_before(client, market, login, db):
    invitation = Invitation(vacancy_id=market.accountant.id, worker_id=market.worker.id)
    db.session.add(invitation)
    db.session.commit()
    login(market.employer.owner)
    response = client.get(candidates_url(market.accountant))
    assert "Đã mời, chờ trả lời" in text_of(response)
    for secret in PRIVATE:
        assert secret not in response.get_data(as_text=True)
    invitation.status = "accepted"
    db.session.commit()
    html = client.get(candidates_url(market.accountant)).get_data(as_text=True)
    for secret in PRIVATE:
        assert secret in html


def test_an_application_to_another_employer_gives_this_one_no_contact(client, market, login, db):
    db.session.add(Application(vacancy_id=market.other_vacancy.id, worker_id=market.worker.id))
    db.session.commit()
    login(market.employer.owner)
    html = client.get(candidates_url(market.accountant)).get_data(as_text=True)
    for secret in PRIVATE:
        assert secret not in html


@pytest.mark.parametrize("who,vacancy,status", [
    ("anonymous", "accountant", 302),
    ("worker", "accountant", 403),
    ("other_employer", "accountant", 403),  # may see the vacancy, may not see its candidates
    ("other_employer", "draft", 404),  # may not even see that the vacancy exists
    ("officer", "accountant", 403),
    ("owner", "draft", 200),
    ("owner", "closed", 200),
])
def test_candidates_access(client, market, login, who, vacancy, status):
    users = {"worker": market.worker.user, "other_employer": market.other_employer.owner,
             "owner": market.employer.owner, "officer": market.officer}
    if who in users:
        login(users[who])
    response = client.get(candidates_url(getattr(market, vacancy)))
    assert response.status_code == status
    if status == 302:
        assert "/auth/login" in response.headers["Location"]


def test_candidates_of_a_missing_vacancy(client, market, login):
    login(market.employer.owner)
    assert client.get("/doanh-nghiep/tin/999999/ung-vien").status_code == 404
    assert client.get("/doanh-nghiep/tin/99999999999999999999/ung-vien").status_code == 404


def test_closed_vacancy_candidates_have_no_invite_button(client, market, login, other_areas_routes, factory):
    factory.worker(skills=("ke-toan-kho",), full_name="Phạm Minh Tuấn")
    login(market.employer.owner)
    response = client.get(candidates_url(market.closed))
    assert "P. M. Tuấn" in text_of(response)
    assert "chưa thể mời ứng viên" in text_of(response)
    assert "/moi/" not in response.get_data(as_text=True)


def test_candidates_bad_paging(client, market, login):
    login(market.employer.owner)
    response = client.get(candidates_url(market.accountant), query_string={"page": "-1"})
    assert response.status_code == 400 and "Số trang phải là số nguyên từ 1 đến 1000." in text_of(response)


def test_candidates_pages(client, market, login, factory):
    for n in range(3):
        factory.worker(skills=("ke-toan-tong-hop",), full_name=f"Vũ Văn Số{n}", ward_code="00454")
    login(market.employer.owner)
    first = client.get(candidates_url(market.accountant), query_string={"per_page": 2})
    assert 'rel="next"' in first.get_data(as_text=True)
    last = client.get(candidates_url(market.accountant), query_string={"per_page": 2, "page": 2})
    html = last.get_data(as_text=True)
    assert 'rel="next"' not in html and 'rel="prev"' in html
    assert len(re.findall(r'class="card candidate-card"', first.get_data(as_text=True) + html)) == 4
