"""The statistics as tables: what the page shows beside each chart, what every export writes, what open data publishes."""
from __future__ import annotations

import copy
from dataclasses import dataclass, field

from flask_babel import gettext as _

from ..models.workers import EDUCATION_LEVELS
from .filters import AGE_BANDS, AGE_LABELS, EDUCATION_LABELS, SEX_LABELS, UNKNOWN
from .queries import Counts, Dashboard, ratio
from .reference import Reference

COUNT, RATE, DAYS, SIGNED, TEXT = "count", "rate", "days", "signed", "text"
SEXES = ("female", "male", "other", UNKNOWN)
AGES = tuple(key for key, *_rest in AGE_BANDS) + (UNKNOWN,)


@dataclass
class Column:
    """A column: key, header, and what kind of value it holds. A derived value (rate, difference) names the
    count columns it comes from, and is hidden whenever one of them is."""

    key: str
    label: str
    kind: str = COUNT
    sources: tuple[str, ...] = ()
    additive: bool = True  # counts: the rows add up to the total row


@dataclass
class Row:
    """A row: a code, a label and its values by column key; marks holds the suppression marks ("<5", "x")."""

    key: str
    label: str
    values: dict
    marks: dict = field(default_factory=dict)
    kind: str | None = None  # overrides the column's kind (the summary table mixes counts, rates and days)
    sources: tuple[str, ...] = ()  # a derived row (summary): the count rows it is computed from
    n: int | None = None  # a median row: how many values it is the median of

    def shown(self, column: str):
        """The value as published: the number, or its suppression mark."""
        return self.marks.get(column) or self.values.get(column)


@dataclass
class Table:
    """One table of statistics. crosstab: the count columns are categories of a second dimension, and the column
    keyed "total" holds each row's sum."""

    key: str
    title: str
    header: str
    columns: list[Column]
    rows: list[Row]
    total: Row | None = None
    note: str | None = None
    crosstab: bool = False
    chart: str | None = None  # the column charted beside the table
    suppressed: bool = False

    @property
    def count_columns(self) -> list[Column]:
        """The columns holding counts."""
        return [c for c in self.columns if c.kind == COUNT]

    def copy(self) -> "Table":
        """A deep copy (suppression works on a copy)."""
        return copy.deepcopy(self)


# --- building the tables from the dashboard ---------------------------------------------------------------

def _vacancy_note(d: Dashboard) -> str | None:
    if d.vacancies_apply:
        return None
    return _("Số liệu về tin tuyển dụng không chia theo giới tính, tuổi hay trình độ (đánh dấu —).")


def _counts_row(key: str, label: str, c: Counts, d: Dashboard, columns: list[Column], extra: dict | None = None) -> Row:
    values = dict(extra or {})
    vac = d.vacancies_apply
    source = {
        "active_seekers": c.active_seekers, "new_registrations": c.new_registrations,
        "vacancies_notified": c.vacancies_notified if vac else None,
        "positions_offered": c.positions_offered if vac else None,
        "positions_filled": c.positions_filled if vac else None,
        "placements": c.placements,
        "placement_rate": c.placement_rate,
        "fill_rate": c.fill_rate if vac else None,
    }
    for col in columns:
        if col.key in source:
            values[col.key] = source[col.key]
    return Row(key, label, values)


def _total(rows_counts: list[Counts]) -> Counts:
    total = Counts()
    for c in rows_counts:
        for name in Counts.__dataclass_fields__:
            setattr(total, name, getattr(total, name) + getattr(c, name))
    return total


def _people_columns() -> list[Column]:
    return [Column("active_seekers", _("Người tìm việc đang hoạt động (cuối kỳ)")),
            Column("new_registrations", _("Đăng ký mới trong kỳ")),
            Column("placements", _("Việc làm thành công")),
            Column("placement_rate", _("Tỷ lệ có việc làm"), RATE, ("placements", "active_seekers"))]


def _area_columns() -> list[Column]:
    return [Column("active_seekers", _("Người tìm việc đang hoạt động (cuối kỳ)")),
            Column("new_registrations", _("Đăng ký mới trong kỳ")),
            Column("vacancies_notified", _("Tin tuyển dụng đăng trong kỳ")),
            Column("positions_offered", _("Vị trí tuyển dụng")),
            Column("placements", _("Việc làm thành công")),
            Column("placement_rate", _("Tỷ lệ có việc làm"), RATE, ("placements", "active_seekers"))]


