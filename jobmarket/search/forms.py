"""The search form (GET, no CSRF) and paging: every query parameter checked, with a Vietnamese message when bad."""
from __future__ import annotations

import math
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import ValidationError

from ..extensions import db
from ..models import FormerDistrict, Skill, Ward
from ..models.workers import JOB_TYPES
from ..text import clean
from .service import SORTS, VacancyQuery

Q_MAX_CHARS = 200
MAX_SKILLS = 10
MAX_KM = 100.0
MAX_WAGE = 1_000_000_000
MAX_PAGE = 1000
MAX_DB_ID = 2_147_483_647
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


def parse_km(raw: str | None, decimal_comma: bool = True) -> float | None:
    """A distance in km: 2.5 (or 2,5 as Vietnamese write it, or 2.5e0 from a program); None when it is not one."""
    text = (raw or "").strip()
    if decimal_comma:
        text = text.replace(",", ".")
    if len(text) > 32 or not re.fullmatch(r"\d+(\.\d+)?([eE][-+]?\d{1,3})?", text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


class SkillsField(SelectMultipleField):
    """Skill ids, repeated (skills=1&skills=2); the page also takes them comma-separated (skills=1,2)."""

    def process_formdata(self, valuelist):
        """Keep every value, remembering which ones are not ids."""
        split = not getattr(self, "strict", False)
        raw = [part.strip() for value in valuelist for part in (str(value).split(",") if split else [str(value)])]
        if split:
            raw = [r for r in raw if r]
        ids = [int(r) for r in raw if re.fullmatch(r"\d{1,10}", r)]
        self.bad_values = [r for r in raw if not re.fullmatch(r"\d{1,10}", r)] + \
            [str(i) for i in ids if not 1 <= i <= MAX_DB_ID]
        self.data = list(dict.fromkeys(i for i in ids if 1 <= i <= MAX_DB_ID))

    def pre_validate(self, form):
        """Every value is an id, there are not too many, and (on the page) each is a skill of the vocabulary."""
        if getattr(self, "bad_values", None):
            raise ValidationError(_l("Kỹ năng không hợp lệ."))
        if len(self.raw_data or []) > MAX_SKILLS or len(self.data or []) > MAX_SKILLS:
            raise ValidationError(_l("Chọn tối đa %(n)d kỹ năng.", n=MAX_SKILLS))
        # The API reads an unknown skill id as a filter nothing meets (no vacancy asks for it): an empty result.
        if self.data and not getattr(self, "strict", False):
            known = set(db.session.scalars(select(Skill.id).where(Skill.id.in_(self.data))))
            if known != set(self.data):
                raise ValidationError(_l("Kỹ năng không có trong danh mục."))


class VacancySearchForm(FlaskForm):
    """Vacancy search: free text, filters, sort and page. Built from request.args by the page and the API alike.

    The page is forgiving the way people type (empty fields, 8.000.000, 2,5 km, skills=1,2). The API (api=True)
    takes exactly what its OpenAPI document declares, so a value the document calls invalid is always refused and
    a value it calls valid is always accepted.
    """

    class Meta:
        csrf = False  # a GET search form changes nothing

    q = StringField(_l("Từ khóa"), filters=[_strip_text], render_kw={"type": "search", "maxlength": Q_MAX_CHARS})
    ward = SelectField(_l("Phường, xã"), choices=[], validate_choice=False)
    district = SelectField(_l("Khu vực (quận, huyện cũ)"), choices=[], validate_choice=False)
    origin_ward = SelectField(_l("Tính khoảng cách từ phường, xã"), choices=[], validate_choice=False)
    max_km = StringField(_l("Trong bán kính (km)"), render_kw={"inputmode": "decimal"})
    skills = SkillsField(_l("Kỹ năng"), choices=[], coerce=int, validate_choice=False, render_kw={"size": 8})
    min_wage = StringField(_l("Lương tối thiểu (VND/tháng)"), render_kw={"inputmode": "numeric"})
    job_type = SelectField(_l("Hình thức làm việc"), choices=[], validate_choice=False)
    sort = SelectField(_l("Sắp xếp theo"), choices=[], validate_choice=False)
    per_page = SelectField(_l("Số kết quả mỗi trang"), choices=[], validate_choice=False)
    page = StringField(_l("Trang"))

    def __init__(self, formdata, *, api: bool = False, default_origin: str | None = None, locale: str = "vi",
                 **kwargs):
        """formdata is request.args. default_origin measures distances when no origin_ward is given.

        The page loads the option lists it shows; the API needs none.
        """
        self.api = api
        self._fields_strict = api
        super().__init__(formdata=formdata, **kwargs)
        self.job_type.choices = [("", _l("Tất cả"))] + list(job_type_labels().items())
        self.sort.choices = list(sort_labels().items())
        self.per_page.choices = [(str(n), str(n)) for n in PER_PAGE_CHOICES]
        if not api:
            self._load_choices(locale)
        if default_origin and not self.origin_ward.data and (self.max_km.data or self.sort.data == "distance"):
            self.origin_ward.data = default_origin

    def _load_choices(self, locale: str) -> None:
        """The option lists, in alphabetical order without diacritics (slugs are the folded names)."""
        ward_choices = [(code, f"{name} ({district})") for code, name, district in db.session.execute(
            select(Ward.code, Ward.full_name_vi, FormerDistrict.name_vi)
            .join(FormerDistrict, FormerDistrict.code == Ward.district_code).order_by(Ward.slug, Ward.code))]
        self.ward.choices = [("", _l("Tất cả"))] + ward_choices
        self.origin_ward.choices = [("", _l("Không chọn"))] + ward_choices
        self.district.choices = [("", _l("Tất cả"))] + [tuple(row) for row in db.session.execute(
            select(FormerDistrict.code, FormerDistrict.name_vi).order_by(FormerDistrict.slug))]
        label = Skill.label_en if locale == "en" else Skill.label_vi
        order = func.lower(Skill.label_en) if locale == "en" else Skill.slug
        self.skills.choices = [tuple(row) for row in
                               db.session.execute(select(Skill.id, label).order_by(order, Skill.id))]

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        """Tell the skills field how strict to be before it reads the data."""
        self.skills.strict = getattr(self, "_fields_strict", False)
        super().process(formdata, obj, data, extra_filters, **kwargs)

    def _blank(self, field) -> bool:
        """An API parameter sent with no value (the page sends empty fields for 'any', the API must not)."""
        return self.api and bool(field.raw_data) and any(not str(v).strip() for v in field.raw_data)

    def _check_blank(self, field) -> None:
        """Refuse an API parameter sent with no value."""
        if self._blank(field):
            raise ValidationError(_l("Tham số không được để trống."))

    def validate_q(self, field):
        """At most 200 characters as sent."""
        raw = field.raw_data[0] if field.raw_data else ""
        if len(raw) > Q_MAX_CHARS:
            raise ValidationError(_l("Từ khóa quá dài (tối đa %(n)d ký tự).", n=Q_MAX_CHARS))

    # Each check runs on the raw text, so a bad value is named back to the user rather than silently dropped.
    def validate_ward(self, field):
        """A 2025 ward code."""
        self._check_blank(field)
        if field.data and not _exists(Ward, field.data, 5):
            raise ValidationError(_l("Phường, xã không hợp lệ."))

    def validate_origin_ward(self, field):
        """A 2025 ward code."""
        self._check_blank(field)
        if field.data and not _exists(Ward, field.data, 5):
            raise ValidationError(_l("Phường, xã để tính khoảng cách không hợp lệ."))

    def validate_district(self, field):
        """A former district code."""
        self._check_blank(field)
        if field.data and not _exists(FormerDistrict, field.data, 3):
            raise ValidationError(_l("Khu vực không hợp lệ."))

    def validate_max_km(self, field):
        """Between 0 and 100 km, and only with a ward to measure from."""
        self._check_blank(field)
        if not field.data:
            return
        km = parse_km(field.data, decimal_comma=not self.api)
        if km is None or not 0 < km <= MAX_KM:
            raise ValidationError(_l("Bán kính phải là số km lớn hơn 0 và không quá %(n)d.", n=int(MAX_KM)))
        if not self.origin_ward.data:
            raise ValidationError(_l("Hãy chọn phường, xã để tính khoảng cách."))

    def validate_min_wage(self, field):
        """An amount of VND."""
        self._check_blank(field)
        if not field.data:
            return
        amount = parse_int(field.data, 0, MAX_WAGE) if self.api else parse_vnd(field.data)
        if amount is None or amount > MAX_WAGE:
            raise ValidationError(_l("Lương tối thiểu phải là số tiền VND, ví dụ 8.000.000."))

    def validate_job_type(self, field):
        """One of the job types."""
        self._check_blank(field)
        if field.data and field.data not in JOB_TYPES:
            raise ValidationError(_l("Hình thức làm việc không hợp lệ."))

    def validate_sort(self, field):
        """One of the sorts; distance needs a ward to measure from."""
        self._check_blank(field)
        if field.data and field.data not in SORTS:
            raise ValidationError(_l("Cách sắp xếp không hợp lệ."))
        if field.data == "distance" and not self.origin_ward.data:
            raise ValidationError(_l("Để sắp xếp theo khoảng cách, hãy chọn phường, xã để tính khoảng cách."))

    def validate_per_page(self, field):
        """1 to 50 results a page."""
        self._check_blank(field)
        if field.data and parse_int(field.data, 1, MAX_PER_PAGE) is None:
            raise ValidationError(_l("Số kết quả mỗi trang phải từ 1 đến %(n)d.", n=MAX_PER_PAGE))

    def validate_page(self, field):
        """Page 1 to 1000."""
        self._check_blank(field)
        if field.data and parse_int(field.data, 1, MAX_PAGE) is None:
            raise ValidationError(_l("Số trang phải là số nguyên từ 1 đến %(n)d.", n=MAX_PAGE))

    def to_query(self, worker_id: int | None = None) -> VacancyQuery:
        """The validated query. Without an explicit sort: by relevance when there is text or a worker, else newest."""
        sort = self.sort.data or ("relevance" if (self.q.data or worker_id) else "newest")
        return VacancyQuery(
            q=self.q.data or "", ward_code=self.ward.data or None, district_code=self.district.data or None,
            origin_ward=self.origin_ward.data or None,
            max_km=parse_km(self.max_km.data, decimal_comma=not self.api) if self.max_km.data else None,
            skill_ids=list(self.skills.data or []),
            min_wage=(parse_int(self.min_wage.data, 0, MAX_WAGE) if self.api else parse_vnd(self.min_wage.data))
            if self.min_wage.data else None,
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
    """page and per_page of a list of matches; like the API, the pages refuse a parameter sent with no value."""

    class Meta:
        csrf = False

    page = StringField(_l("Trang"))
    per_page = StringField(_l("Số kết quả mỗi trang"))

    def _check(self, field, low: int, high: int, message) -> None:
        """Refuse a value that is not a whole number in [low, high] (an empty one included)."""
        if field.raw_data and parse_int(field.raw_data[0], low, high) is None:
            raise ValidationError(message)

    def validate_page(self, field):
        """Page 1 to 1000."""
        self._check(field, 1, MAX_PAGE, _l("Số trang phải là số nguyên từ 1 đến %(n)d.", n=MAX_PAGE))

    def validate_per_page(self, field):
        """1 to 50 a page."""
        self._check(field, 1, MAX_PER_PAGE, _l("Số kết quả mỗi trang phải từ 1 đến %(n)d.", n=MAX_PER_PAGE))

    def values(self) -> tuple[int, int]:
        """(page, per_page), defaults filled in."""
        page = parse_int(self.page.data, 1, MAX_PAGE) if self.page.data else 1
        per_page = parse_int(self.per_page.data, 1, MAX_PER_PAGE) if self.per_page.data else DEFAULT_PER_PAGE
        return page, per_page
