"""The profile (and the officer's walk-in form) filled from a CV file or pasted text: PDF and DOCX read in memory,
size and type checked, nothing stored, contact details never harvested."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from jobmarket.models import WorkerProfile
from jobmarket.workers import cvtext
from jobmarket.workers.cv import CvError
from tests.workers.conftest import PNG_BYTES, make_pdf

CV_TEXT = ("Nguyễn Thị An\nĐiện thoại: 0977 111 222 · Email: an.nguyen@example.vn\n"
           "Địa chỉ: số 12 Trần Thái Tông, phường Cầu Giấy, Hà Nội\n"
           "Kỹ năng: kế toán tổng hợp, thành thạo Excel, phần mềm MISA\n"
           "Kinh nghiệm 3 năm làm kế toán. Tốt nghiệp cao đẳng. Mức lương mong muốn: 12 triệu")


def docx_bytes(text: str = CV_TEXT, in_table: bool = False) -> bytes:
    document = Document()
    if in_table:
        table = document.add_table(rows=1, cols=2)
        table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Kỹ năng", "Excel, MISA"
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def post_fill(client, url: str, data: bytes | None = None, name: str = "cv.docx", mimetype: str = DOCX, **fields):
    form = {"action": "fill", **fields}
    if data is not None:
        form["cv_file"] = FileStorage(io.BytesIO(data), filename=name, content_type=mimetype)
    boundary, body = encode_multipart(form)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


# --- Reading the files -----------------------------------------------------------------------------------------------

def test_docx_text_is_read_with_its_tables_and_contacts_blanked(app):
    with app.test_request_context():
        text = cvtext.extract_text(docx_bytes(in_table=True), DOCX, 5_000_000)
    assert "kế toán tổng hợp" in text and "Kỹ năng · Excel, MISA" in text
    assert "0977" not in text and "@" not in text


def test_pdf_text_is_read_with_pypdf(app):
    pdf = make_pdf("Ky nang: Excel, MISA. Email an@example.vn. DT 0912345678")
    with app.test_request_context():
        text = cvtext.extract_text(pdf, "application/pdf", 5_000_000)
    assert "Excel, MISA" in text and "0912345678" not in text and "example" not in text


@pytest.mark.parametrize("data, mimetype, words", [
    (b"", "application/pdf", "Tệp trống"),
    (PNG_BYTES, "image/png", "Chỉ đọc được CV dạng PDF hoặc Word"),
    (b"%PDF-1.4 broken", "application/pdf", "bị hỏng"),
    ("docx", "image/jpeg", "không khớp"),
    (b"PK\x03\x04garbage", DOCX, "Chỉ đọc được CV dạng PDF hoặc Word"),
    ("big", "application/pdf", "lớn quá"),
])
def test_bad_cv_files_are_refused_with_a_message(app, data, mimetype, words):
    if data == "docx":
        data = docx_bytes()
    elif data == "big":
        data = make_pdf(padding=6_000_000)
    with app.test_request_context():
        with pytest.raises(CvError) as caught:
            cvtext.extract_text(data, mimetype, 5 * 1024 * 1024)
    assert words in caught.value.message


def test_a_scanned_pdf_without_text_asks_for_pasted_text(app):
    with app.test_request_context():
        with pytest.raises(CvError) as caught:
            cvtext.extract_text(make_pdf(""), "application/pdf", 5_000_000)
    assert "dán nội dung CV" in caught.value.message


# --- The profile page ---------------------------------------------------------------------------------------------

def profiles(db) -> int:
    return db.session.scalar(select(func.count()).select_from(WorkerProfile))


def test_a_docx_cv_fills_the_empty_profile_fields_and_nothing_is_saved(worker_client, factory, db, app):
    page = worker_client.get("/nguoi-lao-dong/ho-so")
    assert "Điền từ CV" in page.text and 'enctype="multipart/form-data"' in page.text
    response = post_fill(worker_client, "/nguoi-lao-dong/ho-so", docx_bytes(), full_name="", phone="")
    assert response.status_code == 200, response.text
    html = response.text
    excel = factory.skill("excel").id
    assert f'<option selected value="{excel}">' in html
    assert 'value="12.000.000"' in html and 'value="3"' in html
    assert 'value="Phường Cầu Giấy"' in html
    assert "111 222" not in html and "0977111222" not in html
    assert "an.nguyen@example.vn" not in html  # never harvested from the CV
    assert "Nguyễn Thị An" not in html  # the name is not taken either
    assert profiles(db) == 0
    uploads = Path(app.config["UPLOAD_FOLDER"])
    assert not uploads.exists() or not [p for p in uploads.rglob("*") if p.is_file()]  # the file is not kept


def test_pasted_text_fills_too_and_keeps_what_was_typed(worker_client, factory, db):
    response = post_fill(worker_client, "/nguoi-lao-dong/ho-so", None, cv_text=CV_TEXT, full_name="An",
                         expected_wage="15 triệu", skills=[str(factory.skill("han-dien").id)])
    html = response.text
    assert response.status_code == 200
    assert 'value="15 triệu"' in html  # the person's own value wins
    assert f'<option selected value="{factory.skill("han-dien").id}">' in html
    assert f'<option selected value="{factory.skill("excel").id}">' in html


def test_nothing_to_read_says_what_to_do(worker_client, db):
    response = post_fill(worker_client, "/nguoi-lao-dong/ho-so", None)
    assert response.status_code == 422 and "Chọn tệp CV hoặc dán nội dung CV" in response.text
    response = post_fill(worker_client, "/nguoi-lao-dong/ho-so", PNG_BYTES, name="cv.png", mimetype="image/png")
    assert response.status_code == 422 and "PDF hoặc Word" in response.text


def test_the_json_endpoint_reads_a_file_or_text(worker_client, factory, db):
    boundary, body = encode_multipart({"cv_file": FileStorage(io.BytesIO(docx_bytes()), filename="cv.docx",
                                                               content_type=DOCX)})
    response = worker_client.post("/nguoi-lao-dong/ho-so/doc-cv", data=body,
                                  content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 200, response.text
    assert "Excel" in {s["label"] for s in response.json["skills"]}
    assert response.json["ward"]["name"] == "Phường Cầu Giấy" and response.json["wage_min"] == 12_000_000
    assert "111 222" not in response.text and "example.vn" not in response.text
    text = worker_client.post("/nguoi-lao-dong/ho-so/doc-cv", json={"text": "Thành thạo Excel"})
    assert text.status_code == 200 and text.json["skills"][0]["label"] == "Excel"
    assert worker_client.post("/nguoi-lao-dong/ho-so/doc-cv", json={"text": ""}).status_code == 422


def test_employers_cannot_use_the_cv_reader(client_for, factory, db):
    client = client_for(factory.user("employer"))
    assert client.post("/nguoi-lao-dong/ho-so/doc-cv", json={"text": "Excel"}).status_code == 403


def test_an_officer_gets_the_same_help_for_a_walk_in(client_for, factory, db):
    client = client_for(factory.user("officer"))
    page = client.get("/can-bo/nguoi-lao-dong/moi")
    assert "Điền từ CV" in page.text
    response = post_fill(client, "/can-bo/nguoi-lao-dong/moi", docx_bytes(), full_name="Phạm Thị Hoa")
    assert response.status_code == 200
    html = response.text
    assert f'<option selected value="{factory.skill("excel").id}">' in html and 'value="Phạm Thị Hoa"' in html
    assert "111 222" not in html and profiles(db) == 0
    assert client.post("/nguoi-lao-dong/ho-so/doc-cv", json={"text": "Thành thạo Excel"}).status_code == 200
