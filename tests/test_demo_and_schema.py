"""The demo generator (realistic, reproducible, idempotent with --if-empty) and the migrations matching the models."""
from __future__ import annotations

from sqlalchemy import func, select

from jobmarket.demo import DEMO_ACCOUNTS, generate
from jobmarket.models import (Application, ApplicationEvent, Employer, OutboxEntry, Placement, User, Vacancy, Ward, WorkerProfile,
                              worker_skills)
from jobmarket.models._common import utcnow


def snapshot(db):
    workers = db.session.execute(select(WorkerProfile.full_name, WorkerProfile.ward_code, WorkerProfile.expected_wage)
                                 .order_by(WorkerProfile.id)).all()
    vacancies = db.session.execute(select(Vacancy.title, Vacancy.ward_code, Vacancy.wage_min).order_by(Vacancy.id)).all()
    return workers, vacancies


def test_generate_makes_realistic_hanoi_data(db):
    counts = generate(workers=60, vacancies=24, seed=7)
    assert counts["workers"] == 60 and counts["vacancies"] == 24
    assert {u for (u,) in db.session.execute(select(User.email))} >= set(DEMO_ACCOUNTS.values())
    demo_worker = db.session.scalar(select(WorkerProfile).join(User, User.id == WorkerProfile.user_id)
                                    .where(User.email == DEMO_ACCOUNTS["worker"]))
    assert demo_worker is not None and demo_worker.skills
    ward_codes = {c for (c,) in db.session.execute(select(Ward.code))}
    for w in db.session.scalars(select(WorkerProfile)):
        assert w.ward_code in ward_codes
        assert len(w.full_name.split()) >= 3
        assert 4_000_000 <= w.expected_wage <= 40_000_000
    for v in db.session.scalars(select(Vacancy)):
        assert v.ward_code in ward_codes and v.required_skills
        assert v.wage_min <= v.wage_max and v.wage_min >= 4_000_000
        assert v.positions_filled <= v.positions
    assert db.session.scalar(select(func.count()).select_from(worker_skills)) >= 60 * 2
    assert db.session.scalar(select(func.count(Employer.id))) >= 3
    hires = db.session.scalar(select(func.count(Application.id)).where(Application.status == "hired"))
    assert db.session.scalar(select(func.count(Placement.id))) == hires
    # Nothing happens in the future: no answer, hire or event after the generator's "now".
    assert db.session.scalar(select(func.count(OutboxEntry.id))) == 60 + 24


def test_nothing_in_the_demo_happens_after_now(db):
    """Recent applications wait for an answer instead of being answered (or hired) in the future. (At this size,
    with seed 7, the generator once answered 9 applications up to 10 days ahead.)"""
    generate(workers=200, vacancies=80, seed=7)
    now = utcnow()
    assert db.session.scalar(select(func.count(Placement.id))) > 0
    assert db.session.scalar(select(func.count()).where(Application.responded_at > now)) == 0
    assert db.session.scalar(select(func.count()).where(Placement.hired_at > now)) == 0
    assert db.session.scalar(select(func.count()).where(ApplicationEvent.at > now)) == 0
    assert db.session.scalar(select(func.count()).where(Application.responded_at.is_(None))) > 0


def test_generate_is_reproducible(db):
    from tests.dbutil import wipe

    generate(workers=30, vacancies=10, seed=11)
    first = snapshot(db)
    db.session.remove()
    wipe(db)
    generate(workers=30, vacancies=10, seed=11)
    assert snapshot(db) == first
    db.session.remove()
    wipe(db)
    generate(workers=30, vacancies=10, seed=12)
    assert snapshot(db) != first


def test_cli_seed_demo_if_empty_is_idempotent(runner, db):
    result = runner.invoke(args=["seed-demo", "--workers", "20", "--vacancies", "8", "--seed", "3", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "worker@example.vn" in result.output and "demo-password" in result.output
    n = db.session.scalar(select(func.count(WorkerProfile.id)))
    again = runner.invoke(args=["seed-demo", "--workers", "20", "--vacancies", "8", "--if-empty"])
    assert again.exit_code == 0 and "already present" in again.output
    assert db.session.scalar(select(func.count(WorkerProfile.id))) == n == 20


def test_demo_accounts_can_log_in(runner, auth, db):
    runner.invoke(args=["seed-demo", "--workers", "5", "--vacancies", "3"])
    for email in DEMO_ACCOUNTS.values():
        assert auth.login(email=email, password="demo-password").status_code == 302
        auth.logout()


def test_migrations_match_the_models(db):
    """Autogenerate against the migrated database finds nothing to do: the migrations are complete."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_users_create_cli(runner, db):
    result = runner.invoke(args=["users", "create", "--email", "canbo@ldtbxh.hanoi.gov.vn", "--password",
                                 "mat-khau-dai-10", "--role", "officer"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User.role).where(User.email == "canbo@ldtbxh.hanoi.gov.vn")) == "officer"
    again = runner.invoke(args=["users", "create", "--email", "canbo@ldtbxh.hanoi.gov.vn", "--password",
                                "mat-khau-dai-10", "--role", "officer"])
    assert again.exit_code != 0 and "đã được đăng ký" in again.output
