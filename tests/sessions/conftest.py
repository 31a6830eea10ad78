"""Builders for session tests: an officer, a published session at the central floor with employers and seekers."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from jobmarket.sessions import services


@pytest.fixture
def officer(factory):
    """A labour office account."""
    return factory.user("officer")


@pytest.fixture
def make_session(db, officer):
    """Build a session (published unless told otherwise), days ahead of today."""
    def _make(days: int = 10, mode: str = "in_person", publish: bool = True, **values):
        floor = services.ensure_central_floor()
        data = {"theme": "Phiên việc làm cơ khí", "target_group": "Thợ hàn, thợ điện", "mode": mode,
                "floor_id": floor.id if mode != "online" else None, "day": date.today() + timedelta(days=days),
                "start_time": "08:00", "end_time": "09:00", "capacity": 100, "slot_minutes": 20}
        data.update(values)
        session = services.save_session(officer, data, today=date.today())
        if publish:
            services.publish_session(session, officer)
        return session
    return _make


@pytest.fixture
def booth(db, factory, officer):
    """An approved employer at a session with one vacancy (welding) and n interviewers."""
    def _booth(session, interviewers: int = 1, title: str = "Thợ hàn", skills=("han-dien",)):
        employer = factory.employer()
        vacancy = factory.vacancy(employer=employer, title=title, required=skills)
        part = services.join_session(session, employer, [vacancy.id], interviewers, today=date.today())
        services.decide_participation(part, officer, True, booth=f"B{part.id}")
        return part, vacancy
    return _booth


@pytest.fixture
def seeker(db, factory):
    """A job seeker registered at a session, asking to meet the given vacancies."""
    def _seeker(session, vacancies=(), **values):
        worker = factory.worker(skills=("han-dien",), **values)
        reg = services.register_seeker(session, worker, worker.user, today=date.today())
        if vacancies:
            services.set_requests(reg, [v.id for v in vacancies], today=date.today())
        return reg
    return _seeker
