"""While the database is unreachable every request fails fast with a clear 503 (page or JSON), never a 500 or a hang."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import exc as sqlalchemy_exc

from jobmarket.errors import database_unavailable


@pytest.fixture
def unreachable_app(make_app, app_config):
    """An app whose PostgreSQL server is a closed port on this machine."""
    config = dict(app_config, SQLALCHEMY_DATABASE_URI="postgresql://postgres@127.0.0.1:9/jobmarket")
    return make_app(config)


def test_pages_answer_503_quickly_when_the_database_is_down(unreachable_app):
    client = unreachable_app.test_client()
    started = time.monotonic()
    response = client.get("/viec-lam")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    page = response.get_data(as_text=True)
    assert "không kết nối được cơ sở dữ liệu" in page and "chưa được lưu" in page
    assert time.monotonic() - started < 10  # the connect time-out, not a hang


def test_api_answers_503_json_when_the_database_is_down(unreachable_app):
    response = unreachable_app.test_client().get("/api/v1/vacancies?q=ke+toan")
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "service_unavailable"


def test_english_message_when_the_database_is_down(unreachable_app):
    client = unreachable_app.test_client()
    client.set_cookie("lang", "en")
    response = client.get("/viec-lam")
    assert response.status_code == 503
    assert "database" in response.get_data(as_text=True).lower()


def test_a_bug_in_a_statement_is_not_called_an_outage():
    import sqlite3

    bug = sqlalchemy_exc.OperationalError("SELECT nope", {}, sqlite3.OperationalError("no such column: nope"))
    busy = sqlalchemy_exc.OperationalError("UPDATE x", {}, sqlite3.OperationalError("database is locked"))
    assert not database_unavailable(bug)
    assert database_unavailable(busy)
    assert database_unavailable(sqlalchemy_exc.TimeoutError("QueuePool limit reached"))
