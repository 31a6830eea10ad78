"""Bulk import of vacancies from CSV, XLSX or JSON lines: read each row, preview it, then create drafts at once.

Three steps, shared by the pages, the command line and the API:
1. `parse_file` turns an uploaded file into rows of text keyed by field (refusing bad files with a clear message:
   wrong encoding, unknown columns, too big, formulas, empty);
2. `read_rows` reads each row: the reader over its title, description and address, explicit columns taking
   precedence; it says per row what was understood, what needs a decision (an ambiguous place, an occupation to
   pick), and which rules it breaks (a sex demanded, a wage below the minimum), with the reason;
3. `create_drafts` creates the rows that can be created as drafts of one employer, in one transaction. Rows that
   cannot are reported back, never silently dropped.
"""
from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Callable, Iterable

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import Employer, Occupation, Skill, Vacancy, VacancyStatus, Ward
from ..models._common import utcnow
from ..text import clean, fold
from . import proposals, rules
from .money import WageFormatError, parse_vnd
from .services import (InvalidInput, ServiceError, VacancyData, _apply, _check_vacancy, hanoi_today)

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 500
DEFAULT_DEADLINE_DAYS = 30
CELL_MAX = 10_000

# The template's columns: field name, Vietnamese header (the template's), English header, an example value.
COLUMNS: list[tuple[str, str, str, str]] = [
    ("title", "Chức danh", "Title", "Nhân viên kế toán tổng hợp"),
    ("description", "Mô tả công việc", "Description",
     "Thành thạo Excel, MISA. Làm giờ hành chính, lương 10-15 triệu. Có 2 năm kinh nghiệm."),
    ("address", "Địa chỉ nơi làm việc", "Address", "25 Ngõ 1 Quan Nhân, Thanh Xuân, Hà Nội"),
    ("occupation_code", "Mã nghề", "Occupation code", ""),
    ("skills", "Kỹ năng bắt buộc", "Required skills", ""),
    ("nice_skills", "Kỹ năng ưu tiên", "Nice-to-have skills", ""),
    ("ward", "Phường, xã", "Ward", ""),
    ("wage_min", "Lương tối thiểu", "Minimum wage", ""),
    ("wage_max", "Lương tối đa", "Maximum wage", ""),
    ("positions", "Số lượng", "Positions", "2"),
    ("job_type", "Hình thức làm việc", "Job type", ""),
    ("deadline", "Hạn nộp hồ sơ", "Deadline", ""),
    ("education", "Trình độ học vấn", "Education", ""),
    ("experience", "Số năm kinh nghiệm", "Experience (years)", ""),
]
FIELD_NAMES = [c[0] for c in COLUMNS]
LABELS = {c[0]: c[1] for c in COLUMNS}


def _key(text: str) -> str:
    """A header or a label folded to bare words: 'Lương tối thiểu (VNĐ)' -> 'luong toi thieu vnd'."""
    return re.sub(r"[^a-z0-9]+", " ", fold(clean(str(text))).lower()).strip()


_HEADERS: dict[str, str] = {}
for _name, _vi, _en, _example in COLUMNS:
    for _h in (_name, _vi, _en):
        _HEADERS[_key(_h)] = _name
_HEADERS.update({_key(h): n for h, n in [
    ("tiêu đề", "title"), ("vị trí", "title"), ("vị trí tuyển dụng", "title"), ("mô tả", "description"),
    ("địa chỉ", "address"), ("nơi làm việc", "address"), ("nghề", "occupation_code"), ("mã nghề vsco", "occupation_code"),
    ("kỹ năng", "skills"), ("phường xã nơi làm việc", "ward"), ("mã phường xã", "ward"), ("ward code", "ward"),
    ("ward_code", "ward"), ("lương từ", "wage_min"), ("lương đến", "wage_max"), ("số lượng cần tuyển", "positions"),
    ("hình thức", "job_type"), ("hạn nộp", "deadline"), ("trình độ", "education"), ("kinh nghiệm", "experience"),
    ("required_skills", "skills"), ("education_required", "education"), ("experience_required", "experience"),
    ("experience_years", "experience"), ("nice_skill_labels", "nice_skills")]})

