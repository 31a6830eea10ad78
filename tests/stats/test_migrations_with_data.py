"""Migrations 0008 to 0010 on a database that already holds job seekers, vacancies and applications: the kept
figures start equal to a recount, the response times are filled in, the applications carry their vacancy's and
applicant's facts, and nothing saved is lost."""
from __future__ import annotations

from datetime import datetime

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, insert, select, text

from jobmarket.extensions import db as _db
from jobmarket.models import Application, Vacancy, WorkerProfile, stats_summary

from .. import dbutil
from ..factories import Factory


@pytest.fixture
def fresh_url(tmp_path):
    """An empty database of this run's kind."""
    with dbutil.empty_database(dbutil.backend(), tmp_path) as url:
        yield url


def test_upgrading_a_database_with_data_counts_what_is_there(fresh_url, make_app, app_config, tmp_path, request):
    from jobmarket.refdata.loader import load_all

    app = make_app({**app_config, "SQLALCHEMY_DATABASE_URI": fresh_url, "UPLOAD_FOLDER": str(tmp_path / "up")})
    with app.app_context():
        upgrade(revision="0007")
        load_all()
        # The factory writes through today's models, whose tables have columns of later migrations: give the 0007
        # tables those columns while the rows go in, and take them away before upgrading (the rows stay as 0007
        # would hold them).
        later = [("users", "session_version", "INTEGER DEFAULT 0"), ("users", "email_verified_at", "TIMESTAMP")]
        for table, column, kind in later:
            _db.session.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} {kind}"))
        # Nor may today's search sync write 0007's derived tables (0012 rebuilds them from the rows).
        from sqlalchemy import event
        from sqlalchemy.orm import Session

        from jobmarket.search import dbindex

        for name, hook in (("before_flush", dbindex._before_flush), ("after_flush", dbindex._after_flush),
                           ("do_orm_execute", dbindex._do_orm_execute)):
            event.remove(Session, name, hook)
        request.addfinalizer(dbindex.install)  # back for the tests after this one, whatever happens here
        factory = Factory(_db)
        workers = [factory.worker(ward_code=ward, sex=sex, birth_year=1990, skills=skills, is_seeking=seeking)
                   for ward, sex, skills, seeking in [("00004", "female", ("han-dien", "giao-tiep"), True),
                                                      ("00166", "male", ("han-dien",), True),
                                                      ("00166", None, ("giao-tiep",), False)]]
        vacancy = factory.vacancy(required=("han-dien",), nice=("giao-tiep",), positions=3, ward_code="00166",
                                  occupation_code="7212")
        factory.vacancy(required=("han-tig",), positions=2, status="closed", closed_at=datetime(2025, 6, 1))
        sent = datetime(2025, 6, 1, 8, 0)
        _db.session.execute(insert(Application.__table__).values(
            vacancy_id=vacancy.id, worker_id=workers[0].id, status="received", note="", via_invitation=False,
            created_at=sent, updated_at=sent, responded_at=datetime(2025, 6, 2, 20, 0)))
        _db.session.commit()
        dbindex.install()
        for table, column, _kind in later:
            _db.session.execute(text(f"ALTER TABLE {table} DROP COLUMN {column}"))
        _db.session.commit()

        upgrade(revision="heads")
        _db.session.remove()
        conn = _db.session.connection()
        kept = stats_summary.counted(conn)
        han_dien, giao_tiep = (factory.skill(s).id for s in ("han-dien", "giao-tiep"))
        assert kept[("ward", "00004", "", "")] == 1 and kept[("ward", "00166", "", "")] == 1
        assert kept[("skill", str(han_dien), "", "")] == 2 and kept[("skill", str(giao_tiep), "", "")] == 1
        assert {k[1]: n for k, n in kept.items() if k[0] == "demand"} == {str(han_dien): 3}
        assert stats_summary.differences(conn) == {}
        assert abs(_db.session.scalar(select(Application.response_days)) - 1.5) < 1e-6
        # 0010: the application carries its vacancy's place of work and occupation and its applicant's facts.
        assert _db.session.execute(select(Application.ward_code, Application.occupation_code, Application.sex,
                                          Application.birth_year)).one() == ("00166", "7212", "female", 1990)
        assert stats_summary.stale_copies(conn) == {"applications": 0, "worker_skills": 0}
        assert _db.session.scalar(select(func.count()).select_from(WorkerProfile)) == 3
        assert _db.session.scalar(select(func.count()).select_from(Vacancy)) == 2

        # And the triggers work from there on.
        _db.session.execute(text("UPDATE worker_profiles SET is_seeking = :yes"), {"yes": True})
        _db.session.commit()
        assert stats_summary.counted(_db.session.connection())[("skill", str(giao_tiep), "", "")] == 2
        assert stats_summary.differences(_db.session.connection()) == {}
        _db.session.remove()
        _db.engine.dispose()
