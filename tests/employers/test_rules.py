"""Publish checks as pure functions: sex demands (with false positives), fee wording, minimum wage, tax codes, wages."""
from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from jobmarket.employers.money import WageFormatError, parse_vnd
from jobmarket.employers.rules import fee_flags, minimum_wage_on, sex_demands, wage_below_minimum
from jobmarket.employers.taxcode import check_digit, is_valid_tax_code
from jobmarket.text import fold

SEX_DEMANDS = [
    "Chỉ tuyển nam", "Ưu tiên nữ", "Yêu cầu: Nam giới, sức khỏe tốt", "Tuyển nữ bán hàng", "Cần 2 nhân viên nữ",
    "Tuyển bảo vệ nam", "Nữ từ 18-30 tuổi", "Nam 20 đến 35 tuổi", "Giới tính: Nữ", "Tuyển gấp 5 lao động nam",
    "Ưu tiên ứng viên nữ", "Nữ ưu tiên", "Phụ nữ được ưu tiên", "Dành cho phụ nữ", "nữ giới",
    "Tuyển lao động nam làm việc tại Nam Từ Liêm",
    "Male only", "Only men", "Female candidates preferred", "We are looking for a female receptionist",
    "Gender: male", "women only",
]
NOT_SEX_DEMANDS = [
    "Làm việc tại Nam Từ Liêm", "Chi nhánh miền Nam", "Văn phòng tại Hà Nam", "Phường Lĩnh Nam", "Phường Cửa Nam",
    "Tuyển kế toán Cửa Nam", "Ưu tiên ứng viên ở Nam Từ Liêm", "Tuyển Nam Định", "Công ty TNHH Việt Nam",
    "Thị trường Đông Nam Á", "Tuyển nam/nữ", "Tuyển nam nữ", "Tuyển nhân viên nam hoặc nữ", "Nam và nữ đều được",
    "Không phân biệt nam nữ", "Không phân biệt giới tính", "Nhân viên phục vụ nam nữ", "Yêu cầu 5 năm kinh nghiệm",
    "Có 2 năm kinh nghiệm, ưu tiên người ở gần", "Sinh viên năm cuối", "Cần tuyển 2 nhân viên năm nay",
    "Tuyển năm 2025", "tuyen nam 2025", "Liên hệ anh Nam 0912345678", "Bán hàng thời trang nữ", "kim chỉ nam",
    "Tuyển anh chị em công nhân", "Male or female", "Men and women welcome", "Hàn điện, hàn TIG",
]


@pytest.mark.parametrize("text", SEX_DEMANDS)
def test_sex_demand_is_found(text):
    assert sex_demands(text), text


@pytest.mark.parametrize("text", SEX_DEMANDS)
def test_sex_demand_is_found_without_diacritics_and_in_nfd(text):
    assert sex_demands(fold(text)), fold(text)
    assert sex_demands(unicodedata.normalize("NFD", text))


@pytest.mark.parametrize("text", NOT_SEX_DEMANDS)
def test_no_false_positive(text):
    assert sex_demands(text) == [], text


@pytest.mark.parametrize("text", ["Làm việc tại Nam Từ Liêm", "Chi nhánh miền Nam", "Văn phòng tại Hà Nam",
                                  "Tuyển nam/nữ", "Không phân biệt nam nữ", "Tuyển nhân viên Cửa Nam"])
def test_no_false_positive_without_diacritics(text):
    assert sex_demands(fold(text)) == [], fold(text)


def test_the_phrase_found_is_reported_once():
    assert sex_demands("Cần 2 nhân viên nữ") == ["cần 2 nhân viên nữ"]
    assert sex_demands("Tiêu đề sạch", "Mô tả: chỉ tuyển nam") == ["chỉ tuyển nam"]


def test_sentence_break_stops_a_neutral_pair():
    # "nam. Nữ" across a full stop is not "nam nữ": the first sentence still asks for men.
    assert sex_demands("Tuyển bảo vệ nam. Nữ làm tạp vụ.")


FEE_WORDING = ["Đặt cọc 2 triệu khi nhận việc", "Nộp phí hồ sơ 500k", "Việc nhẹ lương cao", "viec nhe luong cao",
               "dat coc dong phuc", "Phí đào tạo 1 triệu", "Nộp tiền đồng phục", "Registration fee required",
               "A deposit of 1,000,000", "Công ty giữ bằng gốc", "Không cần kinh nghiệm, đặt cọc 2 triệu",
               "Easy work, high pay", "Lệ phí 200.000đ"]
