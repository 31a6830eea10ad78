"""CV upload: real PDFs accepted, disguised and oversized files refused, the file served only to whom it may be."""
from __future__ import annotations

import io
import os

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from jobmarket.workers import cv as cv_files

from .conftest import PNG_BYTES, field_errors, flashes, make_pdf


def status(client, url: str) -> int:
    """GET url and close the response (a file response holds the file open until closed)."""
    response = client.get(url)
    response.close()
    return response.status_code


def upload(client, data: bytes, name: str = "cv.pdf", mimetype: str = "application/pdf"):
    """POST a file to the CV page as a browser would (multipart), encoded in memory (no spooled temp file)."""
    boundary, body = encode_multipart({"cv": FileStorage(io.BytesIO(data), filename=name, content_type=mimetype)})
    return client.post("/nguoi-lao-dong/cv", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def stored_path(app, profile):
    with app.app_context():
        return cv_files.path_for(profile.cv_filename)


def test_a_real_pdf_is_stored_under_a_random_name_outside_static(app, worker_client, profile, db):
    pdf = make_pdf()
    response = upload(worker_client, pdf, name="CV của tôi.pdf")
    assert response.status_code == 302 and "Đã lưu CV của bạn." in flashes(worker_client.get("/nguoi-lao-dong/cv").text)
    db.session.refresh(profile)
    assert profile.cv_filename and profile.cv_filename != "CV của tôi.pdf"
    path = stored_path(app, profile)
    assert path.read_bytes() == pdf
    assert str(path).startswith(app.config["UPLOAD_FOLDER"]) and not str(path).startswith(app.static_folder)
    assert oct(os.stat(path).st_mode)[-3:] == "600"


def test_the_worker_downloads_their_cv(worker_client, profile, db):
    pdf = make_pdf("Nguyen Van Han")
    upload(worker_client, pdf)
    response = worker_client.get(f"/nguoi-lao-dong/{profile.id}/cv.pdf")
    assert response.status_code == 200 and response.data == pdf and response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response.headers["Content-Disposition"] and "CV-nguyen-van-han.pdf" in \
        response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    response.close()


def test_a_png_renamed_pdf_is_refused(worker_client, profile, db):
    response = upload(worker_client, PNG_BYTES, name="cv.pdf")
    assert response.status_code == 422
    assert "không phải PDF" in field_errors(response.text)["cv"]
    db.session.refresh(profile)
    assert profile.cv_filename is None


def test_broken_empty_scripted_and_missing_files_are_refused(worker_client, profile, db):
    truncated = make_pdf()[:-40]
    assert "bị hỏng" in field_errors(upload(worker_client, truncated).text)["cv"]
    assert "Tệp trống" in field_errors(upload(worker_client, b"").text)["cv"]
    scripted = make_pdf().replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (x) >>")
    assert "mã chạy tự động" in field_errors(upload(worker_client, scripted).text)["cv"]
    none = worker_client.post("/nguoi-lao-dong/cv", data={}, content_type="multipart/form-data")
    assert none.status_code == 422 and "Vui lòng chọn tệp CV" in field_errors(none.text)["cv"]
    db.session.refresh(profile)
    assert profile.cv_filename is None


def test_a_file_over_5_mb_is_refused(app, worker_client, profile, db):
    assert app.config["CV_MAX_BYTES"] == 5 * 1024 * 1024
    big = make_pdf(padding=5 * 1024 * 1024)
    assert len(big) > 5 * 1024 * 1024
    response = upload(worker_client, big)
    assert response.status_code == 422 and "lớn quá 5 MB" in field_errors(response.text)["cv"]
    just_under = make_pdf(padding=5 * 1024 * 1024 - 2048)
    assert len(just_under) <= 5 * 1024 * 1024 and upload(worker_client, just_under).status_code == 302
    huge = upload(worker_client, b"%PDF-1.4" + b"0" * (7 * 1024 * 1024))
    assert huge.status_code == 413 and "Tệp quá lớn." in huge.text


def test_replace_and_delete(app, worker_client, profile, db):
    upload(worker_client, make_pdf("one"))
    db.session.refresh(profile)
    first = stored_path(app, profile)
    upload(worker_client, make_pdf("two"))
    db.session.refresh(profile)
    second = stored_path(app, profile)
    assert second != first and not first.exists() and b"two" in second.read_bytes()
    assert worker_client.post("/nguoi-lao-dong/cv/xoa").status_code == 302
    db.session.refresh(profile)
    assert profile.cv_filename is None and not second.exists()
    assert status(worker_client, f"/nguoi-lao-dong/{profile.id}/cv.pdf") == 404


def test_employers_see_the_cv_only_after_the_worker_applied_to_them(worker_client, profile, factory, client_for, db):
    upload(worker_client, make_pdf())
    employer = factory.employer()
    vacancy = factory.vacancy(employer=employer, required=("han-dien",))
    other = factory.employer()
    employer_client = client_for(employer.owner)
    other_client = client_for(other.owner)
    url = f"/nguoi-lao-dong/{profile.id}/cv.pdf"
    assert status(employer_client, url) == 404
    assert worker_client.post(f"/nguoi-lao-dong/ung-tuyen/{vacancy.id}", data={"note": ""}).status_code == 302
    assert status(employer_client, url) == 200
    assert status(other_client, url) == 404  # another employer: still nothing
    officer = client_for(factory.user("officer"))
    assert status(officer, url) == 200
    someone = client_for(factory.user("worker"))
    assert status(someone, url) == 404
    anonymous = employer_client.application.test_client()
    assert status(anonymous, url) == 302  # to the login page


def test_cv_page_needs_a_profile(worker_client, db):
    response = worker_client.get("/nguoi-lao-dong/cv")
    assert response.status_code == 302 and response.location.endswith("/nguoi-lao-dong/ho-so")


def test_stored_names_cannot_escape_the_folder(app):
    with app.app_context():
        assert cv_files.path_for("../../etc/passwd") is None
        assert cv_files.path_for("a" * 32 + ".pdf") is not None
        cv_files.remove("../x.pdf")  # ignored, not raised
