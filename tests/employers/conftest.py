"""Fixtures for the employer journey: logged-in employers, form data for vacancies, API tokens."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.factories import PASSWORD


def login(client, user) -> None:
    """Log user in through the real login page."""
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)


def token_for(client, user) -> dict:
    """Authorization header with a fresh API token for user."""
    response = client.post("/api/v1/auth/token", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 201
    return {"Authorization": f"Bearer {response.json['token']}"}


def vacancy_form(factory, **overrides) -> dict:
    """A complete, valid vacancy form as the browser would post it."""
    data = {
        "title": "Thợ hàn điện", "description": "Hàn kết cấu thép tại xưởng, làm giờ hành chính.",
        "occupation_code": "7212", "required_skill_ids": [str(factory.skill("han-dien").id)],
        "nice_skill_ids": [str(factory.skill("han-tig").id)], "ward_code": "00004", "wage_min": "9.000.000",
        "wage_max": "12tr", "positions": "2", "job_type": "full_time",
        "deadline": (date.today() + timedelta(days=30)).isoformat(), "education_required": "vocational",
        "experience_required": "1", "action": "draft",
    }
    data.update(overrides)
    return data


def vacancy_json(factory, **overrides) -> dict:
    """A complete, valid vacancy body for the API."""
    data = {
        "title": "Thợ hàn điện", "description": "Hàn kết cấu thép tại xưởng.", "occupation_code": "7212",
        "required_skill_ids": [factory.skill("han-dien").id], "nice_skill_ids": [factory.skill("han-tig").id],
        "ward_code": "00004", "wage_min": 9_000_000, "wage_max": 12_000_000, "positions": 2,
        "job_type": "full_time", "deadline": (date.today() + timedelta(days=30)).isoformat(),
        "education_required": "vocational", "experience_required": 1,
    }
    data.update(overrides)
    return data


@pytest.fixture
def employer_user(factory):
    """An employer account without a business yet."""
    return factory.user("employer")


@pytest.fixture
def verified(factory):
    """A verified business and its owner."""
    return factory.employer(verified=True)


@pytest.fixture
def unverified(factory):
    """An unverified business and its owner."""
    return factory.employer(verified=False)


def make_application(db, vacancy, worker, *, status="received", created_at=None, **values):
    """An application as the worker side would create it (with its first event)."""
    from jobmarket.models import Application, ApplicationEvent
    from jobmarket.models._common import utcnow

    at = created_at or utcnow()
    values.setdefault("updated_at", at)
    application = Application(vacancy_id=vacancy.id, worker_id=worker.id, status=status, created_at=at, **values)
    application.events.append(ApplicationEvent(from_status=None, to_status="received", at=at))
    db.session.add(application)
    db.session.commit()
    return application


def fresh(db, obj):
    """Re-read obj from the database (requests ran in their own session)."""
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)
