"""SQLite and PostgreSQL agree: the same hand-built market in both, every table and every open-data answer equal."""
from __future__ import annotations

from datetime import date

import pytest

from jobmarket.extensions import db as _db

from .. import dbutil
from ..factories import Factory
from . import world as world_module
from .test_indicators import FILTERS, PERIODS


@pytest.fixture
def other_database(app_config, tmp_path):
    """A database of the other kind than this run's, migrated and loaded (PostgreSQL must be reachable)."""
    with dbutil.empty_database("sqlite" if dbutil.backend() == "postgresql" else "postgresql", tmp_path) as url:
        yield url


def _snapshot(app) -> dict:
    """Every table of the dashboard for a range of filters, and the open-data answers, as plain values."""
    from jobmarket.stats import opendata, queries
    from jobmarket.stats.filters import parse_filters
    from jobmarket.stats.reference import load_reference
    from jobmarket.stats.tables import all_tables

    out: dict = {}
    with app.app_context():
        ref = load_reference()
        for period_args, _first, _last in PERIODS:
            for args in FILTERS[::3]:
                f = parse_filters({**period_args, **args}, ref, date(2025, 8, 15))
                d = queries.dashboard(f, ref)
                for table in all_tables(d, ref):
                    for row in [*table.rows, *([table.total] if table.total else [])]:
                        for key, value in row.values.items():
                            if isinstance(value, float):
                                value = round(value, 6)
                            out[(str(period_args), str(args), table.key, row.key, key)] = value
        today = date(2026, 2, 1)
        out["summary"] = opendata.summary(opendata.parse_period({"year": "2025"}, today), ref, today)
        out["monthly"] = opendata.monthly(2025, today)
        out["breakdowns"] = opendata.breakdowns(2025, ref, today).rows
        _db.session.remove()
    return out


def test_sqlite_and_postgresql_give_the_same_figures(app, other_database, make_app, app_config, tmp_path):
    other = make_app({**app_config, "SQLALCHEMY_DATABASE_URI": other_database,
                      "UPLOAD_FOLDER": str(tmp_path / "other-uploads")})
    with other.app_context():
        dbutil.migrate_and_load(other_database, str(tmp_path / "other-instance"))
    apps = [app, other]
    for each in apps:
        with each.app_context():
            world_module.build(_db, Factory(_db))
            _db.session.remove()
    first, second = (_snapshot(each) for each in apps)
    assert len(first) > 5000
    names = {each.config["SQLALCHEMY_DATABASE_URI"].split(":")[0] for each in apps}
    assert names == {"sqlite", "postgresql+psycopg"}
    differences = [k for k in first if first[k] != second.get(k)]
    assert differences == [], differences[:10]
    with other.app_context():
        dbutil.wipe(_db)


def test_the_dashboard_read_on_two_connections_equals_the_one_read_on_one(app, world):
    """STATS_PARALLEL splits the dashboard over two connections and threads; every figure must stay the same."""
    from jobmarket.stats import queries
    from jobmarket.stats.filters import parse_filters
    from jobmarket.stats.reference import load_reference

    with app.app_context():
        ref = load_reference()
        # The test database is a file or a server, so a filtered view is split (and on PostgreSQL any view; on
        # SQLite an unfiltered view of whole months reads kept figures and stays on one connection).
        june = {"period": "month", "month": "2025-06"}
        assert queries._parallel(_db.engine, parse_filters({**june, "sex": "female"}, ref, date(2025, 8, 15)))
        assert queries._parallel(_db.engine, parse_filters(june, ref, date(2025, 8, 15))) == (
            _db.engine.dialect.name == "postgresql")
        compared = placements = 0
        for period_args, _first, _last in PERIODS:
            for args in FILTERS[::2]:
                f = parse_filters({**period_args, **args}, ref, date(2025, 8, 15))
                app.config["STATS_PARALLEL"] = True
                parallel = queries.dashboard(f, ref)
                app.config["STATS_PARALLEL"] = False
                serial = queries.dashboard(f, ref)
                assert parallel == serial, (period_args, args)
                compared += 1
                placements += parallel.headline.placements
        assert compared >= 10
        assert placements > 0  # the comparison saw real figures, not only empty tables
