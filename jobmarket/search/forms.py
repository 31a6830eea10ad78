"""The search form (a GET form, no CSRF) and paging: every query parameter checked, with a Vietnamese message when bad."""
from __future__ import annotations

import math
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import Length, ValidationError

from ..extensions import db
from ..models import FormerDistrict, Skill, Ward
from ..models.workers import JOB_TYPES
from ..text import clean, fold
from .service import SORTS, VacancyQuery

Q_MAX_CHARS = 200
MAX_SKILLS = 10
MAX_KM = 100.0
MAX_WAGE = 1_000_000_000
MAX_PAGE = 1000
PER_PAGE_CHOICES = (10, 20, 50)
MAX_PER_PAGE = 50
DEFAULT_PER_PAGE = 20


def job_type_labels() -> dict[str, str]:
    """How each job type reads on the page."""
    return {"full_time": _l("Toàn thời gian"), "part_time": _l("Bán thời gian"), "shift": _l("Làm theo ca"),
            "seasonal": _l("Thời vụ")}


def sort_labels() -> dict[str, str]:
    """How each sort reads on the page."""
    return {"relevance": _l("Phù hợp nhất"), "newest": _l("Mới đăng"), "wage": _l("Lương cao nhất"),
            "distance": _l("Gần nhất")}


def _strip_text(value):
    """NFC, no control characters, single spaces."""
    return clean(value) if isinstance(value, str) else value


def parse_int(raw: str | None, low: int, high: int) -> int | None:
    """A whole number in [low, high] written with plain digits; None when it is not one."""
    raw = (raw or "").strip()
    if not re.fullmatch(r"\d{1,10}", raw):
        return None
    value = int(raw)
    return value if low <= value <= high else None


def parse_vnd(raw: str | None) -> int | None:
    """An amount of VND as people type it: 8000000, 8.000.000, 8,000,000, '8 000 000 ₫'; None when it is not one."""
    text = re.sub(r"(?i)[\s.,]|₫|đ|vnd", "", raw or "")
    if not re.fullmatch(r"\d{1,12}", text):
        return None
    return int(text)


