"""Fixtures of the search pages' tests: a small Hanoi job market and logging in as each kind of user."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from jobmarket.models import Employer, User, Vacancy, WorkerProfile
from jobmarket.models._common import utcnow

from ..factories import PASSWORD

CAU_GIAY, YEN_HOA, NGHIA_DO = "00166", "00175", "00160"  # former district Cầu Giấy (005)
LANG = "00199"  # Láng, former Đống Đa (006), which borders Cầu Giấy
DONG_ANH = "00454"  # far north, former Đông Anh (017)


@dataclass
class Market:
    """The rows the tests look at."""

    employer: Employer  # verified; owns the vacancies below
    other_employer: Employer  # verified, owns `other_vacancy`
    accountant: Vacancy  # "Kế toán tổng hợp", open, Cầu Giấy
    welder: Vacancy  # "Thợ hàn điện", open, Đông Anh
    closed: Vacancy
    draft: Vacancy
    unverified_vacancy: Vacancy  # open, but its employer is not verified
    other_vacancy: Vacancy
    worker: WorkerProfile  # accountant living in Yên Hòa (Cầu Giấy)
    welder_worker: WorkerProfile  # welder in Đông Anh
    hidden_worker: WorkerProfile  # an accountant who hid the profile
    officer: User


@pytest.fixture
def market(factory, db) -> Market:
    """Two verified employers, one unverified, vacancies in every state, three workers and an officer."""
    now = utcnow()
    employer = factory.employer(name="Công ty TNHH Kế Toán Hà Thành")
    other = factory.employer(name="Công ty Cổ phần Sông Đà")
    unverified = factory.employer(name="Công ty Chưa Xác Minh", verified=False)
    accountant = factory.vacancy(
        employer=employer, title="Kế toán tổng hợp", description="Lập báo cáo tài chính, quyết toán thuế.",
        ward_code=CAU_GIAY, wage_min=10_000_000, wage_max=12_000_000, required=("ke-toan-tong-hop", "ke-toan-thue"),
        nice=("excel",), published_at=now - timedelta(days=3), occupation_code=None)
    welder = factory.vacancy(
        employer=employer, title="Thợ hàn điện", description="Hàn kết cấu thép tại xưởng.", ward_code=DONG_ANH,
        wage_min=9_000_000, wage_max=None, required=("han-dien",), nice=("han-tig",), job_type="shift",
        published_at=now - timedelta(days=1))
    closed = factory.vacancy(employer=employer, title="Kế toán kho (đã đóng)", status="closed",
                             required=("ke-toan-kho",), ward_code=CAU_GIAY)
    draft = factory.vacancy(employer=employer, title="Kế toán nháp", status="draft", published_at=None,
                            required=("ke-toan-tong-hop",), ward_code=CAU_GIAY)
    unverified_vacancy = factory.vacancy(employer=unverified, title="Kế toán công nợ", ward_code=CAU_GIAY,
                                         required=("ke-toan-cong-no",))
    other_vacancy = factory.vacancy(employer=other, title="Nhân viên kế toán thuế", ward_code=LANG,
                                    wage_min=8_000_000, wage_max=9_000_000, required=("ke-toan-thue",),
                                    published_at=now - timedelta(days=10))
    worker = factory.worker(full_name="Nguyễn Thị Hồng Nhung", phone="0912345678",
                            contact_email="nhung.private@example.vn", ward_code=YEN_HOA, expected_wage=11_000_000,
                            skills=("ke-toan-tong-hop", "excel"), experience_years=4, education_level="university")
    welder_worker = factory.worker(full_name="Trần Văn Hùng", phone="0987000111", contact_email="hung.han@example.vn",
                                   ward_code=DONG_ANH, expected_wage=10_000_000, skills=("han-dien",))
    hidden_worker = factory.worker(full_name="Lê Thị Ẩn", phone="0900000999", contact_email="an.hidden@example.vn",
                                   ward_code=CAU_GIAY, skills=("ke-toan-tong-hop",), is_visible=False)
    officer = factory.user("officer")
    return Market(employer, other, accountant, welder, closed, draft, unverified_vacancy, other_vacancy, worker,
                  welder_worker, hidden_worker, officer)


@pytest.fixture
def login(client):
    """Log the test client in as a user (through the real login page)."""

    def _login(user: User):
        client.post("/auth/logout")
        response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user

    return _login


@pytest.fixture
def token(client):
    """A bearer-token header for a user, from the real token endpoint."""

    def _token(user: User) -> dict:
        response = client.post("/api/v1/auth/token", json={"email": user.email, "password": PASSWORD})
        assert response.status_code == 201
        return {"Authorization": f"Bearer {response.json['token']}"}

    return _token


@pytest.fixture
def other_areas_routes(app):
    """Stand-ins for the apply and invite routes of the journeys areas, when those are not merged yet.

    The search pages only link to them (guarded by `'x.y' in view_functions`); a stand-in lets the tests see the
    forms. When the real routes exist, they are used and nothing is added.
    """
    def _stand_in(**_kwargs):
        return "", 204

    for endpoint, rule in (("workers.apply", "/nguoi-lao-dong/ung-tuyen/<int:vacancy_id>"),
                           ("employers.invite", "/doanh-nghiep/tin/<int:vacancy_id>/moi/<int:worker_id>")):
        if endpoint not in app.view_functions:
            app.add_url_rule(rule, endpoint=endpoint, view_func=_stand_in, methods=["POST"])
    return app
