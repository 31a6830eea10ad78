"""What employers see of workers (contact only after an application or an accepted invitation) and invitations."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from jobmarket.models import Invitation

from .conftest import login, make_application

PHONE, EMAIL = "0987654321", "rieng.tu@example.vn"


@pytest.fixture
def worker(factory):
    """A visible, seeking worker with unique contact data and a CV."""
    return factory.worker(skills=("han-dien",), phone=PHONE, contact_email=EMAIL, sex="male", birth_year=1990,
                          cv_filename="abc123.pdf", bio="Thợ hàn 5 năm.")


@pytest.fixture
def cv_route(app):
    """Stand in for the job seekers' CV route (built by the workers area) so the guarded link can render."""
    assert "workers.cv_download" in app.view_functions
    return app


def profile(client, worker) -> str:
    response = client.get(f"/doanh-nghiep/ung-vien/{worker.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_contact_hidden_before_any_application(cv_route, client, factory, verified, worker, db):
    factory.vacancy(employer=verified)
    login(client, verified.owner)
    page = profile(client, worker)
    assert worker.full_name in page and "Thợ hàn 5 năm." in page and "Hàn điện" in page
    assert PHONE not in page and EMAIL not in page and "/cv.pdf" not in page
    assert "1990" not in page  # sex and age are statistics only, never shown to employers
    assert "chỉ hiện sau khi người lao động ứng tuyển" in page


def test_contact_and_cv_after_the_worker_applied(cv_route, client, factory, verified, worker, db):
    vacancy = factory.vacancy(employer=verified)
    application = make_application(db, vacancy, worker)
    login(client, verified.owner)
    page = profile(client, worker)
    assert PHONE in page and EMAIL in page and f"/nguoi-lao-dong/{worker.id}/cv.pdf" in page
    application.status = "withdrawn"
    db.session.commit()
    page = profile(client, worker)
    assert PHONE not in page and EMAIL not in page and "/cv.pdf" not in page
    applications_page = client.get(f"/doanh-nghiep/tin/{vacancy.id}/ho-so").get_data(as_text=True)
    assert PHONE not in applications_page and EMAIL not in applications_page


def test_contact_after_an_accepted_invitation_only(client, factory, verified, worker, db):
    vacancy = factory.vacancy(employer=verified)
    invitation = Invitation(vacancy_id=vacancy.id, worker_id=worker.id, status="pending")
    db.session.add(invitation)
    db.session.commit()
    login(client, verified.owner)
    assert PHONE not in profile(client, worker)
    invitation.status = "declined"
    db.session.commit()
    assert PHONE not in profile(client, worker)
    invitation.status = "accepted"
    db.session.commit()
    page = profile(client, worker)
    assert PHONE in page and EMAIL in page


def test_an_application_to_another_employer_gives_no_right(client, factory, verified, worker, db):
    make_application(db, factory.vacancy(employer=factory.employer()), worker)
    login(client, verified.owner)
    assert PHONE not in profile(client, worker)


def test_hidden_worker_is_not_found_unless_they_applied(client, factory, verified, db):
    hidden = factory.worker(is_visible=False, phone=PHONE)
    login(client, verified.owner)
    assert client.get(f"/doanh-nghiep/ung-vien/{hidden.id}").status_code == 404
    make_application(db, factory.vacancy(employer=verified), hidden)
    assert PHONE in profile(client, hidden)


def test_worker_profile_needs_login_and_a_role(client, factory, worker, db):
    assert client.get(f"/doanh-nghiep/ung-vien/{worker.id}").status_code == 302
    login(client, factory.worker().user)
    assert client.get(f"/doanh-nghiep/ung-vien/{worker.id}").status_code == 404
    assert client.get("/doanh-nghiep/ung-vien/99999999999").status_code == 404


def invite(client, vacancy, worker, message=""):
    return client.post(f"/doanh-nghiep/tin/{vacancy.id}/moi/{worker.id}", data={"message": message},
                       follow_redirects=True)


def invitations(db) -> int:
    return db.session.scalar(select(func.count(Invitation.id)))


def test_invite_a_worker(client, factory, verified, worker, db):
    vacancy = factory.vacancy(employer=verified)
    login(client, verified.owner)
    page = profile(client, worker)
    assert f"/doanh-nghiep/tin/{vacancy.id}/moi/{worker.id}" in page  # a no-JS form per open vacancy
    response = invite(client, vacancy, worker, "Mời anh đến phỏng vấn.")
    assert "Đã gửi lời mời ứng tuyển" in response.get_data(as_text=True)
    invitation = db.session.scalar(select(Invitation))
    assert (invitation.vacancy_id, invitation.worker_id, invitation.status) == (vacancy.id, worker.id, "pending")
    assert invitation.message == "Mời anh đến phỏng vấn."
    assert PHONE not in response.get_data(as_text=True)  # a pending invitation gives no contact right
    duplicate = invite(client, vacancy, worker)
    assert "Bạn đã mời người này ứng tuyển vào tin này rồi." in duplicate.get_data(as_text=True)
    assert invitations(db) == 1


def test_invitation_rules(client, factory, verified, worker, db):
    login(client, verified.owner)
    draft = factory.vacancy(employer=verified, status="draft", published_at=None)
    assert "Chỉ mời ứng tuyển được vào tin đang đăng." in invite(client, draft, worker).get_data(as_text=True)
    others = factory.vacancy(employer=factory.employer())
    assert client.post(f"/doanh-nghiep/tin/{others.id}/moi/{worker.id}").status_code == 404
    vacancy = factory.vacancy(employer=verified)
    for unreachable in (factory.worker(is_visible=False), factory.worker(is_seeking=False)):
        assert client.post(f"/doanh-nghiep/tin/{vacancy.id}/moi/{unreachable.id}").status_code == 404
    assert client.post(f"/doanh-nghiep/tin/{vacancy.id}/moi/99999999999").status_code == 404
    applied = factory.worker()
    make_application(db, vacancy, applied)
    assert "Người này đã nộp hồ sơ vào tin này." in invite(client, vacancy, applied).get_data(as_text=True)
    too_long = invite(client, vacancy, worker, "x" * 1001)
    assert "Lời nhắn tối đa 1.000 ký tự." in too_long.get_data(as_text=True)
    assert invitations(db) == 0


def test_disabled_account_cannot_be_invited(client, factory, verified, db):
    worker = factory.worker()
    worker.user.is_enabled = False
    db.session.commit()
    vacancy = factory.vacancy(employer=verified)
    login(client, verified.owner)
    assert client.post(f"/doanh-nghiep/tin/{vacancy.id}/moi/{worker.id}").status_code == 404


def test_invitations_listed_on_the_applications_page(client, factory, verified, worker, db):
    vacancy = factory.vacancy(employer=verified)
    login(client, verified.owner)
    invite(client, vacancy, worker)
    page = client.get(f"/doanh-nghiep/tin/{vacancy.id}/ho-so").get_data(as_text=True)
    assert "Lời mời đã gửi" in page and worker.full_name in page and "Chờ trả lời" in page