JOB_TYPE_WORDS = {"toan thoi gian": "full_time", "full time": "full_time", "fulltime": "full_time",
                  "ban thoi gian": "part_time", "part time": "part_time", "parttime": "part_time",
                  "theo ca": "shift", "ca kip": "shift", "lam ca": "shift", "shift": "shift",
                  "thoi vu": "seasonal", "mua vu": "seasonal", "seasonal": "seasonal",
                  "full_time": "full_time", "part_time": "part_time"}
EDUCATION_WORDS = {"khong yeu cau": "", "none": "", "tieu hoc": "primary", "primary": "primary",
                   "thcs": "lower_secondary", "trung hoc co so": "lower_secondary", "lower secondary": "lower_secondary",
                   "thpt": "upper_secondary", "trung hoc pho thong": "upper_secondary", "12 12": "upper_secondary",
                   "upper secondary": "upper_secondary", "trung cap": "vocational", "so cap": "vocational",
                   "trung cap nghe": "vocational", "so cap nghe": "vocational", "vocational": "vocational",
                   "cao dang": "college", "college": "college", "dai hoc": "university", "university": "university",
                   "sau dai hoc": "postgraduate", "thac si": "postgraduate", "tien si": "postgraduate",
                   "postgraduate": "postgraduate"}
for _code in ("lower_secondary", "upper_secondary"):
    EDUCATION_WORDS[_key(_code)] = _code


class ImportFileError(ValueError):
    """The file cannot be imported at all; the message says why and what to do, in the user's language."""

    def __init__(self, code: str, message: str):
        """Keep the stable code and the message."""
        super().__init__(message)
        self.code, self.message = code, message


# --- 1. Files to rows ---------------------------------------------------------------------------------------------

def max_bytes() -> int:
    """The largest file accepted (configurable as IMPORT_MAX_BYTES)."""
    return int(current_app.config.get("IMPORT_MAX_BYTES", MAX_BYTES))


def parse_file(filename: str, data: bytes) -> list[dict[str, str]]:
    """Rows of a CSV, XLSX or JSON-lines file as {field: text}, each with its row number under "_row"."""
    if not data or not data.strip():
        raise ImportFileError("empty", _("Tệp trống. Hãy tải mẫu, điền mỗi tin tuyển dụng một dòng rồi tải lên."))
    if len(data) > max_bytes():
        raise ImportFileError("too_large", _("Tệp lớn quá %(mb)s MB. Hãy chia thành nhiều tệp nhỏ hơn.",
                                             mb=f"{max_bytes() / 1024 / 1024:g}"))
    name = (filename or "").lower()
    if data[:4] == b"PK\x03\x04" or name.endswith(".xlsx"):
        rows = _xlsx_rows(data)
    elif name.endswith((".jsonl", ".ndjson", ".json")) or data.lstrip()[:1] == b"{":
        rows = _jsonl_rows(_decode(data))
    elif name.endswith((".xls", ".ods", ".numbers")) or data[:4] == b"\xd0\xcf\x11\xe0":
        raise ImportFileError("unsupported_format", _("Chỉ nhận tệp CSV, XLSX (Excel 2007 trở lên) hoặc JSON "
                                                      "lines. Hãy lưu lại tệp dưới dạng .xlsx hoặc .csv."))
    else:
        rows = _csv_rows(_decode(data))
    rows = [r for r in rows if any(v for k, v in r.items() if k != "_row")]
    if not rows:
        raise ImportFileError("no_rows", _("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."))
    if len(rows) > MAX_ROWS:
        raise ImportFileError("too_many_rows", _("Tệp có %(n)d dòng; mỗi lần nhập tối đa %(max)d tin.",
                                                 n=len(rows), max=MAX_ROWS))
    return rows


