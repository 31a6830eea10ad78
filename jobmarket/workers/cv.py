"""CV files: a PDF checked by its content, stored under a random name outside static/, removed with its owner."""
from __future__ import annotations

import logging
import os
import re
import secrets
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

log = logging.getLogger(__name__)

_NAME = re.compile(r"[0-9a-f]{32}\.pdf")
_HEADER = re.compile(rb"%PDF-(?:1\.[0-7]|2\.0)")
_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")
# Actions a CV has no business carrying; a PDF viewer may run them when an employer opens the file.
_ACTIVE = re.compile(rb"/(?:JavaScript|Launch|EmbeddedFiles?|RichMedia)\b")


class CvError(ValueError):
    """The uploaded file is not an acceptable CV; the message says why, in the user's language."""

    def __init__(self, code: str, message: str):
        """Keep the stable code and the message."""
        super().__init__(message)
        self.code, self.message = code, message


def check_pdf(data: bytes, max_bytes: int) -> None:
    """Raise CvError unless data is a plausible PDF no larger than max_bytes.

    Checked by content, never by name: the %PDF- header with a known version, at least one object, a
    cross-reference (startxref) and the %%EOF marker near the end, and no embedded scripts or launch actions.
    """
    if not data:
        raise CvError("empty", _("Tệp trống. Vui lòng chọn tệp CV dạng PDF."))
    if len(data) > max_bytes:
        raise CvError("too_large", _("Tệp CV lớn quá %(mb)s MB. Vui lòng chọn tệp nhỏ hơn.",
                                     mb=f"{max_bytes / 1024 / 1024:g}"))
    if not _HEADER.match(data):
        raise CvError("not_pdf", _("Tệp này không phải PDF (dù tên tệp có thể là .pdf). Vui lòng lưu CV dưới dạng "
                                   "PDF rồi tải lên lại."))
    tail = data[-2048:]
    if b"%%EOF" not in tail or b"startxref" not in tail or not _OBJECT.search(data):
        raise CvError("broken_pdf", _("Tệp PDF bị hỏng hoặc không đầy đủ. Vui lòng xuất lại CV ra PDF."))
    if _ACTIVE.search(data):
        raise CvError("active_pdf", _("Tệp PDF có chứa mã chạy tự động hoặc tệp đính kèm. Vui lòng xuất lại CV "
                                      "ra PDF thông thường."))


def folder() -> Path:
    """Where CV files live (UPLOAD_FOLDER/cv), created private to the app on first use."""
    path = Path(current_app.config["UPLOAD_FOLDER"]) / "cv"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def path_for(name: str) -> Path | None:
    """The file behind a stored name; None for a name this module could not have made (no path tricks)."""
    if not name or not _NAME.fullmatch(name):
        return None
    base = folder().resolve()
    path = base / name
    # Defence in depth: the name pattern already rules out separators; a symlink planted in the folder must not
    # lead out of it either.
    if path.is_symlink() or path.resolve().parent != base:
        return None
    return path


def store(data: bytes) -> str:
    """Write the file under a new random name (atomically) and return that name."""
    name = secrets.token_hex(16) + ".pdf"
    target = folder() / name
    temporary = target.with_suffix(".part")
    with open(temporary, "wb") as fh:
        fh.write(data)
    os.chmod(temporary, 0o600)
    os.replace(temporary, target)
    return name


def remove(name: str | None) -> None:
    """Delete a stored file; a file already gone is fine, other failures are logged, never raised."""
    path = path_for(name or "")
    if path is None:
        return
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError:
        log.exception("could not delete CV file %s", name)