def summary_table(d: Dashboard) -> Table:
    """The headline figures, one per row."""
    h = d.headline
    R = Row
    rows = [
        R("active_seekers", _("Người tìm việc đang hoạt động (cuối kỳ)"), {"value": h.active_seekers}),
        R("new_registrations", _("Đăng ký mới trong kỳ"), {"value": h.new_registrations}),
        R("vacancies_notified", _("Tin tuyển dụng đăng trong kỳ"), {"value": h.vacancies_notified}),
        R("vacancies_open", _("Tin đang mở (cuối kỳ)"), {"value": h.vacancies_open}),
        R("positions_offered", _("Vị trí tuyển dụng (của tin đăng trong kỳ)"), {"value": h.positions_offered}),
        R("positions_filled", _("Vị trí đã tuyển được (của tin đăng trong kỳ)"), {"value": h.positions_filled}),
        R("vacancies_ended", _("Tin hết hạn hoặc bị gỡ trong kỳ"), {"value": h.vacancies_ended}),
        R("applications", _("Hồ sơ ứng tuyển trong kỳ"), {"value": h.applications}),
        R("applications_responded", _("Hồ sơ được doanh nghiệp phản hồi"), {"value": h.applications_responded}),
        R("response_rate", _("Tỷ lệ doanh nghiệp phản hồi"), {"value": h.response_rate}, kind=RATE,
          sources=("applications_responded", "applications")),
        R("median_response_days", _("Thời gian phản hồi (trung vị, ngày)"), {"value": h.median_response_days},
          kind=DAYS, n=h.applications_responded),
        R("placements", _("Việc làm thành công (tuyển dụng qua sàn)"), {"value": h.placements}),
        R("placement_rate", _("Tỷ lệ có việc làm (việc làm thành công / người tìm việc)"),
          {"value": h.placement_rate}, kind=RATE, sources=("placements", "active_seekers")),
        R("fill_rate", _("Tỷ lệ lấp đầy (vị trí đã tuyển / vị trí tuyển dụng)"), {"value": h.fill_rate}, kind=RATE,
          sources=("positions_filled", "positions_offered")),
        R("median_days_to_fill", _("Thời gian tuyển được (trung vị, ngày)"), {"value": h.median_days_to_fill},
          kind=DAYS, n=h.placements_with_days),
    ]
    return Table("tong-hop", _("Chỉ số chính"), _("Chỉ số"), [Column("value", _("Giá trị"))], rows,
                 note=_vacancy_note(d))


def series_table(d: Dashboard) -> Table:
    """Month by month."""
    vac = d.vacancies_apply
    columns = [Column("new_registrations", _("Đăng ký mới")),
               Column("active_seekers", _("Người tìm việc đang hoạt động (cuối tháng)"), additive=False),
               Column("vacancies_notified", _("Tin tuyển dụng đăng")),
               Column("positions_offered", _("Vị trí tuyển dụng")),
               Column("placements", _("Việc làm thành công"))]
    rows = [Row(m.month.strftime("%Y-%m"), m.month.strftime("%m/%Y"),
                {"new_registrations": m.new_registrations, "active_seekers": m.active_seekers,
                 "vacancies_notified": m.vacancies_notified, "positions_offered": m.positions_offered,
                 "placements": m.placements}) for m in d.series]
    total = Row("total", _("Tổng"), {
        "new_registrations": sum(m.new_registrations for m in d.series),
        "active_seekers": None,
        "vacancies_notified": sum(m.vacancies_notified for m in d.series) if vac else None,
        "positions_offered": sum(m.positions_offered for m in d.series) if vac else None,
        "placements": sum(m.placements for m in d.series)})
    return Table("theo-thang", _("Theo tháng"), _("Tháng"), columns, rows, total, note=_vacancy_note(d),
                 chart="placements")


def _unknown_area_shown(d: Dashboard) -> bool:
    """Seekers who gave no ward get a row of their own, so the area tables add up to the totals."""
    return not (d.filters.district or d.filters.ward)


