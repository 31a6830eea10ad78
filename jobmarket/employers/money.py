"""Reading a monthly wage as people type it: "8.000.000", "8,000,000 đ", "8tr", "8 triệu", "8tr5", "8,5 triệu"."""
from __future__ import annotations

import re

from ..text import clean, fold

WAGE_CAP = 500_000_000  # per month; far above any real wage, and safely inside a 32-bit integer column

_CURRENCY = re.compile(r"(?:vnd|vnđ|dong|đồng|đ|₫|/\s*thang|/\s*tháng|mỗi tháng|moi thang|per month|/\s*month)", re.I)
_GROUPED = re.compile(r"^\d{1,3}(?:([.,\s])\d{3})(?:\1\d{3})*$")
_UNIT = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(trieu|tr|m|k|nghin|ngan)\s*(\d{1,3})?$")
_UNITS = {"trieu": 1_000_000, "tr": 1_000_000, "m": 1_000_000, "k": 1_000, "nghin": 1_000, "ngan": 1_000}


class WageFormatError(ValueError):
    """The text is not a wage we can read."""


def parse_vnd(value: str | int | None) -> int | None:
    """An amount of VND from text; None for empty input; WageFormatError when it cannot be read.

    Dots, commas and spaces between groups of three digits are thousands separators ("8.000.000").
    With a unit, a dot or comma is a decimal mark ("8,5 triệu"), and digits after the unit are its fraction
    ("8tr5" = 8.500.000, "8tr250" = 8.250.000). A bare "8.5" is ambiguous and refused.
    """
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = clean(str(value))
    if not text:
        return None
    text = fold(_CURRENCY.sub(" ", text.lower())).strip()
    text = re.sub(r"\s+", " ", text)
    if not text:
        raise WageFormatError(text)
    if text.isdigit():
        return int(text)
    if _GROUPED.match(text):
        return int(re.sub(r"[.,\s]", "", text))
    match = _UNIT.match(text)
    if match:
        number, unit, tail = match.groups()
        amount = float(number.replace(",", ".")) * _UNITS[unit]
        if tail:
            if unit not in {"trieu", "tr", "m"} or ("." in number or "," in number):
                raise WageFormatError(text)
            amount += int(tail) / (10 ** len(tail)) * _UNITS[unit]
        return int(round(amount))
    raise WageFormatError(text)
