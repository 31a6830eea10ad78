"""The daily job: expiry, reminder at 14 days, decline at 30, retention erase, idempotence, the CLI."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from jobmarket.jobs import AUTO_DECLINE_REASON, run_daily
from jobmarket.models import Application, ApplicationEvent, Invitation, Placement
from jobmarket.models._common import utcnow

from tests.employers.conftest import fresh, login, make_application

NOW = datetime(2026, 6, 15, 20, 0)  # 03:00 on 16 June in Hanoi


def count(db, model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def test_expires_open_vacancies_past_their_deadline_in_hanoi_time(factory, db):
    past = factory.vacancy(deadline=date(2026, 6, 15))        # yesterday in Hanoi
    today = factory.vacancy(deadline=date(2026, 6, 16))       # still open today
    draft = factory.vacancy(deadline=date(2026, 6, 1), status="draft", published_at=None)
    report = run_daily(NOW)
    assert report.expired == [past.id]
    assert fresh(db, past).status == "expired" and fresh(db, past).closed_at == NOW
    assert fresh(db, today).status == "open" and fresh(db, draft).status == "draft"


def test_reminds_at_14_days_and_declines_at_30(factory, verified, db):
    vacancy = factory.vacancy(employer=verified)
    day13 = make_application(db, vacancy, factory.worker(), created_at=NOW - timedelta(days=13, hours=23))
    day14 = make_application(db, vacancy, factory.worker(), created_at=NOW - timedelta(days=14))
    day31 = make_application(db, vacancy, factory.worker(), created_at=NOW - timedelta(days=31))
    answered = make_application(db, vacancy, factory.worker(), created_at=NOW - timedelta(days=40),
                                status="shortlisted", responded_at=NOW - timedelta(days=39))
    report = run_daily(NOW)
    assert report.reminded == {verified.id: [day14.id]}
    assert report.declined == [day31.id]
    assert fresh(db, day13).reminded_at is None and fresh(db, day14).reminded_at == NOW
    declined = fresh(db, day31)
    assert declined.status == "rejected" and declined.reject_reason == AUTO_DECLINE_REASON
    assert declined.responded_at is None  # the employer never answered; response statistics must see that
    last = declined.events[-1]
    assert (last.from_status, last.to_status, last.actor_id, last.note, last.at) == \
        ("received", "rejected", None, AUTO_DECLINE_REASON, NOW)
    assert fresh(db, answered).status == "shortlisted"
    # A day later the 14-day one is not reminded twice; at 30 days it is declined.
    later = run_daily(NOW + timedelta(days=1))
    assert later.reminded == {verified.id: [day13.id]} and later.declined == []
    final = run_daily(NOW + timedelta(days=17))
    assert set(final.declined) == {day13.id, day14.id}


def test_reminder_shows_on_the_employer_dashboard(client, factory, verified, db):
    vacancy = factory.vacancy(employer=verified)
    make_application(db, vacancy, factory.worker(), created_at=utcnow() - timedelta(days=15))
    run_daily()
    login(client, verified.owner)
    assert "Có 1 hồ sơ đã chờ bạn phản hồi quá lâu" in client.get("/doanh-nghiep/").get_data(as_text=True)


@pytest.fixture
def short_periods(app_config):
    """Configured periods (not the defaults) must be the ones used."""
    app_config.update(REMIND_AFTER_DAYS=2, AUTO_DECLINE_AFTER_DAYS=5, RETENTION_DAYS=10)
    return app_config


def test_periods_come_from_configuration(short_periods, factory, db):
    vacancy = factory.vacancy()
    remind = make_application(db, vacancy, factory.worker(), created_at=NOW - timedelta(days=3))
    decline = make_application(db, vacancy, factory.worker(), created_at=NOW - timedelta(days=6))
    erase = make_application(db, vacancy, factory.worker(), status="withdrawn", created_at=NOW - timedelta(days=20),
                             updated_at=NOW - timedelta(days=11))
    erase_id = erase.id
    report = run_daily(NOW)
    assert report.declined == [decline.id] and sum(report.reminded.values(), []) == [remind.id]
    assert report.erased_applications == 1 and db.session.get(Application, erase_id) is None


def test_erases_candidates_not_hired_after_retention(factory, verified, db):
    vacancy = factory.vacancy(employer=verified)
    old = NOW - timedelta(days=366)
    rejected = make_application(db, vacancy, factory.worker(), status="rejected", reject_reason="Không phù hợp",
                                note="Ghi chú cá nhân", created_at=old, updated_at=old)
    withdrawn = make_application(db, vacancy, factory.worker(), status="withdrawn", created_at=old, updated_at=old)
    recent = make_application(db, vacancy, factory.worker(), status="rejected", created_at=old,
                              updated_at=NOW - timedelta(days=100))
    hired_worker = factory.worker()
    hired = make_application(db, vacancy, hired_worker, status="hired", created_at=old, updated_at=old)
    db.session.add(Placement(application_id=hired.id, vacancy_id=vacancy.id, employer_id=verified.id, hired_at=old,
                             ward_code=vacancy.ward_code, district_code="001"))
    declined_invite = Invitation(vacancy_id=vacancy.id, worker_id=rejected.worker_id, status="declined", created_at=old)
    hired_invite = Invitation(vacancy_id=vacancy.id, worker_id=hired_worker.id, status="accepted", created_at=old)
    db.session.add_all([declined_invite, hired_invite])
    db.session.commit()
    ids = (rejected.id, withdrawn.id)
    report = run_daily(NOW)
    assert report.erased_applications == 2 and report.erased_invitations == 1
    db.session.expire_all()
    assert all(db.session.get(Application, i) is None for i in ids)
    assert db.session.scalar(select(func.count(ApplicationEvent.id)).where(ApplicationEvent.application_id.in_(ids))) == 0
    assert db.session.get(Application, recent.id) is not None and db.session.get(Application, hired.id) is not None
    assert count(db, Placement) == 1 and db.session.scalar(select(Placement.application_id)) == hired.id
    assert [i.id for i in db.session.scalars(select(Invitation))] == [hired_invite.id]


def test_running_twice_does_nothing_more(factory, db):
    vacancy = factory.vacancy(deadline=date(2026, 6, 1))
    make_application(db, vacancy, factory.worker(), created_at=NOW - timedelta(days=20))
    make_application(db, vacancy, factory.worker(), created_at=NOW - timedelta(days=35))
    old = NOW - timedelta(days=400)
    make_application(db, vacancy, factory.worker(), status="withdrawn", created_at=old, updated_at=old)
    first = run_daily(NOW)
    assert first.expired and first.reminded and first.declined and first.erased_applications == 1
    events = count(db, ApplicationEvent)
    second = run_daily(NOW)
    assert (second.expired, second.reminded, second.declined, second.erased_applications,
            second.erased_invitations) == ([], {}, [], 0, 0)
    assert count(db, ApplicationEvent) == events


def test_cli_prints_what_it_did(runner, factory, db):
    vacancy = factory.vacancy(deadline=date(2026, 6, 1))
    make_application(db, vacancy, factory.worker(), created_at=NOW - timedelta(days=15))
    result = runner.invoke(args=["jobs", "daily", "--now", "2026-06-16T03:00+07:00"])
    assert result.exit_code == 0, result.output
    assert f"expired vacancies: 1 (ids {vacancy.id})" in result.output
    assert "reminders: 1 application(s) to 1 employer(s)" in result.output
    assert f"reminder: {vacancy.employer.name}" in result.output
    assert fresh(db, vacancy).status == "expired"
    again = runner.invoke(args=["jobs", "daily", "--now", "2026-06-16T03:00+07:00"])
    assert "expired vacancies: 0" in again.output and "reminders: 0" in again.output
    bad = runner.invoke(args=["jobs", "daily", "--now", "hôm qua"])
    assert bad.exit_code != 0 and "ISO 8601" in bad.output