def district_table(d: Dashboard, ref: Reference) -> Table:
    """By former district (khu vực quận, huyện cũ): the 30 districts, or the one filtered on."""
    columns = _area_columns()
    codes = [c for c in ref.districts if _area_shown(d, c, ref)]
    rows = [_counts_row(code, ref.districts[code].name, d.by_district.get(code, Counts()), d, columns)
            for code in codes]
    if _unknown_area_shown(d):
        codes.append(UNKNOWN)
        rows.append(_counts_row(UNKNOWN, _("Không rõ nơi ở"), d.by_district.get(UNKNOWN, Counts()), d, columns))
    total = _counts_row("total", _("Tổng"), _total([d.by_district.get(c, Counts()) for c in codes]), d, columns)
    note = _("Người tìm việc theo nơi ở, tin tuyển dụng và việc làm thành công theo nơi làm việc.")
    extra = _vacancy_note(d)
    return Table("khu-vuc", _("Theo khu vực (quận, huyện cũ)"), _("Khu vực"), columns, rows, total,
                 note=f"{note} {extra}" if extra else note, chart="placements")


def _area_shown(d: Dashboard, district_code: str, ref: Reference) -> bool:
    f = d.filters
    if f.ward:
        return ref.wards[f.ward].district_code == district_code
    return not f.district or f.district == district_code


def ward_table(d: Dashboard, ref: Reference) -> Table:
    """By 2025 ward (phường, xã), each with its former district, for any period."""
    columns = [Column("district", _("Khu vực cũ"), TEXT)] + _area_columns()
    codes = d.filters.area_wards(ref) or list(ref.wards)
    rows = [_counts_row(code, ref.wards[code].name, d.by_ward.get(code, Counts()), d, columns,
                        {"district": ref.districts[ref.wards[code].district_code].name,
                         "_district_code": ref.wards[code].district_code}) for code in codes]
    if _unknown_area_shown(d):
        codes = codes + [UNKNOWN]
        rows.append(_counts_row(UNKNOWN, _("Không rõ nơi ở"), d.by_ward.get(UNKNOWN, Counts()), d, columns,
                                {"district": "", "_district_code": UNKNOWN}))
    total = _counts_row("total", _("Tổng"), _total([d.by_ward.get(c, Counts()) for c in codes]), d, columns,
                        {"district": ""})
    note = _("Phường, xã theo đơn vị hành chính từ 01/07/2025; địa chỉ cũ đã được quy đổi, nên áp dụng cho mọi kỳ.")
    extra = _vacancy_note(d)
    return Table("phuong-xa", _("Theo phường, xã (2025)"), _("Phường, xã"), columns, rows, total,
                 note=f"{note} {extra}" if extra else note, chart="placements")


def occupation_table(d: Dashboard, ref: Reference) -> Table:
    """By VSCO occupation group (level 1, or level 2 under the group filtered on)."""
    columns = [Column("vacancies_notified", _("Tin tuyển dụng đăng trong kỳ")),
               Column("positions_offered", _("Vị trí tuyển dụng")),
               Column("positions_filled", _("Vị trí đã tuyển được")),
               Column("fill_rate", _("Tỷ lệ lấp đầy"), RATE, ("positions_filled", "positions_offered")),
               Column("placements", _("Việc làm thành công")),
               Column("active_seekers", _("Người tìm việc đang hoạt động (cuối kỳ)"))]
    if d.occupation_level == 1:
        codes = [c for c in ref.occupation_groups if len(c) == 1]
    else:
        parent = d.filters.occupation[:1]
        codes = [c for c in ref.occupation_groups if len(c) == 2 and c.startswith(parent)]
        if len(d.filters.occupation) == 2:
            codes = [d.filters.occupation]
    codes = codes + [UNKNOWN]
    label = {UNKNOWN: _("Không rõ nghề")}
    rows = [_counts_row(code, label.get(code) or f"{code} – {ref.occupation_groups[code]}",
                        d.by_occupation.get(code, Counts()), d, columns) for code in codes]
    total = _counts_row("total", _("Tổng"), _total([d.by_occupation.get(c, Counts()) for c in codes]), d, columns)
    note = _("Nhóm nghề theo Danh mục nghề nghiệp Việt Nam (VSCO 2020), cấp %(level)d. Người tìm việc theo nghề "
             "muốn làm; tin tuyển dụng và việc làm thành công theo nghề của vị trí.", level=d.occupation_level)
    extra = _vacancy_note(d)
    return Table("nhom-nghe", _("Theo nhóm nghề"), _("Nhóm nghề"), columns, rows, total,
                 note=f"{note} {extra}" if extra else note, chart="placements")