def _decode(data: bytes) -> str:
    """The file's text in UTF-8 (with or without BOM); other encodings are refused with what to do instead."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError("bad_encoding", _("Tệp không được lưu theo bảng mã UTF-8 nên chữ tiếng Việt sẽ bị "
                                                "lỗi. Trong Excel, chọn Lưu thành (Save As) → “CSV UTF-8”, hoặc "
                                                "tải lên tệp .xlsx.")) from None


def _columns(headers: Iterable) -> list[str | None]:
    """Field names for a header row; refuses a file without a title column or with unknown columns."""
    names, unknown = [], []
    for header in headers:
        text = clean(str(header or ""))
        name = _HEADERS.get(_key(text)) if text else None
        if text and name is None:
            unknown.append(text)
        names.append(name)
    if "title" not in names:
        raise ImportFileError("wrong_columns", _("Không thấy cột “Chức danh” ở dòng đầu tiên. Dòng đầu tiên phải là "
                                                 "tên các cột như trong tệp mẫu: %(columns)s.",
                                                 columns=", ".join(LABELS.values())))
    if unknown:
        raise ImportFileError("unknown_columns", _("Có cột không nhận ra: %(columns)s. Hãy dùng tên cột như trong "
                                                   "tệp mẫu: %(expected)s.", columns=", ".join(unknown[:10]),
                                                   expected=", ".join(LABELS.values())))
    doubled = [n for n in dict.fromkeys(names) if n and names.count(n) > 1]
    if doubled:
        raise ImportFileError("duplicate_columns", _("Cột “%(column)s” xuất hiện nhiều lần.",
                                                     column=LABELS[doubled[0]]))
    return names


def _formula(value: str, where: str) -> None:
    """Refuse a spreadsheet formula: its value is not known here and it may be an injection."""
    if value[:1] == "=":
        raise ImportFileError("formula", _("Ô %(cell)s chứa công thức (“%(value)s”). Hãy thay công thức bằng giá trị "
                                           "(sao chép rồi Dán giá trị) trước khi nhập.", cell=where,
                                           value=value[:40]))


def _cell(value) -> str:
    """A cell as text: dates as yyyy-mm-dd, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _column_letter(index: int) -> str:
    """A spreadsheet column letter (0 -> A)."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def _make_row(names: list[str | None], values: list, number: int) -> dict[str, str]:
    """One data row keyed by field, refusing formulas and over-long cells."""
    row: dict[str, str] = {"_row": str(number)}
    for i, value in enumerate(values):
        text = _cell(value)
        if not text.strip():
            continue
        where = f"{_column_letter(i)}{number}"
        _formula(text.strip(), where)
        if i >= len(names) or names[i] is None:
            raise ImportFileError("extra_values", _("Ô %(cell)s có dữ liệu nhưng cột này không có tên.", cell=where))
        if len(text) > CELL_MAX:
            raise ImportFileError("cell_too_long", _("Ô %(cell)s dài quá %(n)s ký tự.", cell=where, n="10.000"))
        row[names[i]] = text
    return row


def _csv_rows(text: str) -> list[dict[str, str]]:
    """Rows of a CSV text (comma, semicolon or tab separated, as Excel writes them)."""
    if "\x00" in text:
        raise ImportFileError("bad_encoding", _("Tệp không phải là văn bản CSV. Hãy tải lên tệp .csv hoặc .xlsx."))
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    try:
        table = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error:
        raise ImportFileError("bad_csv", _("Không đọc được tệp CSV (dấu ngoặc kép không khớp?). Hãy lưu lại từ "
                                           "Excel dưới dạng “CSV UTF-8”.")) from None
    while table and not any(c.strip() for c in table[0]):
        table.pop(0)
    if not table:
        raise ImportFileError("empty", _("Tệp trống. Hãy tải mẫu, điền mỗi tin tuyển dụng một dòng rồi tải lên."))
    names = _columns(table[0])
    return [_make_row(names, values, number) for number, values in enumerate(table[1:], start=2)]


def _xlsx_rows(data: bytes) -> list[dict[str, str]]:
    """Rows of the first sheet of an XLSX workbook (formulas refused, dates read as dates)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise ImportFileError("bad_xlsx", _("Tệp Excel bị hỏng hoặc không phải .xlsx. Hãy mở lại bằng Excel và lưu "
                                            "dưới dạng “Sổ làm việc Excel (.xlsx)”.")) from None
    except Exception:  # openpyxl raises many kinds of errors on damaged archives; none may become a 500
        raise ImportFileError("bad_xlsx", _("Tệp Excel bị hỏng hoặc không phải .xlsx. Hãy mở lại bằng Excel và lưu "
                                            "dưới dạng “Sổ làm việc Excel (.xlsx)”.")) from None
    try:
        sheet = workbook.worksheets[0]
        table = []
        for values in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 50):
            table.append(list(values))
    except Exception:
        raise ImportFileError("bad_xlsx", _("Tệp Excel bị hỏng hoặc không phải .xlsx. Hãy mở lại bằng Excel và lưu "
                                            "dưới dạng “Sổ làm việc Excel (.xlsx)”.")) from None
    finally:
        workbook.close()
    while table and not any(_cell(c).strip() for c in table[0]):
        table.pop(0)
    if not table:
        raise ImportFileError("empty", _("Tệp trống. Hãy tải mẫu, điền mỗi tin tuyển dụng một dòng rồi tải lên."))
    names = _columns(table[0])
    return [_make_row(names, values, number) for number, values in enumerate(table[1:], start=2)]


