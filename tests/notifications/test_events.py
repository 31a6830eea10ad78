"""Events that notify in the app and by mail, settings per channel, one-click unsubscribe, the bell and the API."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from jobmarket.models import Notification, NotificationSetting
from jobmarket.models._common import utcnow


def _kinds(db, user_id):
    return [n.kind for n in db.session.scalars(select(Notification).where(Notification.user_id == user_id)
                                               .order_by(Notification.id))]


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_invitation_application_and_status_change_notify_both_sides(app, db, factory, mailbox):
    from jobmarket.employers.hiring import invite_worker, move_application
    from jobmarket.workers.services import apply

    employer = factory.employer(contact_phone="0241234567")
    vacancy = factory.vacancy(employer=employer, title="Thợ hàn điện")
    worker = factory.worker(full_name="Phạm Văn Nam", phone="0987654321", contact_email="nam.rieng@example.vn")
    invite_worker(vacancy, worker.id)
    invitation_mail = mailbox.wait(1)[0]
    assert invitation_mail["To"] == worker.user.email
    assert "Thợ hàn điện" in invitation_mail["Subject"]
    assert employer.name in _text(invitation_mail)
    assert "0241234567" not in invitation_mail.as_string()  # no contact data of the employer
    assert invitation_mail["List-Unsubscribe"].startswith("<http://jobs.test/thong-bao/huy-nhan/")
    assert invitation_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    application = apply(worker.user, vacancy.id)
    received = mailbox.wait(2)[1]
    employer_user = db.session.get(type(worker.user), employer.owner_id)
    assert received["To"] == employer_user.email
    raw = received.as_string()
    for private in ("0987654321", "nam.rieng@example.vn", worker.user.email, "Phạm Văn Nam"):
        assert private not in raw  # the applicant's contact is on the dashboard, never in mail
    move_application(application, "rejected", employer_user, reason="Đã tuyển đủ người")
    status_mail = mailbox.wait(3)[2]
    assert status_mail["To"] == worker.user.email and "Đã tuyển đủ người" in _text(status_mail)
    assert _kinds(db, worker.user_id) == ["invitation_received", "application_status"]
    assert _kinds(db, employer_user.id) == ["application_received"]


def test_office_decisions_notify_the_business_with_the_reason(app, db, factory, mailbox):
    from jobmarket.office.services import reject_employer, take_down_vacancy, verify_employer

    officer = factory.user("officer")
    employer = factory.employer(verified=False)
    owner_email = db.session.get(type(officer), employer.owner_id).email
    reject_employer(employer, officer, "Mã số thuế không khớp tên")
    verify_employer(employer, officer)
    vacancy = factory.vacancy(employer=employer, title="Phụ bếp")
    take_down_vacancy(vacancy, officer, "Tin trùng lặp")
    messages = mailbox.wait(3)
    assert [m["To"] for m in messages] == [owner_email] * 3
    assert "Mã số thuế không khớp tên" in _text(messages[0])
    assert messages[1]["Subject"] == "Doanh nghiệp đã được xác minh"
    assert "Tin trùng lặp" in _text(messages[2]) and "Phụ bếp" in messages[2]["Subject"]


def test_daily_job_reminds_and_warns_of_expiry(app, db, factory, mailbox):
    from jobmarket.employers.services import hanoi_today
    from jobmarket.jobs import run_daily
    from jobmarket.models import Application

    employer = factory.employer()
    soon = factory.vacancy(employer=employer, title="Bảo vệ", deadline=hanoi_today() + timedelta(days=3))
    worker = factory.worker()
    db.session.add(Application(vacancy_id=soon.id, worker_id=worker.id, created_at=utcnow() - timedelta(days=20)))
    db.session.commit()
    run_daily()
    subjects = sorted(m["Subject"] for m in mailbox.wait(2))
    assert subjects == ["1 hồ sơ đang chờ bạn trả lời", "Tin sắp hết hạn: Bảo vệ"]
    run_daily()  # a second run the same day sends nothing new
    assert len(mailbox.messages) == 2


def test_settings_switch_a_channel_off_and_security_mail_still_goes(app, client, auth, db, factory, mailbox):
    from jobmarket.office.services import take_down_vacancy

    from jobmarket.models import User

    employer = factory.employer()
    owner = db.session.get(User, employer.owner_id)
    auth.login(owner.email)
    page = client.get("/thong-bao/cai-dat")
    assert page.status_code == 200 and "Tin tuyển dụng bị gỡ" in page.get_data(as_text=True)
    assert "Đặt lại mật khẩu" not in page.get_data(as_text=True)  # security messages cannot be switched off
    form = {"vacancy_taken_down:app": "on", "application_received:mail": "on", "application_received:app": "on"}
    assert client.post("/thong-bao/cai-dat", data=form).status_code == 302
    take_down_vacancy(factory.vacancy(employer=employer), factory.user("officer"), "Sai quy định")
    assert _kinds(db, owner.id) == ["vacancy_taken_down"]  # in the app, and no mail
    client.post("/auth/quen-mat-khau", data={"email": owner.email})
    assert [m["Subject"] for m in mailbox.wait(1)] == ["Đặt lại mật khẩu của bạn"]


def test_one_click_unsubscribe(app, client, db, factory, mailbox):
    from jobmarket.notifications import notify

    user = factory.user("employer")
    notify(user, "employer_verified", name="Công ty C")
    db.session.commit()
    url = mailbox.wait(1)[0]["List-Unsubscribe"].strip("<>").replace("http://jobs.test", "")
    assert client.get(url).status_code == 200  # asks first (a link scanner's GET changes nothing)
    assert db.session.get(NotificationSetting, (user.id, "employer_verified", "mail")) is None
    response = client.post(url, data={"List-Unsubscribe": "One-Click"})  # RFC 8058, no cookie, no CSRF token
    assert response.status_code == 200
    assert db.session.get(NotificationSetting, (user.id, "employer_verified", "mail")).enabled is False
    notify(user, "employer_verified", name="Công ty C")
    db.session.commit()
    assert len(mailbox.messages) == 1
    assert client.post(url[:-4] + "xxxx").status_code == 400


def test_bell_centre_mark_read_and_api(app, client, auth, db, factory, mailbox):
    from jobmarket.notifications import notify

    user = factory.user("worker", email="chuong@example.vn")
    other = factory.user("worker")
    for n in range(3):
        notify(user, "employer_verified", name=f"Công ty {n}")
    notify(other, "employer_verified", name="Của người khác")
    db.session.commit()
    auth.login("chuong@example.vn")
    home = client.get("/thong-bao").get_data(as_text=True)
    assert 'data-unread="3"' in home and "Của người khác" not in home
    api = client.get("/api/v1/me/notifications").get_json()
    assert api["unread"] == 3 and len(api["items"]) == 3 and api["items"][0]["read"] is False
    first = api["items"][0]["id"]
    client.post("/thong-bao/da-doc", data={"id": str(first)})
    assert client.get("/api/v1/me/notifications?unread=true").get_json()["unread"] == 2
    client.post("/thong-bao/da-doc")
    assert client.get("/api/v1/me/notifications").get_json()["unread"] == 0
    assert 'data-unread=' not in client.get("/thong-bao").get_data(as_text=True)
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/me/notifications" in spec["paths"]


def test_employer_digest_instead_of_one_mail_each(app, client, auth, db, factory, mailbox):
    from jobmarket.models import User
    from jobmarket.notifications.digests import send_application_digests
    from jobmarket.workers.services import apply

    employer = factory.employer()
    owner = db.session.get(User, employer.owner_id)
    auth.login(owner.email)
    client.post("/thong-bao/cai-dat", data={"application_received:app": "on", "application_received:mail": "on",
                                            "application_received:digest": "on"})
    vacancy = factory.vacancy(employer=employer, title="Lái xe")
    for _ in range(2):
        apply(factory.worker().user, vacancy.id)
    assert mailbox.messages == []
    assert send_application_digests() == 1
    digest = mailbox.wait(1)[0]
    assert digest["To"] == owner.email and "2" in digest["Subject"] and "Lái xe" in _text(digest)
    assert send_application_digests() == 0  # once a day


def test_dev_mailbox_lists_files_only_in_development(app_config, make_app, db, factory, tmp_path):
    from jobmarket.notifications import notify

    config = {**app_config, "MAIL_SERVER": None, "ENV_NAME": "development"}
    dev = make_app(config)
    user = factory.user("employer", email="dev@example.vn")
    with dev.app_context():
        from jobmarket.extensions import db as dev_db

        notify(dev_db.session.get(type(user), user.id), "employer_verified", name="Công ty Dev")
        dev_db.session.commit()
    files = list((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 1
    page = dev.test_client().get("/dev/mail").get_data(as_text=True)
    assert "Doanh nghiệp đã được xác minh" in page and "dev@example.vn" in page
    assert make_app(app_config).test_client().get("/dev/mail").status_code == 404