def sex_table(d: Dashboard) -> Table:
    """By sex."""
    columns = _people_columns()
    per = {s: _total([c for (sex, _a), c in d.by_sex_age.items() if sex == s]) for s in SEXES}
    rows = [_counts_row(s, str(SEX_LABELS[s]), per[s], d, columns) for s in SEXES]
    return Table("gioi-tinh", _("Theo giới tính"), _("Giới tính"), columns, rows,
                 _counts_row("total", _("Tổng"), _total(list(per.values())), d, columns), chart="placements")


def age_table(d: Dashboard) -> Table:
    """By age band (age at the end of the period's year)."""
    columns = _people_columns()
    per = {a: _total([c for (_s, age), c in d.by_sex_age.items() if age == a]) for a in AGES}
    rows = [_counts_row(a, str(AGE_LABELS[a]), per[a], d, columns) for a in AGES]
    return Table("nhom-tuoi", _("Theo nhóm tuổi"), _("Nhóm tuổi"), columns, rows,
                 _counts_row("total", _("Tổng"), _total(list(per.values())), d, columns),
                 note=_("Tuổi tính đến cuối năm %(y)d.", y=d.filters.period.reference_year), chart="placements")


def sex_age_table(d: Dashboard) -> Table:
    """Placements by sex (rows) and age band (columns), with both margins."""
    columns = [Column(a, str(AGE_LABELS[a])) for a in AGES] + [Column("total", _("Tổng"))]
    rows = []
    for s in SEXES:
        values = {a: d.by_sex_age.get((s, a), Counts()).placements for a in AGES}
        values["total"] = sum(values.values())
        rows.append(Row(s, str(SEX_LABELS[s]), values))
    total_values = {a: sum(r.values[a] for r in rows) for a in AGES}
    total_values["total"] = sum(total_values.values())
    return Table("gioi-tinh-tuoi", _("Việc làm thành công theo giới tính và nhóm tuổi"), _("Giới tính"), columns,
                 rows, Row("total", _("Tổng"), total_values), crosstab=True)


def education_table(d: Dashboard) -> Table:
    """By education level."""
    columns = _people_columns()
    levels = list(EDUCATION_LEVELS) + [UNKNOWN]
    rows = [_counts_row(e, str(EDUCATION_LABELS[e]), d.by_education.get(e, Counts()), d, columns) for e in levels]
    return Table("trinh-do", _("Theo trình độ học vấn"), _("Trình độ"), columns, rows,
                 _counts_row("total", _("Tổng"), _total([d.by_education.get(e, Counts()) for e in levels]), d,
                             columns), chart="placements")


def skills_table(d: Dashboard) -> Table:
    """The skill gap: the skills open vacancies need most, against active seekers who hold them."""
    columns = [Column("demand", _("Vị trí còn trống cần kỹ năng"), additive=False),
               Column("supply", _("Người tìm việc có kỹ năng"), additive=False),
               Column("gap", _("Chênh lệch (cầu − cung)"), SIGNED, ("demand", "supply")),
               Column("ratio", _("Người tìm việc trên một vị trí"), DAYS, ("demand", "supply"))]
    rows = [Row(str(s.skill_id), s.label, {"demand": s.demand, "supply": s.supply, "gap": s.gap,
                                           "ratio": ratio(s.supply, s.demand)}) for s in d.skills]
    return Table("ky-nang", _("Kỹ năng: cầu và cung"), _("Kỹ năng"), columns, rows,
                 note=_("Cầu: vị trí chưa tuyển được của tin đang mở cuối kỳ, theo kỹ năng bắt buộc (theo khu vực "
                        "và nhóm nghề). Cung: người tìm việc đang hoạt động có kỹ năng (theo mọi bộ lọc)."),
                 chart="demand")


def all_tables(d: Dashboard, ref: Reference) -> list[Table]:
    """Every table of the page, in page order."""
    return [summary_table(d), series_table(d), district_table(d, ref), ward_table(d, ref), occupation_table(d, ref),
            sex_table(d), age_table(d), sex_age_table(d), education_table(d), skills_table(d)]


TABLE_KEYS = ("tong-hop", "theo-thang", "khu-vuc", "phuong-xa", "nhom-nghe", "gioi-tinh", "nhom-tuoi",
              "gioi-tinh-tuoi", "trinh-do", "ky-nang", "theo-phien", "phien-va-san")
