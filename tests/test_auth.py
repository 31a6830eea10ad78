"""Accounts: registration, login, logout, password hashing, throttling, cookies and bad input."""
from __future__ import annotations

import unicodedata

import pytest
from sqlalchemy import func, select

from jobmarket.auth.passwords import hash_password, needs_rehash, verify_password
from jobmarket.models import User


def count_users(db) -> int:
    return db.session.scalar(select(func.count(User.id)))


def test_register_worker_logs_in_and_hashes_with_argon2id(client, auth, db):
    response = auth.register(email="Lan.Nguyen@Example.VN")
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "lan.nguyen@example.vn"))
    assert user is not None and user.role == "worker"
    assert user.password_hash.startswith("$argon2id$")
    assert "mat-khau-dai-10" not in user.password_hash
    page = client.get("/")
    assert "Đăng xuất".encode() in page.data


def test_register_employer_role(auth, db):
    assert auth.register(email="hr@congty.vn", role="employer").status_code == 302
    assert db.session.scalar(select(User.role).where(User.email == "hr@congty.vn")) == "employer"


@pytest.mark.parametrize("role", ["officer", "admin", "superuser"])
def test_register_cannot_choose_staff_roles(auth, db, role):
    response = auth.register(email="sneaky@example.vn", role=role)
    assert response.status_code == 422
    assert count_users(db) == 0


@pytest.mark.parametrize("email,message", [
    ("not-an-email", "Địa chỉ email không hợp lệ."),
    ("a@b", "Địa chỉ email không hợp lệ."),
    ("", "Vui lòng nhập email."),
    ("x" * 300 + "@example.vn", "Địa chỉ email không hợp lệ."),
    ("ctl\u200b@example.vn", "Địa chỉ email không hợp lệ."),
])
def test_register_rejects_malformed_email_in_vietnamese(auth, db, email, message):
    response = auth.register(email=email)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count_users(db) == 0


def test_register_rejects_short_password(auth, db):
    response = auth.register(password="ngan")
    assert response.status_code == 422
    assert "Mật khẩu phải dài từ 10 đến 128 ký tự." in response.get_data(as_text=True)
    assert count_users(db) == 0


def test_register_rejects_very_long_password(auth, db):
    response = auth.register(password="p" * 5000)
    assert response.status_code == 422
    assert count_users(db) == 0


def test_register_rejects_mismatched_confirmation(client, db):
    response = client.post("/auth/register", data={"email": "a@example.vn", "password": "mat-khau-dai-10",
                                                   "confirm": "khac-hoan-toan", "role": "worker"})
    assert response.status_code == 422
    assert "Hai mật khẩu không khớp." in response.get_data(as_text=True)


def test_duplicate_account_is_refused_case_insensitively(auth, db):
    assert auth.register(email="trung@example.vn").status_code == 302
    auth.logout()
    response = auth.register(email="TRUNG@example.vn")
    assert response.status_code == 422
    assert "Email này đã được đăng ký" in response.get_data(as_text=True)
    assert count_users(db) == 1


def test_nfd_password_logs_in_with_nfc(auth, client, db):
    nfd = unicodedata.normalize("NFD", "mậtkhẩuđủdài")
    nfc = unicodedata.normalize("NFC", "mậtkhẩuđủdài")
    assert nfd != nfc
    assert auth.register(email="nfd@example.vn", password=nfd).status_code == 302
    auth.logout()
    assert auth.login(email="nfd@example.vn", password=nfc).status_code == 302


def test_english_messages_when_english_chosen(client, db):
    client.get("/lang/en")
    response = client.post("/auth/register", data={"email": "nope", "password": "x", "confirm": "x", "role": "worker"})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Invalid email address." in text
    assert "Địa chỉ email không hợp lệ." not in text


def test_login_wrong_password_and_unknown_account_same_message(auth, client, db, factory):
    factory.user(email="co@example.vn")
    wrong = auth.login(email="co@example.vn", password="sai-mat-khau-1")
    unknown = auth.login(email="khong@example.vn", password="sai-mat-khau-1")
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert "Email hoặc mật khẩu không đúng." in response.get_data(as_text=True)


