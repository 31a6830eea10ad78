"""Every table as CSV and as XLSX (openpyxl), with the filters written at the top of the file; every text cell is
formula-safe (jobmarket/security/spreadsheet.py)."""
from __future__ import annotations

import csv
import io
from datetime import datetime

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..security.spreadsheet import csv_row, csv_text, xlsx_cell
from .tables import COUNT, DAYS, RATE, SIGNED, TEXT, Row, Table

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NUMBER_FORMATS = {COUNT: "#,##0", SIGNED: "+#,##0;-#,##0;0", RATE: "0.0%", DAYS: "0.0"}


def _kind(table: Table, row: Row, column) -> str:
    return row.kind or column.kind


def _preamble(table: Table, filters: list[tuple[str, str]], generated: datetime) -> list[list[str]]:
    lines = [[table.title], [_("Nguồn"), _("Sàn giao dịch việc làm Hà Nội")],
             [_("Ngày xuất"), generated.strftime("%d/%m/%Y %H:%M")]]
    lines += [[label, value] for label, value in filters]
    if table.suppressed:
        lines.append([_("Bảo vệ dữ liệu"), _("Ô dưới 5 ghi “<5”; ô “x” được ẩn để không suy ra được ô dưới 5 "
                                             "từ tổng.")])
    if table.note:
        lines.append([_("Ghi chú"), table.note])
    return lines


def _csv_value(value, kind: str):
    if isinstance(value, str) or value is None:
        return "" if value is None else csv_text(value)
    if kind == RATE:
        return f"{value:.4f}"
    if kind == DAYS:
        return f"{value:.2f}"
    return str(int(value)) if kind in (COUNT, SIGNED) else str(value)


def to_csv(table: Table, filters: list[tuple[str, str]], generated: datetime) -> bytes:
    """CSV (UTF-8 with a byte-order mark so spreadsheet programs read the Vietnamese): the title and filters,
    a blank line, then the header and one line per row; numbers plain (12345, 0.1250), hidden cells as marks."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for line in _preamble(table, filters, generated):
        writer.writerow(csv_row(line))
    writer.writerow([])
    writer.writerow(csv_row([table.header] + [_header(c) for c in table.columns]))
    for row in [*table.rows, *([table.total] if table.total else [])]:
        writer.writerow([csv_text(row.label)] + [_csv_value(row.shown(c.key), _kind(table, row, c)) for c in table.columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _header(column) -> str:
    return f"{column.label} (%)" if column.kind == RATE else column.label


def _write_sheet(ws, table: Table, filters: list[tuple[str, str]], generated: datetime) -> None:
    ws.title = _sheet_name(table.title)
    xlsx_cell(ws, 1, 1, table.title).font = Font(bold=True, size=14)
    r = 1
    for line in _preamble(table, filters, generated)[1:]:
        r += 1
        for j, text in enumerate(line, start=1):
            xlsx_cell(ws, r, j, text)
        ws.cell(r, 1).font = Font(bold=True)
    header_row = r + 2  # one empty row between the filters and the table
    for j, text in enumerate([table.header] + [_header(c) for c in table.columns], start=1):
        cell = xlsx_cell(ws, header_row, j, text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8EEF7")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    r = header_row
    for row in [*table.rows, *([table.total] if table.total else [])]:
        r += 1
        xlsx_cell(ws, r, 1, row.label)
        if row.key == "total":
            ws.cell(r, 1).font = Font(bold=True)
        for j, column in enumerate(table.columns, start=2):
            cell = xlsx_cell(ws, r, j, _xlsx_value(row.shown(column.key)))
            kind = _kind(table, row, column)
            if row.key == "total":
                cell.font = Font(bold=True)
            if isinstance(cell.value, (int, float)) and kind in NUMBER_FORMATS:
                cell.number_format = NUMBER_FORMATS[kind]
            elif isinstance(cell.value, str) and kind != TEXT:
                cell.alignment = Alignment(horizontal="right")
    ws.freeze_panes = ws.cell(header_row + 1, 2)
    ws.column_dimensions["A"].width = 44
    for j in range(2, len(table.columns) + 2):
        ws.column_dimensions[get_column_letter(j)].width = 18


def _xlsx_value(value):
    return value  # numbers stay numbers; marks ("<5", "x") and labels are text; None is an empty cell


def _sheet_name(title: str) -> str:
    cleaned = "".join(ch for ch in title if ch not in '[]:*?/\\')
    return cleaned[:31] or "Sheet"


def to_xlsx(tables: list[Table], filters: list[tuple[str, str]], generated: datetime) -> bytes:
    """An XLSX workbook, one sheet per table: a title row, the filters, then the header and number cells."""
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for table in tables:
        ws = wb.create_sheet()
        _write_sheet(ws, table, filters, generated)
        name, n = ws.title, 2
        while name in used:
            name = f"{ws.title[:28]} {n}"
            n += 1
        ws.title = name
        used.add(name)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
