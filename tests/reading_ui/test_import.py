"""Bulk import of vacancies: files read (CSV, XLSX, JSON lines), bad files refused clearly, preview, drafts at once,
rule breaks reported per row; the same from the command line and the API, and by officers for a business."""
from __future__ import annotations

import csv
import io
import json
import unicodedata
from datetime import date, timedelta

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from jobmarket.employers import importing
from jobmarket.models import Vacancy
from tests.employers.conftest import login, token_for

DEADLINE = date.today() + timedelta(days=60)
HEADERS = ["Chức danh", "Mô tả công việc", "Địa chỉ nơi làm việc", "Mã nghề", "Kỹ năng bắt buộc", "Lương tối thiểu",
           "Lương tối đa", "Số lượng", "Hạn nộp hồ sơ"]
ROWS = [
    # read from the text: skills, wage and place
    ["Nhân viên kế toán tổng hợp", "Thành thạo Excel, MISA. Lương 10-15 triệu, kinh nghiệm 2 năm.",
     "25 Ngõ 1 Quan Nhân, phường Thanh Xuân, Hà Nội", "3313", "", "", "", "2", ""],
    # explicit columns win over the text
    ["Thợ hàn", "Hàn kết cấu thép, lương 20 triệu", "Phường Cầu Giấy", "7212", "Hàn điện", "9.000.000",
     "12 triệu", "3", DEADLINE.strftime("%d/%m/%Y")],
    # a sex demanded: refused, with the reason
    ["Lễ tân", "Chỉ tuyển nữ, giao tiếp tốt, Excel. Lương 9 triệu", "Phường Cầu Giấy", "4226", "", "", "", "1", ""],
    # below the minimum wage: refused
    ["Nhân viên kho", "Sắp xếp hàng hóa, Excel. Lương 3 triệu", "Phường Cầu Giấy", "4321", "", "", "", "1", ""],
    # an ambiguous place: a decision
    ["Bảo vệ tòa nhà", "Trực bảo vệ, Excel. Lương 8 triệu", "Thanh Xuân", "5414", "", "", "", "1", ""],
]


def csv_bytes(rows=ROWS, headers=HEADERS, encoding="utf-8-sig", delimiter=",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    text = buffer.getvalue()
    if encoding == "cp1258":  # Windows Vietnamese: tone marks as combining characters, as Excel writes it
        text = unicodedata.normalize("NFD", text)
    return text.encode(encoding, errors="replace")


def xlsx_bytes(rows=ROWS, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, url: str, data: bytes, name: str, **fields):
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), filename=name), **fields})
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def drafts(db, employer=None) -> list[Vacancy]:
    db.session.expire_all()
    query = select(Vacancy).order_by(Vacancy.id)
    if employer is not None:
        query = query.where(Vacancy.employer_id == employer.id)
    return list(db.session.scalars(query))


def by_title(rows):
    return {r.data.title: r for r in rows}


# --- Reading files ------------------------------------------------------------------------------------------------

def test_csv_xlsx_and_json_lines_give_the_same_rows(app, db):
    with app.test_request_context():
        from_csv = importing.parse_file("tin.csv", csv_bytes())
        from_semicolons = importing.parse_file("tin.csv", csv_bytes(delimiter=";"))
        from_xlsx = importing.parse_file("tin.xlsx", xlsx_bytes())
        lines = "\n".join(json.dumps(dict(zip(HEADERS, r)), ensure_ascii=False) for r in ROWS).encode()
        from_jsonl = importing.parse_file("tin.jsonl", lines)
    strip = lambda rows: [{k: v for k, v in r.items() if k != "_row"} for r in rows]  # noqa: E731
    assert strip(from_csv) == strip(from_xlsx) == strip(from_semicolons) == strip(from_jsonl)
    assert from_csv[0]["title"] == "Nhân viên kế toán tổng hợp" and from_csv[0]["_row"] == "2"
    assert from_csv[1]["deadline"] == DEADLINE.strftime("%d/%m/%Y")


