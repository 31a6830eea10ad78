"""The vacancy form's "Điền từ mô tả": the JSON endpoint, the no-JavaScript round trip, nothing saved unconfirmed."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from jobmarket.employers import proposals
from jobmarket.models import Vacancy
from tests.employers.conftest import login, vacancy_form

POSTING = ("Tuyển NV kế toán tổng hợp\nThành thạo Excel, MISA, có bằng lái B2.\n"
           "Địa chỉ làm việc: 25 Ngõ 1 Quan Nhân, phường Thanh Xuân, Hà Nội. Lương 10-15tr, kinh nghiệm 2 năm.")


def vacancies(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Vacancy.id)))


def test_place_text_finds_the_address_inside_a_posting():
    assert proposals.place_text(POSTING) == "25 Ngõ 1 Quan Nhân, phường Thanh Xuân, Hà Nội"
    assert proposals.place_text("Làm việc tại Cầu Giấy, lương 8 triệu") == "Cầu Giấy"
    assert proposals.place_text("Thành thạo Excel") is None


def test_json_endpoint_proposes_skills_wage_ward_and_saves_nothing(client, verified, factory, db):
    login(client, verified.owner)
    response = client.post("/doanh-nghiep/tin/doc-mo-ta", json={"text": POSTING})
    assert response.status_code == 200, response.text
    body = response.json
    labels = {s["label"] for s in body["skills"]}
    assert {"Excel", "Kế toán tổng hợp", "Phần mềm kế toán MISA"} <= labels
    assert {s["evidence"] for s in body["skills"] if s["label"] == "Excel"} == {"Excel"}
    assert (body["wage_min"], body["wage_max"]) == (10_000_000, 15_000_000)
    assert body["experience_years"] == 2
    assert body["ward"]["name"] == "Phường Thanh Xuân" and body["ward_choices"] == []
    assert body["title"] == "Tuyển NV kế toán tổng hợp"
    assert vacancies(db) == 0


def test_json_endpoint_refuses_bad_input_with_a_message(client, verified, db):
    login(client, verified.owner)
    assert client.post("/doanh-nghiep/tin/doc-mo-ta", json={"text": "  "}).status_code == 422
    too_long = client.post("/doanh-nghiep/tin/doc-mo-ta", json={"text": "x" * 20_001})
    assert too_long.status_code == 422 and "20.000" in too_long.json["error"]["message"]
    assert client.post("/doanh-nghiep/tin/doc-mo-ta", json=["a"]).status_code == 400
    assert client.post("/doanh-nghiep/tin/doc-mo-ta", data="{", content_type="application/json").status_code == 400


def test_json_endpoint_is_for_employers_only(client, factory, db):
    assert client.post("/doanh-nghiep/tin/doc-mo-ta", json={"text": POSTING}).status_code in (302, 401)
    login(client, factory.user("worker"))
    assert client.post("/doanh-nghiep/tin/doc-mo-ta", json={"text": POSTING}).status_code == 403


def test_json_endpoint_needs_the_csrf_token(app_config, make_app, factory, verified, db):
    app = make_app({**app_config, "WTF_CSRF_ENABLED": True})
    client = app.test_client()
    page = client.get("/auth/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/auth/login", data={"email": verified.owner.email, "password": "mat-khau-dai-10",
                                     "csrf_token": token})
    assert client.post("/doanh-nghiep/tin/doc-mo-ta", json={"text": POSTING}).status_code == 400
    form_page = client.get("/doanh-nghiep/tin/moi").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form_page).group(1)
    ok = client.post("/doanh-nghiep/tin/doc-mo-ta", json={"text": POSTING}, headers={"X-CSRFToken": token})
    assert ok.status_code == 200 and ok.json["wage_min"] == 10_000_000


def test_without_javascript_the_form_comes_back_filled_then_saves_once_confirmed(client, verified, factory, db):
    login(client, verified.owner)
    page = client.get("/doanh-nghiep/tin/moi").text
    assert "Điền từ mô tả" in page and 'name="source_text"' in page
    response = client.post("/doanh-nghiep/tin/moi", data={"source_text": POSTING, "action": "fill",
                                                           "job_type": "full_time", "experience_required": "0",
                                                           "positions": "1"})
    assert response.status_code == 200, response.text
    html = response.text
    assert vacancies(db) == 0  # nothing saved unconfirmed
    assert 'value="10.000.000"' in html and 'value="15.000.000"' in html
    assert re.search(r'<option selected value="\d+">Excel</option>', html)
    assert "Tuyển NV kế toán tổng hợp" in html and "bằng lái B2" in html
    assert "proposed" in html and "Đã điền từ nội dung bạn dán" in html
    # The employer completes what the reader could not know and saves.
    required = re.search(r'<select[^>]*name="required_skill_ids".*?</select>', html, re.S).group(0)
    skill_ids = re.findall(r'<option selected value="(\d+)"', required)
    assert skill_ids
    data = vacancy_form(factory, title="Nhân viên kế toán tổng hợp", description=POSTING, wage_min="10.000.000",
                        wage_max="15.000.000", required_skill_ids=skill_ids, nice_skill_ids=[],
                        occupation_code="3313")
    assert client.post("/doanh-nghiep/tin/moi", data=data).status_code == 302
    assert vacancies(db) == 1


def test_an_ambiguous_place_offers_its_wards_first_in_the_list(client, verified, db):
    login(client, verified.owner)
    response = client.post("/doanh-nghiep/tin/moi", data={
        "source_text": "Bảo vệ tòa nhà\nĐịa chỉ: Thanh Xuân", "action": "fill", "job_type": "full_time"})
    html = response.text
    assert response.status_code == 200
    assert "Gợi ý từ mô tả" in html and "nhiều nơi" in html
    assert vacancies(db) == 0


def test_fill_with_nothing_pasted_says_what_to_do(client, verified, db):
    login(client, verified.owner)
    response = client.post("/doanh-nghiep/tin/moi", data={"action": "fill", "job_type": "full_time"})
    assert response.status_code == 422 and "Dán nội dung tin tuyển dụng" in response.text


def test_fill_on_the_edit_page_keeps_what_the_employer_wrote(client, verified, factory, db):
    vacancy = factory.vacancy(employer=verified, required=("han-dien",), status="draft")
    login(client, verified.owner)
    data = vacancy_form(factory, source_text="Thợ hàn, lương 9-12 triệu, biết hàn TIG", action="fill")
    response = client.post(f"/doanh-nghiep/tin/{vacancy.id}/sua", data=data)
    assert response.status_code == 200
    assert 'value="Thợ hàn điện"' in response.text and 'value="9.000.000"' in response.text
    db.session.expire_all()
    assert db.session.get(Vacancy, vacancy.id).title == "Thợ hàn điện"


def test_requirement_phrases_no_skill_matches_are_counted_for_the_admins(client, verified, db):
    from jobmarket.models import ReadingPhrase

    login(client, verified.owner)
    posting = "Tuyển thợ\nYêu cầu:\n- Biết đan lưới thép gai\n- Excel"
    for _ in range(2):
        assert client.post("/doanh-nghiep/tin/doc-mo-ta", json={"text": posting}).status_code == 200
    db.session.expire_all()
    rows = {p.phrase: p.count for p in db.session.scalars(select(ReadingPhrase))}
    counted = {phrase: n for phrase, n in rows.items() if "lưới thép gai" in phrase}
    assert counted and set(counted.values()) == {2}, rows
    assert not any("Excel" == phrase for phrase in rows)  # a known skill is not a gap
    assert vacancies(db) == 0
