"""Session rotation: a new session at login, the end of a session whose account changed role or was disabled."""
from __future__ import annotations

from ..factories import PASSWORD


def _login(client, email):
    return client.post("/auth/login", data={"email": email, "password": PASSWORD})


def test_login_starts_a_new_session(client, db, factory):
    factory.user(email="rot@example.vn")
    client.get("/")
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
        sess["lang"] = "en"
    before = client.get_cookie("session").value
    assert _login(client, "rot@example.vn").status_code == 302
    after = client.get_cookie("session").value
    assert after != before
    with client.session_transaction() as sess:
        assert "planted" not in sess and sess.get("lang") == "en"
        assert sess["_auth_role"] == "worker" and len(sess["_sid"]) >= 16
        first_sid = sess["_sid"]
    client.post("/auth/logout")
    with client.session_transaction() as sess:
        assert "_user_id" not in sess and "_sid" not in sess
    _login(client, "rot@example.vn")
    with client.session_transaction() as sess:
        assert sess["_sid"] != first_sid


def test_role_change_ends_the_changed_accounts_sessions(app, db, factory):
    admin = factory.user("admin", email="boss@example.vn")
    officer = factory.user("officer", email="demoted@example.vn")
    officer_client, admin_client = app.test_client(), app.test_client()
    _login(officer_client, "demoted@example.vn")
    assert officer_client.get("/can-bo/").status_code == 200
    _login(admin_client, "boss@example.vn")
    response = admin_client.post(f"/quan-tri/tai-khoan/{officer.id}/vai-tro", data={"role": "worker"})
    assert response.status_code == 302
    # The officer's old session no longer carries officer rights, nor any login at all.
    page = officer_client.get("/can-bo/")
    assert page.status_code == 302 and "/auth/login" in page.headers["Location"]
    with officer_client.session_transaction() as sess:
        assert "_user_id" not in sess
    # Logging in again gives a session with the new role.
    _login(officer_client, "demoted@example.vn")
    assert officer_client.get("/can-bo/").status_code == 403
    assert admin.role == "admin"


def test_disabling_an_account_ends_its_session(app, db, factory):
    factory.user("admin", email="boss2@example.vn")
    worker = factory.user(email="locked@example.vn")
    worker_client, admin_client = app.test_client(), app.test_client()
    _login(worker_client, "locked@example.vn")
    _login(admin_client, "boss2@example.vn")
    admin_client.post(f"/quan-tri/tai-khoan/{worker.id}/trang-thai", data={"enabled": "0"})
    page = worker_client.get("/nguoi-lao-dong/")
    assert page.status_code == 302 and "/auth/login" in page.headers["Location"]
    assert "bị khóa" in worker_client.get("/auth/login").get_data(as_text=True)


def test_admin_cannot_change_own_role_or_set_an_unknown_one(app, db, factory):
    admin = factory.user("admin", email="self@example.vn")
    other = factory.user(email="w@example.vn")
    client = app.test_client()
    _login(client, "self@example.vn")
    client.post(f"/quan-tri/tai-khoan/{admin.id}/vai-tro", data={"role": "worker"})
    client.post(f"/quan-tri/tai-khoan/{other.id}/vai-tro", data={"role": "superuser"})
    db.session.expire_all()
    assert (admin.role, other.role) == ("admin", "worker")
    page = client.get("/quan-tri/tai-khoan")
    assert page.status_code == 200 and "Vai trò không hợp lệ" in page.get_data(as_text=True)
