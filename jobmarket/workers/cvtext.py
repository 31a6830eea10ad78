"""The text of an uploaded CV (PDF with pypdf, DOCX with python-docx), for proposing profile fields from it.

The file is checked by size and content (and its declared type must not contradict the content), read in memory
and thrown away: nothing of it is stored. Phone numbers and email addresses are blanked out of the text before
anything reads it, so they can never become a proposal.
"""
from __future__ import annotations

import io
import logging
import re
import zipfile

from flask_babel import gettext as _

from .cv import CvError, check_pdf

log = logging.getLogger(__name__)

MAX_PAGES = 20
MAX_TEXT = 20_000
DOCX_MAX_UNPACKED = 40 * 1024 * 1024  # a DOCX that unpacks to more than this is a zip bomb, not a CV
PDF_TYPES = {"application/pdf", "application/x-pdf"}
DOCX_TYPES = {"application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
NEUTRAL_TYPES = {"", "application/octet-stream", "binary/octet-stream", "application/zip",
                 "application/x-zip-compressed"}

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\w)(?:\+?84|0)(?:[\s.\-()]*\d){8,10}(?!\w)")


def redact(text: str) -> str:
    """The text with email addresses and phone numbers blanked out (matching needs neither)."""
    return _PHONE.sub(" ", _EMAIL.sub(" ", text))


def kind_of(data: bytes) -> str | None:
    """'pdf', 'docx' or None, from the content (never from the file name)."""
    if data[:5] == b"%PDF-":
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return "docx"
        except zipfile.BadZipFile:
            return None
    return None


def extract_text(data: bytes, content_type: str | None, max_bytes: int) -> str:
    """The CV's text with contact details blanked out; CvError with a message people understand otherwise."""
    if not data:
        raise CvError("empty", _("Tệp trống. Vui lòng chọn tệp CV dạng PDF hoặc Word (.docx)."))
    if len(data) > max_bytes:
        raise CvError("too_large", _("Tệp CV lớn quá %(mb)s MB. Vui lòng chọn tệp nhỏ hơn.",
                                     mb=f"{max_bytes / 1024 / 1024:g}"))
    kind = kind_of(data)
    declared = (content_type or "").split(";")[0].strip().lower()
    if kind is None:
        raise CvError("not_cv", _("Chỉ đọc được CV dạng PDF hoặc Word (.docx). Tệp .doc cũ hoặc ảnh chụp: hãy lưu "
                                  "lại dưới dạng PDF hoặc .docx, hoặc dán nội dung CV vào ô bên dưới."))
    if declared not in NEUTRAL_TYPES and declared not in (PDF_TYPES if kind == "pdf" else DOCX_TYPES):
        raise CvError("type_mismatch", _("Loại tệp khai báo (%(declared)s) không khớp với nội dung tệp. Vui lòng "
                                         "chọn đúng tệp CV.", declared=declared))
    text = _pdf_text(data, max_bytes) if kind == "pdf" else _docx_text(data)
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    text = re.sub(r"\n\s*\n+", "\n", text).strip()
    if not text:
        raise CvError("no_text", _("Không đọc được chữ nào trong CV (có thể là ảnh chụp). Hãy dán nội dung CV vào "
                                   "ô bên dưới."))
    return redact(text[:MAX_TEXT])


def _pdf_text(data: bytes, max_bytes: int) -> str:
    """Text of a PDF's first pages (the same content checks as a stored CV come first)."""
    check_pdf(data, max_bytes)
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise CvError("encrypted", _("CV có mật khẩu nên không đọc được. Hãy bỏ mật khẩu hoặc dán nội dung CV."))
        parts = []
        for page in reader.pages[:MAX_PAGES]:
            parts.append(page.extract_text() or "")
            if sum(len(p) for p in parts) > MAX_TEXT:
                break
        return "\n".join(parts)
    except CvError:
        raise
    except Exception:  # pypdf raises many kinds of errors on damaged files; none may become a 500
        log.info("could not read a PDF CV", exc_info=True)
        raise CvError("broken_pdf", _("Tệp PDF bị hỏng hoặc không đọc được. Vui lòng xuất lại CV ra PDF.")) from None


def _docx_text(data: bytes) -> str:
    """Text of a DOCX: its paragraphs, then its tables' cells (CV templates often lay out in tables)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(i.file_size for i in archive.infolist()) > DOCX_MAX_UNPACKED:
                raise CvError("too_large", _("Tệp Word quá lớn khi giải nén. Vui lòng lưu CV dưới dạng PDF."))
        from docx import Document

        document = Document(io.BytesIO(data))
        parts = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                cells = list(dict.fromkeys(c.text.strip() for c in row.cells if c.text.strip()))
                parts.append(" · ".join(cells))
        return "\n".join(parts)
    except CvError:
        raise
    except Exception:
        log.info("could not read a DOCX CV", exc_info=True)
        raise CvError("broken_docx", _("Tệp Word bị hỏng hoặc không đọc được. Vui lòng lưu lại CV dưới dạng .docx "
                                       "hoặc PDF.")) from None
