"""Language choice and Vietnamese formatting of money, dates and distances."""
from __future__ import annotations

from datetime import date, datetime

from jobmarket.i18n import format_date, format_datetime, format_km, format_vnd


def test_vnd_formatting():
    assert format_vnd(12_000_000) == "12.000.000 ₫"
    assert format_vnd(0) == "0 ₫"
    assert format_vnd(None) == ""


def test_dates_are_day_first():
    assert format_date(date(2026, 1, 5)) == "05/01/2026"
    # Stored UTC, shown in Hanoi time (UTC+7).
    assert format_datetime(datetime(2026, 1, 5, 20, 30)) == "06/01/2026 03:30"


def test_km_uses_decimal_comma_in_vietnamese(app):
    with app.test_request_context("/"):
        assert format_km(2.14) == "2,1 km"
    with app.test_request_context("/", headers={"Cookie": "lang=en"}):
        assert format_km(2.14) == "2.1 km"


def test_default_is_vietnamese_and_switch_is_remembered(client, db):
    assert 'lang="vi"' in client.get("/").get_data(as_text=True)
    response = client.get("/lang/en?next=/auth/login")
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/login")
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'lang="en"' in page and "Log in" in page


def test_switch_is_saved_on_the_account(client, auth, db, factory):
    from jobmarket.models import User

    user = factory.user(email="lang@example.vn")
    auth.login(email="lang@example.vn")
    client.get("/lang/en")
    db.session.expire_all()
    assert db.session.get(User, user.id).locale == "en"
    fresh = client.application.test_client()
    fresh.post("/auth/login", data={"email": "lang@example.vn", "password": "mat-khau-dai-10"})
    assert 'lang="en"' in fresh.get("/").get_data(as_text=True)


def test_unknown_language_and_foreign_next_are_ignored(client, db):
    response = client.get("/lang/fr?next=https://evil.example/")
    assert response.status_code == 302 and "evil" not in response.headers["Location"]
    assert 'lang="vi"' in client.get("/").get_data(as_text=True)


def test_every_message_has_an_english_translation():
    """The English catalogue covers every Vietnamese msgid in the code and templates."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "scripts/i18n.py", "check"], cwd=root, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
