"""Formula-safe spreadsheet cells (CSV injection): text that a spreadsheet would run as a formula stays text.

A cell whose text starts with =, +, -, @, a tab or a carriage return is read by Excel, LibreOffice and Google
Sheets as a formula (`=HYPERLINK(...)`, `@SUM(...)`, `-2+3`, DDE). Such text is neutralised; numbers are never
touched, so a negative number stays a number.
"""
from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could take this text for a formula (leading spaces are skipped by some programs)."""
    stripped = text.lstrip(" \u00a0")
    return bool(text) and (text.startswith(FORMULA_STARTS) or stripped.startswith(FORMULA_STARTS))


def csv_text(value):
    """A CSV field: formula-like text gets a leading apostrophe (OWASP's advice); anything else is as given."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def csv_row(values) -> list:
    """A CSV row of text fields (labels, headers, filters), each made safe."""
    return [csv_text(v) for v in values]


def xlsx_cell(ws, row: int, column: int, value):
    """Write one XLSX cell: numbers as numbers; text always as a string cell, never a formula (openpyxl turns
    text starting with '=' into one), and formula-like text also marked quote-prefixed so an edit keeps it text."""
    cell = ws.cell(row, column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
    return cell
