"""CSV and XLSX exports open, carry the filters, and hold the right numbers (as numbers, in XLSX)."""
from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from jobmarket.stats import queries

URL = "/can-bo/thong-ke/xuat"
JUNE = {"period": "month", "month": "2025-06"}


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment;" in response.headers["Content-Disposition"]
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def table_part(rows: list[list[str]]) -> tuple[list[str], dict[str, list[str]]]:
    """The header and the data rows (by label) after the blank line that ends the preamble."""
    blank = rows.index([])
    header = rows[blank + 1]
    return header, {r[0]: r for r in rows[blank + 2:]}


def test_csv_has_filters_and_the_numbers(client, officer, world, ref, filters):
    rows = read_csv(client.get(f"{URL}/khu-vuc.csv", query_string={**JUNE, "occupation": "7"}))
    assert rows[0] == ["Theo khu vực (quận, huyện cũ)"]
    preamble = {r[0]: r[1] for r in rows[:rows.index([])] if len(r) > 1}
    assert preamble["Kỳ thống kê"] == "Tháng 06/2025" and preamble["Từ ngày"] == "01/06/2025"
    assert preamble["Đến ngày"] == "30/06/2025" and preamble["Khu vực (quận, huyện cũ)"] == "Tất cả"
    assert preamble["Nhóm nghề (VSCO)"].startswith("7 – Lao động thủ công")
    header, data = table_part(rows)
    assert header[0] == "Khu vực" and "Việc làm thành công" in header
    d = queries.dashboard(filters(**JUNE, occupation="7"), ref)
    col = header.index("Việc làm thành công")
    assert data["Quận Cầu Giấy"][col] == str(d.by_district["005"].placements) == "4"  # a05 a06 a08, anonymous
    assert data["Tổng"][col] == str(d.headline.placements)
    rate = header.index("Tỷ lệ có việc làm (%)")
    cg = d.by_district["005"]
    assert data["Quận Cầu Giấy"][rate] == f"{cg.placements / cg.active_seekers:.4f}"


def test_xlsx_has_a_title_the_filters_and_number_cells(client, officer, world, ref, filters):
    response = client.get(f"{URL}/tong-hop.xlsx", query_string={**JUNE, "district": "005"})
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ws = load_workbook(io.BytesIO(response.get_data())).active
    assert ws["A1"].value == "Chỉ số chính" and ws["A1"].font.bold
    labels = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(2, 16)}
    assert labels["Kỳ thống kê"] == "Tháng 06/2025" and labels["Khu vực (quận, huyện cũ)"] == "Quận Cầu Giấy"
    h = queries.headline(filters(**JUNE, district="005"), ref)
    values = {ws.cell(r, 1).value: ws.cell(r, 2) for r in range(1, ws.max_row + 1)}
    placements = values["Việc làm thành công (tuyển dụng qua sàn)"]
    assert placements.value == h.placements == 4 and placements.data_type == "n" and placements.number_format == "#,##0"
    rate = values["Tỷ lệ có việc làm (việc làm thành công / người tìm việc)"]
    assert abs(rate.value - h.placement_rate) < 1e-9 and rate.number_format == "0.0%"
    median = values["Thời gian tuyển được (trung vị, ngày)"]
    assert abs(median.value - h.median_days_to_fill) < 1e-6 and median.number_format == "0.0"


def test_whole_workbook_has_a_sheet_per_table(client, officer, world):
    response = client.get(f"{URL}/tat-ca.xlsx", query_string=JUNE)
    wb = load_workbook(io.BytesIO(response.get_data()))
    assert len(wb.sheetnames) == 12 and wb.sheetnames[0] == "Chỉ số chính"  # + the two session tables
    series = wb["Theo tháng"]
    header_row = next(r for r in range(1, series.max_row + 1) if series.cell(r, 1).value == "Tháng")
    assert series.cell(header_row + 12, 1).value == "06/2025"
    assert series.freeze_panes == f"B{header_row + 1}"


def test_safe_export_hides_small_cells(client, officer, world):
    rows = read_csv(client.get(f"{URL}/khu-vuc.csv", query_string={**JUNE, "an-toan": "1"}))
    preamble = {r[0]: r[1] for r in rows[:rows.index([])] if len(r) > 1}
    assert "<5" in preamble["Bảo vệ dữ liệu"]
    header, data = table_part(rows)
    seen_marks = set()
    for label, row in data.items():
        for name, cell in zip(header[1:], row[1:]):
            if name.endswith("(%)") or cell in ("", "x", "<5"):
                seen_marks.add(cell)
                continue
            assert int(cell) >= 5, (label, name, cell)
    assert "<5" in seen_marks
    wb = load_workbook(io.BytesIO(client.get(f"{URL}/tat-ca.xlsx", query_string={**JUNE, "an-toan": "1"})
                                  .get_data()))
    for ws in wb.worksheets:
        header_row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value in
                          ("Chỉ số", "Tháng", "Khu vực", "Phường, xã", "Nhóm nghề", "Giới tính", "Nhóm tuổi",
                           "Trình độ", "Kỹ năng"))
        for r in range(header_row + 1, ws.max_row + 1):
            for c in range(2, ws.max_column + 1):
                cell = ws.cell(r, c)
                if isinstance(cell.value, int) and cell.number_format == "#,##0":
                    assert cell.value >= 5, (ws.title, r, c, cell.value)
