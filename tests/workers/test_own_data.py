"""Own data: export everything held as JSON; delete the account (placements stay only as anonymous counts)."""
from __future__ import annotations

import json

from sqlalchemy import func, select

from jobmarket.auth.services import issue_token
from jobmarket.models import (ApiToken, Application, ApplicationEvent, Invitation, Placement, User,
                              WorkerProfile)
from jobmarket.models._common import utcnow
from jobmarket.workers import cv as cv_files

from .conftest import field_errors, flashes, make_pdf
from .test_cv import upload


def count(db, model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def hire(db, application) -> Placement:
    """What the employer side does on hiring: status, event and an anonymous placement."""
    vacancy, worker = application.vacancy, application.worker
    application.status = "hired"
    application.events.append(ApplicationEvent(from_status="received", to_status="hired",
                                                actor_id=vacancy.employer.owner_id))
    placement = Placement(application_id=application.id, vacancy_id=vacancy.id, employer_id=vacancy.employer_id,
                          hired_at=utcnow(), ward_code=vacancy.ward_code, district_code=vacancy.ward.district_code,
                          worker_ward_code=worker.ward_code, occupation_code=vacancy.occupation_code, sex=worker.sex,
                          birth_year=worker.birth_year, education_level=worker.education_level, days_to_fill=3.0)
    db.session.add(placement)
    db.session.commit()
    return placement


def test_export_contains_the_account_profile_applications_and_invitations(worker_client, profile, factory, invite,
                                                                           db):
    vacancy = factory.vacancy(title="Thợ hàn điện công trình")
    worker_client.post(f"/nguoi-lao-dong/ung-tuyen/{vacancy.id}", data={"note": "Ghi chú của tôi"})
    invite(factory.vacancy(title="Thợ hàn bồn"), profile, "Mời anh")
    response = worker_client.get("/nguoi-lao-dong/du-lieu-cua-toi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["account"]["email"] == "nld@example.vn" and data["account"]["role"] == "worker"
    assert data["profile"]["full_name"] == "Nguyễn Văn Hàn" and data["profile"]["phone"] == "0912345678"
    assert data["profile"]["contact_email"] == "han@example.vn" and data["profile"]["ward"]["code"] == "00004"
    assert [s["slug"] for s in data["profile"]["skills"]] == ["han-dien"]
    [application] = data["applications"]
    assert application["vacancy"]["title"] == "Thợ hàn điện công trình" and application["note"] == "Ghi chú của tôi"
    assert application["history"][0]["to_status"] == "received" and application["history"][0]["by_me"] is True
    [invitation] = data["invitations"]
    assert invitation["message"] == "Mời anh" and invitation["status"] == "pending"
    assert "password" not in response.text and "password_hash" not in response.text


def test_export_without_a_profile(worker_client, db):
    data = worker_client.get("/nguoi-lao-dong/du-lieu-cua-toi.json").json
    assert data["profile"] is None and data["applications"] == [] and data["invitations"] == []


def test_delete_the_account_keeps_only_anonymous_placements(app, worker_client, worker_user, profile, factory, invite,
                                                            db):
    upload(worker_client, make_pdf())
    db.session.refresh(profile)
    cv_path = cv_files.path_for(profile.cv_filename)
    hired_at = factory.vacancy(title="Đã tuyển")
    pending = factory.vacancy(title="Đang chờ")
    worker_client.post(f"/nguoi-lao-dong/ung-tuyen/{hired_at.id}", data={})
    worker_client.post(f"/nguoi-lao-dong/ung-tuyen/{pending.id}", data={})
    invite(factory.vacancy(), profile)
    issue_token(worker_user)
    placement = hire(db, db.session.scalar(select(Application).where(Application.vacancy_id == hired_at.id)))
    bystander = factory.worker(skills=("han-dien",))
    user_id, profile_id = worker_user.id, profile.id

    page = worker_client.get("/nguoi-lao-dong/xoa-tai-khoan")
    assert page.status_code == 200 and "Sẽ bị xoá vĩnh viễn" in page.text
    wrong = worker_client.post("/nguoi-lao-dong/xoa-tai-khoan", data={"password": "sai-mat-khau", "confirm": "y"})
    assert wrong.status_code == 422 and field_errors(wrong.text)["password"] == "Mật khẩu không đúng."
    unconfirmed = worker_client.post("/nguoi-lao-dong/xoa-tai-khoan", data={"password": "mat-khau-dai-10"})
    assert unconfirmed.status_code == 422 and "Vui lòng đánh dấu để xác nhận." in field_errors(unconfirmed.text)["confirm"]
    assert db.session.get(User, user_id) is not None

    response = worker_client.post("/nguoi-lao-dong/xoa-tai-khoan", data={"password": "mat-khau-dai-10", "confirm": "y"})
    assert response.status_code == 302 and response.location.endswith("/")
    db.session.expire_all()
    assert db.session.get(User, user_id) is None and db.session.get(WorkerProfile, profile_id) is None
    assert count(db, Application, Application.worker_id == profile_id) == 0
    assert count(db, ApplicationEvent) == 0  # the bystander never applied
    assert count(db, Invitation, Invitation.worker_id == profile_id) == 0
    assert count(db, ApiToken, ApiToken.user_id == user_id) == 0
    assert not cv_path.exists()
    kept = db.session.get(Placement, placement.id)
    assert kept is not None and kept.application_id is None and kept.vacancy_id == hired_at.id
    assert kept.ward_code == hired_at.ward_code and kept.days_to_fill == 3.0
    assert db.session.get(WorkerProfile, bystander.id) is not None
    home = worker_client.get("/")
    assert "Tài khoản và toàn bộ dữ liệu của bạn đã được xoá." in flashes(home.text)
    assert worker_client.get("/nguoi-lao-dong/").status_code == 302  # logged out
    assert worker_client.post("/auth/login", data={"email": "nld@example.vn",
                                                   "password": "mat-khau-dai-10"}).status_code == 401


def test_delete_an_account_without_a_profile(worker_client, worker_user, db):
    user_id = worker_user.id
    response = worker_client.post("/nguoi-lao-dong/xoa-tai-khoan", data={"password": "mat-khau-dai-10", "confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user_id) is None


def test_only_job_seekers_reach_their_own_data_pages(factory, client_for, db):
    employer = client_for(factory.user("employer"))
    assert employer.get("/nguoi-lao-dong/du-lieu-cua-toi.json").status_code == 403
    assert employer.post("/nguoi-lao-dong/xoa-tai-khoan", data={"password": "mat-khau-dai-10",
                                                               "confirm": "y"}).status_code == 403
