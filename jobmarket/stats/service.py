"""What the statistics pages and exports call: compute the figures once, shape them into tables and charts."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from markupsafe import Markup

from ..models._common import utcnow
from . import charts, queries
from .filters import StatsFilters, hanoi_today
from .reference import Reference
from ..sessions.stats import session_tables
from .tables import Table, all_tables


@dataclass
class Chart:
    """A chart with its visible caption."""

    title: str
    svg: Markup


@dataclass
class Section:
    """A part of the page: a table and the charts that show it."""

    table: Table
    charts: list[Chart]


@dataclass
class StatsPage:
    """The whole statistics page for one set of filters."""

    filters: StatsFilters
    dashboard: queries.Dashboard
    tables: dict[str, Table]
    sections: dict[str, Section]


def today() -> date:
    """Today in Hanoi."""
    return hanoi_today(utcnow())


def _items(table: Table, column: str, *, top: int | None = None, label=None) -> list[tuple[str, float | None]]:
    items = [((label(r) if label else r.label), r.values.get(column)) for r in table.rows]
    if top is not None:
        items = sorted([i for i in items if i[1]], key=lambda i: -i[1])[:top]
    return items


def _chart(draw, chart_id: str, title: str, *args, **kwargs) -> Chart:
    return Chart(title, draw(chart_id, title, *args, **kwargs))


def build_page(f: StatsFilters, ref: Reference) -> StatsPage:
    """Run the queries and build every table and chart of the page."""
    d = queries.dashboard(f, ref)
    t = {table.key: table for table in all_tables(d, ref)}
    t.update({table.key: table for table in session_tables(f)})  # job exchange sessions (jobmarket/sessions)
    month_rows = t["theo-thang"].rows

    def monthly(column: str) -> list[tuple[str, float | None]]:
        return [(r.label[:3] + r.label[-2:], r.values.get(column)) for r in month_rows]  # 06/2025 -> 06/25

    series = [_chart(charts.column_chart, "c-month-placements", _("Việc làm thành công theo tháng"),
                     monthly("placements"))]
    if d.vacancies_apply:
        series.append(_chart(charts.column_chart, "c-month-vacancies", _("Tin tuyển dụng đăng theo tháng"),
                             monthly("vacancies_notified")))
    series.append(_chart(charts.column_chart, "c-month-registrations", _("Đăng ký mới theo tháng"),
                         monthly("new_registrations")))
    map_points = [charts.MapPoint(code, place.short, place.lat, place.lon, place.urban,
                                  d.by_district[code].placements if code in d.by_district else 0)
                  for code, place in ref.districts.items()]
    short_name = {code: place.short for code, place in ref.districts.items()}
    sections = {
        "theo-thang": Section(t["theo-thang"], series),
        "khu-vuc": Section(t["khu-vuc"], [
            _chart(charts.hanoi_map, "c-map", _("Bản đồ việc làm thành công theo khu vực (quận, huyện cũ)"),
                   map_points),
            _chart(charts.bar_chart, "c-district", _("Việc làm thành công theo khu vực"),
                   _items(t["khu-vuc"], "placements", label=lambda r: short_name.get(r.key, r.label)))]),
        "phuong-xa": Section(t["phuong-xa"], [
            _chart(charts.bar_chart, "c-ward", _("15 phường, xã có nhiều việc làm thành công nhất"),
                   _items(t["phuong-xa"], "placements", top=15))]),
        "nhom-nghe": Section(t["nhom-nghe"], [
            _chart(charts.bar_chart, "c-occupation", _("Việc làm thành công theo nhóm nghề"),
                   _items(t["nhom-nghe"], "placements"))]),
        "gioi-tinh": Section(t["gioi-tinh"], [
            _chart(charts.bar_chart, "c-sex", _("Việc làm thành công theo giới tính"),
                   _items(t["gioi-tinh"], "placements"))]),
        "nhom-tuoi": Section(t["nhom-tuoi"], [
            _chart(charts.bar_chart, "c-age", _("Việc làm thành công theo nhóm tuổi"),
                   _items(t["nhom-tuoi"], "placements"))]),
        "gioi-tinh-tuoi": Section(t["gioi-tinh-tuoi"], []),
        "theo-phien": Section(t["theo-phien"], []),
        "phien-va-san": Section(t["phien-va-san"], []),
        "trinh-do": Section(t["trinh-do"], [
            _chart(charts.bar_chart, "c-education", _("Việc làm thành công theo trình độ học vấn"),
                   _items(t["trinh-do"], "placements"))]),
        "ky-nang": Section(t["ky-nang"], [
            _chart(charts.paired_bar_chart, "c-skills", _("Kỹ năng được cần nhiều nhất: vị trí còn trống và người "
                                                          "tìm việc"),
                   [(r.label, r.values["demand"], r.values["supply"]) for r in t["ky-nang"].rows],
                   (_("Vị trí còn trống"), _("Người tìm việc có kỹ năng")))] if t["ky-nang"].rows else []),
    }
    return StatsPage(filters=f, dashboard=d, tables=t, sections=sections)