@pytest.mark.parametrize("name, data, words", [
    ("tin.csv", b"", "Tệp trống"),
    ("tin.csv", "Chức danh\n".encode(), "không có dòng dữ liệu"),
    ("tin.csv", csv_bytes(encoding="cp1258"), "UTF-8"),
    ("tin.csv", csv_bytes(headers=["Tên", "Mô tả"]), "Không thấy cột “Chức danh”"),
    ("tin.csv", csv_bytes(rows=[["A", "b"]], headers=["Chức danh", "Ghi chú riêng"]), "Có cột không nhận ra: Ghi chú riêng"),
    ("tin.csv", csv_bytes(rows=[["=HYPERLINK(\"http://x\")", ""]], headers=["Chức danh", "Mô tả"]), "công thức"),
    ("tin.xlsx", b"PK\x03\x04 not really a zip", "Tệp Excel bị hỏng"),
    ("tin.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "Chỉ nhận tệp CSV, XLSX"),
    ("tin.jsonl", b'{"title": "A"}\n{oops', "Dòng 2 không phải JSON"),
    ("tin.csv", b"Ch\xe1\xbb\xa9c danh\n" + b"a\n" * 600, "tối đa 500 tin"),
])
def test_bad_files_are_refused_with_a_clear_message(app, db, name, data, words):
    with app.test_request_context():
        with pytest.raises(importing.ImportFileError) as caught:
            importing.parse_file(name, data)
    assert words in caught.value.message


def test_a_formula_in_an_xlsx_cell_is_refused_with_its_cell(app, db):
    data = xlsx_bytes(rows=[["Thợ hàn", "=1+1"]], headers=["Chức danh", "Mô tả công việc"])
    with app.test_request_context():
        with pytest.raises(importing.ImportFileError) as caught:
            importing.parse_file("tin.xlsx", data)
    assert "Ô B2 chứa công thức" in caught.value.message


def test_too_big_a_file_is_refused(app, db):
    app.config["IMPORT_MAX_BYTES"] = 1000
    with app.test_request_context():
        with pytest.raises(importing.ImportFileError) as caught:
            importing.parse_file("tin.csv", csv_bytes() * 5)
    assert "lớn quá" in caught.value.message


def test_the_templates_can_be_filled_and_read_back(app, db):
    with app.test_request_context():
        from_csv = importing.parse_file("mau.csv", importing.template_csv())
        workbook = load_workbook(io.BytesIO(importing.template_xlsx()))
        assert [c.value for c in workbook.worksheets[0][1]][:3] == ["Chức danh", "Mô tả công việc",
                                                                    "Địa chỉ nơi làm việc"]
        from_xlsx = importing.parse_file("mau.xlsx", importing.template_xlsx())
        assert from_csv == from_xlsx and from_csv[0]["title"] == "Nhân viên kế toán tổng hợp"
        rows = importing.read_rows(from_csv)
    assert rows[0].data.wage_min == 10_000_000 and rows[0].data.experience_required == 2


# --- Reading rows -------------------------------------------------------------------------------------------------

def test_each_row_says_what_was_understood_what_needs_a_decision_and_what_breaks_a_rule(app, db, factory):
    with app.test_request_context():
        rows = by_title(importing.read_rows(importing.parse_file("tin.csv", csv_bytes())))
    accountant = rows["Nhân viên kế toán tổng hợp"]
    assert accountant.status == "ok", accountant.reasons()
    assert (accountant.data.wage_min, accountant.data.wage_max) == (10_000_000, 15_000_000)
    assert factory.skill("excel").id in accountant.data.required_skill_ids
    assert accountant.data.ward_code and accountant.data.experience_required == 2
    assert any(source == "đọc từ mô tả" for _f, _v, source in accountant.understood)
    welder = rows["Thợ hàn"]
    assert welder.status == "ok", welder.reasons()
    assert welder.data.required_skill_ids == [factory.skill("han-dien").id]
    assert (welder.data.wage_min, welder.data.wage_max) == (9_000_000, 12_000_000)  # the columns, not the text
    assert welder.data.deadline == DEADLINE
    assert rows["Lễ tân"].status == "refused" and "giới tính" in " ".join(rows["Lễ tân"].reasons())
    assert rows["Nhân viên kho"].status == "refused" and "lương tối thiểu" in " ".join(rows["Nhân viên kho"].reasons())
    guard = rows["Bảo vệ tòa nhà"]
    assert guard.status == "decide" and len(guard.ward_choices) > 1


def test_fee_wording_is_warned_about_and_unknown_skills_named(app, db):
    rows = [{"_row": "2", "title": "Nhân viên bán hàng", "description": "Đặt cọc 500k đồng phục. Lương 8 triệu",
             "address": "Phường Cầu Giấy", "occupation_code": "5223", "skills": "Bán hàng; Bay lượn"}]
    with app.test_request_context():
        row = importing.read_rows(rows)[0]
    assert "Bay lượn" in " ".join(row.errors) and row.status == "invalid"
    assert "đặt cọc" in " ".join(row.warnings)


# --- Pages --------------------------------------------------------------------------------------------------------

def test_employer_previews_decides_and_gets_drafts_in_one_go(client, verified, db):
    login(client, verified.owner)
    page = client.get("/doanh-nghiep/nhap-tin")
    assert page.status_code == 200 and "mau.xlsx" in page.text
    template = client.get("/doanh-nghiep/nhap-tin/mau.csv")
    assert template.status_code == 200 and template.data.startswith("\ufeffChức danh".encode())
    preview = upload(client, "/doanh-nghiep/nhap-tin", csv_bytes(), "tin.csv")
    assert preview.status_code == 200, preview.text
    html = preview.text
    assert "5 dòng: 2 dòng sẵn sàng, 1 dòng cần bạn chọn, 2 dòng không tạo được." in html
    assert 'name="ward-6"' in html and "giới tính" in html and "lương tối thiểu" in html
    assert drafts(db) == []  # nothing before confirming
    payload = html.split('name="payload" value="')[1].split('"')[0]
    ward = html.split('name="ward-6"')[1].split('<option value="')[2].split('"')[0]
    done = client.post("/doanh-nghiep/nhap-tin", data={"payload": payload, "ward-6": ward})
    assert done.status_code == 200, done.text
    created = drafts(db, verified)
    assert sorted(v.title for v in created) == ["Bảo vệ tòa nhà", "Nhân viên kế toán tổng hợp", "Thợ hàn"]
    assert all(v.status == "draft" for v in created)
    assert [v.ward_code for v in created if v.title == "Bảo vệ tòa nhà"] == [ward]
    assert "Đã tạo 3 tin nháp" in done.text and "Lễ tân" in done.text and "Nhân viên kho" in done.text


def test_a_tampered_or_foreign_preview_is_refused(client, verified, factory, db):
    login(client, verified.owner)
    response = client.post("/doanh-nghiep/nhap-tin", data={"payload": "abc.def"})
    assert response.status_code == 422 and "hết hạn hoặc không hợp lệ" in response.text
    other = factory.employer()
    with client.application.test_request_context():
        from jobmarket.employers.import_views import _signer

        payload = _signer().dumps({"e": other.id, "rows": [{"_row": "2", "title": "Thợ hàn"}]})
    response = client.post("/doanh-nghiep/nhap-tin", data={"payload": payload})
    assert response.status_code == 422 and "doanh nghiệp khác" in response.text
    assert drafts(db) == []


def test_a_bad_file_comes_back_to_the_upload_page_with_the_message(client, verified, db):
    login(client, verified.owner)
    response = upload(client, "/doanh-nghiep/nhap-tin", csv_bytes(encoding="cp1258"), "tin.csv")
    assert response.status_code == 422 and "UTF-8" in response.text
    response = client.post("/doanh-nghiep/nhap-tin", data={})
    assert response.status_code == 422 and "Vui lòng chọn tệp" in response.text


def test_nothing_importable_is_said_and_nothing_created(client, verified, db):
    login(client, verified.owner)
    preview = upload(client, "/doanh-nghiep/nhap-tin", csv_bytes(rows=[ROWS[2]]), "tin.csv")
    payload = preview.text.split('name="payload" value="')[1].split('"')[0]
    response = client.post("/doanh-nghiep/nhap-tin", data={"payload": payload})
    assert response.status_code == 422 and "Không có dòng nào" in response.text
    assert drafts(db) == []


def test_an_officer_imports_for_a_business_at_a_job_fair(client, verified, factory, db):
    login(client, factory.user("officer"))
    unknown = upload(client, "/can-bo/nhap-tin", csv_bytes(), "tin.csv", tax_code="0000000000")
    assert unknown.status_code == 422 and "Không có doanh nghiệp" in unknown.text
    preview = upload(client, "/can-bo/nhap-tin", xlsx_bytes(), "tin.xlsx", tax_code=verified.tax_code)
    assert preview.status_code == 200 and verified.name in preview.text
    payload = preview.text.split('name="payload" value="')[1].split('"')[0]
    done = client.post("/can-bo/nhap-tin", data={"payload": payload, "tax_code": verified.tax_code})
    assert done.status_code == 200 and len(drafts(db, verified)) == 2


def test_workers_may_not_import(client, factory, db):
    login(client, factory.user("worker"))
    assert client.get("/doanh-nghiep/nhap-tin").status_code == 403
    assert client.get("/can-bo/nhap-tin").status_code == 403


# --- Command line and API ------------------------------------------------------------------------------------------

def test_the_command_imports_a_file_and_reports_each_refused_row(runner, verified, tmp_path, db):
    path = tmp_path / "tin.csv"
    path.write_bytes(csv_bytes())
    dry = runner.invoke(args=["vacancies", "import", str(path), "--employer", verified.tax_code, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "2/5 dòng" in dry.output and drafts(db) == []
    result = runner.invoke(args=["vacancies", "import", str(path), "--employer", verified.tax_code])
    assert result.exit_code == 0, result.output
    assert "Dòng 4 (Lễ tân)" in result.output and "Dòng 6 (Bảo vệ tòa nhà)" in result.output
    assert "Đã tạo 2 tin nháp" in result.output and len(drafts(db, verified)) == 2
    as_json = runner.invoke(args=["vacancies", "import", str(path), "--employer", verified.tax_code, "--dry-run",
                                  "--json"])
    lines = [json.loads(line) for line in as_json.stdout.splitlines() if line.startswith("{")]
    assert [line["status"] for line in lines] == ["ok", "ok", "refused", "refused", "decide"]


def test_the_command_refuses_a_bad_file_or_an_unknown_business(runner, verified, tmp_path, db):
    path = tmp_path / "tin.csv"
    path.write_bytes(csv_bytes(encoding="cp1258"))
    result = runner.invoke(args=["vacancies", "import", str(path), "--employer", verified.tax_code])
    assert result.exit_code != 0 and "UTF-8" in result.output
    result = runner.invoke(args=["vacancies", "import", str(path), "--employer", "0000000000"])
    assert result.exit_code != 0 and "Không có doanh nghiệp" in result.output


def test_the_api_imports_rows_and_reports_each(client, verified, factory, db):
    headers = token_for(client, verified.owner)
    rows = [dict(zip(["title", "description", "address", "occupation_code", "skills", "wage_min", "wage_max",
                      "positions", "deadline"], r)) for r in ROWS]
    rows = [{k: v for k, v in r.items() if v} for r in rows]
    dry = client.post("/api/v1/employer/vacancies/import", json={"rows": rows, "dry_run": True}, headers=headers)
    assert dry.status_code == 200, dry.text
    assert [r["status"] for r in dry.json["rows"]] == ["ok", "ok", "refused", "refused", "decide"]
    assert dry.json["created"] == [] and drafts(db) == []
    done = client.post("/api/v1/employer/vacancies/import", json={"rows": rows}, headers=headers)
    assert done.status_code == 200 and len(done.json["created"]) == 2
    assert {v.id for v in drafts(db, verified)} == set(done.json["created"])
    bad = client.post("/api/v1/employer/vacancies/import", json={"rows": [{"tieu_de": "x"}]}, headers=headers)
    assert bad.status_code == 400
    formula = client.post("/api/v1/employer/vacancies/import", json={"rows": [{"title": "=1+1"}]}, headers=headers)
    assert formula.status_code == 422 and "công thức" in formula.json["error"]["message"]
    officer = token_for(client, factory.user("officer"))
    missing = client.post("/api/v1/employer/vacancies/import", json={"rows": rows}, headers=officer)
    assert missing.status_code == 404
    on_behalf = client.post("/api/v1/employer/vacancies/import",
                            json={"rows": rows[:1], "employer_tax_code": verified.tax_code}, headers=officer)
    assert on_behalf.status_code == 200 and len(on_behalf.json["created"]) == 1


def test_the_api_documents_the_import(client, db):
    document = client.get("/api/v1/openapi.json").json
    operation = document["paths"]["/api/v1/employer/vacancies/import"]["post"]
    assert "VacancyImport" in json.dumps(operation) and "200" in operation["responses"]
