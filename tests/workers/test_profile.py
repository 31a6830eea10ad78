"""The job seeker's profile in the browser: create, edit, address resolution with a choice, bad input everywhere."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from jobmarket.models import WorkerProfile

from .conftest import field_errors, flashes


def skill_id(factory, slug: str) -> str:
    return str(factory.skill(slug).id)


@pytest.fixture
def form(factory):
    """A complete, valid profile submission."""
    return {"full_name": "Trần Thị Mai", "phone": "+84 912 345 678", "contact_email": "mai@example.vn",
            "birth_year": "1995", "sex": "female", "address": "phường Láng", "anywhere_in_hanoi": "y",
            "preferred_wards": ["00166", "00199"], "skills": [skill_id(factory, "han-dien"), skill_id(factory, "han-tig")],
            "occupation_code": "7212", "expected_wage": "8 triệu", "job_type": "full_time",
            "education_level": "vocational", "experience_years": "3", "languages": "Tiếng Anh",
            "bio": "Thợ hàn 3 năm kinh nghiệm.\nCó chứng chỉ 3G.", "is_visible": "y"}


def saved(db, user) -> WorkerProfile | None:
    db.session.expire_all()
    return db.session.scalar(select(WorkerProfile).where(WorkerProfile.user_id == user.id))


def test_pages_need_a_job_seeker(client, factory, client_for, db):
    assert client.get("/nguoi-lao-dong/ho-so").status_code == 302  # to the login page
    assert "/auth/login" in client.get("/nguoi-lao-dong/").location
    employer = client_for(factory.user("employer"))
    assert employer.get("/nguoi-lao-dong/ho-so").status_code == 403
    assert employer.post("/nguoi-lao-dong/ho-so", data={}).status_code == 403


def test_create_a_profile(worker_client, worker_user, form, db):
    page = worker_client.get("/nguoi-lao-dong/ho-so")
    assert page.status_code == 200 and 'value="nld@example.vn"' in page.text  # the account email is offered
    assert 'data-typeahead="/goi-y/ky-nang"' in page.text and "<optgroup" in page.text
    response = worker_client.post("/nguoi-lao-dong/ho-so", data=form)
    assert response.status_code == 302 and response.location.endswith("/nguoi-lao-dong/")
    profile = saved(db, worker_user)
    assert profile.full_name == "Trần Thị Mai" and profile.phone == "0912345678"
    assert profile.ward_code == "00199" and profile.expected_wage == 8_000_000 and profile.birth_year == 1995
    assert sorted(s.slug for s in profile.skills) == ["han-dien", "han-tig"]
    assert sorted(w.code for w in profile.preferred_wards) == ["00166", "00199"]
    assert profile.occupation_code == "7212" and profile.experience_years == 3 and profile.sex == "female"
    assert profile.bio == "Thợ hàn 3 năm kinh nghiệm.\nCó chứng chỉ 3G." and profile.is_visible
    assert profile.consent_at is not None and profile.registered_by_id is None
    dashboard = worker_client.get(response.location).text
    assert "Đã tạo hồ sơ của bạn." in flashes(dashboard)
    assert "Phường Láng (khu vực Đống Đa cũ)" in dashboard


def test_a_split_old_ward_asks_which_new_ward_and_keeps_everything_typed(worker_client, worker_user, form, db):
    form["address"] = "số 12 Trần Thái Tông, phường Dịch Vọng Hậu"
    first = worker_client.post("/nguoi-lao-dong/ho-so", data=form)
    assert first.status_code == 422 and saved(db, worker_user) is None
    html = first.text
    assert "nay thuộc nhiều phường/xã mới" in field_errors(html)["address"]
    assert 'checked id="ward_code-0" name="ward_code" type="radio" value="00166"' in html  # the default, pre-picked
    assert 'value="00160"' in html and "Phường Nghĩa Đô (khu vực Cầu Giấy cũ)" in html
    for kept in ('value="Trần Thị Mai"', 'value="+84 912 345 678"', 'value="8 triệu"',
                 "Thợ hàn 3 năm kinh nghiệm.", 'value="số 12 Trần Thái Tông, phường Dịch Vọng Hậu"'):
        assert kept in html, kept
    assert f'selected value="{form["skills"][0]}"' in html
    second = worker_client.post("/nguoi-lao-dong/ho-so", data=dict(form, ward_code="00160"))
    assert second.status_code == 302
    assert saved(db, worker_user).ward_code == "00160"
    assert "trước đây: Phường Dịch Vọng Hậu, Cầu Giấy" in " ".join(flashes(worker_client.get(second.location).text))


def test_a_bare_district_asks_for_the_ward(worker_client, worker_user, form, db):
    response = worker_client.post("/nguoi-lao-dong/ho-so", data=dict(form, address="Cầu Giấy"))
    assert response.status_code == 422 and "nay gồm nhiều phường/xã" in field_errors(response.text)["address"]
    chosen = worker_client.post("/nguoi-lao-dong/ho-so", data=dict(form, address="Cầu Giấy", ward_code="00175"))
    assert chosen.status_code == 302 and saved(db, worker_user).ward_code == "00175"


def test_a_stale_choice_is_ignored_when_the_address_changes(worker_client, worker_user, form, db):
    response = worker_client.post("/nguoi-lao-dong/ho-so", data=dict(form, address="phường Láng", ward_code="00160"))
    assert response.status_code == 302 and saved(db, worker_user).ward_code == "00199"


def test_edit_a_profile(worker_client, worker_user, profile, db, factory):
    page = worker_client.get("/nguoi-lao-dong/ho-so").text
    assert 'value="Nguyễn Văn Hàn"' in page and 'value="Phường Ba Đình"' in page and 'value="8.000.000"' in page
    version = profile.version
    data = {"full_name": "Nguyễn Văn Hàn", "phone": "0912345678", "address": "Phường Ba Đình",
            "skills": [skill_id(factory, "han-dien"), skill_id(factory, "dien-dan-dung")], "expected_wage": "10tr5",
            "experience_years": "", "is_visible": "y"}
    assert worker_client.post("/nguoi-lao-dong/ho-so", data=data).status_code == 302
    edited = saved(db, worker_user)
    assert edited.expected_wage == 10_500_000 and edited.experience_years == 0 and edited.ward_code == "00004"
    assert sorted(s.slug for s in edited.skills) == ["dien-dan-dung", "han-dien"]
    assert edited.anywhere_in_hanoi is False and edited.preferred_wards == [] and edited.version > version
    assert edited.contact_email is None and edited.birth_year is None and edited.sex is None


@pytest.mark.parametrize("wage, expected", [("8.000.000", 8_000_000), ("8000000", 8_000_000), ("8tr", 8_000_000),
                                            ("8 triệu", 8_000_000), ("8,5 triệu", 8_500_000), ("8tr5", 8_500_000),
                                            ("7.500.000 đ/tháng", 7_500_000), ("9000k", 9_000_000), ("", None)])
def test_wages_as_people_write_them(worker_client, worker_user, form, db, wage, expected):
    assert worker_client.post("/nguoi-lao-dong/ho-so", data=dict(form, expected_wage=wage)).status_code == 302
    assert saved(db, worker_user).expected_wage == expected


THIS_YEAR = date.today().year
BAD_INPUT = [
    ("full_name", "", "Vui lòng nhập họ và tên."),
    ("full_name", "A" * 121, "Họ và tên dài tối đa 120 ký tự."),
    ("full_name", "Trần\x07Mai", "Nội dung có ký tự không hợp lệ."),
    ("phone", "", "Vui lòng nhập số điện thoại."),
    ("phone", "0212345678", "Số điện thoại di động không hợp lệ."),
    ("phone", "09123", "Số điện thoại di động không hợp lệ."),
    ("phone", "không có", "Số điện thoại di động không hợp lệ."),
    ("contact_email", "mai@", "Địa chỉ email không hợp lệ."),
    ("birth_year", "abc", "Năm sinh phải là năm có 4 chữ số"),
    ("birth_year", "1800", "Năm sinh phải là năm có 4 chữ số"),
    ("birth_year", str(THIS_YEAR), "Năm sinh phải là năm có 4 chữ số"),
    ("sex", "unknown", "Vui lòng chọn một giá trị trong danh sách."),
    ("address", "", "Vui lòng nhập phường/xã nơi bạn ở."),
    ("address", "xyz qwerty", "Không tìm thấy phường/xã nào của Hà Nội"),
    ("address", "123 Lê Lợi, Quận 1, TP Hồ Chí Minh", "không thuộc Hà Nội"),
    ("address", "Láng " * 100, "Địa chỉ dài tối đa 300 ký tự."),
    ("preferred_wards", ["99999"], "Có phường/xã không hợp lệ trong danh sách."),
    ("preferred_wards", ["00004", "00008", "00025", "00070", "00082", "00091", "00097", "00103", "00118", "00127",
                         "00136"], "Chọn tối đa 10 phường/xã."),
    ("skills", [], "Vui lòng chọn ít nhất một kỹ năng."),
    ("skills", ["999999"], "Có kỹ năng không hợp lệ trong danh sách."),
    ("skills", ["abc"], "Có kỹ năng không hợp lệ trong danh sách."),
    ("skills", [str(i) for i in range(1, 32)], "Chọn tối đa 30 kỹ năng."),
    ("occupation_code", "99999", "Vui lòng chọn một nghề trong danh sách."),
    ("expected_wage", "nhiều tiền", "Mức lương không hợp lệ."),
    ("expected_wage", "100", "Mức lương phải từ 500.000 đến 500.000.000 đồng một tháng."),
    ("expected_wage", "9999 triệu", "Mức lương phải từ"),
    ("job_type", "forever", "Vui lòng chọn một giá trị trong danh sách."),
    ("education_level", "phd", "Vui lòng chọn một giá trị trong danh sách."),
    ("experience_years", "-1", "Số năm kinh nghiệm phải là số nguyên từ 0 đến 60."),
    ("experience_years", "ba", "Số năm kinh nghiệm phải là số nguyên từ 0 đến 60."),
    ("experience_years", "99", "Số năm kinh nghiệm phải là số nguyên từ 0 đến 60."),
    ("languages", "x" * 201, "Tối đa 200 ký tự."),
    ("bio", "x" * 1001, "Tối đa 1000 ký tự."),
]


@pytest.mark.parametrize("name, value, message", BAD_INPUT, ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(BAD_INPUT)])
def test_bad_input_on_every_field_is_refused_clearly(worker_client, worker_user, profile, form, db, name, value,
                                                     message):
    before = (profile.full_name, profile.phone, profile.ward_code, profile.version)
    response = worker_client.post("/nguoi-lao-dong/ho-so", data=dict(form, **{name: value}))
    assert response.status_code == 422
    errors = field_errors(response.text)
    assert message in errors.get(name, ""), errors
    assert "Vui lòng sửa các lỗi bên dưới:" in response.text
    kept = saved(db, worker_user)
    assert (kept.full_name, kept.phone, kept.ward_code, kept.version) == before  # nothing saved, nothing lost


def test_messages_follow_the_users_language(app, factory, client_for, form, db):
    english = client_for(factory.user("worker", locale="en"))
    response = english.post("/nguoi-lao-dong/ho-so", data=dict(form, contact_email="not-an-email"))
    assert response.status_code == 422
    assert field_errors(response.text)["contact_email"] == "Invalid email address."
    assert '<html lang="en">' in response.text


def test_hide_and_show_the_profile(worker_client, worker_user, profile, db):
    response = worker_client.post("/nguoi-lao-dong/hien-thi", data={"visible": "0"})
    assert response.status_code == 302
    assert saved(db, worker_user).is_visible is False
    page = worker_client.get("/nguoi-lao-dong/").text
    assert "Đang ẩn" in page and "Hồ sơ của bạn đã được ẩn" in " ".join(flashes(page))
    worker_client.post("/nguoi-lao-dong/hien-thi", data={"visible": "1"})
    assert saved(db, worker_user).is_visible is True


def test_hiding_without_a_profile_says_so(worker_client, db):
    response = worker_client.post("/nguoi-lao-dong/hien-thi", data={"visible": "0"}, follow_redirects=True)
    assert "Bạn cần tạo hồ sơ người lao động trước." in flashes(response.text)


def test_dashboard_with_and_without_a_profile(worker_client, factory, worker_user, db):
    empty = worker_client.get("/nguoi-lao-dong/")
    assert empty.status_code == 200 and "Tạo hồ sơ" in empty.text
    factory.worker(user=worker_user, skills=("han-dien",), full_name="Lê Văn Bình")
    page = worker_client.get("/nguoi-lao-dong/").text
    assert "Xin chào, Lê Văn Bình" in page and "Hàn điện" in page and "Phường Ba Đình" in page
