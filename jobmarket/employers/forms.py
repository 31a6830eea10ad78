"""Employer forms: the business, a vacancy, moving an application, inviting a worker. Messages in Vietnamese first.

Forms only read what was typed (text to numbers, dates and id lists); the rules live in services.py, so the
pages and the API refuse the same things with the same messages.
"""
from __future__ import annotations

import re
from datetime import date, datetime

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from markupsafe import Markup
from wtforms.validators import Length
from wtforms.widgets import DateInput, NumberInput, Select, html_params

from ..extensions import db
from ..i18n import current_locale
from ..models import Occupation, Skill, Ward
from ..models.workers import EDUCATION_LEVELS, JOB_TYPES
from .labels import EDUCATION_LABELS, JOB_TYPE_LABELS, SKILL_CATEGORY_LABELS
from .money import WageFormatError, parse_vnd
from .services import EmployerData, VacancyData

_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _max(n: int) -> Length:
    """A length limit with a message in the user's language (the service checks the real limits)."""
    return Length(max=n, message=_l("Nội dung quá dài."))


class GroupedSelect(Select):
    """A select with optgroups, where the group named "" holds options outside any group (the placeholder)."""

    def __call__(self, field, **kwargs):
        """Render the select."""
        kwargs.setdefault("id", field.id)
        if self.multiple:
            kwargs["multiple"] = True
        html = [f"<select {html_params(name=field.name, **kwargs)}>"]
        for group, choices in field.iter_groups():
            if group:
                html.append(f"<optgroup {html_params(label=group)}>")
            for val, label, selected, render_kw in choices:
                html.append(self.render_option(val, label, selected, **render_kw))
            if group:
                html.append("</optgroup>")
        html.append("</select>")
        return Markup("".join(html))


def ward_choices() -> dict[str, list[tuple[str, str]]]:
    """The 126 wards grouped by former district, for a select with optgroups."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for ward in db.session.scalars(select(Ward)):
        groups.setdefault(ward.district.name_vi, []).append((ward.code, ward.full_name_vi))
    return {name: sorted(opts, key=lambda o: o[1]) for name, opts in sorted(groups.items())}


def occupation_choices() -> dict[str, list[tuple[str, str]]]:
    """Level-4 VSCO occupations grouped under their level-2 group."""
    locale = current_locale()
    occupations = list(db.session.scalars(select(Occupation).where(Occupation.level.in_((2, 4)))
                                          .order_by(Occupation.code)))
    groups = {o.code: f"{o.code} · {o.title(locale)}" for o in occupations if o.level == 2}
    out: dict[str, list[tuple[str, str]]] = {}
    for o in occupations:
        if o.level == 4:
            out.setdefault(groups.get(o.code[:2], o.code[:2]), []).append((o.code, f"{o.title(locale)} ({o.code})"))
    return out


def skill_choices() -> dict[str, list[tuple[str, str]]]:
    """Every skill of the vocabulary grouped by category."""
    locale = current_locale()
    out: dict[str, list[tuple[str, str]]] = {}
    for skill in db.session.scalars(select(Skill).order_by(Skill.category, Skill.label_vi)):
        group = str(SKILL_CATEGORY_LABELS.get(skill.category, skill.category))
        out.setdefault(group, []).append((str(skill.id), skill.label(locale)))
    return out


def parse_int(text: str | None) -> int | None:
    """A whole number typed by a person ("3", " 10 "), None when empty; ValueError when not a number."""
    value = (text or "").strip().replace(".", "").replace(" ", "")
    if not value:
        return None
    if not re.fullmatch(r"-?\d{1,9}", value):
        raise ValueError(value)
    return int(value)


def parse_date(text: str | None) -> date | None:
    """A date from the date picker (yyyy-mm-dd) or typed as dd/mm/yyyy; None when empty; ValueError otherwise."""
    value = (text or "").strip()
    if not value:
        return None
    match = _DMY.match(value)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return date(year, month, day)
    return datetime.strptime(value, "%Y-%m-%d").date()


class EmployerForm(FlaskForm):
    """Register or edit a business."""

    name = StringField(_l("Tên doanh nghiệp"), validators=[_max(400)])
    tax_code = StringField(_l("Mã số thuế"), validators=[_max(40)])
    ward_code = SelectField(_l("Phường, xã (địa chỉ trụ sở)"), validate_choice=False, widget=GroupedSelect())
    address_detail = StringField(_l("Số nhà, đường phố"), validators=[_max(400)])
    sector = StringField(_l("Ngành nghề kinh doanh"), validators=[_max(200)])
    contact_person = StringField(_l("Người liên hệ"), validators=[_max(240)])
    contact_phone = StringField(_l("Số điện thoại liên hệ"), validators=[_max(40)])

    def __init__(self, *args, **kwargs):
        """Fill the ward choices from the reference data."""
        super().__init__(*args, **kwargs)
        self.ward_code.choices = {"": [("", _l("— Chọn phường, xã —"))], **ward_choices()}

    def to_data(self) -> EmployerData:
        """The typed values."""
        return EmployerData(name=self.name.data or "", tax_code=self.tax_code.data or "",
                            ward_code=self.ward_code.data or "", sector=self.sector.data or "",
                            contact_person=self.contact_person.data or "",
                            contact_phone=self.contact_phone.data or "", address_detail=self.address_detail.data or "")


class SkillListField(SelectMultipleField):
    """A multiple select of skill ids; anything that is not an id is reported, in the user's language."""

    def pre_validate(self, form) -> None:
        """No English 'not a valid choice' here: services.py checks the ids."""

    def process_formdata(self, valuelist) -> None:
        """Keep the ids that are numbers; remember that something else was sent."""
        self.data, self.bad_input = [], False
        for value in valuelist:
            if str(value).strip().isdigit() and len(str(value).strip()) < 10:
                self.data.append(int(value))
            elif str(value).strip():
                self.bad_input = True