def test_login_next_only_to_local_paths(auth, client, db, factory):
    factory.user(email="next@example.vn")
    for evil in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"):
        response = client.post(f"/auth/login?next={evil}", data={"email": "next@example.vn",
                                                                  "password": "mat-khau-dai-10"})
        assert response.status_code == 302
        assert "evil" not in response.headers["Location"] and "javascript" not in response.headers["Location"]
        auth.logout()
    response = client.post("/auth/login?next=/lang/vi", data={"email": "next@example.vn", "password": "mat-khau-dai-10"})
    assert response.headers["Location"].endswith("/lang/vi")


def test_logout_requires_post(auth, client, db, factory):
    factory.user(email="out@example.vn")
    auth.login(email="out@example.vn")
    assert client.get("/auth/logout").status_code == 405
    assert auth.logout().status_code == 302


def test_rehash_on_login_when_parameters_change(auth, db, factory):
    from argon2 import PasswordHasher

    old = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("mat-khau-dai-10")
    user = factory.user(email="old@example.vn")
    user.password_hash = old
    db.session.commit()
    assert needs_rehash(old)
    assert auth.login(email="old@example.vn").status_code == 302
    db.session.expire_all()
    fresh = db.session.scalar(select(User.password_hash).where(User.email == "old@example.vn"))
    assert fresh != old and not needs_rehash(fresh) and verify_password(fresh, "mat-khau-dai-10")


def test_password_helpers():
    h = hash_password("mot-mat-khau")
    assert verify_password(h, "mot-mat-khau")
    assert not verify_password(h, "khac")
    assert not verify_password("not-a-hash", "x")


def test_disabled_account_cannot_log_in(auth, db, factory):
    user = factory.user(email="off@example.vn")
    user.is_enabled = False
    db.session.commit()
    assert auth.login(email="off@example.vn").status_code == 401


# Login throttling is tested in tests/security/test_login_throttle.py.


def test_csrf_is_enforced(app_config, db, make_app):
    app_config["WTF_CSRF_ENABLED"] = True
    client = make_app(app_config).test_client()
    response = client.post("/auth/register", data={"email": "a@example.vn", "password": "mat-khau-dai-10",
                                                   "confirm": "mat-khau-dai-10", "role": "worker"})
    assert response.status_code == 400
    assert "Phiên làm việc đã hết hạn" in response.get_data(as_text=True)
    assert count_users(db) == 0


def test_session_cookie_flags(app_config, db, factory, make_app):
    factory.user(email="cookie@example.vn")
    app_config["SESSION_COOKIE_SECURE"] = True
    client = make_app(app_config).test_client()
    response = client.post("/auth/login", data={"email": "cookie@example.vn", "password": "mat-khau-dai-10"})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_production_requires_secret_key(monkeypatch, database_url, make_app):
    monkeypatch.setenv("JOBMARKET_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        make_app({"SQLALCHEMY_DATABASE_URI": database_url})


def test_production_cookies_are_secure_by_default(monkeypatch, database_url, make_app):
    monkeypatch.setenv("JOBMARKET_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s3cret-for-test")
    app = make_app({"SQLALCHEMY_DATABASE_URI": database_url})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]


def test_nul_bytes_never_reach_the_database(client, db, factory):
    factory.user(email="nul@example.vn")
    # In a form the byte is dropped and the rest goes through as typed.
    response = client.post("/auth/login", data={"email": "nul@exa\x00mple.vn", "password": "mat-khau-dai-10\x00"})
    assert response.status_code == 302
    assert client.get("/?q=a%00b").status_code == 200
    # A JSON body holding one is refused with a clear message.
    api = client.post("/api/v1/auth/token", json={"email": "a\x00@b.vn", "password": "p"})
    assert api.status_code == 422 and api.json["error"]["code"] == "invalid_characters"
    assert api.json["error"]["message"] == "Dữ liệu gửi lên chứa ký tự không hợp lệ."


def test_method_not_allowed_lists_allowed_methods(client, db):
    response = client.put("/api/v1/auth/token")
    assert response.status_code == 405 and "POST" in response.headers["Allow"]
