"""Outgoing mail through a real SMTP server, and account recovery: reset, claim, verification, sessions."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from jobmarket.models import QueuedJob, User

from ..factories import PASSWORD
from .conftest import link_in

NEW_PASSWORD = "mat-khau-moi-12345"


def _path(url: str) -> str:
    return url.replace("http://jobs.test", "")


def test_registration_sends_a_verification_mail_in_the_users_language(client, auth, db, mailbox):
    response = auth.register(email="moi@example.vn")
    assert response.status_code == 302
    message = mailbox.wait(1)[0]
    assert message["To"] == "moi@example.vn"
    assert message["Subject"] == "Xác nhận địa chỉ email của bạn"
    assert message.get_body(preferencelist=("plain",)) is not None
    assert message.get_body(preferencelist=("html",)) is not None
    assert "List-Unsubscribe" not in message  # a security message cannot be switched off
    link = link_in(message, "http://jobs.test/auth/xac-nhan-email/")
    assert client.get(_path(link)).status_code == 302
    user = db.session.scalar(select(User).where(User.email == "moi@example.vn"))
    db.session.refresh(user)
    assert user.email_verified_at is not None
    again = client.get(_path(link))
    assert again.status_code == 200 and "đã được xác nhận rồi" in again.get_data(as_text=True)


def test_password_reset_journey_single_use_and_same_answer(client, factory, db, mailbox):
    user = factory.user("worker", email="quen@example.vn", locale="en")
    known = client.post("/auth/quen-mat-khau", data={"email": "QUEN@example.vn"})
    unknown = client.post("/auth/quen-mat-khau", data={"email": "khong-co@example.vn"})
    assert known.status_code == unknown.status_code == 200
    assert known.get_data(as_text=True).replace("QUEN@example.vn", "X") == \
        unknown.get_data(as_text=True).replace("khong-co@example.vn", "X")
    message = mailbox.wait(1)[0]
    assert len(mailbox.messages) == 1 and message["To"] == "quen@example.vn"
    assert message["Subject"] == "Reset your password"  # the recipient's language
    link = _path(link_in(message, "http://jobs.test/auth/dat-lai-mat-khau/"))
    assert client.get(link).status_code == 200
    done = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"].endswith("/auth/login")
    assert client.post("/auth/login", data={"email": "quen@example.vn", "password": NEW_PASSWORD}).status_code == 302
    reused = client.get(link)
    # logged in now, so the pages are in the user's language (English)
    assert reused.status_code == 410 and "already been used" in reused.get_data(as_text=True)
    tampered = client.get(link[:-3] + "abc")
    assert tampered.status_code == 400 and "not valid" in tampered.get_data(as_text=True)
    # the "password changed" notice follows
    assert any(m["Subject"] == "Your password was just changed" for m in mailbox.wait(2))
    db.session.refresh(user)
    assert user.session_version == 1


def test_reset_link_expires_after_thirty_minutes(app, client, factory, db, mailbox, monkeypatch):
    from itsdangerous import timed

    factory.user("worker", email="het-han@example.vn")
    client.post("/auth/quen-mat-khau", data={"email": "het-han@example.vn"})
    link = _path(link_in(mailbox.wait(1)[0], "http://jobs.test/auth/dat-lai-mat-khau/"))
    real = timed.TimestampSigner.get_timestamp
    monkeypatch.setattr(timed.TimestampSigner, "get_timestamp", lambda self: real(self) + 31 * 60)
    expired = client.get(link)
    assert expired.status_code == 410 and "đã hết hạn" in expired.get_data(as_text=True)


def test_reset_requests_are_throttled(app_config, make_app, factory, mailbox):
    application = make_app({**app_config, "RATELIMIT_ENABLED": True, "PASSWORD_RESETS_PER_HOUR": 2})
    client = application.test_client()
    answers = [client.post("/auth/quen-mat-khau", data={"email": "ai-do@example.vn"}).status_code for _ in range(3)]
    assert answers == [200, 200, 429]


def test_password_change_ends_other_sessions(app, factory, db, mailbox):
    factory.user("employer", email="hai-may@example.vn")
    phone, laptop = app.test_client(), app.test_client()
    for c in (phone, laptop):
        assert c.post("/auth/login", data={"email": "hai-may@example.vn", "password": PASSWORD}).status_code == 302
    changed = laptop.post("/auth/doi-mat-khau", data={"current": PASSWORD, "password": NEW_PASSWORD,
                                                     "confirm": NEW_PASSWORD})
    assert changed.status_code == 302
    assert laptop.get("/thong-bao").status_code == 200  # this device stays logged in
    assert phone.get("/thong-bao").status_code == 302  # the other one is logged out
    wrong = laptop.post("/auth/doi-mat-khau", data={"current": "sai-mat-khau-123", "password": NEW_PASSWORD,
                                                   "confirm": NEW_PASSWORD})
    assert wrong.status_code == 422


def test_walkin_job_seeker_is_invited_to_claim_the_account(app, client, factory, db, mailbox):
    from jobmarket.workers.services import ProfileData, walkin_register

    officer = factory.user("officer")
    user, _profile = walkin_register(officer, ProfileData(full_name="Lê Thị Hoa", ward_code="00004", phone="0912345678", skill_ids=[]),
                                     "hoa@example.vn", True)
    message = mailbox.wait(1)[0]
    assert message["To"] == "hoa@example.vn" and "List-Unsubscribe" not in message
    link = _path(link_in(message, "http://jobs.test/auth/nhan-tai-khoan/"))
    assert client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert client.post("/auth/login", data={"email": "hoa@example.vn", "password": NEW_PASSWORD}).status_code == 302
    assert client.get(link).status_code == 410


def test_change_of_address_is_verified_again(client, auth, factory, db, mailbox):
    user = factory.user("worker", email="cu@example.vn")
    auth.login("cu@example.vn")
    assert client.post("/auth/doi-email", data={"email": "moi2@example.vn", "password": PASSWORD}).status_code == 302
    message = mailbox.wait(1)[0]
    assert message["To"] == "moi2@example.vn"
    db.session.refresh(user)
    assert user.email == "moi2@example.vn" and user.email_verified_at is None
    client.get(_path(link_in(message, "http://jobs.test/auth/xac-nhan-email/")))
    db.session.refresh(user)
    assert user.email_verified_at is not None


def test_mail_server_down_keeps_the_change_and_retries(app_config, make_app, factory, db, mailbox, smtp_server):
    """A refused connection never becomes a 500: the reset request succeeds, the job waits with its error and is
    sent once the server is reachable again."""
    from jobmarket.notifications.queue import dispatch_pending

    factory.user("worker", email="cho@example.vn")
    down = make_app({**app_config, "MAIL_PORT": 1, "MAIL_TIMEOUT": 1})
    assert down.test_client().post("/auth/quen-mat-khau", data={"email": "cho@example.vn"}).status_code == 200
    job = db.session.scalar(select(QueuedJob))
    assert job.status == "pending" and job.attempts == 1 and "SMTP" in job.last_error
    assert mailbox.messages == []
    job.run_after = job.run_after - timedelta(hours=1)
    db.session.commit()
    with make_app(app_config).app_context():
        assert dispatch_pending() == 1
    assert mailbox.wait(1)[0]["To"] == "cho@example.vn"
    db.session.expire_all()
    assert db.session.get(QueuedJob, job.id).status == "done"


def test_a_job_that_keeps_failing_is_kept_for_the_admins(app_config, make_app, factory, db, auth, client):
    from jobmarket.notifications.queue import dispatch_pending

    factory.user("worker", email="hong@example.vn")
    factory.user("admin", email="quantri@example.vn")
    down = make_app({**app_config, "MAIL_PORT": 1, "MAIL_TIMEOUT": 1, "QUEUE_MAX_ATTEMPTS": 2})
    down.test_client().post("/auth/quen-mat-khau", data={"email": "hong@example.vn"})
    job = db.session.scalar(select(QueuedJob))
    job.run_after = job.run_after - timedelta(hours=1)
    db.session.commit()
    with down.app_context():
        dispatch_pending()
    db.session.expire_all()
    job = db.session.get(QueuedJob, job.id)
    assert job.status == "failed" and job.attempts == 2 and "SMTP" in job.last_error
    auth.login("quantri@example.vn")
    page = client.get("/quan-tri/hang-doi")
    assert page.status_code == 200 and job.key in page.get_data(as_text=True)
