"""An officer registers a walk-in job seeker on their behalf, only with the person's recorded consent."""
from __future__ import annotations

from sqlalchemy import func, select

from jobmarket.models import User, WorkerProfile
from jobmarket.workers.services import WALKIN_EMAIL_DOMAIN

from .conftest import field_errors, flashes


def walkin_form(factory, **overrides) -> dict:
    data = {"account_email": "", "full_name": "Phạm Thị Hoa", "phone": "0987 654 321", "address": "xã Đông Anh",
            "skills": [str(factory.skill("han-dien").id)], "experience_years": "5", "is_visible": "y",
            "anywhere_in_hanoi": "y", "consent": "y"}
    data.update(overrides)
    return data


def profiles(db) -> int:
    return db.session.scalar(select(func.count()).select_from(WorkerProfile))


def test_an_officer_registers_a_walk_in_with_consent(factory, client_for, db):
    officer = factory.user("officer")
    client = client_for(officer)
    page = client.get("/can-bo/nguoi-lao-dong/moi")
    assert page.status_code == 200 and 'name="consent"' in page.text and 'name="account_email"' in page.text
    response = client.post("/can-bo/nguoi-lao-dong/moi", data=walkin_form(factory, account_email="Hoa@Example.vn"))
    assert response.status_code == 302
    profile = db.session.scalar(select(WorkerProfile))
    assert profile.full_name == "Phạm Thị Hoa" and profile.phone == "0987654321" and profile.ward.name_vi == "Đông Anh"
    assert profile.registered_by_id == officer.id and profile.consent_at is not None
    user = db.session.get(User, profile.user_id)
    assert user.email == "hoa@example.vn" and user.role == "worker"
    assert "Đã đăng ký người lao động Phạm Thị Hoa" in " ".join(flashes(client.get(response.location).text))
    # Nobody knows the password: no login until the person claims the account.
    anonymous = client.application.test_client()
    assert anonymous.post("/auth/login", data={"email": "hoa@example.vn", "password": "mat-khau-dai-10"}
                          ).status_code == 401


def test_a_walk_in_without_email_gets_a_placeholder_account(factory, client_for, db):
    client = client_for(factory.user("admin"))
    assert client.post("/can-bo/nguoi-lao-dong/moi", data=walkin_form(factory)).status_code == 302
    user = db.session.get(User, db.session.scalar(select(WorkerProfile.user_id)))
    assert user.email.endswith("@" + WALKIN_EMAIL_DOMAIN)


def test_without_consent_nothing_is_registered(factory, client_for, db):
    client = client_for(factory.user("officer"))
    form = walkin_form(factory)
    del form["consent"]
    response = client.post("/can-bo/nguoi-lao-dong/moi", data=form)
    assert response.status_code == 422
    assert field_errors(response.text)["consent"] == "Cần có sự đồng ý của người lao động trước khi đăng ký."
    assert 'value="Phạm Thị Hoa"' in response.text  # what the officer typed is kept
    assert profiles(db) == 0


def test_walk_in_input_errors_and_taken_email(factory, client_for, db):
    client = client_for(factory.user("officer"))
    bad = client.post("/can-bo/nguoi-lao-dong/moi", data=walkin_form(factory, phone="123", account_email="x@"))
    errors = field_errors(bad.text)
    assert bad.status_code == 422 and "Số điện thoại di động không hợp lệ" in errors["phone"]
    assert errors["account_email"] == "Địa chỉ email không hợp lệ."
    factory.user("employer", email="taken@example.vn")
    taken = client.post("/can-bo/nguoi-lao-dong/moi", data=walkin_form(factory, account_email="taken@example.vn"))
    assert taken.status_code == 422 and "Email này đã được đăng ký" in field_errors(taken.text)["account_email"]
    assert profiles(db) == 0


def test_only_staff_register_walk_ins(factory, client_for, client, db):
    for role in ("worker", "employer"):
        assert client_for(factory.user(role)).post("/can-bo/nguoi-lao-dong/moi",
                                                   data=walkin_form(factory)).status_code == 403
    assert client.get("/can-bo/nguoi-lao-dong/moi").status_code == 302  # to the login page
    assert profiles(db) == 0
