"""The reader's pure parts: skills with spans, never inventing, facts in words and figures."""
from __future__ import annotations

import pytest

from jobmarket.reading import read_with
from jobmarket.reading.facts import read_education, read_experience, read_job_type, read_wage
from jobmarket.reading.vocab import snapshot_from_refdata


@pytest.fixture(scope="module")
def snapshot():
    """The shipped vocabulary, without an app."""
    return snapshot_from_refdata()


def test_spans_point_at_the_text(snapshot):
    """Each mention's span is where its text is, in its field."""
    title, description = "Tuyển NV kế toán tổng hợp", "Thành thạo Excel, MISA; tin học văn phòng"
    reading = read_with(snapshot, title, description)
    for m in reading.skills:
        source = title if m.field == "title" else description
        assert source[m.span[0]:m.span[1]] == m.text
    assert reading.skill_labels == ["Kế toán tổng hợp", "Excel", "Phần mềm kế toán MISA", "Tin học văn phòng"]


def test_without_diacritics_and_nfd(snapshot):
    """Folded text and NFD input find the same skills."""
    import unicodedata

    a = read_with(snapshot, None, "thanh thao tin hoc van phong, ke toan tong hop")
    b = read_with(snapshot, None, unicodedata.normalize("NFD", "thành thạo tin học văn phòng, kế toán tổng hợp"))
    assert a.skill_labels == b.skill_labels == ["Tin học văn phòng", "Kế toán tổng hợp"]


def test_longest_match_wins_and_one_word_needs_its_diacritics(snapshot):
    """'hàn TIG' is Hàn TIG, not Hàn điện; 'máy' is not 'may'; different diacritics do not match."""
    assert read_with(snapshot, "Thợ hàn TIG").skill_labels == ["Hàn TIG"]
    assert read_with(snapshot, None, "Vận hành máy móc").skill_labels != ["May công nghiệp"]
    assert "Vận hành máy sản xuất" not in read_with(snapshot, None, "Sử dụng máy photocopy").skill_labels


def test_never_invents(snapshot):
    """Text without vocabulary words reads as nothing."""
    reading = read_with(snapshot, "Xin chào", "Công ty chúng tôi thân thiện, môi trường trẻ.")
    assert reading.skills == () and reading.wage_min is None and reading.experience_years is None


def test_short_capital_aliases(snapshot):
    """'B2' in capitals is the driving licence; 'ba' in a name is not Business analysis."""
    assert read_with(snapshot, None, "Có bằng B2").skill_labels == ["Lái xe hạng B"]
    assert read_with(snapshot, None, "Làm tại Ba Vì").skills == ()


@pytest.mark.parametrize("text,expected", [
    ("Lương 10-15tr", (10_000_000, 15_000_000)), ("upto 20tr", (None, 20_000_000)),
    ("từ 8 triệu", (8_000_000, None)), ("tối đa 12 triệu", (None, 12_000_000)),
    ("Lương thoả thuận", (None, None)), ("$800 - $1,000", (20_800_000, 26_000_000)),
    ("Nam nữ 18-35 tuổi", (None, None)), ("Liên hệ 0912345678", (None, None)),
])
def test_wages(text, expected):
    """Ranges, open bounds, USD at the configured rate, and numbers that are not wages."""
    wage = read_wage(text, usd_rate=26_000)
    assert (wage.minimum, wage.maximum) == expected


def test_negotiable_and_period():
    """'thỏa thuận' and 'cạnh tranh' are negotiable; a rate per hour says so."""
    assert read_wage("Lương thỏa thuận").negotiable and read_wage("Thu nhập cạnh tranh").negotiable
    assert read_wage("25k/giờ").period == "hour"


def test_experience_job_type_education():
    """Years of experience, the project's job type and education values."""
    assert read_experience("1-3 năm kinh nghiệm") == (1, 3)
    assert read_experience("không yêu cầu kinh nghiệm") == (0, None)
    assert read_job_type("Nhân viên bán thời gian") == "part_time"
    assert read_job_type(None, "Làm theo ca") == "shift"
    assert read_job_type("Công nhân thời vụ") == "seasonal"
    assert read_education("Tốt nghiệp Cao đẳng trở lên, ưu tiên đại học") == "college"
    assert read_education("Tốt nghiệp THPT") == "upper_secondary"


def test_workplace_named_in_the_description_gives_the_place(snapshot):
    """Without an address, 'Làm việc tại …' in the description is resolved; an address given wins."""
    from jobmarket.reading import workplace_in_text

    text = "Lương 10-15tr.\nLàm việc tại: 25 Ngõ 1 Quan Nhân, Thanh Xuân, Hà Nội\nLiên hệ chị Lan."
    assert workplace_in_text(text) == "25 Ngõ 1 Quan Nhân, Thanh Xuân, Hà Nội"
    asked = []

    def resolve(address):
        asked.append(address)
        from jobmarket.geo.resolve import Resolution
        return Resolution("empty")

    read_with(snapshot, None, text, None, resolve)
    read_with(snapshot, None, text, "Phường Cầu Giấy", resolve)
    assert asked == ["25 Ngõ 1 Quan Nhân, Thanh Xuân, Hà Nội", "Phường Cầu Giấy"]
    assert workplace_in_text("Môi trường trẻ, năng động") is None


def test_workplace_ends_at_the_sentence_not_at_an_abbreviation():
    """'P.' and 'Q.' are unit abbreviations; a full stop after a word ends the place."""
    from jobmarket.reading import workplace_in_text

    assert workplace_in_text("Làm việc tại Số 5, P. Dịch Vọng, Q. Cầu Giấy. Lương 10tr") == \
        "Số 5, P. Dịch Vọng, Q. Cầu Giấy"
