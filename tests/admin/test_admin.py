"""Administration: only administrators manage accounts and the skill vocabulary; bad input is explained."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from jobmarket.models import Skill, User


@pytest.fixture
def admin_client(client, auth, factory):
    factory.user(role="admin", email="admin@example.vn")
    auth.login(email="admin@example.vn")
    return client


@pytest.mark.parametrize("role", ["worker", "employer", "officer"])
def test_non_admins_are_refused(client, auth, factory, role):
    factory.user(role=role, email=f"{role}@example.vn")
    auth.login(email=f"{role}@example.vn")
    for path in ("/quan-tri/tai-khoan", "/quan-tri/ky-nang", "/quan-tri/ky-nang/1"):
        assert client.get(path).status_code == 403
    assert client.post("/quan-tri/ky-nang/tinh-lai-trong-so").status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    response = client.get("/quan-tri/tai-khoan")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_admin_creates_an_officer_who_can_log_in(admin_client, auth, db):
    response = admin_client.post("/quan-tri/tai-khoan", data={"email": "canbo2@example.vn",
                                                             "password": "mat-khau-dai-10", "role": "officer"})
    assert response.status_code == 302
    assert db.session.scalar(select(User.role).where(User.email == "canbo2@example.vn")) == "officer"
    auth.logout()
    assert auth.login(email="canbo2@example.vn").status_code == 302


def test_admin_cannot_create_worker_accounts_or_duplicates(admin_client, db, factory):
    bad_role = admin_client.post("/quan-tri/tai-khoan", data={"email": "x@example.vn", "password": "mat-khau-dai-10",
                                                             "role": "worker"})
    assert bad_role.status_code == 422
    factory.user(email="taken@example.vn")
    dup = admin_client.post("/quan-tri/tai-khoan", data={"email": "taken@example.vn", "password": "mat-khau-dai-10",
                                                        "role": "officer"})
    assert dup.status_code == 422 and "đã được đăng ký" in dup.get_data(as_text=True)


def test_disable_and_enable_an_account(admin_client, auth, db, factory):
    user = factory.user(email="khoa@example.vn")
    assert admin_client.post(f"/quan-tri/tai-khoan/{user.id}/trang-thai", data={"enabled": "0"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).is_enabled is False
    other = admin_client.application.test_client()
    assert other.post("/auth/login", data={"email": "khoa@example.vn", "password": "mat-khau-dai-10"}).status_code == 401
    admin_client.post(f"/quan-tri/tai-khoan/{user.id}/trang-thai", data={"enabled": "1"})
    assert other.post("/auth/login", data={"email": "khoa@example.vn", "password": "mat-khau-dai-10"}).status_code == 302


def test_admin_cannot_lock_themself_out(admin_client, db):
    me = db.session.scalar(select(User).where(User.email == "admin@example.vn"))
    response = admin_client.post(f"/quan-tri/tai-khoan/{me.id}/trang-thai", data={"enabled": "0"},
                                 follow_redirects=True)
    assert "Bạn không thể tự khóa tài khoản của mình." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, me.id).is_enabled


def test_search_skills_without_diacritics(admin_client, db):
    page = admin_client.get("/quan-tri/ky-nang?q=han dien").get_data(as_text=True)
    assert "Hàn điện" in page


def test_add_and_edit_a_skill(admin_client, db):
    response = admin_client.post("/quan-tri/ky-nang", data={
        "label_vi": "Vận hành máy cắt laser", "label_en": "Laser cutter operation", "category": "manufacturing",
        "occupation_group": "72", "synonyms": "cắt laser; laser cutting"})
    assert response.status_code == 302
    skill = db.session.scalar(select(Skill).where(Skill.label_vi == "Vận hành máy cắt laser"))
    assert skill.slug == "van-hanh-may-cat-laser" and "cat laser" in skill.search_text
    response = admin_client.post(f"/quan-tri/ky-nang/{skill.id}", data={
        "label_vi": "Vận hành máy cắt laser CNC", "label_en": "CNC laser cutter operation",
        "category": "manufacturing", "occupation_group": "72", "synonyms": "cắt laser"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Skill, skill.id).label_en == "CNC laser cutter operation"


@pytest.mark.parametrize("data,message", [
    ({"label_vi": "", "label_en": "x", "category": "it", "occupation_group": "25"}, "Vui lòng nhập nhãn tiếng Việt."),
    ({"label_vi": "Kỹ năng mới", "label_en": "New", "category": "it", "occupation_group": "99"},
     "Mã nhóm nghề không tồn tại"),
    ({"label_vi": "Hàn điện", "label_en": "Dup", "category": "welding", "occupation_group": "72"},
     "Đã có kỹ năng với nhãn tiếng Việt này."),
    ({"label_vi": "x" * 500, "label_en": "y", "category": "it", "occupation_group": "25"}, "Nội dung quá dài (tối đa 120 ký tự)."),
])
def test_bad_skill_input_is_explained(admin_client, db, data, message):
    response = admin_client.post("/quan-tri/ky-nang", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_recompute_weights_from_the_page(admin_client, db, factory):
    factory.worker(skills=("han-dien",))
    response = admin_client.post("/quan-tri/ky-nang/tinh-lai-trong-so", follow_redirects=True)
    assert response.status_code == 200 and "Đã tính lại trọng số" in response.get_data(as_text=True)
    assert db.session.scalar(select(Skill.supply_count).where(Skill.slug == "han-dien")) == 1