def _jsonl_rows(text: str) -> list[dict[str, str]]:
    """Rows of JSON lines: one object per line, keys as the template's columns (Vietnamese or field names)."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            raise ImportFileError("bad_json", _("Dòng %(n)d không phải JSON hợp lệ. Mỗi dòng phải là một đối tượng "
                                                "JSON, ví dụ {\"title\": \"Thợ hàn\"}.", n=number)) from None
        if not isinstance(obj, dict):
            raise ImportFileError("bad_json", _("Dòng %(n)d không phải là một đối tượng JSON.", n=number))
        rows.append(row_from_object(obj, number))
    return rows


def row_from_object(obj: dict, number: int) -> dict[str, str]:
    """One row from a JSON object (a JSON line or an API row); unknown keys are refused by name."""
    names = _columns(list(obj.keys()))
    values = []
    for value in obj.values():
        if isinstance(value, list):
            value = "; ".join(str(v) for v in value)
        elif isinstance(value, (dict, bool)):
            raise ImportFileError("bad_json", _("Dòng %(n)d có giá trị không đọc được.", n=number))
        values.append(value)
    row = _make_row(names, values, number)
    return row


# --- 2. Rows to vacancies ---------------------------------------------------------------------------------------

@dataclass
class ImportRow:
    """One row read: the vacancy it would create, what was understood, what needs a decision, what is wrong."""

    number: int
    raw: dict[str, str]
    data: VacancyData
    understood: list[tuple[str, str, str]] = field(default_factory=list)  # (field, value shown, source)
    decisions: list[str] = field(default_factory=list)
    ward_choices: list[tuple[str, str]] = field(default_factory=list)
    occupation_choices: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        """'refused' (breaks a rule), 'invalid' (cannot be a vacancy as it is), 'decide', or 'ok'."""
        if self.refusals:
            return "refused"
        if self.errors:
            return "invalid"
        if self.decisions:
            return "decide"
        return "ok"

    def reasons(self) -> list[str]:
        """Everything that keeps the row from being created, in words."""
        return self.refusals + self.errors + self.decisions

    def to_json(self) -> dict:
        """The row as the API and the command report it."""
        d = self.data
        return {"row": self.number, "status": self.status, "title": d.title, "occupation_code": d.occupation_code,
                "ward_code": d.ward_code or None, "wage_min": d.wage_min, "wage_max": d.wage_max,
                "required_skill_ids": d.required_skill_ids, "nice_skill_ids": d.nice_skill_ids,
                "job_type": d.job_type, "deadline": d.deadline.isoformat() if d.deadline else None,
                "understood": [{"field": f, "value": v, "source": s} for f, v, s in self.understood],
                "ward_choices": [c for c, _label in self.ward_choices],
                "occupation_choices": [c for c, _label in self.occupation_choices],
                "reasons": self.reasons(), "warnings": self.warnings}


class _Vocabulary:
    """Skills by every name a file may use for them (labels, slugs, synonyms, folded), loaded once per import."""

    def __init__(self):
        """Load the skill names."""
        self.by_name: dict[str, int] = {}
        self.label: dict[int, str] = {}
        for skill in db.session.scalars(select(Skill)):
            self.label[skill.id] = skill.label_vi
            names = [skill.label_vi, skill.label_en, skill.slug] + [s for s in re.split(r"[;,|]", skill.synonyms or "")]
            for name in names:
                if name and name.strip():
                    self.by_name.setdefault(_key(name), skill.id)

    def ids(self, text: str) -> tuple[list[int], list[str]]:
        """Skill ids for a cell listing skills ("Hàn điện; Excel"), and the names that are not in the vocabulary."""
        found, unknown = [], []
        for part in re.split(r"[;\n|]|,(?!\d)", text):
            name = part.strip()
            if not name:
                continue
            sid = int(name) if name.isdigit() and int(name) in self.label else self.by_name.get(_key(name))
            if sid is None:
                unknown.append(name)
            elif sid not in found:
                found.append(sid)
        return found, unknown


def _parse_date(text: str) -> date | None:
    """dd/mm/yyyy, yyyy-mm-dd (Excel dates arrive so) or dd-mm-yyyy; None when it is none of those."""
    text = text.strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def read_rows(rows: list[dict[str, str]], decisions: dict[str, str] | None = None,
              progress: Callable[[int], None] | None = None, today: date | None = None) -> list[ImportRow]:
    """Read every row (see the module docstring). decisions maps 'ward-<row>' / 'occupation-<row>' to a choice."""
    vocabulary = _Vocabulary()
    today = today or hanoi_today()
    decisions = decisions or {}
    out = []
    for raw in rows:
        out.append(_read_row(raw, vocabulary, decisions, today))
        if progress:
            progress(1)
    return out


def _read_row(raw: dict[str, str], vocabulary: _Vocabulary, decisions: dict[str, str], today: date) -> ImportRow:
    """One row (see read_rows)."""
    number = int(raw.get("_row") or 0)
    get = lambda name: clean(raw.get(name, ""))  # noqa: E731
    row = ImportRow(number=number, raw=raw, data=VacancyData(title=get("title"),
                                                             description=(raw.get("description") or "").strip()))
    data = row.data
    from_text, from_column = _("đọc từ mô tả"), _("từ cột")
    proposal = proposals.read(get("title"), raw.get("description"), get("address"))

    # Skills: the columns win; the text's skills are proposed only when the row names none.
    if get("skills"):
        data.required_skill_ids, unknown = vocabulary.ids(get("skills"))
        if unknown:
            row.errors.append(_("Kỹ năng không có trong danh mục: %(names)s.", names=", ".join(unknown)))
        source = from_column
    else:
        data.required_skill_ids, source = list(proposal.skill_ids), from_text
    if get("nice_skills"):
        nice, unknown = vocabulary.ids(get("nice_skills"))
        data.nice_skill_ids = [s for s in nice if s not in data.required_skill_ids]
        if unknown:
            row.errors.append(_("Kỹ năng không có trong danh mục: %(names)s.", names=", ".join(unknown)))
    if data.required_skill_ids:
        row.understood.append((_("Kỹ năng"), ", ".join(vocabulary.label[s] for s in data.required_skill_ids), source))

    # Occupation.
    chosen = clean(decisions.get(f"occupation-{number}", ""))
    code = get("occupation_code")
    if code:
        data.occupation_code, source = code, from_column
    elif chosen:
        data.occupation_code, source = chosen, _("bạn đã chọn")
    elif proposal.occupation_code:
        data.occupation_code, source = proposal.occupation_code, from_text
    if not code and proposal.occupation_top3:  # the reader's alternatives stay open to a change in the preview
        row.occupation_choices = list(proposal.occupation_top3)
    if data.occupation_code:
        occupation = db.session.get(Occupation, data.occupation_code) if len(data.occupation_code) <= 5 else None
        row.understood.append((_("Nghề"), f"{occupation.title('vi')} ({occupation.code})" if occupation
                               else data.occupation_code, source))

    # Ward: a code or a place name in the column, else the reader over the address and the text.
    chosen = clean(decisions.get(f"ward-{number}", ""))
    ward_text = get("ward")
    if chosen:
        data.ward_code, source = chosen, _("bạn đã chọn")
    elif ward_text:
        source = from_column
        if re.fullmatch(r"\d{5}", ward_text):
            data.ward_code = ward_text
        else:
            place = proposals.read(None, None, ward_text)
            if place.ward_code:
                data.ward_code = place.ward_code
            elif place.ward_choices:
                row.ward_choices = place.ward_choices
            else:
                row.errors.append(_("Không tìm thấy phường, xã “%(name)s” của Hà Nội.", name=ward_text))
    elif proposal.ward_code:
        data.ward_code, source = proposal.ward_code, from_text
    elif proposal.ward_choices:
        row.ward_choices = proposal.ward_choices
    if row.ward_choices and not data.ward_code:
        row.decisions.append(_("Địa chỉ nhắc tới nhiều nơi: chọn phường, xã nơi làm việc."))
    if data.ward_code:
        ward = db.session.get(Ward, data.ward_code) if len(data.ward_code) == 5 else None
        row.understood.append((_("Phường, xã"), ward.full_name_vi if ward else data.ward_code, source))

    # Wage.
    for name in ("wage_min", "wage_max"):
        if get(name):
            try:
                setattr(data, name, parse_vnd(get(name)))
            except WageFormatError:
                row.errors.append(_("%(column)s: không đọc được mức lương “%(value)s”. Ví dụ: 8.000.000 hoặc 8 triệu.",
                                    column=LABELS[name], value=get(name)))
    if not get("wage_min") and not get("wage_max"):
        data.wage_min, data.wage_max = proposal.wage_min, proposal.wage_max
        source = from_text
    else:
        source = from_column
    if data.wage_min or data.wage_max:
        shown = " – ".join(f"{v:,}".replace(",", ".") for v in (data.wage_min, data.wage_max) if v)
        row.understood.append((_("Lương"), shown, source))

    # Job type, education, experience, positions, deadline.
    if get("job_type"):
        job_type = JOB_TYPE_WORDS.get(_key(get("job_type")))
        if job_type is None:
            row.errors.append(_("Hình thức làm việc “%(value)s” không rõ (toàn thời gian, bán thời gian, theo ca, "
                                "thời vụ).", value=get("job_type")))
        else:
            data.job_type = job_type
    elif proposal.job_type:
        data.job_type = proposal.job_type
        row.understood.append((_("Hình thức"), data.job_type, from_text))
    if get("education"):
        level = EDUCATION_WORDS.get(_key(get("education")))
        if level is None:
            row.errors.append(_("Trình độ học vấn “%(value)s” không rõ.", value=get("education")))
        else:
            data.education_required = level or None
    elif proposal.education_level:
        data.education_required = proposal.education_level
        row.understood.append((_("Trình độ"), data.education_required, from_text))
    for name, target, fallback in (("experience", "experience_required", proposal.experience_years),
                                   ("positions", "positions", None)):
        text = get(name)
        if text:
            if re.fullmatch(r"\d{1,6}", text):
                setattr(data, target, int(text))
            else:
                row.errors.append(_("%(column)s phải là một số nguyên.", column=LABELS[name]))
        elif fallback is not None:
            setattr(data, target, fallback)
            row.understood.append((_("Kinh nghiệm"), str(fallback), from_text))
    if get("deadline"):
        data.deadline = _parse_date(get("deadline"))
        if data.deadline is None:
            row.errors.append(_("Hạn nộp hồ sơ “%(value)s” không phải ngày (ví dụ 31/12/2026).",
                                value=get("deadline")))
    else:
        data.deadline = today + timedelta(days=DEFAULT_DEADLINE_DAYS)
        row.understood.append((_("Hạn nộp hồ sơ"), data.deadline.strftime("%d/%m/%Y"),
                               _("mặc định %(n)d ngày", n=DEFAULT_DEADLINE_DAYS)))

    # The vacancy rules, then the laws: a sex demanded or a wage under the minimum is refused with the reason.
    demands = rules.sex_demands(data.title, data.description)
    if demands:
        row.refusals.append(_("Tin tuyển dụng không được yêu cầu giới tính (“%(phrase)s”).",
                              phrase="”, “".join(demands)))
    minimum = rules.wage_below_minimum(data.wage_min, data.wage_max, data.job_type, today,
                                       current_app.config["MINIMUM_WAGES"])
    if minimum is not None:
        row.refusals.append(_("Mức lương thấp hơn lương tối thiểu vùng I của Hà Nội (%(amount)s/tháng).",
                              amount=f"{minimum:,}".replace(",", ".") + " ₫"))
    fees = rules.fee_flags(data.title, data.description)
    if fees:
        row.warnings.append(_("Nội dung nghi thu phí hoặc đặt cọc (“%(phrase)s”): khi đăng, tin sẽ chờ cán bộ duyệt.",
                              phrase="”, “".join(fees)))
    if not row.errors and not row.decisions:
        try:
            row.data = _check_vacancy(data, None, today)
        except InvalidInput as exc:
            for name, messages in exc.errors.items():
                label = _FIELD_LABELS().get(name, name)
                row.errors.extend(f"{label}: {m}" for m in messages)
    return row


def _FIELD_LABELS() -> dict[str, str]:  # noqa: N802 (a table, looked up in the user's language)
    """The names the preview uses for VacancyData's fields."""
    return {"title": _("Chức danh"), "description": _("Mô tả"), "occupation_code": _("Nghề"),
            "ward_code": _("Phường, xã"), "wage_min": _("Lương tối thiểu"), "wage_max": _("Lương tối đa"),
            "positions": _("Số lượng"), "job_type": _("Hình thức"), "deadline": _("Hạn nộp hồ sơ"),
            "education_required": _("Trình độ"), "experience_required": _("Kinh nghiệm"),
            "required_skill_ids": _("Kỹ năng bắt buộc"), "nice_skill_ids": _("Kỹ năng ưu tiên")}


