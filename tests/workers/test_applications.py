"""Applying, withdrawing and following applications; answering invitations. Every move leaves an event."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from jobmarket.authz import employer_has_contact_right
from jobmarket.models import Application, ApplicationEvent

from .conftest import field_errors, flashes


def application_of(db, vacancy, profile) -> Application | None:
    db.session.expire_all()
    return db.session.scalar(select(Application).where(Application.vacancy_id == vacancy.id,
                                                       Application.worker_id == profile.id))


def test_apply_with_a_note_and_follow_it(worker_client, worker_user, profile, factory, db):
    vacancy = factory.vacancy(required=("han-dien",), title="Thợ hàn kết cấu")
    response = worker_client.post(f"/nguoi-lao-dong/ung-tuyen/{vacancy.id}", data={"note": "Tôi đi làm ngay được."})
    assert response.status_code == 302 and response.location.endswith("/nguoi-lao-dong/don-ung-tuyen")
    application = application_of(db, vacancy, profile)
    assert application.status == "received" and application.note == "Tôi đi làm ngay được."
    assert not application.via_invitation
    [event] = application.events
    assert (event.from_status, event.to_status, event.actor_id) == (None, "received", worker_user.id)
    page = worker_client.get(response.location).text
    assert "Đã gửi hồ sơ ứng tuyển." in " ".join(flashes(page))
    assert "Thợ hàn kết cấu" in page and "Đã nộp" in page and "Rút hồ sơ" in page
    assert employer_has_contact_right(vacancy.employer_id, profile.id)


def test_the_standalone_apply_page(worker_client, profile, factory, db):
    vacancy = factory.vacancy(title="Thợ hàn ống")
    page = worker_client.get(f"/nguoi-lao-dong/ung-tuyen/{vacancy.id}")
    assert page.status_code == 200 and "Ứng tuyển: Thợ hàn ống" in page.text and 'name="note"' in page.text
    too_long = worker_client.post(f"/nguoi-lao-dong/ung-tuyen/{vacancy.id}", data={"note": "x" * 1001})
    assert too_long.status_code == 422 and "Lời nhắn dài tối đa 1000 ký tự." in field_errors(too_long.text)["note"]
    assert "x" * 1001 in too_long.text  # the note is given back, not lost
    assert application_of(db, vacancy, profile) is None


def test_duplicates_closed_unknown_and_profile_less_applications_are_refused(worker_client, worker_user, factory,
                                                                             client_for, db):
    vacancy = factory.vacancy()
    no_profile = worker_client.post(f"/nguoi-lao-dong/ung-tuyen/{vacancy.id}", data={})
    assert no_profile.status_code == 302 and "/nguoi-lao-dong/ho-so?next=" in no_profile.location
    assert "Bạn cần tạo hồ sơ người lao động trước khi ứng tuyển." in flashes(worker_client.get("/").text)

    profile = factory.worker(user=worker_user, skills=("han-dien",))
    assert worker_client.post(f"/nguoi-lao-dong/ung-tuyen/{vacancy.id}", data={}).status_code == 302
    again = worker_client.post(f"/nguoi-lao-dong/ung-tuyen/{vacancy.id}", data={}, follow_redirects=True)
    assert "Bạn đã ứng tuyển vị trí này rồi." in flashes(again.text)
    assert len(application_of(db, vacancy, profile).events) == 1

    closed = factory.vacancy(status="closed")
    refused = worker_client.post(f"/nguoi-lao-dong/ung-tuyen/{closed.id}", data={}, follow_redirects=True)
    assert "Tin tuyển dụng này đã đóng, không nhận hồ sơ nữa." in flashes(refused.text)
    past_deadline = factory.vacancy(deadline=date.today() - timedelta(days=1))
    late = worker_client.post(f"/nguoi-lao-dong/ung-tuyen/{past_deadline.id}", data={}, follow_redirects=True)
    assert "Tin tuyển dụng này đã đóng" in " ".join(flashes(late.text))
    for missing in (999_999, 2**40):
        unknown = worker_client.post(f"/nguoi-lao-dong/ung-tuyen/{missing}", data={})
        assert unknown.status_code == 404 and "Không tìm thấy tin tuyển dụng này." in unknown.text
    draft = factory.vacancy(status="draft")
    assert worker_client.post(f"/nguoi-lao-dong/ung-tuyen/{draft.id}", data={}).status_code == 404
    unverified = factory.vacancy(employer=factory.employer(verified=False))
    assert worker_client.post(f"/nguoi-lao-dong/ung-tuyen/{unverified.id}", data={}).status_code == 404
    for other in (application_of(db, v, profile) for v in (closed, past_deadline, draft, unverified)):
        assert other is None

    employer = client_for(factory.user("employer"))
    assert employer.post(f"/nguoi-lao-dong/ung-tuyen/{vacancy.id}", data={}).status_code == 403


def test_withdraw_and_apply_again(worker_client, worker_user, profile, factory, db):
    vacancy = factory.vacancy()
    worker_client.post(f"/nguoi-lao-dong/ung-tuyen/{vacancy.id}", data={})
    application = application_of(db, vacancy, profile)
    response = worker_client.post(f"/nguoi-lao-dong/don-ung-tuyen/{application.id}/rut", follow_redirects=True)
    assert "Đã rút hồ sơ ứng tuyển." in flashes(response.text) and "Đã rút hồ sơ" in response.text
    application = application_of(db, vacancy, profile)
    assert application.status == "withdrawn"
    assert [(e.from_status, e.to_status) for e in application.events] == [(None, "received"), ("received", "withdrawn")]
    assert all(e.actor_id == worker_user.id and e.at is not None for e in application.events)
    assert not employer_has_contact_right(vacancy.employer_id, profile.id)
    twice = worker_client.post(f"/nguoi-lao-dong/don-ung-tuyen/{application.id}/rut", follow_redirects=True)
    assert "Đơn ứng tuyển này đã có kết quả nên không thể rút." in flashes(twice.text)
    assert worker_client.post(f"/nguoi-lao-dong/ung-tuyen/{vacancy.id}", data={"note": "Lần hai"}).status_code == 302
    application = application_of(db, vacancy, profile)
    assert application.status == "received" and application.note == "Lần hai"
    assert [e.to_status for e in application.events] == ["received", "withdrawn", "received"]


def test_decided_applications_cannot_be_withdrawn_and_others_cannot_touch_mine(worker_client, profile, factory,
                                                                               client_for, db):
    vacancy = factory.vacancy()
    worker_client.post(f"/nguoi-lao-dong/ung-tuyen/{vacancy.id}", data={})
    application = application_of(db, vacancy, profile)
    application.status = "hired"
    db.session.commit()
    response = worker_client.post(f"/nguoi-lao-dong/don-ung-tuyen/{application.id}/rut", follow_redirects=True)
    assert "không thể rút" in " ".join(flashes(response.text))
    assert application_of(db, vacancy, profile).status == "hired"
    stranger = client_for(factory.worker().user)
    assert stranger.post(f"/nguoi-lao-dong/don-ung-tuyen/{application.id}/rut").status_code == 404
    assert worker_client.post("/nguoi-lao-dong/don-ung-tuyen/424242/rut").status_code == 404


def test_the_history_shows_every_move_with_time(worker_client, profile, factory, db):
    vacancy = factory.vacancy(title="Thợ hàn TIG")
    worker_client.post(f"/nguoi-lao-dong/ung-tuyen/{vacancy.id}", data={})
    application = application_of(db, vacancy, profile)
    employer_user = vacancy.employer.owner
    application.events.append(ApplicationEvent(from_status="received", to_status="interview",
                                               actor_id=employer_user.id, note="Phỏng vấn thứ Hai"))
    application.status = "interview"
    db.session.commit()
    page = worker_client.get("/nguoi-lao-dong/don-ung-tuyen").text
    assert "Đã nộp → Mời phỏng vấn" in page and "Phỏng vấn thứ Hai" in page
    assert page.count("<time datetime=") == 2


def test_accept_an_invitation_applies_and_opens_contact(worker_client, profile, factory, invite, db):
    vacancy = factory.vacancy(title="Thợ hàn MIG")
    invitation = invite(vacancy, profile, "Chúng tôi cần thợ hàn như bạn.")
    assert not employer_has_contact_right(vacancy.employer_id, profile.id)
    page = worker_client.get("/nguoi-lao-dong/loi-moi").text
    assert "Chúng tôi cần thợ hàn như bạn." in page and "Nhận lời và ứng tuyển" in page
    assert "Thợ hàn MIG" in worker_client.get("/nguoi-lao-dong/").text  # pending invitations on the dashboard
    response = worker_client.post(f"/nguoi-lao-dong/loi-moi/{invitation.id}/nhan-loi")
    assert response.status_code == 302 and response.location.endswith("/nguoi-lao-dong/don-ung-tuyen")
    db.session.refresh(invitation)
    assert invitation.status == "accepted" and invitation.responded_at is not None
    application = application_of(db, vacancy, profile)
    assert application.via_invitation and application.status == "received"
    assert employer_has_contact_right(vacancy.employer_id, profile.id)
    again = worker_client.post(f"/nguoi-lao-dong/loi-moi/{invitation.id}/tu-choi", follow_redirects=True)
    assert "Bạn đã trả lời lời mời này rồi." in flashes(again.text)


def test_decline_an_invitation(worker_client, profile, factory, invite, client_for, db):
    vacancy = factory.vacancy()
    invitation = invite(vacancy, profile)
    response = worker_client.post(f"/nguoi-lao-dong/loi-moi/{invitation.id}/tu-choi", follow_redirects=True)
    assert "Đã từ chối lời mời." in flashes(response.text) and "Đã từ chối" in response.text
    db.session.refresh(invitation)
    assert invitation.status == "declined" and application_of(db, vacancy, profile) is None
    assert not employer_has_contact_right(vacancy.employer_id, profile.id)
    stranger = client_for(factory.worker().user)
    other = invite(factory.vacancy(), profile)
    assert stranger.post(f"/nguoi-lao-dong/loi-moi/{other.id}/nhan-loi").status_code == 404


def test_an_invitation_to_a_closed_vacancy_cannot_be_accepted(worker_client, profile, factory, invite, db):
    vacancy = factory.vacancy()
    invitation = invite(vacancy, profile)
    vacancy.status = "closed"
    db.session.commit()
    response = worker_client.post(f"/nguoi-lao-dong/loi-moi/{invitation.id}/nhan-loi", follow_redirects=True)
    assert "Tin tuyển dụng này đã đóng, không nhận hồ sơ nữa." in flashes(response.text)
    db.session.refresh(invitation)
    assert invitation.status == "pending"


def test_applying_directly_answers_a_pending_invitation(worker_client, profile, factory, invite, db):
    vacancy = factory.vacancy()
    invitation = invite(vacancy, profile)
    worker_client.post(f"/nguoi-lao-dong/ung-tuyen/{vacancy.id}", data={})
    db.session.refresh(invitation)
    assert invitation.status == "accepted" and application_of(db, vacancy, profile).via_invitation