class VacancyForm(FlaskForm):
    """Create or edit a vacancy."""

    title = StringField(_l("Chức danh"), validators=[_max(400)])
    description = TextAreaField(_l("Mô tả công việc"), validators=[_max(20_000)])
    occupation_code = SelectField(_l("Nghề nghiệp (danh mục VSCO)"), validate_choice=False, widget=GroupedSelect())
    required_skill_ids = SkillListField(_l("Kỹ năng bắt buộc"), coerce=int, widget=GroupedSelect(multiple=True))
    nice_skill_ids = SkillListField(_l("Kỹ năng ưu tiên (không bắt buộc)"), coerce=int,
                                    widget=GroupedSelect(multiple=True))
    ward_code = SelectField(_l("Phường, xã nơi làm việc"), validate_choice=False, widget=GroupedSelect())
    wage_min = StringField(_l("Lương tối thiểu (đồng/tháng)"), validators=[_max(40)])
    wage_max = StringField(_l("Lương tối đa (đồng/tháng, không bắt buộc)"), validators=[_max(40)])
    positions = StringField(_l("Số lượng cần tuyển"), widget=NumberInput(min=1), default="1",
                            validators=[_max(20)])
    job_type = SelectField(_l("Hình thức làm việc"), validate_choice=False)
    deadline = StringField(_l("Hạn nộp hồ sơ"), widget=DateInput(), validators=[_max(20)])
    education_required = SelectField(_l("Trình độ học vấn tối thiểu"), validate_choice=False)
    experience_required = StringField(_l("Số năm kinh nghiệm tối thiểu"), widget=NumberInput(min=0), default="0",
                                      validators=[_max(20)])
    source_text = TextAreaField(_l("Dán tin tuyển dụng có sẵn"), validators=[_max(20_000)])

    def __init__(self, *args, **kwargs):
        """Fill the choices (occupations, skills, wards, job types, education) from the reference data."""
        super().__init__(*args, **kwargs)
        self.occupation_code.choices = {"": [("", _l("— Chọn nghề —"))], **occupation_choices()}
        skills = skill_choices()
        self.required_skill_ids.choices = skills
        self.nice_skill_ids.choices = skills
        self.ward_code.choices = {"": [("", _l("— Chọn phường, xã —"))], **ward_choices()}
        # Hooks for the type-ahead script (static/js/typeahead.js), which only enhances these plain selects.
        for name, kind, endpoint in (("required_skill_ids", "skills", "lookup.skills"),
                                     ("nice_skill_ids", "skills", "lookup.skills"), ("ward_code", "wards", "lookup.wards")):
            attrs = {"data-typeahead": kind}
            if name != "ward_code":
                attrs["size"] = "8"
            if endpoint in current_app.view_functions:
                attrs["data-source"] = url_for(endpoint)
            getattr(self, name).render_kw = attrs
        self.job_type.choices = [(code, JOB_TYPE_LABELS[code]) for code in JOB_TYPES]
        self.education_required.choices = [("", _l("Không yêu cầu"))] + [
            (code, EDUCATION_LABELS[code]) for code in EDUCATION_LEVELS if code != "none"]

    def fill_from(self, data: VacancyData) -> None:
        """Show a vacancy's current values (on GET)."""
        self.title.data, self.description.data = data.title, data.description
        self.occupation_code.data, self.ward_code.data = data.occupation_code or "", data.ward_code
        self.required_skill_ids.data, self.nice_skill_ids.data = data.required_skill_ids, data.nice_skill_ids
        self.wage_min.data = f"{data.wage_min:,}".replace(",", ".") if data.wage_min is not None else ""
        self.wage_max.data = f"{data.wage_max:,}".replace(",", ".") if data.wage_max is not None else ""
        self.positions.data = str(data.positions)
        self.job_type.data = data.job_type
        self.deadline.data = data.deadline.isoformat() if data.deadline else ""
        self.education_required.data = data.education_required or ""
        self.experience_required.data = str(data.experience_required or 0)

    def to_data(self) -> VacancyData | None:
        """The typed values, or None after adding an error to each field that could not be read."""
        data = VacancyData(title=self.title.data or "", description=self.description.data or "",
                           occupation_code=self.occupation_code.data or None, ward_code=self.ward_code.data or "",
                           job_type=self.job_type.data or "", education_required=self.education_required.data or None,
                           required_skill_ids=list(self.required_skill_ids.data or []),
                           nice_skill_ids=list(self.nice_skill_ids.data or []))
        ok = True
        for name in ("wage_min", "wage_max"):
            try:
                setattr(data, name, parse_vnd(getattr(self, name).data))
            except WageFormatError:
                getattr(self, name).errors.append(_l("Không đọc được mức lương. Ví dụ: 8.000.000, 8tr hoặc 8 triệu."))
                ok = False
        for name, message in (("positions", _l("Số lượng phải là một số nguyên, ví dụ 2.")),
                              ("experience_required", _l("Số năm kinh nghiệm phải là một số nguyên, ví dụ 1."))):
            try:
                setattr(data, name, parse_int(getattr(self, name).data))
            except ValueError:
                getattr(self, name).errors.append(message)
                ok = False
        if data.experience_required is None and ok:
            data.experience_required = 0
        try:
            data.deadline = parse_date(self.deadline.data)
        except ValueError:
            self.deadline.errors.append(_l("Ngày không hợp lệ. Nhập theo dạng ngày/tháng/năm, ví dụ 31/12/2026."))
            ok = False
        for name in ("required_skill_ids", "nice_skill_ids"):
            if getattr(getattr(self, name), "bad_input", False):
                getattr(self, name).errors.append(_l("Có kỹ năng không có trong danh mục."))
                ok = False
        return data if ok else None


