"""Reading what people type: Vietnamese mobile numbers and monthly wages written the way Hanoians write them."""
from __future__ import annotations

import re

from ..text import clean, fold

# Mobile prefixes in use since the 2018 renumbering (Viettel 03x/086/096-098, VinaPhone 08x/091/094,
# MobiFone 07x/089/090/093, Vietnamobile 052/056/058/092, Gmobile 059/099, Itel 087, Reddi 055).
_MOBILE = re.compile(r"0(?:3[2-9]|5[25689]|7[06-9]|8[1-9]|9\d)\d{7}")
_PHONE_JUNK = re.compile(r"[\s.\-()]")

WAGE_MIN_VND = 500_000
WAGE_MAX_VND = 500_000_000


def normalise_phone(value: str | None) -> str | None:
    """'+84 912 345 678', '0912.345.678' -> '0912345678'; None when it is not a Vietnamese mobile number."""
    text = _PHONE_JUNK.sub("", clean(value))
    for country in ("+84", "0084", "84"):
        if text.startswith(country) and len(text) == len(country) + 9:
            text = "0" + text[len(country):]
            break
    return text if _MOBILE.fullmatch(text) else None


_UNIT_MILLION = r"(?:tr|trieu|m|cu|mil|million)"
_UNIT_THOUSAND = r"(?:k|nghin|ngan|ng)"
_MILLION = re.compile(rf"^(\d{{1,4}}(?:[.,]\d{{1,3}})?)\s*{_UNIT_MILLION}\s*(\d{{1,3}})?$")
_THOUSAND = re.compile(rf"^(\d{{1,6}})\s*{_UNIT_THOUSAND}$")
_GROUPED = re.compile(r"^\d{1,3}(?:([.,\s])\d{3})+$")
_PLAIN = re.compile(r"^\d{1,10}$")
_NOISE = re.compile(r"/\s*thang|\+|\b(?:vnd|dong|d|mot thang|moi thang|thang|tu|khoang|tren|toi thieu)\b")


def parse_wage(value: str | None) -> int | None:
    """A monthly wage in VND from '8.000.000', '8000000', '8tr', '8 triệu', '8,5 triệu', '8tr5', '8000k'.

    Returns None for text that is not a wage (the caller says so to the user); bounds are checked by the caller.
    """
    text = fold(clean(value)).replace("đ", "d")
    text = _NOISE.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        return None
    if m := _MILLION.match(text):
        whole = float(m.group(1).replace(",", "."))
        amount = whole * 1_000_000
        if m.group(2):  # '8tr5' = 8.5 million, '8tr500' = 8.5 million, '8tr05' = 8.05 million
            if "." in m.group(1) or "," in m.group(1):
                return None
            tail = m.group(2)
            amount += int(tail) * 10 ** (6 - len(tail))
        return int(round(amount))
    if m := _THOUSAND.match(text):
        return int(m.group(1)) * 1_000
    if m := _GROUPED.match(text):
        return int(re.sub(r"[.,\s]", "", text))
    if _PLAIN.match(text):
        return int(text)
    return None
