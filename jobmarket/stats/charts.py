"""Charts drawn on the server as inline SVG: readable at a glance, accessible (role="img", a title and a
description), no script and no third-party asset. The numbers are always in a table beside each chart."""
from __future__ import annotations

import math
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup, escape

from .formatting import format_value

WIDTH = 400
INK, MUTED, GRID = "#1d1d1f", "#555", "#d0d0d6"
BAR, BAR_2 = "#0b4f9c", "#a4161a"


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _short(label: str, limit: int = 44) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _svg(chart_id: str, title: str, desc: str, height: float, body: list[str]) -> Markup:
    head = (f'<svg class="chart" role="img" aria-label="{escape(title)}" aria-labelledby="{chart_id}-t {chart_id}-d" '
            f'viewBox="0 0 {WIDTH} {_num(height)}" xmlns="http://www.w3.org/2000/svg" '
            f'font-family="system-ui, sans-serif" font-size="12">'
            f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(desc)}</desc>')
    return Markup(head + "".join(body) + "</svg>")


def _describe(items: list[tuple[str, float | None]], kind: str) -> str:
    known = [(label, v) for label, v in items if v is not None]
    if not known:
        return _("Không có số liệu.")
    top = sorted(known, key=lambda x: -x[1])[:3]
    parts = "; ".join(f"{label}: {format_value(v, kind)}" for label, v in top)
    return _("Cao nhất: %(top)s. Số liệu đầy đủ ở bảng bên cạnh.", top=parts)


def bar_chart(chart_id: str, title: str, items: list[tuple[str, float | None]], kind: str = "count") -> Markup:
    """Horizontal bars, each with its label above it and its value at its end (labels stay readable on a phone)."""
    values = [v for _l, v in items if v is not None]
    vmax = max(values) if values and max(values) > 0 else 1
    row_h, bar_h, top = 34, 14, 4
    body = []
    for i, (label, value) in enumerate(items):
        y = top + i * row_h
        body.append(f'<text x="0" y="{y + 12}" fill="{INK}">{escape(_short(label))}</text>')
        if value is None:
            body.append(f'<text x="0" y="{y + 28}" fill="{MUTED}">—</text>')
            continue
        w = max(0.0, (WIDTH - 70) * value / vmax)
        body.append(f'<rect x="0" y="{y + 16}" width="{_num(max(w, 1 if value else 0))}" height="{bar_h}" '
                    f'fill="{BAR}"><title>{escape(label)}: {escape(format_value(value, kind))}</title></rect>')
        body.append(f'<text x="{_num(w + 4)}" y="{y + 27}" fill="{INK}">{escape(format_value(value, kind))}</text>')
    return _svg(chart_id, title, _describe(items, kind), top + len(items) * row_h + 4, body)


def paired_bar_chart(chart_id: str, title: str, items: list[tuple[str, float, float]],
                     legend: tuple[str, str]) -> Markup:
    """Two bars per item (e.g. demand and supply of a skill), on one scale, with a legend."""
    vmax = max([max(a, b) for _l, a, b in items] + [1])
    row_h, bar_h, top = 46, 12, 24
    body = [f'<rect x="0" y="4" width="12" height="12" fill="{BAR_2}"/>'
            f'<text x="16" y="14" fill="{INK}">{escape(legend[0])}</text>'
            f'<rect x="{WIDTH // 2}" y="4" width="12" height="12" fill="{BAR}"/>'
            f'<text x="{WIDTH // 2 + 16}" y="14" fill="{INK}">{escape(legend[1])}</text>']
    for i, (label, a, b) in enumerate(items):
        y = top + i * row_h
        body.append(f'<text x="0" y="{y + 12}" fill="{INK}">{escape(_short(label))}</text>')
        for j, (value, color) in enumerate(((a, BAR_2), (b, BAR))):
            w = (WIDTH - 70) * value / vmax
            yy = y + 16 + j * (bar_h + 2)
            body.append(f'<rect x="0" y="{yy}" width="{_num(max(w, 1 if value else 0))}" height="{bar_h}" '
                        f'fill="{color}"><title>{escape(label)} – {escape(legend[j])}: '
                        f'{escape(format_value(value, "count"))}</title></rect>')
            body.append(f'<text x="{_num(w + 4)}" y="{yy + 10}" font-size="11" fill="{INK}">'
                        f'{escape(format_value(value, "count"))}</text>')
    desc = "; ".join(f"{label}: {legend[0]} {format_value(a, 'count')}, {legend[1]} {format_value(b, 'count')}"
                     for label, a, b in items[:3]) or _("Không có số liệu.")
    return _svg(chart_id, title, desc, top + len(items) * row_h + 4, body)