def first_line(text: str | None) -> str:
    """The first non-empty line of a pasted posting, as a proposed title (cut at 200 characters)."""
    for line in (text or "").splitlines():
        line = line.strip(" \t-*•#:")
        if len(line) >= 3:
            return line[:200]
    return ""


def fill_vacancy_form(form: VacancyForm, proposal, text: str) -> list[str]:
    """Put what the reader proposes into the fields the employer left empty; returns the names of the fields filled.

    Skills are added to the required ones (never to the nice-to-have ones); an ambiguous ward puts its choices at
    the top of the ward list without choosing one. Nothing is saved: the employer confirms by saving the form.
    """
    filled: list[str] = []

    def put(name: str, value) -> None:
        """Fill one field and remember it."""
        getattr(form, name).data = value
        filled.append(name)

    if not (form.title.data or "").strip() and first_line(text):
        put("title", first_line(text))
    if not (form.description.data or "").strip() and text.strip():
        put("description", text.strip()[:10_000])
    if not form.occupation_code.data and proposal.occupation_code:
        put("occupation_code", proposal.occupation_code)
    nice = set(form.nice_skill_ids.data or [])
    current = list(form.required_skill_ids.data or [])
    added = [sid for sid in proposal.skill_ids if sid not in current and sid not in nice]
    if added:
        put("required_skill_ids", current + added)
    if not form.ward_code.data:
        if proposal.ward_code:
            put("ward_code", proposal.ward_code)
        elif proposal.ward_choices:
            form.ward_code.choices = {str(_l("Gợi ý từ mô tả")): list(proposal.ward_choices),
                                      **form.ward_code.choices}
    for name, value in (("wage_min", proposal.wage_min), ("wage_max", proposal.wage_max)):
        if not (getattr(form, name).data or "").strip() and value:
            put(name, f"{value:,}".replace(",", "."))
    if proposal.job_type and proposal.job_type != form.job_type.data:
        put("job_type", proposal.job_type)
    if not form.education_required.data and proposal.education_level:
        put("education_required", proposal.education_level)
    if (form.experience_required.data or "0").strip() in ("", "0") and proposal.experience_years:
        put("experience_required", str(proposal.experience_years))
    return filled


class MoveForm(FlaskForm):
    """Move an application to another status; a rejection needs a reason."""

    to_status = SelectField(_l("Chuyển sang"), validate_choice=False)
    reason = StringField(_l("Lý do (bắt buộc khi từ chối)"), validators=[_max(2000)])


class InviteForm(FlaskForm):
    """Invite a worker to apply, with an optional message."""

    message = TextAreaField(_l("Lời nhắn (không bắt buộc)"), validators=[_max(4000)])


class ActionForm(FlaskForm):
    """A button that changes something (publish, close): only the CSRF token."""
