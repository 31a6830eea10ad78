"""Reading facts written in words and figures: wage (VND), years of experience, job type, education level."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import fold

DEFAULT_USD_VND = 26_000
WAGE_FLOOR, WAGE_CEILING = 500_000, 500_000_000  # a monthly wage outside this is not a wage we read

_NEGOTIABLE = re.compile(r"\b(?:thoa thuan|thuong luong|canh tranh|deal|negotiable|competitive|theo nang luc)\b")
_CONTEXT = re.compile(r"\b(?:luong|thu nhap|muc luong|salary|income|wage|offer|hoa hong|thuong)\b")
_UNITS = {"trieu": 1_000_000, "tr": 1_000_000, "cu": 1_000_000, "m": 1_000_000, "k": 1_000, "nghin": 1_000,
          "ngan": 1_000, "usd": 1, "$": 1, "vnd": 1, "dong": 1, "d": 1}
_NUM = r"\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?"
_UNIT = r"trieu|tr|cu|m|k|nghin|ngan|usd|vnd|dong|d"
# an amount: optional $, a number, an optional unit (not running into a word), '8tr5' style fraction digits
_AMOUNT = rf"(\$\s?)?({_NUM})\s?({_UNIT})?(?![a-z])(\d{{1,3}}(?!\d))?"
_AMT = re.compile(_AMOUNT)
_RANGE = re.compile(rf"{_AMOUNT}\s?(\$|usd)?\s?(?:-|den|toi|->|>)\s?{_AMOUNT}")
_MAX_WORDS = re.compile(r"(?:upto|up to|toi da|len den|len toi|len|max|maximum|khong qua|den)\s?$")
_MIN_WORDS = re.compile(r"(?:tu|tren|toi thieu|it nhat|from|min|minimum|>=|>|hon|khoi diem)\s?$")
_NOT_MONEY_AFTER = re.compile(r"^\s?(?:tuoi|nam|thang|ngay|gio|nguoi|ca|km|m2|cm|kg|lan|vi tri|nv|ng\b|%|/\d)")
_PERIODS = [(re.compile(r"^\s?(?:/|mot|moi|1|per|a|an)\s?(?:gio|h|hour|tieng)\b"), "hour"),
            (re.compile(r"^\s?(?:/|mot|moi|1|per|a)\s?(?:ngay|day|cong)\b"), "day"),
            (re.compile(r"^\s?(?:/|mot|moi|1|per)\s?(?:ca|shift)\b"), "shift"),
            (re.compile(r"^\s?(?:/|mot|moi|1|per|a)\s?(?:nam|year)\b"), "year")]


@dataclass(frozen=True)
class Wage:
    """A wage read from text: bounds in VND (None when not written), negotiable, currency written and period."""

    minimum: int | None = None
    maximum: int | None = None
    negotiable: bool = False
    currency: str | None = None   # "VND" or "USD" as written (USD converted at the configured rate)
    period: str | None = None     # "month" unless the text says per hour, day, shift or year


def _number(text: str, unit: str | None) -> float:
    """'10' -> 10.0, '8,5' -> 8.5, '8.000.000' -> 8000000.0 (groups of three digits are thousands)."""
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", text) and not (unit in ("trieu", "tr", "cu", "m", "usd", "$")
                                                            and re.fullmatch(r"\d{1,3}[.,]\d{3}", text) is None):
        return float(re.sub(r"[.,]", "", text))
    return float(text.replace(",", "."))


def _value(dollar: str | None, num: str, unit: str | None, tail: str | None, default_unit: str | None) -> tuple[float, str | None]:
    """An amount's value in its unit's base (VND or USD) and the unit used."""
    unit = "$" if dollar else (unit or default_unit)
    amount = _number(num, unit)
    if tail and unit in ("trieu", "tr", "cu") and re.fullmatch(r"\d+", num):
        amount += int(tail) / 10 ** len(tail)
    return amount * _UNITS.get(unit or "", 1), unit


def _period(after: str) -> str:
    """The pay period written right after an amount (default: a month)."""
    for pattern, name in _PERIODS:
        if pattern.match(after):
            return name
    return "month"


def _plausible(value: float, unit: str | None, period: str) -> bool:
    """A VND amount that can be a wage for its period."""
    if period != "month":
        return 1_000 <= value <= WAGE_CEILING
    return WAGE_FLOOR <= value <= WAGE_CEILING


def read_wage(text: str | None, usd_rate: int = DEFAULT_USD_VND) -> Wage:
    """The first wage written in text: '10-15tr', 'upto 20tr', 'từ 8 triệu', '$800-1000', '25k/giờ', 'thoả thuận'."""
    t = fold(text).replace("–", "-").replace("—", "-").replace("~", "-")
    if not t:
        return Wage()
    negotiable = bool(_NEGOTIABLE.search(t))
    best: tuple[int, Wage] | None = None

    def consider(pos: int, wage: Wage, strong: bool) -> None:
        nonlocal best
        rank = pos - (10_000 if strong else 0)
        if best is None or rank < best[0]:
            best = (rank, wage)

    def has_context(pos: int) -> bool:
        return bool(_CONTEXT.search(t[max(0, pos - 40):pos]))

    taken: list[tuple[int, int]] = []
    for m in _RANGE.finditer(t):
        d1, n1, u1, t1, usd_mid, d2, n2, u2, t2 = m.groups()
        after = t[m.end():m.end() + 14]
        if _NOT_MONEY_AFTER.match(after) and not u2:
            continue
        unit2 = "$" if (d2 or d1 or usd_mid) else u2
        context = has_context(m.start())
        if not (u1 or unit2 or context):
            continue
        default = unit2 or ("tr" if context and float(n2.replace(",", ".")) < 1000 and "." not in n2 else None)
        v2, used2 = _value(d2 or d1 or (usd_mid and "$"), n2, u2, t2, default)
        v1, used1 = _value(d1 or (usd_mid and "$"), n1, u1, t1, used2 if not u1 else None)
        period = _period(after)
        dollars = used2 in ("usd", "$")
        if dollars:
            v1, v2 = v1 * usd_rate, v2 * usd_rate
        if v1 > v2 or not (_plausible(v1, used1, period) and _plausible(v2, used2, period)):
            continue
        taken.append(m.span())
        consider(m.start(), Wage(int(round(v1)), int(round(v2)), negotiable, "USD" if dollars else "VND",
                                 period), context)
    for m in _AMT.finditer(t):
        if any(a <= m.start() < b for a, b in taken):
            continue
        dollar, num, unit, tail = m.groups()
        if m.start() > 0 and t[m.start() - 1].isalnum():
            continue  # inside a word or a longer number
        after = t[m.end():m.end() + 14]
        context = has_context(m.start())
        if not (dollar or unit):
            if not context or _NOT_MONEY_AFTER.match(after) or not re.fullmatch(r"\d{1,3}(?:[.,]\d{3}){2,}", num):
                continue
        if unit in ("d", "m", "k", "vnd", "dong") and not context and not dollar and \
                not re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+|\d{4,}", num) and unit != "k":
            continue
        value, used = _value(dollar, num, unit, tail, None)
        if used == "k" and not context:
            continue
        if used in ("usd", "$"):
            value *= usd_rate
        period = _period(after)
        if not _plausible(value, used, period):
            continue
        before = t[max(0, m.start() - 12):m.start()]
        amount = int(round(value))
        currency = "USD" if used in ("usd", "$") else "VND"
        if _MAX_WORDS.search(before):
            wage = Wage(None, amount, negotiable, currency, period)
        elif _MIN_WORDS.search(before):
            wage = Wage(amount, None, negotiable, currency, period)
        else:
            wage = Wage(amount, amount, negotiable, currency, period)
        consider(m.start(), wage, context)
    if best is not None:
        return best[1]
    return Wage(negotiable=negotiable)


_NO_EXPERIENCE = re.compile(
    r"\b(?:khong (?:yeu cau|can|doi hoi|bat buoc|can co|yc)|chua (?:co|can)|khong|ko|k) ?(?:co )?(?:kinh nghiem|kn)\b"
    r"|\b(?:chua co kinh nghiem|moi ra truong|no experience|fresher|sinh vien moi tot nghiep)\b"
    r"|\bkinh nghiem:? ?(?:khong yeu cau|khong can|khong bat buoc)\b")
_EXP_PATTERNS = [
    re.compile(r"(\d+(?:[.,]5)?) ?(?:-|den|toi) ?(\d+) ?(nam|thang|years?|months?)\+? (?:tro len )?(?:kinh nghiem|kn|experience|lam viec)"),
    re.compile(r"(\d+(?:[.,]5)?)\+? ?(nam|thang|years?|months?)\+? (?:tro len )?(?:kinh nghiem|kn|of experience|experience|lam viec)"),
    re.compile(r"(?:kinh nghiem|kn|experience)(?: lam viec)?(?: [a-z]+){0,4}?:? ?(?:toi thieu|tu|tren|it nhat|at least|from|>=?)? ?"
               r"(\d+(?:[.,]5)?)(?: ?(?:-|den) ?(\d+))?\+? ?(nam|thang|years?|months?)"),
]


def read_experience(text: str | None) -> tuple[float | None, float | None]:
    """Years of experience asked (minimum, maximum): '2 năm kinh nghiệm' -> (2, None), '1-3 năm' -> (1, 3),
    'không yêu cầu kinh nghiệm' -> (0, None); (None, None) when the text does not say."""
    t = fold(text)
    if not t:
        return None, None
    hits: list[tuple[int, float, float | None]] = []
    for pattern in _EXP_PATTERNS:
        for m in pattern.finditer(t):
            groups = m.groups()
            if len(groups) == 4 and pattern is _EXP_PATTERNS[0]:
                lo, hi, unit = groups[0], groups[1], groups[2]
            elif pattern is _EXP_PATTERNS[1]:
                lo, hi, unit = groups[0], None, groups[1]
            else:
                lo, hi, unit = groups
            scale = 1 / 12 if unit.startswith(("thang", "month")) else 1
            low = float(lo.replace(",", ".")) * scale
            high = float(hi) * scale if hi else None
            if low > 40:
                continue
            hits.append((m.start(), low, high))
    for m in _NO_EXPERIENCE.finditer(t):
        hits.append((m.start(), 0.0, None))
    if not hits:
        return None, None
    _, low, high = min(hits)
    return _tidy(low), _tidy(high)


def _tidy(value: float | None) -> float | int | None:
    """Whole years as int, else rounded to a tenth."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 1)


