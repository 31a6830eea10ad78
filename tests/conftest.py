"""Fixtures: a migrated database per run, a fresh app and empty tables per test, clients and factories."""
from __future__ import annotations

import os

import pytest

from jobmarket import create_app
from jobmarket.extensions import db as _db

from . import dbutil

os.environ.setdefault("JOBMARKET_ENV", "testing")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """One database for the whole run, migrated with the real migrations and holding the reference data."""
    instance = tmp_path_factory.mktemp("instance")
    if dbutil.backend() == "postgresql":
        url = dbutil.create_pg_database()
        try:
            dbutil.migrate_and_load(url, str(instance))
            yield url
        finally:
            dbutil.drop_pg_database(url)
    else:
        url = f"sqlite:///{instance / 'test.sqlite3'}"
        dbutil.migrate_and_load(url, str(instance))
        yield url


@pytest.fixture
def app_config(database_url, tmp_path):
    """Configuration of the app under test; tests may change it before asking for `app`."""
    return {
        "TESTING": True,
        "ENV_NAME": "testing",
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "ELASTICSEARCH_URL": None,
        "SERVER_NAME": None,
    }


@pytest.fixture
def app(app_config):
    """A fresh app; every table but the reference data is emptied after the test."""
    application = create_app(app_config)
    yield application
    with application.app_context():
        _db.session.remove()
        dbutil.wipe(_db)
        _db.engine.dispose()


@pytest.fixture
def make_app():
    """Build extra apps (other configuration) whose database connections are closed after the test."""
    made = []

    def _make(config: dict):
        application = create_app(config)
        made.append(application)
        return application

    yield _make
    for application in made:
        with application.app_context():
            _db.session.remove()
            _db.engine.dispose()


@pytest.fixture
def db(app):
    """The database, inside an app context."""
    with app.app_context():
        yield _db


@pytest.fixture
def client(app):
    """A test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner."""
    return app.test_cli_runner()


class AuthActions:
    """Register, log in and log out through the real pages."""

    def __init__(self, client):
        self._client = client

    def register(self, email="nld@example.vn", password="mat-khau-dai-10", role="worker"):
        return self._client.post("/auth/register", data={"email": email, "password": password, "confirm": password,
                                                         "role": role})

    def login(self, email="nld@example.vn", password="mat-khau-dai-10"):
        return self._client.post("/auth/login", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/auth/logout")


@pytest.fixture
def auth(client):
    """Account actions on the test client."""
    return AuthActions(client)


@pytest.fixture
def factory(db):
    """Builders for users, workers, employers and vacancies (see tests/factories.py)."""
    from .factories import Factory

    return Factory(db)


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright, one per run (Playwright cannot download browsers here, and a
    second sync_playwright() in the same process fails while the first one's event loop is running)."""
    if not os.path.exists(CHROMIUM):
        dbutil.missing_dependency(f"Chromium not found at {CHROMIUM} (Debian package 'chromium')")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-dev-shm-usage"])
        yield chromium
        chromium.close()