def column_chart(chart_id: str, title: str, items: list[tuple[str, float | None]], kind: str = "count") -> Markup:
    """Vertical bars for a time series (one per month), with the axis maximum and a label every few months."""
    values = [v for _l, v in items if v is not None]
    vmax = max(values) if values and max(values) > 0 else 1
    nice = _nice_ceiling(vmax)
    left, right, top, height = 44, 4, 10, 150
    n = max(1, len(items))
    step = (WIDTH - left - right) / n
    body = [f'<line x1="{left}" y1="{top}" x2="{WIDTH - right}" y2="{top}" stroke="{GRID}"/>',
            f'<line x1="{left}" y1="{top + height / 2}" x2="{WIDTH - right}" y2="{top + height / 2}" stroke="{GRID}"/>',
            f'<line x1="{left}" y1="{top + height}" x2="{WIDTH - right}" y2="{top + height}" stroke="{MUTED}"/>',
            f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" font-size="11" fill="{MUTED}">'
            f'{escape(format_value(nice, kind))}</text>',
            f'<text x="{left - 4}" y="{_num(top + height / 2 + 4)}" text-anchor="end" font-size="11" fill="{MUTED}">'
            f'{escape(format_value(nice / 2, kind))}</text>',
            f'<text x="{left - 4}" y="{top + height + 4}" text-anchor="end" font-size="11" fill="{MUTED}">0</text>']
    every = 1 if n <= 8 else 2 if n <= 16 else 3 if n <= 36 else 12
    for i, (label, value) in enumerate(items):
        x = left + i * step
        if value is not None:
            h = height * value / nice
            body.append(f'<rect x="{_num(x + step * 0.15)}" y="{_num(top + height - h)}" width="{_num(step * 0.7)}" '
                        f'height="{_num(h)}" fill="{BAR}"><title>{escape(label)}: '
                        f'{escape(format_value(value, kind))}</title></rect>')
        if i % every == 0 or i == n - 1:
            body.append(f'<text x="{_num(x + step / 2)}" y="{top + height + 16}" text-anchor="middle" '
                        f'font-size="10" fill="{INK}">{escape(label)}</text>')
    desc = _describe(items, kind)
    if items and items[-1][1] is not None:
        desc = _("Tháng gần nhất (%(m)s): %(v)s. ", m=items[-1][0], v=format_value(items[-1][1], kind)) + desc
    return _svg(chart_id, title, desc, top + height + 24, body)


