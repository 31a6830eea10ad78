"""Registering and editing a business: tax codes (incl. branches), duplicates, bad input, who may see the pages."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from jobmarket.employers.taxcode import check_digit
from jobmarket.models import Employer

from .conftest import fresh, login

HEAD = "010345678"
CODE = HEAD + str(check_digit(HEAD))


def business(**overrides) -> dict:
    data = {"name": "Công ty TNHH Cơ khí Đông Anh", "tax_code": CODE, "ward_code": "00004",
            "address_detail": "Số 12 Trần Thái Tông", "sector": "Xây dựng", "contact_person": "Trần Thị Lan",
            "contact_phone": "0912 345 678"}
    data.update(overrides)
    return data


def count(db) -> int:
    return db.session.scalar(select(func.count(Employer.id)))


def test_register_business_starts_unverified(client, employer_user, db):
    login(client, employer_user)
    assert client.get("/doanh-nghiep/").headers["Location"].endswith("/doanh-nghiep/dang-ky")
    page = client.get("/doanh-nghiep/dang-ky").get_data(as_text=True)
    assert "Phường Ba Đình" in page and "<optgroup" in page
    response = client.post("/doanh-nghiep/dang-ky", data=business())
    assert response.status_code == 302
    employer = db.session.scalar(select(Employer))
    assert employer.owner_id == employer_user.id and employer.status == "unverified"
    assert employer.tax_code == CODE and employer.contact_phone == "0912345678"
    dashboard = client.get("/doanh-nghiep/").get_data(as_text=True)
    assert "Chờ xác minh" in dashboard
    assert "tin chỉ được đăng sau khi doanh nghiệp được xác minh" in dashboard


def test_register_branch_tax_code(client, employer_user, db):
    login(client, employer_user)
    assert client.post("/doanh-nghiep/dang-ky", data=business(tax_code=CODE + "-001")).status_code == 302
    assert db.session.scalar(select(Employer.tax_code)) == CODE + "-001"


@pytest.mark.parametrize("code", ["123", HEAD + str((check_digit(HEAD) + 1) % 10), CODE + "-000", CODE + "-01",
                                  "abcdefghij", CODE + "1"])
def test_register_refuses_malformed_tax_codes(client, employer_user, db, code):
    login(client, employer_user)
    response = client.post("/doanh-nghiep/dang-ky", data=business(tax_code=code))
    assert response.status_code == 422
    assert "Mã số thuế không hợp lệ" in response.get_data(as_text=True)
    assert count(db) == 0


def test_duplicate_tax_code_is_refused_clearly(client, factory, employer_user, db):
    factory.employer(tax_code=CODE)
    login(client, employer_user)
    response = client.post("/doanh-nghiep/dang-ky", data=business(tax_code=f" {CODE} "))
    assert response.status_code == 422
    assert f"Mã số thuế {CODE} đã được một doanh nghiệp khác đăng ký" in response.get_data(as_text=True)
    assert count(db) == 1


def test_branch_of_a_registered_business_is_a_different_code(client, factory, employer_user, db):
    factory.employer(tax_code=CODE)
    login(client, employer_user)
    assert client.post("/doanh-nghiep/dang-ky", data=business(tax_code=CODE + "-002")).status_code == 302


@pytest.mark.parametrize("field,value,message", [
    ("name", "", "Vui lòng nhập tên doanh nghiệp."),
    ("name", "x" * 201, "Tên doanh nghiệp tối đa 200 ký tự."),
    ("tax_code", "", "Vui lòng nhập mã số thuế."),
    ("ward_code", "", "Vui lòng chọn phường, xã"),
    ("ward_code", "99999", "Vui lòng chọn phường, xã"),
    ("ward_code", "00004' OR 1=1", "Vui lòng chọn phường, xã"),
    ("sector", "  ", "Vui lòng nhập ngành nghề kinh doanh."),
    ("contact_person", "", "Vui lòng nhập người liên hệ."),
    ("contact_phone", "", "Vui lòng nhập số điện thoại liên hệ."),
    ("contact_phone", "12345", "Số điện thoại không hợp lệ"),
    ("name", "x" * 5000, "Nội dung quá dài."),
])
def test_register_bad_input_gets_a_vietnamese_message(client, employer_user, db, field, value, message):
    login(client, employer_user)
    response = client.post("/doanh-nghiep/dang-ky", data=business(**{field: value}))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(db) == 0


def test_control_characters_are_cleaned_not_stored(client, employer_user, db):
    login(client, employer_user)
    assert client.post("/doanh-nghiep/dang-ky", data=business(name="Công ty\x00 An\u200b Phát")).status_code == 302
    assert db.session.scalar(select(Employer.name)) == "Công ty An Phát"


def test_second_registration_goes_to_edit(client, factory, db):
    employer = factory.employer()
    login(client, employer.owner)
    assert client.get("/doanh-nghiep/dang-ky").headers["Location"].endswith("/doanh-nghiep/thong-tin")


def test_edit_business(client, factory, db):
    employer = factory.employer(verified=False)
    login(client, employer.owner)
    page = client.get("/doanh-nghiep/thong-tin").get_data(as_text=True)
    assert employer.name in page
    data = business(tax_code=employer.tax_code, name="Công ty Mới")
    assert client.post("/doanh-nghiep/thong-tin", data=data).status_code == 302
    assert fresh(db, employer).name == "Công ty Mới"


def test_verified_business_cannot_change_its_tax_code(client, factory, db):
    employer = factory.employer(verified=True)
    login(client, employer.owner)
    response = client.post("/doanh-nghiep/thong-tin", data=business(tax_code=CODE))
    assert response.status_code == 422
    assert "không thể đổi mã số thuế" in response.get_data(as_text=True)
    assert fresh(db, employer).tax_code != CODE


def test_rejected_business_goes_back_to_the_queue_after_an_edit(client, factory, db):
    employer = factory.employer(verified=False, status="rejected", status_reason="Sai địa chỉ")
    login(client, employer.owner)
    assert "Sai địa chỉ" in client.get("/doanh-nghiep/").get_data(as_text=True)
    assert client.post("/doanh-nghiep/thong-tin", data=business(tax_code=employer.tax_code)).status_code == 302
    assert fresh(db, employer).status == "unverified"


def test_employer_pages_need_an_employer_account(client, factory, db):
    assert client.get("/doanh-nghiep/").status_code == 302  # to the login page
    worker = factory.worker()
    login(client, worker.user)
    for url in ("/doanh-nghiep/", "/doanh-nghiep/dang-ky", "/doanh-nghiep/tin/moi", "/doanh-nghiep/thong-tin"):
        assert client.get(url).status_code == 403, url
