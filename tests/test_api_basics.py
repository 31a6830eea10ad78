"""API basics: bearer tokens, JSON errors with stable codes, and the OpenAPI document."""
from __future__ import annotations


def test_token_flow(client, factory, db):
    factory.user(email="api@example.vn", role="employer")
    response = client.post("/api/v1/auth/token", json={"email": "API@example.vn", "password": "mat-khau-dai-10"})
    assert response.status_code == 201
    token = response.json["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json["email"] == "api@example.vn" and me.json["role"] == "employer"


def test_token_errors_are_json_with_codes(client, factory, db):
    factory.user(email="api2@example.vn")
    wrong = client.post("/api/v1/auth/token", json={"email": "api2@example.vn", "password": "sai-mat-khau"})
    assert wrong.status_code == 401 and wrong.json["error"]["code"] == "invalid_credentials"
    assert wrong.json["error"]["message"] == "Email hoặc mật khẩu không đúng."
    not_json = client.post("/api/v1/auth/token", data="x", content_type="text/plain")
    assert not_json.status_code == 400 and not_json.json["error"]["code"] == "invalid_json"
    bad_token = client.get("/api/v1/me", headers={"Authorization": "Bearer nope"})
    assert bad_token.status_code == 401 and bad_token.json["error"]["code"] == "invalid_token"
    missing = client.get("/api/v1/does-not-exist")
    assert missing.status_code == 404 and missing.json["error"]["code"] == "not_found"


def test_expired_token_is_refused(client, factory, db):
    from datetime import timedelta

    from jobmarket.auth.services import issue_token
    from jobmarket.models._common import utcnow

    user = factory.user(email="exp@example.vn")
    raw, token = issue_token(user)
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_openapi_document(client, db):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.")
    assert "/api/v1/auth/token" in doc["paths"] and "post" in doc["paths"]["/api/v1/auth/token"]
    assert doc["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
