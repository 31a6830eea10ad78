"""Test databases: a throwaway SQLite file or PostgreSQL database per run, migrated and loaded once."""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
import uuid

import pytest

REFERENCE_TABLES = ("former_districts", "district_adjacency", "wards", "old_wards", "ward_crosswalk", "occupations",
                    "skills", "alembic_version",
                    "skill_aliases", "occupation_aliases")
PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/test")


def in_ci() -> bool:
    """CI=true: a missing dependency is a failure, never a skip."""
    return os.environ.get("CI", "").lower() == "true"


def missing_dependency(message: str):
    """Fail in CI, skip on a developer's machine."""
    if in_ci():
        pytest.fail(f"{message} (CI=true: required)", pytrace=False)
    pytest.skip(message)


def backend() -> str:
    """Which database this run uses: TEST_DATABASE=sqlite (default) or postgresql."""
    return os.environ.get("TEST_DATABASE", "sqlite").lower()


def create_pg_database() -> str:
    """Create a uniquely named PostgreSQL database and return its URL."""
    import psycopg

    name = f"jm_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    try:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        missing_dependency(f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {exc}")
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{name}"


def drop_pg_database(url: str) -> None:
    """Drop a database made by create_pg_database."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def empty_database(kind: str, directory) -> Iterator[str]:
    """The URL of an empty database of kind ('sqlite' or 'postgresql'), a file in directory or a PostgreSQL
    database dropped afterwards."""
    if kind != "postgresql":
        yield f"sqlite:///{directory / 'empty.sqlite3'}"
        return
    url = create_pg_database()
    try:
        yield url
    finally:
        drop_pg_database(url)


def migrate_and_load(url: str, instance_path: str) -> None:
    """Run the real migrations and load the reference data into a new database."""
    from flask_migrate import upgrade

    from jobmarket import create_app
    from jobmarket.refdata.loader import load_all

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "ENV_NAME": "testing",
                      "SECRET_KEY": "test", "UPLOAD_FOLDER": os.path.join(instance_path, "uploads")})
    with app.app_context():
        upgrade(revision="heads")
        load_all()
        from jobmarket.extensions import db

        db.engine.dispose()


def wipe(db) -> None:
    """Empty every table but the reference data, and reset skill weights: a fresh database for the next test."""
    from sqlalchemy import text

    engine = db.engine
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in REFERENCE_TABLES]
    # Emptied last: deleting job seekers (SQLite: row by row) fires the triggers that keep these figures.
    tables.sort(key=lambda t: t.name in ("stats_counts", "stats_flows"))
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t.name}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            for t in tables:
                conn.execute(t.delete())
        conn.execute(text("UPDATE skills SET weight = 1.0, demand_count = 0, supply_count = 0"))