_JOB_TYPES = [
    (re.compile(r"\b(?:ban thoi gian|part[ -]?time|lam them|parttime)\b"), "part_time"),
    (re.compile(r"\b(?:thoi vu|mua vu|ngan han|seasonal|dip tet|lam tet)\b"), "seasonal"),
    (re.compile(r"\b(?:theo ca|lam ca|xoay ca|ca xoay|chia ca|ca dem|lam theo ca|shift)\b"), "shift"),
    (re.compile(r"\b(?:toan thoi gian|full[ -]?time|fulltime|gio hanh chinh|hanh chinh)\b"), "full_time"),
]


def read_job_type(*texts: str | None) -> str | None:
    """The job type named first (title before description): full_time, part_time, shift or seasonal."""
    for text in texts:
        t = fold(text)
        found = [(m.start(), value) for pattern, value in _JOB_TYPES for m in [pattern.search(t)] if m]
        if found:
            return min(found)[1]
    return None


EDUCATION_ORDER = ("none", "primary", "lower_secondary", "upper_secondary", "vocational", "college", "university",
                   "postgraduate")
_EDUCATION = [
    (re.compile(r"\b(?:thac si|tien si|sau dai hoc|master|phd|mba)\b"), "postgraduate"),
    (re.compile(r"\b(?:dai hoc|cu nhan|ky su|university|bachelor|dh)\b"), "university"),
    (re.compile(r"\b(?:cao dang|college|cd)\b"), "college"),
    (re.compile(r"\b(?:trung cap|so cap|nghe|tc)\b"), "vocational"),
    (re.compile(r"\b(?:thpt|cap 3|cap iii|lop 12|12/12|pho thong|trung hoc pho thong|high school)\b"), "upper_secondary"),
    (re.compile(r"\b(?:thcs|cap 2|cap ii|lop 9|9/12|trung hoc co so)\b"), "lower_secondary"),
    (re.compile(r"\b(?:tieu hoc|cap 1|lop 5)\b"), "primary"),
]
_EDU_CONTEXT = re.compile(r"(?:tot nghiep|trinh do|bang|hoc van|tu|tren|degree|graduate|yeu cau)[^.\n;]{0,25}$")
_NO_DEGREE = re.compile(r"\b(?:khong (?:yeu cau|can|doi hoi) (?:bang cap|trinh do|hoc van)|khong can bang)\b")


def read_education(text: str | None) -> str | None:
    """The lowest education level the text asks for ('Tốt nghiệp cao đẳng trở lên' -> college); a level only
    preferred ('ưu tiên đại học') counts when no other is named."""
    t = fold(text)
    if not t:
        return None
    if _NO_DEGREE.search(t):
        return "none"
    required, preferred = [], []
    for pattern, value in _EDUCATION:
        for m in pattern.finditer(t):
            before = t[max(0, m.start() - 40):m.start()]
            if value in ("vocational",) and m.group(0) == "nghe" and not _EDU_CONTEXT.search(before):
                continue
            if m.group(0) in ("dh", "cd", "tc", "ky su") and not _EDU_CONTEXT.search(before):
                continue
            if re.search(r"uu tien[^.\n;,]{0,20}$", before):
                preferred.append(value)
            elif _EDU_CONTEXT.search(before) or re.match(r"[^.\n;]{0,12}tro len", t[m.end():]):
                required.append(value)
            else:
                preferred.append(value)
    pool = required or preferred
    return min(pool, key=EDUCATION_ORDER.index) if pool else None