NOT_FEE_WORDING = ["Không thu phí", "Miễn phí đào tạo", "Được đào tạo miễn phí", "Không cần đặt cọc", "No fees",
                   "Ép cọc bê tông", "Thợ đóng cọc nhồi", "Không thu bất kỳ khoản phí nào", "No deposit required",
                   "Không mất phí", "Lương cao, thưởng tết", "Free training"]


@pytest.mark.parametrize("text", FEE_WORDING)
def test_fee_wording_is_flagged(text):
    assert fee_flags(text), text


@pytest.mark.parametrize("text", NOT_FEE_WORDING)
def test_fee_wording_negated_or_unrelated_is_not_flagged(text):
    assert fee_flags(text) == [], text


TABLE = [["2024-07-01", 4_960_000], ["2026-01-01", 5_310_000]]


@pytest.mark.parametrize("day,expected", [
    (date(2024, 6, 30), None), (date(2024, 7, 1), 4_960_000), (date(2025, 12, 31), 4_960_000),
    (date(2026, 1, 1), 5_310_000), (date(2030, 1, 1), 5_310_000)])
def test_minimum_wage_by_date(day, expected):
    assert minimum_wage_on(day, TABLE) == expected


def test_minimum_wage_table_order_does_not_matter():
    assert minimum_wage_on(date(2026, 5, 1), list(reversed(TABLE))) == 5_310_000


@pytest.mark.parametrize("wage_min,wage_max,job_type,day,below", [
    (5_000_000, 7_000_000, "full_time", date(2025, 12, 31), None),         # above the 2024 minimum
    (5_000_000, 7_000_000, "full_time", date(2026, 1, 1), 5_310_000),      # below the 2026 one
    (5_310_000, None, "full_time", date(2026, 1, 1), None),                 # exactly the minimum is lawful
    (4_000_000, None, "shift", date(2026, 1, 1), 5_310_000),
    (4_000_000, None, "seasonal", date(2026, 1, 1), 5_310_000),
    (3_000_000, 4_000_000, "part_time", date(2026, 1, 1), None),          # part-time is exempt
    (None, 4_000_000, "full_time", date(2026, 1, 1), 5_310_000),           # only a maximum: it counts
    (None, None, "full_time", date(2026, 1, 1), None),
])
def test_wage_below_minimum(wage_min, wage_max, job_type, day, below):
    assert wage_below_minimum(wage_min, wage_max, job_type, day, TABLE) == below


def _code(head: str) -> str:
    return head + str(check_digit(head))


@pytest.mark.parametrize("code,valid", [
    (_code("010123456"), True), (_code("010123456") + "-001", True), (_code("010123456") + "-999", True),
    (_code("010123456") + "-000", False), (_code("010123456") + "-01", False), (_code("010123456") + "001", False),
    ("0101234560", _code("010123456") == "0101234560"), ("123456789", False), ("01012345678", False),
    ("abcdefghij", False), ("", False), (" " + _code("010123456") + " ", True),
    (_code("010123456")[:9] + str((int(_code("010123456")[9]) + 1) % 10), False),
])
def test_tax_codes(code, valid):
    assert is_valid_tax_code(code) is valid


@pytest.mark.parametrize("text,amount", [
    ("8.000.000", 8_000_000), ("8,000,000", 8_000_000), ("8 000 000", 8_000_000), ("8000000", 8_000_000),
    ("8tr", 8_000_000), ("8 triệu", 8_000_000), ("8 trieu", 8_000_000), ("8tr5", 8_500_000),
    ("8,5 triệu", 8_500_000), ("8.5tr", 8_500_000), ("8tr250", 8_250_000), ("12.500.000 đ", 12_500_000),
    ("8.000.000đ/tháng", 8_000_000), ("9 triệu đồng", 9_000_000), ("500k", 500_000), ("", None), ("  ", None),
])
def test_parse_vnd(text, amount):
    assert parse_vnd(text) == amount


@pytest.mark.parametrize("text", ["8.5", "abc", "-5", "8tr5tr", "1e9", "8..000", "tám triệu"])
def test_parse_vnd_refuses_what_it_cannot_read(text):
    with pytest.raises(WageFormatError):
        parse_vnd(text)
