"""Bulk import pages, shared by employers (their own business) and officers (on behalf of one, at job fairs).

Upload a file -> a preview of every row (what was understood, what needs a decision, what breaks a rule) ->
confirm -> the rows that can be created become drafts in one transaction, and the others are listed with the reason.
Between preview and confirm the rows travel in a signed form field, so no state is kept on the server.
"""
from __future__ import annotations

from flask import Response, current_app, render_template, request, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..models import Employer
from . import importing
from .forms import ActionForm
from .services import ServiceError

PAYLOAD_MAX_AGE = 4 * 3600
PAYLOAD_MAX_CHARS = 450_000  # under the 500 kB a form field may hold


def _signer() -> URLSafeTimedSerializer:
    """Signs the rows between the preview and the confirmation."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="vacancy-import")


def template_download(kind: str) -> Response:
    """The template to fill in: CSV (UTF-8 with BOM) or XLSX."""
    if kind == "xlsx":
        return Response(importing.template_xlsx(), headers={
            "Content-Disposition": "attachment; filename=mau-nhap-tin-tuyen-dung.xlsx"},
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return Response(importing.template_csv(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=mau-nhap-tin-tuyen-dung.csv"})


def _page(employer: Employer | None, urls: dict, **context):
    """The import page in one of its states (upload, preview, result)."""
    return render_template("employers/import.html", employer=employer, urls=urls, form=ActionForm(),
                           labels=importing.LABELS, max_rows=importing.MAX_ROWS, **context)


def handle(employer: Employer | None, urls: dict, on_behalf: bool = False):
    """One request to the import page: GET shows the upload form, POST previews a file or creates the drafts."""
    if request.method == "GET" or employer is None:
        status = 200 if request.method == "GET" else 422
        return _page(employer, urls, on_behalf=on_behalf, step="upload"), status
    if request.form.get("payload"):
        return _confirm(employer, urls, on_behalf)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _page(employer, urls, on_behalf=on_behalf, step="upload",
                     file_error=_("Vui lòng chọn tệp CSV, XLSX hoặc JSON lines để nhập.")), 422
    data = upload.stream.read(importing.max_bytes() + 1)
    try:
        raw = importing.parse_file(upload.filename, data)
    except importing.ImportFileError as exc:
        return _page(employer, urls, on_behalf=on_behalf, step="upload", file_error=exc.message), 422
    rows = importing.read_rows(raw)
    payload = _signer().dumps({"e": employer.id, "rows": raw})
    if len(payload) > PAYLOAD_MAX_CHARS:
        return _page(employer, urls, on_behalf=on_behalf, step="upload",
                     file_error=_("Tệp có quá nhiều nội dung để xem trước một lần. Hãy chia thành nhiều tệp "
                                  "nhỏ hơn.")), 422
    return _page(employer, urls, on_behalf=on_behalf, step="preview", rows=rows, payload=payload,
                 filename=upload.filename), 200


def _confirm(employer: Employer, urls: dict, on_behalf: bool):
    """Create the drafts from a preview the user confirmed (with the decisions taken in the table)."""
    try:
        signed = _signer().loads(request.form["payload"], max_age=PAYLOAD_MAX_AGE)
    except BadSignature:
        return _page(employer, urls, on_behalf=on_behalf, step="upload",
                     file_error=_("Bản xem trước đã hết hạn hoặc không hợp lệ. Vui lòng tải tệp lên lại.")), 422
    if not isinstance(signed, dict) or signed.get("e") != employer.id:
        return _page(employer, urls, on_behalf=on_behalf, step="upload",
                     file_error=_("Bản xem trước này thuộc doanh nghiệp khác. Vui lòng tải tệp lên lại.")), 422
    decisions = {k: v for k, v in request.form.items() if k.startswith(("ward-", "occupation-"))}
    rows = importing.read_rows(signed["rows"], decisions)
    try:
        created = importing.create_drafts(employer, rows)
    except ServiceError as exc:
        return _page(employer, urls, on_behalf=on_behalf, step="preview", rows=rows,
                     payload=request.form["payload"], general_error=exc.message), exc.status
    return _page(employer, urls, on_behalf=on_behalf, step="result", rows=rows, created=created,
                 not_created=[r for r in rows if r.status != "ok"]), 200


def employer_urls() -> dict:
    """The employer's own import addresses."""
    return {"self": url_for("employers.vacancy_import"), "csv": url_for("employers.import_template", kind="csv"),
            "xlsx": url_for("employers.import_template", kind="xlsx"), "back": url_for("employers.dashboard")}
