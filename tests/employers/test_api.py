"""The employer API: the business, vacancies, publish checks, applications, moves, invitations, errors as JSON."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from jobmarket.employers.taxcode import check_digit
from jobmarket.models import Employer, Invitation, Placement, Vacancy

from .conftest import fresh, make_application, token_for, vacancy_json

HEAD = "010765432"
CODE = HEAD + str(check_digit(HEAD))


def business(**overrides) -> dict:
    body = {"name": "Công ty CP Sao Mai", "tax_code": CODE, "ward_code": "00004", "sector": "Xây dựng",
            "contact_person": "Lê Văn Hùng", "contact_phone": "0912345678"}
    body.update(overrides)
    return body


def test_register_and_edit_the_business(client, employer_user, db):
    headers = token_for(client, employer_user)
    missing = client.get("/api/v1/employer", headers=headers)
    assert missing.status_code == 404 and missing.json["error"]["code"] == "no_employer"
    created = client.post("/api/v1/employer", headers=headers, json=business())
    assert created.status_code == 201
    assert created.json["status"] == "unverified" and created.json["tax_code"] == CODE
    assert created.json["district_code"] == "001"
    again = client.post("/api/v1/employer", headers=headers, json=business(tax_code=CODE + "-001"))
    assert again.status_code == 409 and again.json["error"]["code"] == "already_registered"
    edited = client.put("/api/v1/employer", headers=headers, json={"name": "Công ty CP Sao Mai Hà Nội"})
    assert edited.status_code == 200 and edited.json["name"] == "Công ty CP Sao Mai Hà Nội"
    assert edited.json["sector"] == "Xây dựng"  # fields left out keep their value


@pytest.mark.parametrize("body,status,field", [
    # Well-formed but refused by a rule: 422.
    (business(tax_code="0101234568"), 422, "tax_code"),
    (business(tax_code=CODE + "-000"), 422, "tax_code"),
    (business(ward_code="99999"), 422, "ward_code"),
    (business(contact_phone="123456789"), 422, "contact_phone"),
    (business(name="   "), 422, "name"),
    # Breaking the declared schema: 400.
    (business(tax_code="abc"), 400, "tax_code"),
    (business(name=""), 400, "name"),
    (business(name=5), 400, "name"),
    (business(extra="x"), 400, "extra"),
    ({"name": "Thiếu gần hết"}, 400, "tax_code"),
])
def test_register_bad_input(client, employer_user, db, body, status, field):
    response = client.post("/api/v1/employer", headers=token_for(client, employer_user), json=body)
    assert response.status_code == status
    assert response.json["error"]["code"] == "validation_error" and field in response.json["error"]["details"]
    assert response.json["error"]["message"] == "Dữ liệu không hợp lệ."
    assert all(m for messages in response.json["error"]["details"].values() for m in messages)
    assert db.session.scalar(select(func.count(Employer.id))) == 0


def test_duplicate_tax_code_is_a_conflict(client, factory, employer_user, db):
    factory.employer(tax_code=CODE)
    response = client.post("/api/v1/employer", headers=token_for(client, employer_user), json=business())
    assert response.status_code == 409 and response.json["error"]["code"] == "tax_code_taken"
    assert "đã được một doanh nghiệp khác đăng ký" in response.json["error"]["message"]


@pytest.mark.parametrize("payload", ["{not json", "[]", '"text"', "null"])
def test_malformed_json_is_refused(client, verified, db, payload):
    headers = token_for(client, verified.owner)
    for method, url in (("post", "/api/v1/employer"), ("put", "/api/v1/employer"),
                        ("post", "/api/v1/employer/vacancies")):
        response = getattr(client, method)(url, headers=headers, data=payload, content_type="application/json")
        assert response.status_code == 400 and response.json["error"]["code"] == "invalid_json", (method, url)


def test_vacancy_lifecycle(client, factory, unverified, db):
    headers = token_for(client, unverified.owner)
    created = client.post("/api/v1/employer/vacancies", headers=headers, json=vacancy_json(factory))
    assert created.status_code == 201
    vacancy = created.json
    assert vacancy["status"] == "draft" and vacancy["held"] is False and vacancy["wage_min"] == 9_000_000
    assert vacancy["required_skill_ids"] == [factory.skill("han-dien").id]
    assert vacancy["application_counts"]["received"] == 0
    refused = client.post(f"/api/v1/employer/vacancies/{vacancy['id']}/publish", headers=headers)
    assert refused.status_code == 422 and refused.json["error"]["code"] == "employer_not_verified"
    unverified.status = "verified"
    db.session.commit()
    published = client.post(f"/api/v1/employer/vacancies/{vacancy['id']}/publish", headers=headers)
    assert published.status_code == 200 and published.json["status"] == "open" and published.json["published_at"]
    again = client.post(f"/api/v1/employer/vacancies/{vacancy['id']}/publish", headers=headers)
    assert again.status_code == 409 and again.json["error"]["code"] == "already_open"
    edited = client.put(f"/api/v1/employer/vacancies/{vacancy['id']}", headers=headers,
                        json={"title": "Thợ hàn TIG", "wage_max": None})
    assert edited.status_code == 200 and edited.json["title"] == "Thợ hàn TIG" and edited.json["wage_max"] is None
    listing = client.get("/api/v1/employer/vacancies", headers=headers)
    assert listing.json["total"] == 1 and listing.json["items"][0]["id"] == vacancy["id"]
    closed = client.post(f"/api/v1/employer/vacancies/{vacancy['id']}/close", headers=headers)
    assert closed.status_code == 200 and closed.json["status"] == "closed"
    assert client.post(f"/api/v1/employer/vacancies/{vacancy['id']}/close", headers=headers).json["error"]["code"] \
        == "not_open"


@pytest.mark.parametrize("description,status,code", [
    ("Chỉ tuyển nam.", 422, "sex_demand"),
    ("Uu tien nu.", 422, "sex_demand"),
    ("Làm việc tại Nam Từ Liêm.", 200, None),
])
def test_publish_checks_over_the_api(client, factory, verified, db, description, status, code):
    headers = token_for(client, verified.owner)
    vid = client.post("/api/v1/employer/vacancies", headers=headers,
                      json=vacancy_json(factory, description=description)).json["id"]
    response = client.post(f"/api/v1/employer/vacancies/{vid}/publish", headers=headers)
    assert response.status_code == status
    if code:
        assert response.json["error"]["code"] == code and "giới tính" in response.json["error"]["message"]


def test_wage_below_minimum_over_the_api(client, factory, verified, db):
    headers = token_for(client, verified.owner)
    vid = client.post("/api/v1/employer/vacancies", headers=headers,
                      json=vacancy_json(factory, wage_min=3_000_000, wage_max=None)).json["id"]
    response = client.post(f"/api/v1/employer/vacancies/{vid}/publish", headers=headers)
    assert response.status_code == 422 and response.json["error"]["code"] == "wage_below_minimum"
    assert "wage_min" in response.json["error"]["details"]


def test_fee_wording_is_held_over_the_api(client, factory, verified, db):
    headers = token_for(client, verified.owner)
    vid = client.post("/api/v1/employer/vacancies", headers=headers,
                      json=vacancy_json(factory, description="Đóng phí đào tạo 2 triệu.")).json["id"]
    response = client.post(f"/api/v1/employer/vacancies/{vid}/publish", headers=headers)
    assert response.status_code == 200
    assert response.json["status"] == "draft" and response.json["held"] and response.json["flagged"]
    assert "đóng phí" in response.json["flag_reason"]


@pytest.mark.parametrize("overrides,status,field", [
    ({"wage_min": 12_000_000, "wage_max": 9_000_000}, 422, "wage_max"),
    ({"deadline": "2020-01-01"}, 422, "deadline"),
    ({"deadline": (date.today() + timedelta(days=900)).isoformat()}, 422, "deadline"),
    ({"required_skill_ids": [999999]}, 422, "required_skill_ids"),
    ({"occupation_code": "00000"}, 422, "occupation_code"),
    ({"ward_code": "99999"}, 422, "ward_code"),
    ({"title": "   "}, 422, "title"),
    ({"wage_min": "8tr"}, 400, "wage_min"), ({"wage_min": 50}, 400, "wage_min"), ({"positions": 0}, 400, "positions"),
    ({"positions": 1.5}, 400, "positions"), ({"deadline": "31/12/2030"}, 400, "deadline"),
    ({"deadline": "2030-02-31"}, 400, "deadline"), ({"required_skill_ids": []}, 400, "required_skill_ids"),
    ({"required_skill_ids": ["1"]}, 400, "required_skill_ids[0]"), ({"nice_skill_ids": "all"}, 400, "nice_skill_ids"),
    ({"job_type": "forever"}, 400, "job_type"), ({"ward_code": "00004\n"}, 400, "ward_code"),
    ({"title": None}, 400, "title"), ({"education_required": "phd"}, 400, "education_required"),
    ({"experience_required": True}, 400, "experience_required"), ({"colour": "red"}, 400, "colour"),
    ({"wage_min": 2**40}, 400, "wage_min"),
])
def test_vacancy_bad_input_over_the_api(client, factory, verified, db, overrides, status, field):
    response = client.post("/api/v1/employer/vacancies", headers=token_for(client, verified.owner),
                           json=vacancy_json(factory, **overrides))
    assert response.status_code == status, response.json
    assert response.json["error"]["code"] == "validation_error" and field in response.json["error"]["details"]
    assert db.session.scalar(select(func.count(Vacancy.id))) == 0


def test_required_and_nice_overlap_over_the_api(client, factory, verified, db):
    skill = factory.skill("han-dien").id
    response = client.post("/api/v1/employer/vacancies", headers=token_for(client, verified.owner),
                           json=vacancy_json(factory, required_skill_ids=[skill], nice_skill_ids=[skill]))
    assert response.status_code == 422
    assert response.json["error"]["details"]["nice_skill_ids"] == ["Một kỹ năng không thể vừa bắt buộc vừa là ưu tiên."]


def test_empty_update_is_refused(client, factory, verified, db):
    vacancy = factory.vacancy(employer=verified)
    response = client.put(f"/api/v1/employer/vacancies/{vacancy.id}", headers=token_for(client, verified.owner), json={})
    assert response.status_code == 400


def test_applications_moves_and_hire_over_the_api(client, factory, verified, db):
    vacancy = factory.vacancy(employer=verified, positions=1, required=("han-dien",), occupation_code="7212")
    worker = factory.worker(phone="0977000111")
    withdrawn_worker = factory.worker(phone="0977000222")
    application = make_application(db, vacancy, worker, note="Xin chào")
    withdrawn = make_application(db, vacancy, withdrawn_worker, status="withdrawn")
    headers = token_for(client, verified.owner)
    listing = client.get(f"/api/v1/employer/vacancies/{vacancy.id}/applications", headers=headers).json
    assert listing["total"] == 2
    by_id = {item["id"]: item for item in listing["items"]}
    assert by_id[application.id]["worker"]["phone"] == "0977000111"
    assert by_id[withdrawn.id]["worker"]["phone"] is None and by_id[withdrawn.id]["worker"]["email"] is None
    assert by_id[application.id]["allowed_moves"] == ["shortlisted", "interview", "hired", "rejected"]
    no_reason = client.post(f"/api/v1/applications/{application.id}/move", headers=headers,
                            json={"to_status": "rejected"})
    assert no_reason.status_code == 422 and no_reason.json["error"]["code"] == "reason_required"
    bad = client.post(f"/api/v1/applications/{withdrawn.id}/move", headers=headers, json={"to_status": "shortlisted"})
    assert bad.status_code == 409 and bad.json["error"]["code"] == "application_withdrawn"
    moved = client.post(f"/api/v1/applications/{application.id}/move", headers=headers,
                        json={"to_status": "interview"})
    assert moved.status_code == 200 and moved.json["status"] == "interview" and moved.json["responded_at"]
    back = client.post(f"/api/v1/applications/{application.id}/move", headers=headers,
                       json={"to_status": "shortlisted"})
    assert back.status_code == 409 and back.json["error"]["code"] == "invalid_transition"
    hired = client.post(f"/api/v1/applications/{application.id}/move", headers=headers, json={"to_status": "hired"})
    assert hired.status_code == 200 and [e["to_status"] for e in hired.json["events"]] == ["received", "interview", "hired"]
    assert hired.json["events"][-1]["actor_id"] == verified.owner_id
    assert fresh(db, vacancy).status == "closed"
    assert db.session.scalar(select(func.count(Placement.id))) == 1
    bad_status = client.post(f"/api/v1/applications/{application.id}/move", headers=headers,
                             json={"to_status": "withdrawn"})
    assert bad_status.status_code == 400


def test_invitations_over_the_api(client, factory, verified, db):
    vacancy = factory.vacancy(employer=verified)
    worker = factory.worker()
    headers = token_for(client, verified.owner)
    url = f"/api/v1/employer/vacancies/{vacancy.id}/invitations"
    created = client.post(url, headers=headers, json={"worker_id": worker.id, "message": "Mời bạn"})
    assert created.status_code == 201 and created.json["status"] == "pending" and created.json["message"] == "Mời bạn"
    duplicate = client.post(url, headers=headers, json={"worker_id": worker.id})
    assert duplicate.status_code == 409 and duplicate.json["error"]["code"] == "duplicate_invitation"
    hidden = factory.worker(is_visible=False)
    assert client.post(url, headers=headers, json={"worker_id": hidden.id}).json["error"]["code"] == "worker_not_found"
    assert client.post(url, headers=headers, json={"worker_id": "x"}).status_code == 400
    assert client.post(url, headers=headers, json={}).status_code == 400
    draft = factory.vacancy(employer=verified, status="draft")
    response = client.post(f"/api/v1/employer/vacancies/{draft.id}/invitations", headers=headers,
                           json={"worker_id": worker.id})
    assert response.status_code == 409 and response.json["error"]["code"] == "vacancy_not_open"
    assert db.session.scalar(select(func.count(Invitation.id))) == 1


def test_authorisation_over_the_api(client, factory, verified, db):
    vacancy = factory.vacancy(employer=verified)
    application = make_application(db, vacancy, factory.worker())
    urls = [("get", "/api/v1/employer"), ("get", "/api/v1/employer/vacancies"),
            ("get", f"/api/v1/employer/vacancies/{vacancy.id}"),
            ("post", f"/api/v1/employer/vacancies/{vacancy.id}/close"),
            ("get", f"/api/v1/employer/vacancies/{vacancy.id}/applications"),
            ("post", f"/api/v1/applications/{application.id}/move")]
    for method, url in urls:
        assert getattr(client, method)(url, json={"to_status": "hired"}).status_code == 401, url
    worker_headers = token_for(client, factory.worker().user)
    for method, url in urls:
        assert getattr(client, method)(url, headers=worker_headers, json={"to_status": "hired"}).status_code == 403, url
    other = token_for(client, factory.employer().owner)
    for method, url in urls[2:]:
        response = getattr(client, method)(url, headers=other, json={"to_status": "hired"})
        assert response.status_code == 404 and response.json["error"]["code"] == "not_found", url
    assert client.get("/api/v1/employer/vacancies/99999999999", headers=other).status_code == 404
    assert client.get(f"/api/v1/employer/vacancies/{vacancy.id}/applications?page=abc",
                      headers=token_for(client, verified.owner)).status_code == 400
    assert fresh(db, vacancy).status == "open" and fresh(db, application).status == "received"


def test_messages_follow_the_account_language(client, factory, db):
    from flask_babel import refresh

    english_worker = factory.user("worker", locale="en")
    response = client.get("/api/v1/employer", headers=token_for(client, english_worker))
    assert response.status_code == 403 and response.json["error"]["message"] == "You are not allowed to do this."
    # The test's app context outlives each request (in production every request has its own): forget its locale.
    refresh()
    vietnamese_worker = factory.user("worker")
    response = client.get("/api/v1/employer", headers=token_for(client, vietnamese_worker))
    assert response.json["error"]["message"] == "Bạn không có quyền thực hiện thao tác này."


def test_openapi_declares_the_employer_routes(client, db):
    doc = client.get("/api/v1/openapi.json").json
    for path, method in [("/api/v1/employer", "get"), ("/api/v1/employer", "post"), ("/api/v1/employer", "put"),
                         ("/api/v1/employer/vacancies", "post"), ("/api/v1/employer/vacancies/{vacancy_id}", "put"),
                         ("/api/v1/employer/vacancies/{vacancy_id}/publish", "post"),
                         ("/api/v1/applications/{application_id}/move", "post"),
                         ("/api/v1/employer/vacancies/{vacancy_id}/invitations", "post")]:
        assert method in doc["paths"][path], (path, method)
    assert doc["components"]["schemas"]["VacancyInput"]["properties"]["wage_min"]["type"] == "integer"
    assert "409" in doc["paths"]["/api/v1/employer"]["post"]["responses"]
