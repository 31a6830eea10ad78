"""Upload and download paths: no traversal out of the upload folder or static/, content checked by type."""
from __future__ import annotations

import io
import os

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from jobmarket.workers import cv as cv_files

from ..workers.conftest import PNG_BYTES, make_pdf, login

TRAVERSALS = ["../../etc/passwd", "..%2f..%2fetc%2fpasswd", "/etc/passwd", "....//....//etc/passwd",
              "a" * 32 + ".pdf/../../x", "..\\..\\windows\\win.ini", "a" * 32 + ".pdf\x00.txt", "A" * 32 + ".PDF", ""]


def _upload(client, data: bytes, name: str, mimetype: str = "application/pdf"):
    boundary, body = encode_multipart({"cv": FileStorage(io.BytesIO(data), filename=name, content_type=mimetype)})
    return client.post("/nguoi-lao-dong/cv", data=body, content_type=f"multipart/form-data; boundary={boundary}")


@pytest.mark.parametrize("name", TRAVERSALS)
def test_stored_names_outside_the_pattern_are_refused(app, name):
    with app.app_context():
        assert cv_files.path_for(name) is None


def test_a_symlink_planted_in_the_folder_is_not_followed(app, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("not for download")
    with app.app_context():
        name = "b" * 32 + ".pdf"
        os.symlink(secret, cv_files.folder() / name)
        assert cv_files.path_for(name) is None


def test_upload_names_never_reach_the_disk(app, db, factory, tmp_path):
    user = factory.user(email="up@example.vn")
    factory.worker(user=user, skills=("han-dien",))
    client = app.test_client()
    login(client, user)
    response = _upload(client, make_pdf(), "../../../../" + str(tmp_path / "planted.pdf"))
    assert response.status_code == 302
    assert not (tmp_path / "planted.pdf").exists()  # nothing written where the name pointed
    stored = os.listdir(os.path.join(app.config["UPLOAD_FOLDER"], "cv"))
    assert len(stored) == 1 and cv_files._NAME.fullmatch(stored[0])


@pytest.mark.parametrize("data,claimed", [(PNG_BYTES, "application/pdf"), (b"<html><script>alert(1)</script>",
                                                                          "application/pdf"),
                                          (b"%PDF-1.4\n1 0 obj<</S/JavaScript>>endobj\nstartxref\n0\n%%EOF",
                                           "application/pdf")])
def test_content_decides_not_the_claimed_type(app, db, factory, data, claimed):
    user = factory.user(email="type@example.vn")
    factory.worker(user=user, skills=("han-dien",))
    client = app.test_client()
    login(client, user)
    response = _upload(client, data, "cv.pdf", claimed)
    assert response.status_code == 422
    assert "PDF" in response.get_data(as_text=True)
    folder = os.path.join(app.config["UPLOAD_FOLDER"], "cv")
    assert not os.path.isdir(folder) or os.listdir(folder) == []


def test_the_download_is_an_attachment_that_cannot_be_sniffed_or_run(app, db, factory):
    user = factory.user(email="dl@example.vn")
    profile = factory.worker(user=user, skills=("han-dien",), full_name="../../Ng Văn <b>A</b>")
    client = app.test_client()
    login(client, user)
    assert _upload(client, make_pdf(), "cv.pdf").status_code == 302
    response = client.get(f"/nguoi-lao-dong/{profile.id}/cv.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and ".." not in disposition and "/" not in disposition
    assert "private, no-store" in response.headers["Cache-Control"]
    response.close()


def test_a_tampered_stored_name_is_a_404(app, db, factory):
    user = factory.user(email="tamper@example.vn")
    profile = factory.worker(user=user, skills=("han-dien",))
    profile.cv_filename = "../../../etc/passwd"
    db.session.commit()
    client = app.test_client()
    login(client, user)
    assert client.get(f"/nguoi-lao-dong/{profile.id}/cv.pdf").status_code == 404


@pytest.mark.parametrize("path", ["/static/../jobmarket/config.py", "/static/%2e%2e/jobmarket/config.py",
                                  "/static/..%2fjobmarket%2fconfig.py", "/static/%2e%2e%2f%2e%2e%2fetc/passwd",
                                  "/static//etc/passwd"])
def test_static_files_cannot_be_escaped(client, db, path):
    response = client.get(path, follow_redirects=True)  # "//" is first normalised by a redirect inside /static
    assert response.status_code == 404
    assert b"SECRET_KEY" not in response.data and b"root:" not in response.data
    response.close()
