"""The search API: public search and vacancy, a worker's matches, a vacancy's candidates; schemas and privacy."""
from __future__ import annotations

import json
import unicodedata

import jsonschema_rs
import pytest

from jobmarket.models import Application
from jobmarket.search import service

from .conftest import YEN_HOA

PRIVATE = ("0912345678", "nhung.private@example.vn", "Nguyễn Thị Hồng Nhung")


def _json_schema(node):
    """OpenAPI 3.0 schema -> JSON Schema: `nullable: true` becomes a null type."""
    if isinstance(node, list):
        return [_json_schema(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _json_schema(v) for k, v in node.items() if k != "nullable"}
    if node.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
    return out


@pytest.fixture
def conforms(client):
    """Check a body against a component schema of the app's own OpenAPI document."""
    doc = client.get("/api/v1/openapi.json").json
    components = _json_schema(doc["components"])

    def _check(body, name: str):
        validator = jsonschema_rs.Draft4Validator({"$ref": f"#/components/schemas/{name}", "components": components})
        errors = [str(e) for e in validator.iter_errors(body)]
        assert not errors, errors[:3]
        return body

    return _check


# --- GET /api/v1/vacancies ---------------------------------------------------------------------------------------

def test_public_search(client, market, conforms):
    response = client.get("/api/v1/vacancies", query_string={"q": "ke toan"})
    assert response.status_code == 200
    body = conforms(response.json, "VacancySearchResult")
    assert [i["vacancy"]["title"] for i in body["items"]] == ["Kế toán tổng hợp", "Nhân viên kế toán thuế"]
    assert body["total"] == 2 and body["page"] == 1 and body["per_page"] == 20 and body["degraded"] is False
    first = body["items"][0]
    assert first["relevance"] > body["items"][1]["relevance"] > 0 and first["match"] is None and first["distance_km"] is None
    vacancy = first["vacancy"]
    assert vacancy["area"] == {"ward_code": "00166", "ward_name": "Phường Cầu Giấy", "district_code": "005",
                               "district_name": "Cầu Giấy"}
    assert vacancy["wage_min"] == 10_000_000 and vacancy["wage_max"] == 12_000_000
    assert vacancy["employer"]["name"] == "Công ty TNHH Kế Toán Hà Thành"
    assert [(s["label"], s["required"]) for s in vacancy["skills"]] == [
        ("Kế toán tổng hợp", True), ("Kế toán thuế", True), ("Excel", False)]
    assert vacancy["url"] == f"/viec-lam/{market.accountant.id}"
    assert vacancy["deadline"] == market.accountant.deadline.isoformat()


def test_search_nfd_and_folded_queries_agree(client, market):
    def titles(q):
        return [i["vacancy"]["title"] for i in client.get("/api/v1/vacancies", query_string={"q": q}).json["items"]]

    assert titles("ke toan") == titles("Kế Toán") == titles(unicodedata.normalize("NFD", "kế toán"))


def test_search_filters_sorts_and_pages(client, market, factory, conforms):
    args = {"origin_ward": YEN_HOA, "sort": "distance", "per_page": 2,
            "skills": [str(factory.skill("ke-toan-thue").id)]}
    body = conforms(client.get("/api/v1/vacancies", query_string=args).json, "VacancySearchResult")
    assert [i["vacancy"]["id"] for i in body["items"]] == [market.other_vacancy.id, market.accountant.id]
    assert body["items"][0]["distance_km"] == pytest.approx(1.3, abs=0.1)
    both = client.get("/api/v1/vacancies", query_string={
        "skills": [factory.skill("ke-toan-thue").id, factory.skill("excel").id]}).json
    assert [i["vacancy"]["id"] for i in both["items"]] == [market.accountant.id]
    # The page also takes comma-separated ids; the API takes what its document declares: repeated parameters.
    comma = client.get("/api/v1/vacancies", query_string={"skills": f"{factory.skill('excel').id},1"})
    assert comma.status_code == 400 and comma.json["error"]["code"] == "validation_error"
    body = client.get("/api/v1/vacancies", query_string={"sort": "newest", "per_page": 1, "page": 3}).json
    assert body["total"] == 3 and [i["vacancy"]["id"] for i in body["items"]] == [market.other_vacancy.id]
    body = client.get("/api/v1/vacancies", query_string={"min_wage": 10_000_000, "job_type": "full_time"}).json
    assert [i["vacancy"]["id"] for i in body["items"]] == [market.accountant.id]


def test_worker_token_adds_match_parts_and_reasons(client, market, token, conforms):
    body = client.get("/api/v1/vacancies", query_string={"q": "ke toan"}, headers=token(market.worker.user)).json
    conforms(body, "VacancySearchResult")
    match = body["items"][0]["match"]
    assert match["summary"].startswith("1/2 kỹ năng yêu cầu · cách 2,1 km · cùng khu vực Cầu Giấy · lương phù hợp")
    assert match["parts"]["matched_required"] and match["parts"]["distance_km"] == pytest.approx(2.1, abs=0.05)
    assert {"kind": "missing", "text": "Còn thiếu: Kế toán thuế", "positive": False} in match["reasons"]
    expected = service.explain_match(market.worker.id, market.accountant.id).score
    assert match["score"] == pytest.approx(expected)
    text_only = client.get("/api/v1/vacancies", query_string={"q": "ke toan"}).json["items"][0]["relevance"]
    assert body["items"][0]["relevance"] == pytest.approx(text_only + expected, abs=1e-5)


@pytest.mark.parametrize("role", ["employer", "officer"])
def test_employers_and_officers_search_without_match(client, market, token, conforms, role):
    user = market.employer.owner if role == "employer" else market.officer
    body = conforms(client.get("/api/v1/vacancies", query_string={"q": "kế toán"}, headers=token(user)).json,
                    "VacancySearchResult")
    assert [i["vacancy"]["id"] for i in body["items"]] == [market.accountant.id, market.other_vacancy.id]
    assert all(i["match"] is None for i in body["items"])


@pytest.mark.parametrize("args,field", [
    ({"page": "-1"}, "page"), ({"per_page": str(10 ** 9)}, "per_page"), ({"min_wage": "abc"}, "min_wage"),
    ({"q": "x" * 10_240}, "q"), ({"ward": "00000"}, "ward"), ({"district": "abc"}, "district"),
    ({"max_km": "2,5"}, "max_km"), ({"max_km": "0"}, "max_km"), ({"sort": "price"}, "sort"),
    ({"min_wage": "8.000.000"}, "min_wage"), ({"ward": ""}, "ward"), ({"page": ""}, "page"), ({"sort": ""}, "sort"),
    ({"skills": "0"}, "skills"), ({"skills": [str(i) for i in range(1, 12)]}, "skills"),
    ({"skills": "1,abc"}, "skills"), ({"skills": "2147483648"}, "skills"), ({"job_type": "full-time"}, "job_type"),
])
def test_search_validation_errors_are_400_json(client, market, args, field):
    response = client.get("/api/v1/vacancies", query_string=args)
    assert response.status_code == 400
    error = response.json["error"]
    assert error["code"] == "validation_error"
    assert error["message"] == error["details"][field][0]
    assert error["message"] and error["message"].isascii() is False  # a Vietnamese sentence, not a stack trace


def test_distance_without_a_ward_is_measured_from_home_or_the_city_centre(client, market, token):
    anonymous = client.get("/api/v1/vacancies", query_string={"sort": "distance", "max_km": 8}).json
    assert anonymous["origin_ward"] == "00070"  # Phường Hoàn Kiếm
    assert [i["vacancy"]["id"] for i in anonymous["items"]] == [market.other_vacancy.id, market.accountant.id]
    assert all(i["distance_km"] <= 8 for i in anonymous["items"])
    worker = client.get("/api/v1/vacancies", query_string={"sort": "distance"}, headers=token(market.worker.user)).json
    assert worker["origin_ward"] == YEN_HOA
    assert worker["items"][0]["distance_km"] == pytest.approx(1.3, abs=0.1)
    plain = client.get("/api/v1/vacancies").json
    assert plain["origin_ward"] is None and all(i["distance_km"] is None for i in plain["items"])


def test_an_unknown_skill_id_matches_nothing(client, market):
    body = client.get("/api/v1/vacancies", query_string={"skills": "999999"}).json
    assert body["total"] == 0 and body["items"] == []


def test_control_characters_in_the_api_query(client, market):
    response = client.get("/api/v1/vacancies", query_string={"q": "\x07kế toán\x1b[31m\u200b"})
    assert response.status_code == 200
    assert response.json["total"] == 2


def test_degraded_flag_passes_through(client, market, monkeypatch):
    real = service.search_vacancies

    def degraded(query):
        page = real(query)
        page.degraded, page.backend = True, "database"
        return page

    monkeypatch.setattr(service, "search_vacancies", degraded)
    body = client.get("/api/v1/vacancies").json
    assert body["degraded"] is True and body["backend"] == "database" and body["total"] == 3


# --- GET /api/v1/vacancies/{id} ------------------------------------------------------------------------------------

def test_public_vacancy(client, market, conforms):
    body = conforms(client.get(f"/api/v1/vacancies/{market.accountant.id}").json, "VacancyDetail")
    assert body["title"] == "Kế toán tổng hợp" and body["status"] == "open" and body["match"] is None
    assert body["description"] == "Lập báo cáo tài chính, quyết toán thuế." and body["positions_open"] == 2
    closed = conforms(client.get(f"/api/v1/vacancies/{market.closed.id}").json, "VacancyDetail")
    assert closed["status"] == "closed"


def test_vacancy_for_a_worker_carries_the_match(client, market, token, conforms):
    body = client.get(f"/api/v1/vacancies/{market.accountant.id}", headers=token(market.worker.user)).json
    conforms(body, "VacancyDetail")
    assert body["match"]["summary"].startswith("1/2 kỹ năng yêu cầu")


@pytest.mark.parametrize("who,vacancy,status", [
    ("anonymous", "draft", 404), ("anonymous", "unverified_vacancy", 404), ("worker", "draft", 404),
    ("other_employer", "draft", 404), ("owner", "draft", 200), ("officer", "unverified_vacancy", 200),
])
def test_vacancy_visibility(client, market, token, who, vacancy, status):
    users = {"worker": market.worker.user, "other_employer": market.other_employer.owner,
             "owner": market.employer.owner, "officer": market.officer}
    headers = token(users[who]) if who in users else {}
    response = client.get(f"/api/v1/vacancies/{getattr(market, vacancy).id}", headers=headers)
    assert response.status_code == status
    if status == 404:
        assert response.json["error"]["code"] == "not_found"


@pytest.mark.parametrize("path", ["/api/v1/vacancies/999999", "/api/v1/vacancies/99999999999999999999999",
                                  "/api/v1/vacancies/0", "/api/v1/vacancies/x"])
def test_missing_vacancy_json_404(client, market, path):
    response = client.get(path)
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"


# --- GET /api/v1/me/matches ----------------------------------------------------------------------------------------

def test_my_matches_api(client, market, token, conforms):
    response = client.get("/api/v1/me/matches", headers=token(market.worker.user))
    assert response.status_code == 200
    body = conforms(response.json, "VacancyMatchList")
    assert [i["vacancy"]["id"] for i in body["items"]] == [market.accountant.id]
    assert body["profile_gaps"] == [] and body["has_more"] is False
    assert "cùng khu vực Cầu Giấy" in body["items"][0]["match"]["summary"]


def test_my_matches_api_access_and_gaps(client, market, token, factory, conforms):
    assert client.get("/api/v1/me/matches").status_code == 401
    for user in (market.employer.owner, market.officer):
        response = client.get("/api/v1/me/matches", headers=token(user))
        assert response.status_code == 403 and response.json["error"]["code"] == "forbidden"
    bare = factory.user("worker")
    body = conforms(client.get("/api/v1/me/matches", headers=token(bare)).json, "VacancyMatchList")
    assert body["profile_gaps"] == ["profile"] and body["items"] == []
    no_ward = factory.worker(ward_code=None, skills=())
    body = client.get("/api/v1/me/matches", headers=token(no_ward.user)).json
    assert body["profile_gaps"] == ["skills", "ward"]
    bad = client.get("/api/v1/me/matches", query_string={"per_page": "1000000000"}, headers=token(market.worker.user))
    assert bad.status_code == 400 and bad.json["error"]["code"] == "validation_error"


# --- GET /api/v1/vacancies/{id}/candidates --------------------------------------------------------------------------

def test_candidates_api_for_the_owner(client, market, token, conforms):
    response = client.get(f"/api/v1/vacancies/{market.accountant.id}/candidates", headers=token(market.employer.owner))
    assert response.status_code == 200
    body = conforms(response.json, "CandidateList")
    assert [c["worker_id"] for c in body["items"]] == [market.worker.id]
    candidate = body["items"][0]
    assert candidate["display_name"] == "N. T. H. Nhung" and candidate["contact"] is None
    assert candidate["experience_years"] == 4 and candidate["education_level"] == "university"
    assert candidate["area"]["ward_code"] == YEN_HOA and candidate["applied"] is False
    assert {(s["label"], s["wanted"]) for s in candidate["skills"]} == {("Kế toán tổng hợp", True), ("Excel", True)}
    assert candidate["match"]["summary"].endswith("hoạt động hôm nay")
    raw = json.dumps(response.json, ensure_ascii=False)
    for secret in PRIVATE:
        assert secret not in raw


def test_candidates_api_shows_contact_after_applying(client, market, token, db, conforms):
    db.session.add(Application(vacancy_id=market.accountant.id, worker_id=market.worker.id))
    db.session.commit()
    body = client.get(f"/api/v1/vacancies/{market.accountant.id}/candidates",
                      headers=token(market.employer.owner)).json
    conforms(body, "CandidateList")
    assert body["items"][0]["contact"] == {"full_name": "Nguyễn Thị Hồng Nhung", "phone": "0912345678",
                                           "email": "nhung.private@example.vn"}
    assert body["items"][0]["applied"] is True


@pytest.mark.parametrize("who,vacancy,status", [
    ("anonymous", "accountant", 401), ("worker", "accountant", 403), ("officer", "accountant", 403),
    ("other_employer", "accountant", 403), ("other_employer", "draft", 404), ("owner", "draft", 200),
])
def test_candidates_api_access(client, market, token, who, vacancy, status):
    users = {"worker": market.worker.user, "other_employer": market.other_employer.owner,
             "owner": market.employer.owner, "officer": market.officer}
    headers = token(users[who]) if who in users else {}
    response = client.get(f"/api/v1/vacancies/{getattr(market, vacancy).id}/candidates", headers=headers)
    assert response.status_code == status
    if status != 200:
        assert response.json["error"]["code"] in {"unauthorized", "forbidden", "not_found"}
        for secret in PRIVATE:
            assert secret not in response.get_data(as_text=True)


def test_candidates_api_paging(client, market, token, factory):
    for n in range(2):
        factory.worker(skills=("ke-toan-tong-hop",), ward_code="00454")
    headers = token(market.employer.owner)
    first = client.get(f"/api/v1/vacancies/{market.accountant.id}/candidates?per_page=2", headers=headers).json
    second = client.get(f"/api/v1/vacancies/{market.accountant.id}/candidates?per_page=2&page=2", headers=headers).json
    assert first["has_more"] is True and second["has_more"] is False
    assert len(first["items"]) == 2 and len(second["items"]) == 1
    assert first["items"][0]["worker_id"] == market.worker.id
    bad = client.get(f"/api/v1/vacancies/{market.accountant.id}/candidates?page=-1", headers=headers)
    assert bad.status_code == 400


# --- the OpenAPI document --------------------------------------------------------------------------------------------

def test_openapi_declares_the_search_routes(client):
    doc = client.get("/api/v1/openapi.json").json
    paths = doc["paths"]
    search = paths["/api/v1/vacancies"]["get"]
    assert search["security"] == []
    params = {p["name"]: p for p in search["parameters"]}
    assert set(params) == {"q", "ward", "district", "origin_ward", "max_km", "skills", "min_wage", "job_type", "sort",
                           "page", "per_page"}
    assert params["sort"]["schema"]["enum"] == ["relevance", "newest", "wage", "distance"]
    assert params["skills"]["schema"]["type"] == "array" and params["skills"]["explode"] is True
    assert "400" in search["responses"] and "200" in search["responses"]
    assert paths["/api/v1/vacancies/{id}"]["get"]["security"] == []
    assert paths["/api/v1/me/matches"]["get"]["security"] == [{"bearerAuth": []}]
    candidates = paths["/api/v1/vacancies/{id}/candidates"]["get"]
    assert {"401", "403", "404", "200"} <= set(candidates["responses"])
    contact = doc["components"]["schemas"]["Candidate"]["properties"]["contact"]
    assert contact["nullable"] is True and set(contact["properties"]) == {"full_name", "phone", "email"}


def test_facets_place_and_most_words_in_the_api(client, market, conforms):
    body = conforms(client.get("/api/v1/vacancies", query_string={"q": "kế toán cầu giấy"}).json,
                    "VacancySearchResult")
    assert body["place"] == {"kind": "district", "code": "005", "name": "Cầu Giấy"} and body["most_words"] is False
    assert sum(body["facets"]["district"].values()) == body["total"] == 1
    everything = conforms(client.get("/api/v1/vacancies").json, "VacancySearchResult")
    assert sum(everything["facets"]["job_type"].values()) == everything["total"] == 3
    assert everything["facets"]["job_type"]["shift"] == 1
