"""Backup and restore: pg_dump of a loaded PostgreSQL database, pg_restore into a new one, and a working exchange
(the kept statistics agree with a recount, search finds the same vacancies, logins and the audit log's guard work).

Always on PostgreSQL (the production database), whichever database the rest of the run uses.
"""
from __future__ import annotations

import shutil
import subprocess

import pytest
from sqlalchemy import func, select, text

from jobmarket.extensions import db as _db
from jobmarket.models import AuditEvent, Vacancy
from jobmarket.search.service import VacancyQuery, search_vacancies

from .. import dbutil

TABLES = ("users", "worker_profiles", "employers", "vacancies", "applications", "placements", "worker_skills",
          "vacancy_skills", "stats_counts", "stats_flows", "audit_events", "skills", "wards", "alembic_version")


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        dbutil.missing_dependency(f"{name} not found (Debian package postgresql-client)")
    return path


@pytest.fixture
def source_and_target(tmp_path):
    """Two new PostgreSQL databases: the loaded one, and the empty one the backup is restored into."""
    source = dbutil.create_pg_database()
    target = dbutil.create_pg_database()
    try:
        dbutil.migrate_and_load(source, str(tmp_path))
        yield source, target
    finally:
        dbutil.drop_pg_database(source)
        dbutil.drop_pg_database(target)


def _config(url, tmp_path):
    return {"TESTING": True, "ENV_NAME": "testing", "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "ELASTICSEARCH_URL": None,
            "UPLOAD_FOLDER": str(tmp_path / "uploads")}


def _facts(app) -> dict:
    """Row counts per table, and what two searches find (ids in order)."""
    with app.app_context():
        counts = {t: _db.session.scalar(text(f'SELECT count(*) FROM "{t}"')) for t in TABLES}
        searches = {q: [h.id for h in search_vacancies(VacancyQuery(q=q, per_page=50)).hits]
                    for q in ("", "ke toan", "thợ hàn")}
        _db.session.remove()
    return {"counts": counts, "searches": searches}


def test_a_restored_backup_is_a_working_exchange(source_and_target, make_app, tmp_path):
    source, target = source_and_target
    app = make_app(_config(source, tmp_path))
    runner = app.test_cli_runner()
    with app.app_context():
        seeded = runner.invoke(args=["seed-demo", "--workers", "80", "--vacancies", "40"])
        assert seeded.exit_code == 0, seeded.output
        assert runner.invoke(args=["search", "drain"]).exit_code == 0
        _db.session.remove()
    client = app.test_client()
    assert client.post("/auth/login", data={"email": "officer@example.vn", "password": "demo-password"}
                       ).status_code == 302
    with app.app_context():
        vacancy_id = _db.session.scalar(select(Vacancy.id).where(Vacancy.status == "open").order_by(Vacancy.id))
        _db.session.remove()
    assert client.post(f"/can-bo/tin/{vacancy_id}/go", data={"reason": "Kiểm tra sao lưu"}).status_code == 302
    before = _facts(app)
    assert before["counts"]["vacancies"] >= 40 and before["counts"]["audit_events"] >= 1
    assert before["searches"][""], "the loaded database finds nothing"
    with app.app_context():
        _db.engine.dispose()

    dump = tmp_path / "jobmarket.dump"
    subprocess.run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(dump), _libpq(source)],
                   check=True, capture_output=True, timeout=300)
    restored = subprocess.run([_tool("pg_restore"), "--no-owner", "--exit-on-error", "--dbname", _libpq(target),
                               str(dump)], capture_output=True, text=True, timeout=300)
    assert restored.returncode == 0, restored.stderr

    copy = make_app(_config(target, tmp_path))
    with copy.app_context():
        check = copy.test_cli_runner().invoke(args=["stats", "recount", "--check"])
        _db.session.remove()
    assert check.exit_code == 0, check.output
    assert "0 figures differ" in check.output
    after = _facts(copy)
    assert after == before
    print(f"\nrestored: {after['counts']}; search hits {[len(v) for v in after['searches'].values()]}")
    # People can log in, the taken-down vacancy stays down, the audit trail came along and is still guarded.
    copy_client = copy.test_client()
    assert copy_client.post("/auth/login", data={"email": "worker@example.vn", "password": "demo-password"}
                            ).status_code == 302
    assert copy_client.get(f"/viec-lam/{vacancy_id}").status_code == 404
    page = copy_client.get("/viec-lam?q=ke+toan")
    assert page.status_code == 200
    with copy.app_context():
        assert _db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "vacancy.take_down")) == 1
        from sqlalchemy.exc import DBAPIError

        with pytest.raises(DBAPIError, match="append-only"):
            with _db.engine.begin() as conn:
                conn.execute(text("DELETE FROM audit_events"))
        _db.session.remove()
