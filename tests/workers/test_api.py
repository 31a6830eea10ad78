"""The job seeker's JSON API: the same journey over bearer tokens, with JSON errors for every bad input."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from jobmarket.auth.services import issue_token
from jobmarket.models import Application, User, WorkerProfile


@pytest.fixture
def headers(worker_user, db):
    raw, _ = issue_token(worker_user)
    return {"Authorization": f"Bearer {raw}"}


def body(factory, **overrides) -> dict:
    data = {"full_name": "Đỗ Văn Long", "phone": "0903 123 456", "address": "phường Láng",
            "skill_ids": [factory.skill("han-dien").id], "expected_wage": 9_000_000, "job_type": "shift",
            "preferred_ward_codes": ["00166"], "anywhere_in_hanoi": False, "birth_year": 1990, "sex": None}
    data.update(overrides)
    return data


def test_create_read_and_update_the_profile(client, headers, factory, worker_user, db):
    missing = client.get("/api/v1/me/profile", headers=headers)
    assert missing.status_code == 404 and missing.json["error"]["code"] == "profile_not_found"
    created = client.put("/api/v1/me/profile", json=body(factory), headers=headers)
    assert created.status_code == 201, created.json
    profile = created.json
    assert profile["phone"] == "0903123456" and profile["ward"]["code"] == "00199"
    assert profile["preferred_wards"][0]["code"] == "00166" and profile["anywhere_in_hanoi"] is False
    assert profile["skills"][0]["slug"] == "han-dien" and profile["expected_wage"] == 9_000_000
    updated = client.put("/api/v1/me/profile", json={"bio": "Thợ hàn", "ward_code": "00166"}, headers=headers)
    assert updated.status_code == 200
    assert updated.json["bio"] == "Thợ hàn" and updated.json["ward"]["code"] == "00166"
    assert updated.json["full_name"] == "Đỗ Văn Long" and updated.json["job_type"] == "shift"  # left out: kept
    assert updated.json["preferred_wards"][0]["code"] == "00166" and updated.json["birth_year"] == 1990
    assert client.get("/api/v1/me/profile", headers=headers).json == updated.json
    cleared = client.put("/api/v1/me/profile", json={"expected_wage": None, "contact_email": None}, headers=headers)
    assert cleared.json["expected_wage"] is None and cleared.json["ward"]["code"] == "00166"


def test_an_ambiguous_address_answers_422_with_the_candidates(client, headers, factory, worker_user, db):
    response = client.put("/api/v1/me/profile", json=body(factory, address="Dịch Vọng Hậu"), headers=headers)
    assert response.status_code == 422 and response.json["error"]["code"] == "ward_ambiguous"
    candidates = response.json["error"]["details"]["candidates"]
    assert [c["code"] for c in candidates] == ["00166", "00160"] and candidates[0]["default"] is True
    assert candidates[0]["via"] == "Phường Dịch Vọng Hậu"
    chosen = client.put("/api/v1/me/profile", json=body(factory, address="Dịch Vọng Hậu", ward_code="00160"),
                        headers=headers)
    assert chosen.status_code == 201 and chosen.json["ward"]["code"] == "00160"


WRONG_TYPE = [{"skill_ids": ["1"]}, {"skill_ids": [True]}, {"birth_year": "1990"}, {"expected_wage": 1.5},
              {"is_visible": "yes"}, {"preferred_ward_codes": "00166"}, {"nickname": "Long"}, {"job_type": 5}]


@pytest.mark.parametrize("payload, field", [
    ({"phone": "12345"}, "phone"), ({"full_name": ""}, "full_name"), ({"skill_ids": []}, "skill_ids"),
    ({"skill_ids": [999999]}, "skill_ids"), ({"skill_ids": ["1"]}, "skill_ids"), ({"skill_ids": [True]}, "skill_ids"),
    ({"birth_year": "1990"}, "birth_year"), ({"birth_year": 1800}, "birth_year"), ({"expected_wage": 10}, "expected_wage"),
    ({"expected_wage": 1.5}, "expected_wage"), ({"sex": "x"}, "sex"), ({"address": "xyz qwerty"}, "address"),
    ({"ward_code": "99999", "address": ""}, "address"), ({"is_visible": "yes"}, "is_visible"),
    ({"experience_years": -3}, "experience_years"), ({"contact_email": "nope"}, "contact_email"),
    ({"preferred_ward_codes": "00166"}, "preferred_ward_codes"), ({"nickname": "Long"}, "nickname"),
    ({"job_type": 5}, "job_type"), ({"occupation_code": "0000000"}, "occupation_code"),
])
def test_bad_profile_input_is_refused_with_field_details(client, headers, factory, db, payload, field):
    response = client.put("/api/v1/me/profile", json=body(factory, **payload), headers=headers)
    # A value of the wrong JSON type (or an unknown field) breaks the schema: 400. A well-typed value that a rule
    # refuses (an unknown skill, a year out of range, a place outside Hanoi): 422.
    wrong_type = payload in WRONG_TYPE
    assert response.status_code == (400 if wrong_type else 422), response.json
    error = response.json["error"]
    assert error["code"] == "validation_error" and error["message"] == "Dữ liệu không hợp lệ."
    assert field in error["details"] and all(isinstance(m, str) and m for m in error["details"][field])
    assert db.session.scalar(select(WorkerProfile)) is None


def test_bad_json_and_wrong_callers(client, headers, factory, db):
    not_json = client.put("/api/v1/me/profile", data="{full_name:", content_type="application/json", headers=headers)
    assert not_json.status_code == 400 and not_json.json["error"]["code"] == "invalid_json"
    a_list = client.put("/api/v1/me/profile", json=[1, 2], headers=headers)
    assert a_list.status_code == 400 and a_list.json["error"]["code"] == "invalid_json"
    assert client.get("/api/v1/me/profile").status_code == 401
    raw, _ = issue_token(factory.user("employer"))
    employer = {"Authorization": f"Bearer {raw}"}
    for method, url in (("get", "/api/v1/me/profile"), ("get", "/api/v1/me/applications"), ("delete", "/api/v1/me"),
                        ("get", "/api/v1/me/export"), ("get", "/api/v1/me/invitations")):
        response = getattr(client, method)(url, headers=employer)
        assert response.status_code == 403 and response.json["error"]["code"] == "forbidden", url


def test_apply_list_and_withdraw(client, headers, factory, worker_user, db):
    vacancy = factory.vacancy(title="Thợ hàn cơ khí")
    no_profile = client.post(f"/api/v1/vacancies/{vacancy.id}/applications", headers=headers)
    assert no_profile.status_code == 409 and no_profile.json["error"]["code"] == "profile_required"
    profile = factory.worker(user=worker_user, skills=("han-dien",))
    applied = client.post(f"/api/v1/vacancies/{vacancy.id}/applications", json={"note": "Sẵn sàng"}, headers=headers)
    assert applied.status_code == 201 and applied.json["status"] == "received" and applied.json["note"] == "Sẵn sàng"
    assert applied.json["history"][0]["to_status"] == "received"
    duplicate = client.post(f"/api/v1/vacancies/{vacancy.id}/applications", headers=headers)
    assert duplicate.status_code == 409 and duplicate.json["error"]["code"] == "already_applied"
    closed = factory.vacancy(status="closed")
    assert client.post(f"/api/v1/vacancies/{closed.id}/applications", headers=headers).json["error"]["code"] \
        == "vacancy_closed"
    unknown = client.post("/api/v1/vacancies/2147483647/applications", headers=headers)
    assert unknown.status_code == 404 and unknown.json["error"]["code"] == "vacancy_not_found"
    bad_note = client.post(f"/api/v1/vacancies/{vacancy.id}/applications", json={"note": 5}, headers=headers)
    assert bad_note.status_code == 400 and "note" in bad_note.json["error"]["details"]
    extra = client.post(f"/api/v1/vacancies/{vacancy.id}/applications", json={"salary": 5}, headers=headers)
    assert extra.status_code == 400 and "salary" in extra.json["error"]["details"]
    garbage = client.post(f"/api/v1/vacancies/{vacancy.id}/applications", data="not json",
                          content_type="application/json", headers=headers)
    assert garbage.status_code == 400 and garbage.json["error"]["code"] == "invalid_json"

    listed = client.get("/api/v1/me/applications", headers=headers).json["items"]
    assert [a["vacancy"]["title"] for a in listed] == ["Thợ hàn cơ khí"]
    application_id = listed[0]["id"]
    withdrawn = client.post(f"/api/v1/applications/{application_id}/withdraw", headers=headers)
    assert withdrawn.status_code == 200 and withdrawn.json["status"] == "withdrawn"
    assert [h["to_status"] for h in withdrawn.json["history"]] == ["received", "withdrawn"]
    again = client.post(f"/api/v1/applications/{application_id}/withdraw", headers=headers)
    assert again.status_code == 409 and again.json["error"]["code"] == "cannot_withdraw"
    assert client.post("/api/v1/applications/999999/withdraw", headers=headers).status_code == 404
    assert db.session.get(Application, application_id).worker_id == profile.id


def test_invitations_accept_and_decline(client, headers, factory, worker_user, invite, db):
    profile = factory.worker(user=worker_user, skills=("han-dien",))
    first, second = factory.vacancy(title="A"), factory.vacancy(title="B")
    accept_me, decline_me = invite(first, profile), invite(second, profile)
    items = client.get("/api/v1/me/invitations", headers=headers).json["items"]
    assert {i["vacancy"]["title"] for i in items} == {"A", "B"} and {i["status"] for i in items} == {"pending"}
    accepted = client.post(f"/api/v1/invitations/{accept_me.id}/accept", headers=headers)
    assert accepted.status_code == 200 and accepted.json["invitation"]["status"] == "accepted"
    assert accepted.json["application"]["via_invitation"] is True
    declined = client.post(f"/api/v1/invitations/{decline_me.id}/decline", headers=headers)
    assert declined.status_code == 200 and declined.json["invitation"]["status"] == "declined"
    twice = client.post(f"/api/v1/invitations/{decline_me.id}/accept", headers=headers)
    assert twice.status_code == 409 and twice.json["error"]["code"] == "invitation_answered"
    assert client.post("/api/v1/invitations/999999/decline", headers=headers).json["error"]["code"] \
        == "invitation_not_found"


def test_export_and_delete_over_the_api(client, headers, factory, worker_user, db):
    profile = factory.worker(user=worker_user, skills=("han-dien",), full_name="Vũ Thị Thu")
    client.post(f"/api/v1/vacancies/{factory.vacancy().id}/applications", headers=headers)
    export = client.get("/api/v1/me/export", headers=headers)
    assert export.status_code == 200 and export.json["profile"]["full_name"] == "Vũ Thị Thu"
    assert len(export.json["applications"]) == 1 and export.json["account"]["email"] == "nld@example.vn"
    user_id, profile_id = worker_user.id, profile.id
    deleted = client.delete("/api/v1/me", headers=headers)
    assert deleted.status_code == 204 and deleted.data == b""
    db.session.expire_all()
    assert db.session.get(User, user_id) is None and db.session.get(WorkerProfile, profile_id) is None
    assert client.get("/api/v1/me", headers=headers).status_code == 401  # the token went with the account


def test_the_routes_are_in_the_openapi_document(client, db):
    doc = client.get("/api/v1/openapi.json").json
    paths = doc["paths"]
    for path, method in (("/api/v1/me/profile", "get"), ("/api/v1/me/profile", "put"),
                         ("/api/v1/me/applications", "get"), ("/api/v1/vacancies/{vacancy_id}/applications", "post"),
                         ("/api/v1/applications/{application_id}/withdraw", "post"),
                         ("/api/v1/me/invitations", "get"), ("/api/v1/invitations/{invitation_id}/accept", "post"),
                         ("/api/v1/invitations/{invitation_id}/decline", "post"), ("/api/v1/me/export", "get"),
                         ("/api/v1/me", "delete")):
        assert method in paths[path], (path, method)
    put = paths["/api/v1/me/profile"]["put"]
    assert put["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/WorkerProfileInput"}
    assert {"200", "201", "400", "401", "403", "422"} <= set(put["responses"])
    assert doc["components"]["schemas"]["WorkerProfileInput"]["additionalProperties"] is False