# --- 3. Drafts -----------------------------------------------------------------------------------------------------

def create_drafts(employer: Employer, rows: list[ImportRow], now: datetime | None = None) -> list[Vacancy]:
    """Create every 'ok' row as a draft of employer, in one transaction; the other rows are left for the report."""
    now = now or utcnow()
    created = []
    for row in rows:
        if row.status != "ok":
            continue
        vacancy = Vacancy(employer_id=employer.id, status=VacancyStatus.DRAFT.value, created_at=now, updated_at=now)
        _apply(vacancy, row.data)
        db.session.add(vacancy)
        created.append(vacancy)
    if not created:
        raise ServiceError("nothing_to_import", _("Không có dòng nào tạo được tin nháp. Hãy sửa các dòng được báo lỗi "
                                                  "rồi nhập lại."), 422)
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return created


def employer_by_tax_code(tax_code: str) -> Employer | None:
    """The business with this tax code (as typed: spaces and dots ignored)."""
    from .taxcode import normalise_tax_code

    code = normalise_tax_code(clean(tax_code or ""))
    return db.session.scalar(select(Employer).where(Employer.tax_code == code)) if code else None


# --- Templates to download ---------------------------------------------------------------------------------------

def template_csv() -> bytes:
    """The CSV template: UTF-8 with a BOM (so Excel reads the Vietnamese headers), the headers and one example."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c[1] for c in COLUMNS])
    writer.writerow([c[3] for c in COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    """The XLSX template: the headers, one example row, and a sheet explaining each column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tin tuyển dụng"
    sheet.append([c[1] for c in COLUMNS])
    sheet.append([c[3] for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for i, column in enumerate(COLUMNS):
        sheet.column_dimensions[_column_letter(i)].width = 40 if column[0] in ("description", "address") else 20
    guide = workbook.create_sheet("Hướng dẫn")
    guide.append(["Cột", "Column", "Ghi chú"])
    notes = {
        "title": "Bắt buộc.", "description": "Kỹ năng, lương, kinh nghiệm và nơi làm việc được đọc từ đây nếu các "
        "cột riêng để trống.", "address": "Số nhà, đường, phường/xã hoặc quận cũ.",
        "occupation_code": "Mã nghề VSCO 2020, 4 chữ số (để trống: đọc từ chức danh).",
        "skills": "Tên kỹ năng trong danh mục, cách nhau bởi dấu chấm phẩy.", "ward": "Mã hoặc tên phường, xã 2025.",
        "wage_min": "Đồng/tháng: 8.000.000 hoặc 8 triệu.", "job_type": "Toàn thời gian, bán thời gian, theo ca, "
        "thời vụ.", "deadline": "Ngày/tháng/năm (để trống: sau 30 ngày).", "education": "Ví dụ: THPT, trung cấp, "
        "cao đẳng, đại học."}
    for name, vi, en, _example in COLUMNS:
        guide.append([vi, en, notes.get(name, "")])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