def _nice_ceiling(value: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten at or above value (a readable axis maximum)."""
    if value <= 0:
        return 1
    exp = math.floor(math.log10(value))
    for m in (1, 2, 5, 10):
        if m * 10 ** exp >= value:
            return m * 10 ** exp
    return 10 ** (exp + 1)


@dataclass
class MapPoint:
    """A former district on the map: its code, name, centre, whether it is urban (quận), and its value."""

    code: str
    name: str
    lat: float
    lon: float
    urban: bool
    value: float | None


def _projector(points: list[MapPoint], width: float, pad: float):
    lat0 = sum(p.lat for p in points) / len(points)
    k = math.cos(math.radians(lat0))
    xs = [p.lon * k for p in points]
    ys = [p.lat for p in points]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1
    scale = (width - 2 * pad) / span

    def project(p: MapPoint) -> tuple[float, float]:
        return pad + (p.lon * k - min(xs)) * scale, pad + (max(ys) - p.lat) * scale

    return project, pad * 2 + (max(ys) - min(ys)) * scale


def hanoi_map(chart_id: str, title: str, points: list[MapPoint], kind: str = "count") -> Markup:
    """Hanoi's 30 former districts as circles at their centres, area proportional to the value; the 12 urban
    districts are drawn again, enlarged, in a second panel so their labels do not overlap. No map tiles."""
    if not points:
        return _svg(chart_id, title, _("Không có số liệu."), 20, [])
    values = [p.value for p in points if p.value]
    vmax = max(values) if values else 1

    def radius(value: float | None) -> float:
        return 2.0 if not value else max(2.5, 20 * math.sqrt(value / vmax))

    def circle(p: MapPoint, x: float, y: float) -> str:
        label = f"{p.name}: {format_value(p.value, kind)}"
        fill = "none" if not p.value else BAR_2
        return (f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(radius(p.value))}" fill="{fill}" fill-opacity="0.55" '
                f'stroke="{BAR_2}" stroke-width="1"><title>{escape(label)}</title></circle>')

    body = [f'<text x="4" y="14" fill="{MUTED}" font-size="11">{escape(_("Toàn thành phố"))}</text>']
    project, height = _projector(points, WIDTH, 26)
    urban = [p for p in points if p.urban]
    for p in points:
        x, y = project(p)
        body.append(circle(p, x, y))
        if not p.urban:
            body.append(f'<text x="{_num(x + radius(p.value) + 2)}" y="{_num(y + 4)}" font-size="10" fill="{INK}">'
                        f'{escape(p.name)} {escape(format_value(p.value, kind))}</text>')
    if urban:
        ux = [project(p) for p in urban]
        x0, x1 = min(x for x, _y in ux) - 10, max(x for x, _y in ux) + 10
        y0, y1 = min(y for _x, y in ux) - 10, max(y for _x, y in ux) + 10
        body.append(f'<rect x="{_num(x0)}" y="{_num(y0)}" width="{_num(x1 - x0)}" height="{_num(y1 - y0)}" '
                    f'fill="none" stroke="{MUTED}" stroke-dasharray="3 2"/>')
        body.append(f'<text x="{_num(x0)}" y="{_num(y1 + 11)}" font-size="10" fill="{MUTED}">'
                    f'{escape(_("Nội thành (phóng to bên dưới)"))}</text>')
        # The enlarged urban panel below the city map.
        inset_top = height + 10
        project_u, inset_h = _projector(urban, WIDTH, 40)
        body.append(f'<line x1="0" y1="{_num(inset_top)}" x2="{WIDTH}" y2="{_num(inset_top)}" stroke="{GRID}"/>')
        body.append(f'<text x="4" y="{_num(inset_top + 14)}" fill="{MUTED}" font-size="11">'
                    f'{escape(_("Nội thành (12 quận cũ), phóng to"))}</text>')
        for p in urban:
            x, y = project_u(p)
            y += inset_top + 24  # below the panel's title, with room for the topmost label
            body.append(circle(p, x, y))
            body.append(f'<text x="{_num(x)}" y="{_num(y - radius(p.value) - 3)}" text-anchor="middle" '
                        f'font-size="10" fill="{INK}">{escape(p.name)}</text>')
            body.append(f'<text x="{_num(x)}" y="{_num(y + 4)}" text-anchor="middle" font-size="10" '
                        f'font-weight="600" fill="{INK}">{escape(format_value(p.value, kind))}</text>')
        height = inset_top + 24 + inset_h
    desc = _describe([(p.name, p.value) for p in points], kind) + " " + \
        _("Mỗi vòng tròn đặt tại trung tâm một quận, huyện cũ; diện tích tỉ lệ với số liệu.")
    return _svg(chart_id, title, desc, height, body)
