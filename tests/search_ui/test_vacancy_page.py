"""The public vacancy page: who may see which vacancy, the apply form, the login prompt, 'why this matches you'."""
from __future__ import annotations

import re

import pytest

from jobmarket.models import Application

from .test_search_page import text_of


def test_visitor_sees_an_open_vacancy_and_a_login_prompt(client, market):
    response = client.get(f"/viec-lam/{market.accountant.id}")
    assert response.status_code == 200
    text = text_of(response)
    assert "Kế toán tổng hợp" in text and "Công ty TNHH Kế Toán Hà Thành" in text
    assert "Lập báo cáo tài chính, quyết toán thuế." in text
    assert "10.000.000 ₫ – 12.000.000 ₫" in text and "Phường Cầu Giấy, khu vực Cầu Giấy" in text
    assert f"Hạn nộp hồ sơ {market.accountant.deadline.strftime('%d/%m/%Y')}" in text
    assert "Kỹ năng yêu cầu Kế toán tổng hợp Kế toán thuế" in text and "Kỹ năng ưu tiên Excel" in text
    html = response.get_data(as_text=True)
    assert f'href="/auth/login?next=/viec-lam/{market.accountant.id}"' in html
    assert "Vì sao việc này phù hợp" not in text and "<form method=\"post\" action=\"/nguoi-lao-dong" not in html


def test_worker_sees_why_it_matches_and_the_apply_form(client, market, login, other_areas_routes):
    login(market.worker.user)
    response = client.get(f"/viec-lam/{market.accountant.id}")
    assert response.status_code == 200
    text = text_of(response)
    assert "Vì sao việc này phù hợp với bạn" in text
    assert "1/2 kỹ năng yêu cầu" in text and "cùng khu vực Cầu Giấy" in text and "lương phù hợp" in text
    assert "Bạn có: Kế toán tổng hợp" in text and "Còn thiếu: Kế toán thuế" in text
    assert "Kỹ năng ưu tiên đạt: Excel" in text
    html = response.get_data(as_text=True)
    form = re.search(rf'<form method="post" action="/nguoi-lao-dong/ung-tuyen/{market.accountant.id}">(.*?)</form>',
                     html, re.S)
    assert form is not None
    assert 'name="csrf_token"' in form.group(1) and 'name="note"' in form.group(1)
    assert '<label for="apply-note">' in form.group(1)


def test_worker_who_applied_sees_it_instead_of_the_form(client, market, login, db, other_areas_routes):
    db.session.add(Application(vacancy_id=market.accountant.id, worker_id=market.worker.id))
    db.session.commit()
    login(market.worker.user)
    response = client.get(f"/viec-lam/{market.accountant.id}")
    assert "Bạn đã ứng tuyển vào tin này" in text_of(response)
    assert "/nguoi-lao-dong/ung-tuyen/" not in response.get_data(as_text=True)


def test_without_the_apply_route_the_page_still_renders(client, market, login, app):
    login(market.worker.user)
    response = client.get(f"/viec-lam/{market.accountant.id}")
    assert response.status_code == 200
    if "workers.apply" not in app.view_functions:
        assert "Chức năng ứng tuyển trực tuyến sắp được mở." in text_of(response)


def test_closed_vacancy_is_public_but_takes_no_applications(client, market, login, other_areas_routes):
    response = client.get(f"/viec-lam/{market.closed.id}")
    assert response.status_code == 200
    assert "Tin này đã ngừng nhận hồ sơ." in text_of(response)
    login(market.worker.user)
    response = client.get(f"/viec-lam/{market.closed.id}")
    assert response.status_code == 200
    assert "/nguoi-lao-dong/ung-tuyen/" not in response.get_data(as_text=True)
    assert "Vì sao việc này phù hợp" not in text_of(response)


@pytest.mark.parametrize("who", ["visitor", "worker", "other_employer", "owner", "officer"])
def test_draft_and_unverified_vacancies_are_not_found_except_by_owner_and_staff(client, market, login, who):
    users = {"worker": market.worker.user, "other_employer": market.other_employer.owner,
             "owner": market.employer.owner, "officer": market.officer}
    if who in users:
        login(users[who])
    draft = client.get(f"/viec-lam/{market.draft.id}")
    unverified = client.get(f"/viec-lam/{market.unverified_vacancy.id}")
    if who in ("owner", "officer"):
        assert draft.status_code == 200 and "Tin này chưa được đăng." in text_of(draft)
    else:
        assert draft.status_code == 404
    assert unverified.status_code == (200 if who == "officer" else 404)


def test_owner_gets_links_to_candidates(client, market, login):
    login(market.employer.owner)
    response = client.get(f"/viec-lam/{market.accountant.id}")
    assert f'href="/doanh-nghiep/tin/{market.accountant.id}/ung-vien"' in response.get_data(as_text=True)
    login(market.other_employer.owner)
    response = client.get(f"/viec-lam/{market.accountant.id}")
    assert response.status_code == 200
    assert "/ung-vien" not in response.get_data(as_text=True)
    assert "Chỉ tài khoản người lao động mới ứng tuyển được." in text_of(response)


@pytest.mark.parametrize("path", ["/viec-lam/999999", "/viec-lam/0", "/viec-lam/99999999999999999999999",
                                  "/viec-lam/-1", "/viec-lam/abc"])
def test_missing_vacancies_are_404_not_500(client, market, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Không tìm thấy" in text_of(response)