def parse_km(raw: str | None) -> float | None:
    """A distance in km with a decimal point or comma (2.5 or 2,5, or 2.5e0 from a program); None when it is not one."""
    text = (raw or "").strip().replace(",", ".")
    if len(text) > 32 or not re.fullmatch(r"\d+(\.\d+)?([eE][-+]?\d{1,3})?", text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


class SkillsField(SelectMultipleField):
    """Skills by id, repeated (skills=1&skills=2) or comma-separated (skills=1,2); bad values become a message."""

    def process_formdata(self, valuelist):
        """Keep every value, remembering which ones are not ids."""
        raw = [part.strip() for value in valuelist for part in str(value).split(",") if part.strip()]
        self.bad_values = [r for r in raw if not re.fullmatch(r"\d{1,9}", r)]
        self.data = list(dict.fromkeys(int(r) for r in raw if re.fullmatch(r"\d{1,9}", r)))

    def pre_validate(self, form):
        """Every value is a known skill, and there are not too many."""
        if getattr(self, "bad_values", None):
            raise ValidationError(_l("Kỹ năng không hợp lệ."))
        if len(self.data or []) > MAX_SKILLS:
            raise ValidationError(_l("Chọn tối đa %(n)d kỹ năng.", n=MAX_SKILLS))
        if self.data:
            known = set(db.session.scalars(select(Skill.id).where(Skill.id.in_(self.data))))
            if known != set(self.data):
                raise ValidationError(_l("Kỹ năng không có trong danh mục."))


class VacancySearchForm(FlaskForm):
    """Vacancy search: free text, filters, sort and page. Built from request.args by the page and the API alike."""

    class Meta:
        csrf = False  # a GET search form changes nothing

    q = StringField(_l("Từ khóa"), filters=[_strip_text],
                    validators=[Length(max=Q_MAX_CHARS, message=_l("Từ khóa quá dài (tối đa %(n)d ký tự).",
                                                                   n=Q_MAX_CHARS))])
    ward = SelectField(_l("Phường, xã"), choices=[], validate_choice=False)
    district = SelectField(_l("Khu vực (quận, huyện cũ)"), choices=[], validate_choice=False)
    origin_ward = SelectField(_l("Tính khoảng cách từ phường, xã"), choices=[], validate_choice=False)
    max_km = StringField(_l("Trong bán kính (km)"))
    skills = SkillsField(_l("Kỹ năng"), choices=[], coerce=int, validate_choice=False)
    min_wage = StringField(_l("Lương tối thiểu (VND/tháng)"))
    job_type = SelectField(_l("Hình thức làm việc"), choices=[], validate_choice=False)
    sort = SelectField(_l("Sắp xếp theo"), choices=[], validate_choice=False)
    per_page = SelectField(_l("Số kết quả mỗi trang"), choices=[], validate_choice=False)
    page = StringField(_l("Trang"))

    def __init__(self, formdata, *, with_choices: bool = True, **kwargs):
        """formdata is request.args; with_choices loads the option lists a page shows (the API needs none)."""
        super().__init__(formdata=formdata, **kwargs)
        self.job_type.choices = [("", _l("Tất cả"))] + list(job_type_labels().items())
        self.sort.choices = list(sort_labels().items())
        self.per_page.choices = [(str(n), str(n)) for n in PER_PAGE_CHOICES]
        if with_choices:
            wards = sorted(db.session.scalars(select(Ward)), key=lambda w: fold(w.name_vi))
            ward_choices = [(w.code, f"{w.full_name_vi} ({w.district.name_vi})") for w in wards]
            self.ward.choices = [("", _l("Tất cả"))] + ward_choices
            self.origin_ward.choices = [("", _l("Không chọn"))] + ward_choices
            districts = sorted(db.session.scalars(select(FormerDistrict)), key=lambda d: fold(d.name_vi))
            self.district.choices = [("", _l("Tất cả"))] + [(d.code, d.name_vi) for d in districts]
            self.skills.choices = [(s.id, s.label_vi) for s in
                                   sorted(db.session.scalars(select(Skill)), key=lambda s: fold(s.label_vi))]
        self.parsed: VacancyQuery | None = None

    # Each check runs on the raw text, so a bad value is named back to the user rather than silently dropped.
    def validate_ward(self, field):
        """A 2025 ward code."""
        if field.data and not _exists(Ward, field.data, 5):
            raise ValidationError(_l("Phường, xã không hợp lệ."))

    def validate_origin_ward(self, field):
        """A 2025 ward code."""
        if field.data and not _exists(Ward, field.data, 5):
            raise ValidationError(_l("Phường, xã để tính khoảng cách không hợp lệ."))

    def validate_district(self, field):
        """A former district code."""
        if field.data and not _exists(FormerDistrict, field.data, 3):
            raise ValidationError(_l("Khu vực không hợp lệ."))

    def validate_max_km(self, field):
        """Between 0 and 100 km, and only with a ward to measure from."""
        if not field.data:
            return
        km = parse_km(field.data)
        if km is None or not 0 < km <= MAX_KM:
            raise ValidationError(_l("Bán kính phải là số km lớn hơn 0 và không quá %(n)d.", n=int(MAX_KM)))
        if not self.origin_ward.data:
            raise ValidationError(_l("Hãy chọn phường, xã để tính khoảng cách."))

    def validate_min_wage(self, field):
        """An amount of VND."""
        if not field.data:
            return
        amount = parse_vnd(field.data)
        if amount is None or amount > MAX_WAGE:
            raise ValidationError(_l("Lương tối thiểu phải là số tiền VND, ví dụ 8.000.000."))

    def validate_job_type(self, field):
        """One of the job types."""
        if field.data and field.data not in JOB_TYPES:
            raise ValidationError(_l("Hình thức làm việc không hợp lệ."))

    def validate_sort(self, field):
        """One of the sorts; distance needs a ward to measure from."""
        if field.data and field.data not in SORTS:
            raise ValidationError(_l("Cách sắp xếp không hợp lệ."))
        if field.data == "distance" and not self.origin_ward.data:
            raise ValidationError(_l("Để sắp xếp theo khoảng cách, hãy chọn phường, xã để tính khoảng cách."))

    def validate_per_page(self, field):
        """1 to 50 results a page."""
        if field.data and parse_int(field.data, 1, MAX_PER_PAGE) is None:
            raise ValidationError(_l("Số kết quả mỗi trang phải từ 1 đến %(n)d.", n=MAX_PER_PAGE))

    def validate_page(self, field):
        """Page 1 to 1000."""
        if field.data and parse_int(field.data, 1, MAX_PAGE) is None:
            raise ValidationError(_l("Số trang phải là số nguyên từ 1 đến %(n)d.", n=MAX_PAGE))

    def to_query(self, worker_id: int | None = None) -> VacancyQuery:
        """The validated query. Without an explicit sort: by relevance when there is text or a worker, else newest."""
        sort = self.sort.data or ("relevance" if (self.q.data or worker_id) else "newest")
        return VacancyQuery(
            q=self.q.data or "", ward_code=self.ward.data or None, district_code=self.district.data or None,
            origin_ward=self.origin_ward.data or None,
            max_km=parse_km(self.max_km.data) if self.max_km.data else None,
            skill_ids=list(self.skills.data or []),
            min_wage=parse_vnd(self.min_wage.data) if self.min_wage.data else None,
            job_type=self.job_type.data or None, sort=sort,
            page=parse_int(self.page.data, 1, MAX_PAGE) if self.page.data else 1,
            per_page=parse_int(self.per_page.data, 1, MAX_PER_PAGE) if self.per_page.data else DEFAULT_PER_PAGE,
            worker_id=worker_id)

    def query_args(self, **changes) -> dict:
        """The form's parameters as URL arguments (for pager links), with some changed."""
        args = {"q": self.q.data, "ward": self.ward.data, "district": self.district.data,
                "origin_ward": self.origin_ward.data, "max_km": self.max_km.data, "skills": self.skills.data or [],
                "min_wage": self.min_wage.data, "job_type": self.job_type.data, "sort": self.sort.data,
                "per_page": self.per_page.data}
        args.update(changes)
        return {k: v for k, v in args.items() if v not in (None, "", [])}


def _exists(model, code: str, length: int) -> bool:
    """Whether a reference row with this code exists (codes are fixed-length digits)."""
    if not re.fullmatch(rf"\d{{{length}}}", code):
        return False
    return db.session.get(model, code) is not None


class PagingForm(FlaskForm):
    """page and per_page of a list of matches."""

    class Meta:
        csrf = False

    page = StringField(_l("Trang"))
    per_page = StringField(_l("Số kết quả mỗi trang"))

    def validate_page(self, field):
        """Page 1 to 1000."""
        if field.data and parse_int(field.data, 1, MAX_PAGE) is None:
            raise ValidationError(_l("Số trang phải là số nguyên từ 1 đến %(n)d.", n=MAX_PAGE))

    def validate_per_page(self, field):
        """1 to 50 a page."""
        if field.data and parse_int(field.data, 1, MAX_PER_PAGE) is None:
            raise ValidationError(_l("Số kết quả mỗi trang phải từ 1 đến %(n)d.", n=MAX_PER_PAGE))

    def values(self) -> tuple[int, int]:
        """(page, per_page), defaults filled in."""
        page = parse_int(self.page.data, 1, MAX_PAGE) if self.page.data else 1
        per_page = parse_int(self.per_page.data, 1, MAX_PER_PAGE) if self.per_page.data else DEFAULT_PER_PAGE
        return page, per_page
