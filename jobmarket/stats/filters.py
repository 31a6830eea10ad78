"""The filters every statistic follows: period, area, occupation group, sex, age band, education."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Mapping

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..models.workers import EDUCATION_LEVELS
from .reference import Reference

# Hanoi keeps UTC+7 all year; timestamps are stored in UTC, so a local midnight is 17:00 UTC the day before.
HANOI_OFFSET = timedelta(hours=7)
PERIOD_KINDS = ("month", "quarter", "year", "custom")
MAX_CUSTOM_DAYS = 3660  # about ten years
MIN_YEAR, MAX_YEAR = 2000, 2100
UNKNOWN = "unknown"

SEX_LABELS = {"female": _l("Nữ"), "male": _l("Nam"), "other": _l("Khác"), UNKNOWN: _l("Không rõ")}
# Age bands: (key, label, youngest age, oldest age or None). Ages under 15 are treated as unknown (bad data).
AGE_BANDS = (
    ("15-24", _l("15–24 tuổi"), 15, 24),
    ("25-34", _l("25–34 tuổi"), 25, 34),
    ("35-44", _l("35–44 tuổi"), 35, 44),
    ("45-54", _l("45–54 tuổi"), 45, 54),
    ("55+", _l("55 tuổi trở lên"), 55, None),
)
AGE_LABELS = {key: label for key, label, _lo, _hi in AGE_BANDS} | {UNKNOWN: _l("Không rõ tuổi")}
EDUCATION_LABELS = {
    "none": _l("Chưa qua đào tạo"), "primary": _l("Tiểu học"), "lower_secondary": _l("Trung học cơ sở"),
    "upper_secondary": _l("Trung học phổ thông"), "vocational": _l("Trung cấp, sơ cấp nghề"),
    "college": _l("Cao đẳng"), "university": _l("Đại học"), "postgraduate": _l("Sau đại học"),
    UNKNOWN: _l("Không rõ"),
}
assert set(EDUCATION_LABELS) == set(EDUCATION_LEVELS) | {UNKNOWN}


def age_band(birth_year: int | None, reference_year: int) -> str:
    """The age band of someone born in birth_year, at the end of the reference year."""
    if birth_year is None:
        return UNKNOWN
    age = reference_year - birth_year
    for key, _label, lo, hi in AGE_BANDS:
        if age >= lo and (hi is None or age <= hi):
            return key
    return UNKNOWN


def birth_year_bounds(band: str, reference_year: int) -> tuple[int | None, int | None]:
    """(earliest, latest) birth year of a band; None means open-ended. Not for UNKNOWN."""
    for key, _label, lo, hi in AGE_BANDS:
        if key == band:
            return (reference_year - hi if hi is not None else None), reference_year - lo
    raise ValueError(band)


@dataclass(frozen=True)
class Period:
    """A span of whole days in Hanoi time: first_day to last_day inclusive."""

    kind: str
    first_day: date
    last_day: date

    @property
    def start(self) -> datetime:
        """Start as a naive UTC timestamp (inclusive), comparable with stored columns."""
        return datetime.combine(self.first_day, datetime.min.time()) - HANOI_OFFSET

    @property
    def end(self) -> datetime:
        """End as a naive UTC timestamp (exclusive)."""
        return datetime.combine(self.last_day + timedelta(days=1), datetime.min.time()) - HANOI_OFFSET

    @property
    def reference_year(self) -> int:
        """The year ages are computed at: the year of the period's last day."""
        return self.last_day.year

    @property
    def label(self) -> str:
        """The period as people say it: Tháng 06/2025, Quý 2/2025, Năm 2025, 01/01/2025 – 15/03/2025."""
        if self.kind == "month":
            return _("Tháng %(m)s", m=self.first_day.strftime("%m/%Y"))
        if self.kind == "quarter":
            return _("Quý %(q)d/%(y)d", q=(self.first_day.month - 1) // 3 + 1, y=self.first_day.year)
        if self.kind == "year":
            return _("Năm %(y)d", y=self.first_day.year)
        return f"{self.first_day:%d/%m/%Y} – {self.last_day:%d/%m/%Y}"


def month_starts(first: date, last: date) -> list[date]:
    """The first day of every month from first's month to last's month, inclusive."""
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months


def add_months(day: date, n: int) -> date:
    """The first day of the month n months after day's month."""
    index = day.year * 12 + day.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def local_midnight_utc(day: date) -> datetime:
    """The UTC timestamp of midnight at the start of day in Hanoi."""
    return datetime.combine(day, datetime.min.time()) - HANOI_OFFSET


def hanoi_today(now: datetime) -> date:
    """Today's date in Hanoi for a naive UTC now."""
    return (now + HANOI_OFFSET).date()


@dataclass(frozen=True)
class StatsFilters:
    """The filters of one statistics request; every figure follows all of them."""

    period: Period
    district: str | None = None
    ward: str | None = None
    occupation: str | None = None
    sex: str | None = None
    age: str | None = None
    education: str | None = None

    @property
    def has_person_filter(self) -> bool:
        """Sex, age and education describe people: they do not apply to vacancies."""
        return bool(self.sex or self.age or self.education)

    def occupation_range(self) -> tuple[str, str] | None:
        """The VSCO codes of the group as a half-open string range: '21' -> ['21', '22')."""
        if not self.occupation:
            return None
        code = self.occupation
        return code, code[:-1] + chr(ord(code[-1]) + 1)

    def area_wards(self, ref: Reference) -> list[str] | None:
        """The 2025 wards the area filter covers (None when there is no area filter)."""
        if self.ward:
            return [self.ward]
        if self.district:
            return ref.wards_of(self.district)
        return None

    def birth_years(self) -> tuple[int | None, int | None] | None:
        """Birth-year bounds of the age band filter (None when the filter is unset or 'unknown')."""
        if not self.age or self.age == UNKNOWN:
            return None
        return birth_year_bounds(self.age, self.period.reference_year)

    def query_args(self) -> dict[str, str]:
        """The filters as GET parameters (to build links to exports and other views)."""
        p = self.period
        args: dict[str, str] = {"period": p.kind}
        if p.kind == "month":
            args["month"] = p.first_day.strftime("%Y-%m")
        elif p.kind == "quarter":
            args["year"], args["quarter"] = str(p.first_day.year), str((p.first_day.month - 1) // 3 + 1)
        elif p.kind == "year":
            args["year"] = str(p.first_day.year)
        else:
            args["start"], args["end"] = p.first_day.isoformat(), p.last_day.isoformat()
        for name in ("district", "ward", "occupation", "sex", "age", "education"):
            value = getattr(self, name)
            if value:
                args[name] = value
        return args

    def describe(self, ref: Reference) -> list[tuple[str, str]]:
        """The filters in words, as written at the top of every export: (label, value) pairs."""
        rows = [(_("Kỳ thống kê"), self.period.label),
                (_("Từ ngày"), self.period.first_day.strftime("%d/%m/%Y")),
                (_("Đến ngày"), self.period.last_day.strftime("%d/%m/%Y"))]
        all_ = _("Tất cả")
        rows.append((_("Khu vực (quận, huyện cũ)"), ref.districts[self.district].name if self.district else all_))
        rows.append((_("Phường, xã (2025)"), ref.wards[self.ward].name if self.ward else all_))
        rows.append((_("Nhóm nghề (VSCO)"),
                     f"{self.occupation} – {ref.occupation_groups[self.occupation]}" if self.occupation else all_))
        rows.append((_("Giới tính"), str(SEX_LABELS[self.sex]) if self.sex else all_))
        rows.append((_("Nhóm tuổi"), str(AGE_LABELS[self.age]) if self.age else all_))
        rows.append((_("Trình độ học vấn"), str(EDUCATION_LABELS[self.education]) if self.education else all_))
        return rows


class FilterError(ValueError):
    """Bad filter values: field name -> a message in the user's language."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$|^(\d{1,2})/(\d{4})$")
_ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_VN_DATE_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _parse_date(text: str) -> date | None:
    """A date written yyyy-mm-dd or dd/mm/yyyy; None when it is not a real date."""
    text = text.strip()
    m = _ISO_DATE_RE.match(text)
    parts = (m.group(1), m.group(2), m.group(3)) if m else None
    if parts is None:
        m = _VN_DATE_RE.match(text)
        parts = (m.group(3), m.group(2), m.group(1)) if m else None
    if parts is None:
        return None
    try:
        value = date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None
    return value if MIN_YEAR <= value.year <= MAX_YEAR else None


def parse_year(text: str) -> int | None:
    """A four-digit year between MIN_YEAR and MAX_YEAR, or None."""
    text = text.strip()
    if not text.isdigit() or len(text) != 4:
        return None
    year = int(text)
    return year if MIN_YEAR <= year <= MAX_YEAR else None


def parse_filters(args: Mapping[str, str], ref: Reference, today: date) -> StatsFilters:
    """Read filters from GET parameters; missing ones take defaults (the current month), bad ones raise FilterError."""
    def get(name: str) -> str:
        value = args.get(name)
        return value.strip() if isinstance(value, str) else ""

    errors: dict[str, str] = {}
    kind = get("period") or "month"
    period: Period | None = None
    if kind not in PERIOD_KINDS:
        errors["period"] = _("Kỳ thống kê không hợp lệ: chọn tháng, quý, năm hoặc khoảng ngày tùy chọn.")
    elif kind == "month":
        text = get("month")
        if not text:
            period = _month_period(today.year, today.month)
        else:
            m = _MONTH_RE.match(text)
            year, month = ((int(m.group(1)), int(m.group(2))) if m and m.group(1)
                           else (int(m.group(4)), int(m.group(3))) if m else (0, 0))
            if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
                errors["month"] = _("Tháng không hợp lệ: nhập theo dạng năm-tháng, ví dụ 2025-06.")
            else:
                period = _month_period(year, month)
    elif kind == "quarter":
        year = parse_year(get("year")) if get("year") else today.year
        quarter_text = get("quarter") or str((today.month - 1) // 3 + 1)
        if year is None:
            errors["year"] = _("Năm không hợp lệ: nhập bốn chữ số, từ %(lo)d đến %(hi)d.", lo=MIN_YEAR, hi=MAX_YEAR)
        if quarter_text not in {"1", "2", "3", "4"}:
            errors["quarter"] = _("Quý không hợp lệ: chọn quý 1, 2, 3 hoặc 4.")
        if year is not None and "quarter" not in errors:
            first = date(year, 3 * int(quarter_text) - 2, 1)
            period = Period("quarter", first, add_months(first, 3) - timedelta(days=1))
    elif kind == "year":
        year = parse_year(get("year")) if get("year") else today.year
        if year is None:
            errors["year"] = _("Năm không hợp lệ: nhập bốn chữ số, từ %(lo)d đến %(hi)d.", lo=MIN_YEAR, hi=MAX_YEAR)
        else:
            period = Period("year", date(year, 1, 1), date(year, 12, 31))
    else:
        start, end = _parse_date(get("start")), _parse_date(get("end"))
        if start is None:
            errors["start"] = _("Ngày bắt đầu không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 01/06/2025.")
        if end is None:
            errors["end"] = _("Ngày kết thúc không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 30/06/2025.")
        if start and end:
            if start > end:
                errors["end"] = _("Ngày bắt đầu phải trước hoặc trùng ngày kết thúc.")
            elif (end - start).days >= MAX_CUSTOM_DAYS:
                errors["end"] = _("Khoảng thời gian dài nhất là 10 năm.")
            else:
                period = Period("custom", start, end)

    district, ward = get("district") or None, get("ward") or None
    if district and district not in ref.districts:
        errors["district"] = _("Không có khu vực (quận, huyện cũ) với mã “%(code)s”.", code=district[:20])
    if ward and ward not in ref.wards:
        errors["ward"] = _("Không có phường, xã với mã “%(code)s”.", code=ward[:20])
    if district and ward and "district" not in errors and "ward" not in errors \
            and ref.wards[ward].district_code != district:
        errors["ward"] = _("%(ward)s không thuộc khu vực %(district)s.", ward=ref.wards[ward].name,
                           district=ref.districts[district].name)

    occupation = get("occupation") or None
    if occupation and occupation not in ref.occupation_groups:
        errors["occupation"] = _("Nhóm nghề phải là mã VSCO cấp 1 hoặc cấp 2 (ví dụ 7 hoặc 72).")
    sex = get("sex") or None
    if sex and sex not in SEX_LABELS:
        errors["sex"] = _("Giới tính không hợp lệ.")
    age = get("age") or None
    if age and age not in AGE_LABELS:
        errors["age"] = _("Nhóm tuổi không hợp lệ.")
    education = get("education") or None
    if education and education not in EDUCATION_LABELS:
        errors["education"] = _("Trình độ học vấn không hợp lệ.")
    if errors or period is None:
        raise FilterError(errors or {"period": _("Kỳ thống kê không hợp lệ.")})
    return StatsFilters(period=period, district=district, ward=ward, occupation=occupation, sex=sex, age=age,
                        education=education)


def _month_period(year: int, month: int) -> Period:
    first = date(year, month, 1)
    return Period("month", first, add_months(first, 1) - timedelta(days=1))
