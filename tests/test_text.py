"""Vietnamese text folding and cleaning, and tax code checks."""
from __future__ import annotations

import unicodedata

import pytest

from jobmarket.employers.taxcode import check_digit, is_valid_tax_code
from jobmarket.text import clean, fold, fold_tokens, has_control_chars


@pytest.mark.parametrize("raw,folded", [
    ("Đống Đa", "dong da"), ("ĐỐNG ĐA", "dong da"), ("Kế toán", "ke toan"), ("Cầu Giấy", "cau giay"),
    ("thợ hàn điện", "tho han dien"), ("Hai Bà Trưng", "hai ba trung"), ("", ""),
])
def test_fold(raw, folded):
    assert fold(raw) == folded
    assert fold(unicodedata.normalize("NFD", raw)) == folded


def test_clean_normalises_and_strips_controls():
    nfd = unicodedata.normalize("NFD", "  Nguyễn\tVăn\u200bA\x00 ")
    assert clean(nfd) == "Nguyễn Văn A"
    assert unicodedata.is_normalized("NFC", clean(nfd))
    assert has_control_chars("a\x07b") and not has_control_chars("dòng\nmới")


def test_fold_tokens():
    assert fold_tokens("Thợ điện (công nghiệp), 5 năm") == ["tho", "dien", "cong", "nghiep", "5", "nam"]


def test_tax_code():
    head = "010123456"
    digit = check_digit(head)
    if digit is None:
        head = "010123457"
        digit = check_digit(head)
    code = head + str(digit)
    assert is_valid_tax_code(code)
    assert is_valid_tax_code(code + "-001")
    assert is_valid_tax_code(f" {code} - 002 ".replace(" ", ""))
    assert not is_valid_tax_code(code + "-000")
    assert not is_valid_tax_code(head + str((digit + 1) % 10))
    assert not is_valid_tax_code("12345")
    assert not is_valid_tax_code("abcdefghij")
    assert not is_valid_tax_code(code + "-01")
