"""Typo correction: one edit on folded words of five or more letters, over the vocabulary and open vacancy titles."""
from __future__ import annotations

import pytest

from jobmarket.search import spelling
from jobmarket.search.spelling import Dictionary


@pytest.fixture
def small():
    return Dictionary.build([("Kế toán tổng hợp", 3), ("Nhân viên kinh doanh", 2), ("Kỹ thuật điện", 1),
                             ("kinh doanh bất động sản", 1), ("nguyên liệu", 1), ("accountant", 5)])


@pytest.mark.parametrize("typo, fixed", [
    ("accountnat", "accountant"),  # neighbours swapped
    ("acountant", "accountant"),  # a letter missing
    ("accountantt", "accountant"),  # a letter too many
    ("accountart", "accountant"),  # a letter wrong
    ("nhhan", "nhan"),  # four-letter word reached from a five-letter typo
    ("thuaat", "thuat"),
    ("KINNH", "kinh"),  # case and folding first
    ("tổngg", "tong"),
])
def test_one_edit_is_corrected(small, typo, fixed):
    assert small.correct(typo) == fixed


@pytest.mark.parametrize("word", [
    "toan",  # known
    "tong",  # known and short
    "kinhh"[:4],  # short
    "acountnat",  # two edits
    "xyzzyq",  # nothing near
    "doanh",  # known
    "12345",  # digits
    "acc0untant",  # holds a digit
    "",
])
def test_no_correction(small, word):
    assert small.correct(word) is None


def test_most_frequent_wins_then_alphabetical():
    d = Dictionary.build([("bancx", 1), ("bancy", 3), ("bancz", 3)])
    assert d.correct("bancw") == "bancy"
    assert Dictionary.build([("hang", 1)]).correct("hangg") == "hang"


def test_database_dictionary_and_did_you_mean(db, factory, seeded_synonyms):
    factory.vacancy(title="Thợ sửa chữa điều hòa")
    factory.vacancy(title="Nhân viên chăm sóc khách hàng")
    factory.vacancy(title="Thợ sửa chữa ô tô", status="closed")
    spelling.rebuild()
    assert spelling.known("dieu") and spelling.known("hoa")
    assert spelling.correct("chuaa") == "chua"
    assert spelling.correct("welderr") == "welder"  # the curated list
    assert spelling.correct("acountant") == "accountant"  # vocabulary
    assert spelling.did_you_mean("sửa chuaa điều hòa") == "sửa chữa điều hòa"
    assert spelling.did_you_mean("kế toán") is None
    assert spelling.did_you_mean("") is None
    assert spelling.corrections(["sua", "chuaa", "khachh"]) == {1: "chua", 2: "khach"}


def test_refresh_rule(db, factory, seeded_synonyms, monkeypatch):
    spelling.rebuild()
    assert not spelling.known("xylanh")
    factory.vacancy(title="Thợ sửa xylanh thủy lực")
    assert not spelling.known("xylanh")  # within the refresh interval: the built dictionary
    monkeypatch.setattr(spelling, "CHECK_SECONDS", 0.0)
    monkeypatch.setattr(spelling, "REFRESH_SECONDS", 0.0)
    assert spelling.known("xylanh")  # the signature changed: rebuilt
    assert spelling.correct("xylanhh") == "xylanh"
