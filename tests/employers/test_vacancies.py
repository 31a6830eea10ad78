"""Vacancies: draft, publish only once verified, publish checks (sex, minimum wage by date, fees), edit, close."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from jobmarket.employers.services import ServiceError, publish_vacancy
from jobmarket.models import Vacancy

from .conftest import fresh, login, vacancy_form


def only_vacancy(db) -> Vacancy:
    db.session.expire_all()
    return db.session.scalar(select(Vacancy))


def count(db) -> int:
    return db.session.scalar(select(func.count(Vacancy.id)))


def test_unverified_drafts_then_publishes_once_an_officer_verifies(client, factory, unverified, db):
    login(client, unverified.owner)
    assert "<optgroup" in client.get("/doanh-nghiep/tin/moi").get_data(as_text=True)
    assert client.post("/doanh-nghiep/tin/moi", data=vacancy_form(factory)).status_code == 302
    vacancy = only_vacancy(db)
    assert vacancy.status == "draft" and vacancy.wage_min == 9_000_000 and vacancy.wage_max == 12_000_000
    assert [s.slug for s in vacancy.required_skills] == ["han-dien"] and [s.slug for s in vacancy.nice_skills] == ["han-tig"]
    refused = client.post(f"/doanh-nghiep/tin/{vacancy.id}/dang", follow_redirects=True)
    assert "chưa được cán bộ việc làm xác minh nên chưa thể đăng tin" in refused.get_data(as_text=True)
    assert only_vacancy(db).status == "draft"
    # An officer verifies the business through the office page.
    client.post("/auth/logout")
    login(client, factory.user("officer"))
    assert client.post(f"/can-bo/doanh-nghiep/{unverified.id}/xac-minh").status_code == 302
    client.post("/auth/logout")
    login(client, unverified.owner)
    done = client.post(f"/doanh-nghiep/tin/{vacancy.id}/dang", follow_redirects=True)
    assert "Đã đăng tin tuyển dụng." in done.get_data(as_text=True)
    vacancy = only_vacancy(db)
    assert vacancy.status == "open" and vacancy.published_at is not None and not vacancy.flagged
    # Every change bumped the version the search index keeps (the outbox listener, drained after commit).
    assert vacancy.version >= 2


def test_save_and_publish_in_one_step(client, factory, verified, db):
    login(client, verified.owner)
    assert client.post("/doanh-nghiep/tin/moi", data=vacancy_form(factory, action="publish")).status_code == 302
    assert only_vacancy(db).status == "open"


def test_unverified_save_and_publish_keeps_the_draft(client, factory, unverified, db):
    login(client, unverified.owner)
    response = client.post("/doanh-nghiep/tin/moi", data=vacancy_form(factory, action="publish"))
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Tin đã được lưu nháp nhưng chưa đăng được" in text and "chưa được cán bộ việc làm xác minh" in text
    assert only_vacancy(db).status == "draft"
    assert f"/doanh-nghiep/tin/{only_vacancy(db).id}/sua" in text  # the form now edits that draft


@pytest.mark.parametrize("wording", ["Chỉ tuyển nam, sức khỏe tốt.", "Ưu tiên nữ.", "chi tuyen nam", "Male only."])
def test_publish_refuses_a_sex_demand(client, factory, verified, db, wording):
    login(client, verified.owner)
    response = client.post("/doanh-nghiep/tin/moi", data=vacancy_form(factory, description=wording, action="publish"))
    assert response.status_code == 422
    assert "Tin tuyển dụng không được yêu cầu giới tính" in response.get_data(as_text=True)
    assert only_vacancy(db).status == "draft"  # saved, not published


@pytest.mark.parametrize("wording", ["Làm việc tại Nam Từ Liêm.", "Chi nhánh miền Nam.", "Kho hàng ở Hà Nam.",
                                     "Tuyển nam/nữ, 2 năm kinh nghiệm."])
def test_publish_accepts_places_and_neutral_wording(client, factory, verified, db, wording):
    login(client, verified.owner)
    client.post("/doanh-nghiep/tin/moi", data=vacancy_form(factory, description=wording, action="publish"))
    assert only_vacancy(db).status == "open"


def test_minimum_wage_follows_the_date_of_publication(factory, verified, db):
    vacancy = factory.vacancy(employer=verified, status="draft", published_at=None, wage_min=5_000_000,
                              wage_max=None, required=("han-dien",), occupation_code="7212")
    with pytest.raises(ServiceError) as refused:
        publish_vacancy(vacancy, now=datetime(2026, 1, 1, 1, 0))  # 08:00 in Hanoi on 1 January 2026
    assert refused.value.code == "wage_below_minimum" and "5.310.000" in refused.value.message
    db.session.rollback()
    # 31 December 2025, 16:59 UTC is 23:59 in Hanoi: the old minimum (4,960,000) still applies.
    assert publish_vacancy(vacancy, now=datetime(2025, 12, 31, 16, 59)) == "published"


def test_part_time_is_exempt_from_the_monthly_minimum(factory, verified, db):
    vacancy = factory.vacancy(employer=verified, status="draft", published_at=None, wage_min=3_000_000,
                              wage_max=4_000_000, job_type="part_time", required=("han-dien",))
    assert publish_vacancy(vacancy) == "published"


@pytest.fixture
def raised_minimum(app_config):
    """A dated minimum-wage table with a rise that took effect today."""
    app_config["MINIMUM_WAGES"] = [["2024-07-01", 4_960_000], [date.today().isoformat(), 10_000_000]]
    return app_config


def test_minimum_wage_table_comes_from_configuration(raised_minimum, client, factory, verified, db):
    login(client, verified.owner)
    response = client.post("/doanh-nghiep/tin/moi", data=vacancy_form(factory, action="publish"))
    assert response.status_code == 422
    assert "Mức lương thấp hơn lương tối thiểu vùng I của Hà Nội đang áp dụng (10.000.000 ₫/tháng)" in \
        response.get_data(as_text=True)
    vacancy = only_vacancy(db)
    assert vacancy.status == "draft"
    form = vacancy_form(factory, wage_min="10 triệu", action="publish")
    assert client.post(f"/doanh-nghiep/tin/{vacancy.id}/sua", data=form).status_code == 302
    assert only_vacancy(db).status == "open"


@pytest.mark.parametrize("wording", ["Đặt cọc 2 triệu khi nhận việc.", "Nộp phí hồ sơ 300.000đ.",
                                     "Việc nhẹ lương cao!", "phi dao tao 1 trieu"])
def test_fee_wording_holds_the_vacancy_for_an_officer(client, factory, verified, db, wording):
    login(client, verified.owner)
    response = client.post("/doanh-nghiep/tin/moi", data=vacancy_form(factory, description=wording, action="publish"),
                           follow_redirects=True)
    assert "đang chờ duyệt" in response.get_data(as_text=True)
    vacancy = only_vacancy(db)
    assert vacancy.status == "draft" and vacancy.flagged and vacancy.flag_reason
    assert vacancy.published_at is None
    assert "Chờ cán bộ duyệt" in client.get("/doanh-nghiep/").get_data(as_text=True)


def test_negated_fee_wording_publishes(client, factory, verified, db):
    login(client, verified.owner)
    client.post("/doanh-nghiep/tin/moi", data=vacancy_form(factory, description="Không thu phí, được đào tạo miễn phí.",
                                                           action="publish"))
    vacancy = only_vacancy(db)
    assert vacancy.status == "open" and not vacancy.flagged


def test_edit_a_vacancy(client, factory, verified, db):
    vacancy = factory.vacancy(employer=verified, required=("han-dien",), occupation_code="7212")
    login(client, verified.owner)
    page = client.get(f"/doanh-nghiep/tin/{vacancy.id}/sua").get_data(as_text=True)
    assert "Thợ hàn điện" in page and "9.000.000" in page
    form = vacancy_form(factory, title="Thợ hàn TIG", wage_min="10.000.000", wage_max="", positions="3")
    assert client.post(f"/doanh-nghiep/tin/{vacancy.id}/sua", data=form).status_code == 302
    vacancy = fresh(db, vacancy)
    assert (vacancy.title, vacancy.wage_min, vacancy.wage_max, vacancy.positions) == ("Thợ hàn TIG", 10_000_000, None, 3)
    assert vacancy.status == "open" and vacancy.version > 1


def test_editing_an_open_vacancy_keeps_the_publish_checks(client, factory, verified, db):
    vacancy = factory.vacancy(employer=verified, required=("han-dien",), occupation_code="7212")
    login(client, verified.owner)
    response = client.post(f"/doanh-nghiep/tin/{vacancy.id}/sua", data=vacancy_form(factory, description="Ưu tiên nữ"))
    assert response.status_code == 422 and "không được yêu cầu giới tính" in response.get_data(as_text=True)
    assert "Ưu tiên nữ" in response.get_data(as_text=True)  # what was typed is still in the form
    assert fresh(db, vacancy).description == "Hàn kết cấu thép tại xưởng."
    held = client.post(f"/doanh-nghiep/tin/{vacancy.id}/sua", data=vacancy_form(factory, description="Đặt cọc 1 triệu"))
    assert held.status_code == 302
    vacancy = fresh(db, vacancy)
    assert vacancy.status == "draft" and vacancy.flagged and vacancy.description == "Đặt cọc 1 triệu"


def test_close_a_vacancy(client, factory, verified, db):
    vacancy = factory.vacancy(employer=verified)
    login(client, verified.owner)
    assert "Đã đóng tin" in client.post(f"/doanh-nghiep/tin/{vacancy.id}/dong", follow_redirects=True).get_data(as_text=True)
    assert fresh(db, vacancy).status == "closed" and fresh(db, vacancy).closed_at is not None
    again = client.post(f"/doanh-nghiep/tin/{vacancy.id}/dong", follow_redirects=True)
    assert "Chỉ đóng được tin đang đăng." in again.get_data(as_text=True)


def test_reopen_a_closed_vacancy(client, factory, verified, db):
    vacancy = factory.vacancy(employer=verified, status="closed", required=("han-dien",))
    login(client, verified.owner)
    client.post(f"/doanh-nghiep/tin/{vacancy.id}/dang")
    assert fresh(db, vacancy).status == "open"


def test_taken_down_vacancy_cannot_be_edited_or_published(client, factory, verified, db):
    vacancy = factory.vacancy(employer=verified, status="taken_down", status_reason="Lừa đảo", required=("han-dien",))
    login(client, verified.owner)
    response = client.post(f"/doanh-nghiep/tin/{vacancy.id}/sua", data=vacancy_form(factory))
    assert response.status_code == 422 and "không thể sửa" in response.get_data(as_text=True)
    published = client.post(f"/doanh-nghiep/tin/{vacancy.id}/dang", follow_redirects=True)
    assert "không thể đăng lại" in published.get_data(as_text=True)
    assert fresh(db, vacancy).status == "taken_down"


def test_past_deadline_cannot_be_published(factory, verified, db):
    vacancy = factory.vacancy(employer=verified, status="expired", deadline=date.today() - timedelta(days=1),
                              required=("han-dien",))
    with pytest.raises(ServiceError) as refused:
        publish_vacancy(vacancy)
    assert refused.value.code == "deadline_passed"


@pytest.mark.parametrize("overrides,message", [
    ({"title": ""}, "Vui lòng nhập chức danh"),
    ({"title": "x" * 201}, "Chức danh tối đa 200 ký tự."),
    ({"wage_min": "abc"}, "Không đọc được mức lương"),
    ({"wage_min": "8.5"}, "Không đọc được mức lương"),
    ({"wage_min": ""}, "Vui lòng nhập mức lương tối thiểu"),
    ({"wage_min": "8"}, "Mức lương tính bằng đồng mỗi tháng"),
    ({"wage_min": "99999999999999"}, "Mức lương quá lớn."),
    ({"wage_min": "12tr", "wage_max": "9tr"}, "Mức lương tối đa phải lớn hơn hoặc bằng mức tối thiểu."),
    ({"positions": "0"}, "Số lượng cần tuyển ít nhất là 1."),
    ({"positions": "hai"}, "Số lượng phải là một số nguyên"),
    ({"positions": "99999999999"}, "Số lượng phải là một số nguyên"),
    ({"deadline": (date.today() - timedelta(days=1)).isoformat()}, "Hạn nộp hồ sơ phải là một ngày trong tương lai."),
    ({"deadline": date.today().isoformat()}, "Hạn nộp hồ sơ phải là một ngày trong tương lai."),
    ({"deadline": "31/02/2027"}, "Ngày không hợp lệ"),
    ({"deadline": "mai"}, "Ngày không hợp lệ"),
    ({"deadline": ""}, "Vui lòng nhập hạn nộp hồ sơ."),
    ({"deadline": (date.today() + timedelta(days=800)).isoformat()}, "Hạn nộp hồ sơ tối đa một năm"),
    ({"required_skill_ids": []}, "Vui lòng chọn ít nhất một kỹ năng bắt buộc."),
    ({"required_skill_ids": ["999999"]}, "Có kỹ năng không có trong danh mục."),
    ({"required_skill_ids": ["abc"]}, "Có kỹ năng không có trong danh mục."),
    ({"occupation_code": ""}, "Vui lòng chọn nghề nghiệp."),
    ({"occupation_code": "99999"}, "Mã nghề không có trong danh mục"),
    ({"ward_code": "12345"}, "Vui lòng chọn phường, xã nơi làm việc."),
    ({"job_type": "forever"}, "Vui lòng chọn hình thức làm việc."),
    ({"education_required": "phd"}, "Trình độ học vấn không hợp lệ."),
    ({"experience_required": "-1"}, "Số năm kinh nghiệm từ 0 đến 50."),
    ({"experience_required": "x"}, "Số năm kinh nghiệm phải là một số nguyên"),
])
def test_vacancy_bad_input_gets_a_vietnamese_message(client, factory, verified, db, overrides, message):
    login(client, verified.owner)
    response = client.post("/doanh-nghiep/tin/moi", data=vacancy_form(factory, **overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(db) == 0


def test_a_skill_cannot_be_both_required_and_nice(client, factory, verified, db):
    login(client, verified.owner)
    skill = str(factory.skill("han-dien").id)
    response = client.post("/doanh-nghiep/tin/moi", data=vacancy_form(factory, required_skill_ids=[skill],
                                                                       nice_skill_ids=[skill]))
    assert response.status_code == 422
    assert "Một kỹ năng không thể vừa bắt buộc vừa là ưu tiên." in response.get_data(as_text=True)


@pytest.mark.parametrize("typed,amount", [("8tr", 8_000_000), ("8 triệu", 8_000_000), ("8.000.000", 8_000_000),
                                          ("8,5 triệu", 8_500_000)])
def test_wages_as_people_type_them(client, factory, verified, db, typed, amount):
    login(client, verified.owner)
    assert client.post("/doanh-nghiep/tin/moi", data=vacancy_form(factory, wage_min=typed, wage_max="")).status_code == 302
    assert only_vacancy(db).wage_min == amount


def test_deadline_typed_as_day_month_year(client, factory, verified, db):
    login(client, verified.owner)
    day = date.today() + timedelta(days=20)
    assert client.post("/doanh-nghiep/tin/moi", data=vacancy_form(factory, deadline=day.strftime("%d/%m/%Y"))).status_code == 302
    assert only_vacancy(db).deadline == day


def test_positions_cannot_drop_below_those_filled(client, factory, verified, db):
    vacancy = factory.vacancy(employer=verified, positions=3, positions_filled=2, required=("han-dien",))
    login(client, verified.owner)
    response = client.post(f"/doanh-nghiep/tin/{vacancy.id}/sua", data=vacancy_form(factory, positions="1"))
    assert response.status_code == 422 and "Đã tuyển được 2 người" in response.get_data(as_text=True)


def test_other_employers_vacancies_are_not_found(client, factory, verified, db):
    vacancy = factory.vacancy(employer=factory.employer())
    login(client, verified.owner)
    assert client.get(f"/doanh-nghiep/tin/{vacancy.id}/sua").status_code == 404
    assert client.post(f"/doanh-nghiep/tin/{vacancy.id}/sua", data=vacancy_form(factory)).status_code == 404
    assert client.post(f"/doanh-nghiep/tin/{vacancy.id}/dang").status_code == 404
    assert client.post(f"/doanh-nghiep/tin/{vacancy.id}/dong").status_code == 404
    assert client.get(f"/doanh-nghiep/tin/{vacancy.id}/ho-so").status_code == 404
    assert client.get("/doanh-nghiep/tin/99999999999/sua").status_code == 404
    assert fresh(db, vacancy).status == "open"


def test_new_vacancy_needs_a_registered_business(client, employer_user, db):
    login(client, employer_user)
    assert client.get("/doanh-nghiep/tin/moi").headers["Location"].endswith("/doanh-nghiep/dang-ky")


def test_a_vacancy_due_today_can_still_be_edited(client, factory, verified, db):
    from jobmarket.employers.services import hanoi_today

    today = hanoi_today()
    vacancy = factory.vacancy(employer=verified, deadline=today, required=("han-dien",))
    login(client, verified.owner)
    form = vacancy_form(factory, title="Thợ hàn bậc 3", deadline=today.isoformat())
    assert client.post(f"/doanh-nghiep/tin/{vacancy.id}/sua", data=form).status_code == 302
    assert fresh(db, vacancy).title == "Thợ hàn bậc 3" and fresh(db, vacancy).status == "open"


def test_form_selects_carry_type_ahead_hooks(client, factory, verified, db):
    login(client, verified.owner)
    page = client.get("/doanh-nghiep/tin/moi").get_data(as_text=True)
    assert 'data-typeahead="skills"' in page and 'name="required_skill_ids"' in page and "multiple" in page
    assert '<optgroup label="Hàn">' in page and '<optgroup label="Kỹ năng mềm">' in page
