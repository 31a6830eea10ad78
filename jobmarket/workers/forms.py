"""Job seeker forms: the profile (also used by the API and the officer's walk-in form), CV upload, apply, delete."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import BooleanField, PasswordField, RadioField, SelectField, SelectMultipleField, StringField, \
    TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..auth.forms import validate_email_address
from ..extensions import db
from ..geo import get_index, resolve_address
from ..geo.labels import ward_label
from ..geo.resolve import EMPTY, NOT_FOUND, WardOption
from ..i18n import current_locale
from ..models import Occupation, Skill, WorkerProfile
from ..text import clean, clean_multiline, has_control_chars
from . import labels
from .parsing import WAGE_MAX_VND, WAGE_MIN_VND, normalise_phone, parse_wage
from .services import WALKIN_EMAIL_DOMAIN, ProfileData

MAX_SKILLS = 30
MAX_PREFERRED_WARDS = 10
NOTE_MAX = 1000
BIO_MAX = 1000
OLDEST_AGE, YOUNGEST_AGE = 80, 15  # working age the exchange serves (the Labour Code's minimum is 15)


def no_control_chars(form, field) -> None:
    """Refuse invisible control characters (pasted from elsewhere) in a text field."""
    if field.data and has_control_chars(field.data.replace("\n", "").replace("\r", "").replace("\t", "")):
        raise ValidationError(_l("Nội dung có ký tự không hợp lệ."))


def skill_choices() -> dict[str, list[tuple[str, str]]]:
    """Every skill, grouped by category for the plain select (the no-JavaScript path)."""
    english = current_locale() == "en"
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for skill in db.session.scalars(select(Skill).order_by(Skill.category, Skill.label_vi)):
        groups[str(labels.SKILL_CATEGORIES.get(skill.category, skill.category))].append(
            (str(skill.id), skill.label_en if english else skill.label_vi))
    return dict(sorted(groups.items()))


def occupation_choices() -> dict[str, list[tuple[str, str]]]:
    """VSCO unit groups (level 4) grouped under their sub-major group (level 2)."""
    english = current_locale() == "en"
    rows = list(db.session.scalars(select(Occupation).where(Occupation.level.in_((2, 4))).order_by(Occupation.code)))
    titles = {o.code: o.title("en" if english else "vi") for o in rows if o.level == 2}
    groups: dict[str, list[tuple[str, str]]] = {_("Chưa chọn"): [("", _("— Chưa chọn —"))]}
    for occ in rows:
        if occ.level == 4:
            group = f"{occ.code[:2]} · {titles.get(occ.code[:2], '')}"
            groups.setdefault(group, []).append((occ.code, f"{occ.code} · {occ.title('en' if english else 'vi')}"))
    return groups


def ward_choices() -> dict[str, list[tuple[str, str]]]:
    """The 126 wards grouped by former district, for the preferred-wards select."""
    index = get_index()
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for ward in sorted(index.wards.values(), key=lambda w: (index.districts[w.district_code].folded, w.folded)):
        groups[_("Khu vực %(district)s", district=ward.district_name)].append((ward.code, ward.full_name))
    return dict(groups)


def _options(mapping: dict, blank: str | None) -> list[tuple[str, str]]:
    """Select options from a label mapping, with an optional blank first."""
    return ([("", blank)] if blank is not None else []) + [(k, str(v)) for k, v in mapping.items()]


def initial_values(profile: WorkerProfile | None, user) -> dict:
    """Form values from a saved profile (or sensible blanks for a new one)."""
    if profile is None:
        return {"contact_email": "" if user.email.endswith(WALKIN_EMAIL_DOMAIN) else user.email}
    return {
        "full_name": profile.full_name, "phone": profile.phone, "contact_email": profile.contact_email or "",
        "birth_year": str(profile.birth_year or ""), "sex": profile.sex or "",
        "address": profile.ward.full_name_vi if profile.ward else "", "anywhere_in_hanoi": profile.anywhere_in_hanoi,
        "preferred_wards": [w.code for w in profile.preferred_wards], "skills": [str(s.id) for s in profile.skills],
        "occupation_code": profile.occupation_code or "",
        "expected_wage": f"{profile.expected_wage:,}".replace(",", ".") if profile.expected_wage else "",
        "job_type": profile.job_type or "", "education_level": profile.education_level or "",
        "experience_years": str(profile.experience_years or 0), "languages": profile.languages or "",
        "bio": profile.bio or "", "is_visible": profile.is_visible,
    }


class ProfileForm(FlaskForm):
    """The job seeker's profile. Address resolution happens in validation: a split old ward asks for a choice."""

    full_name = StringField(_l("Họ và tên"), validators=[
        DataRequired(_l("Vui lòng nhập họ và tên.")), Length(max=120, message=_l("Họ và tên dài tối đa 120 ký tự.")),
        no_control_chars], render_kw={"autocomplete": "name"})
    phone = StringField(_l("Số điện thoại di động"), validators=[DataRequired(_l("Vui lòng nhập số điện thoại."))],
                        render_kw={"autocomplete": "tel", "inputmode": "tel", "type": "tel"})
    contact_email = StringField(_l("Email liên hệ (không bắt buộc)"), validators=[Optional(), validate_email_address],
                                render_kw={"autocomplete": "email", "type": "email"})
    birth_year = StringField(_l("Năm sinh (không bắt buộc, chỉ dùng cho thống kê)"),
                             render_kw={"inputmode": "numeric", "autocomplete": "bday-year"})
    sex = SelectField(_l("Giới tính (không bắt buộc, chỉ dùng cho thống kê)"), validate_choice=False)
    address = StringField(_l("Nơi ở: phường/xã hoặc địa chỉ"), render_kw={"autocomplete": "off"})
    ward_code = RadioField(_l("Chọn phường/xã mới của bạn"), choices=[], validate_choice=False)
    anywhere_in_hanoi = BooleanField(_l("Tôi có thể làm việc ở bất kỳ đâu trong Hà Nội"), default=True)
    preferred_wards = SelectMultipleField(_l("Phường/xã muốn làm việc (không bắt buộc)"), validate_choice=False)
    skills = SelectMultipleField(_l("Kỹ năng"), validate_choice=False)
    occupation_code = SelectField(_l("Nghề muốn tìm (không bắt buộc)"), validate_choice=False)
    expected_wage = StringField(_l("Mức lương mong muốn (VNĐ/tháng, không bắt buộc)"),
                                render_kw={"inputmode": "text"})
    job_type = SelectField(_l("Hình thức làm việc"), validate_choice=False)
    education_level = SelectField(_l("Trình độ học vấn"), validate_choice=False)
    experience_years = StringField(_l("Số năm kinh nghiệm"), default="0", render_kw={"inputmode": "numeric"})
    languages = StringField(_l("Ngoại ngữ (không bắt buộc)"), validators=[
        Length(max=200, message=_l("Tối đa 200 ký tự.")), no_control_chars])
    bio = TextAreaField(_l("Giới thiệu ngắn về bản thân (không bắt buộc)"), validators=[
        Length(max=BIO_MAX, message=_l("Tối đa %(max)d ký tự.", max=BIO_MAX)), no_control_chars])
    is_visible = BooleanField(_l("Cho phép nhà tuyển dụng tìm thấy hồ sơ của tôi"), default=True)

    def __init__(self, *args, **kwargs):
        """Fill the choices from the vocabularies and wire the type-ahead enhancements."""
        super().__init__(*args, **kwargs)
        self.ward: WardOption | None = None
        self.values: dict = {}
        self.sex.choices = _options(labels.SEXES, _("— Không trả lời —"))
        self.job_type.choices = _options(labels.JOB_TYPES, _("— Chưa chọn —"))
        self.education_level.choices = _options(labels.EDUCATION, _("— Chưa chọn —"))
        self.skills.choices = skill_choices()
        self.occupation_code.choices = occupation_choices()
        self.preferred_wards.choices = ward_choices()
        self.skills.render_kw = {"data-typeahead": url_for("lookup.skills"), "data-typeahead-key": "id", "size": 10}
        self.preferred_wards.render_kw = {"data-typeahead": url_for("lookup.wards"), "data-typeahead-key": "code",
                                          "size": 8}
        self.occupation_code.render_kw = {"data-typeahead": url_for("lookup.occupations"),
                                          "data-typeahead-key": "code"}
        self.address.render_kw = {"autocomplete": "off", "data-typeahead": url_for("lookup.wards"),
                                  "data-typeahead-fill": "name"}

    # Each validate_<field> turns the text into the value the service stores, with a message people understand.

    def validate_phone(self, field) -> None:
        """A Vietnamese mobile number, stored as 0xxxxxxxxx."""
        phone = normalise_phone(field.data)
        if phone is None:
            raise ValidationError(_("Số điện thoại di động không hợp lệ. Ví dụ: 0912 345 678 hoặc +84 912 345 678."))
        self.values["phone"] = phone

    def validate_birth_year(self, field) -> None:
        """Optional; a four-digit year of working age."""
        text = clean(field.data)
        if not text:
            self.values["birth_year"] = None
            return
        this_year = date.today().year
        if not text.isdigit() or not this_year - OLDEST_AGE <= int(text) <= this_year - YOUNGEST_AGE:
            raise ValidationError(_("Năm sinh phải là năm có 4 chữ số, từ %(low)d đến %(high)d.",
                                    low=this_year - OLDEST_AGE, high=this_year - YOUNGEST_AGE))
        self.values["birth_year"] = int(text)

    def validate_sex(self, field) -> None:
        """Optional; one of the offered answers."""
        if field.data and field.data not in labels.SEXES:
            raise ValidationError(_("Vui lòng chọn một giá trị trong danh sách."))

    def validate_address(self, field) -> None:
        """Resolve the typed address to a 2025 ward; an ambiguous one offers its wards to pick from."""
        text = clean(field.data)
        chosen = clean(self.ward_code.data) if isinstance(self.ward_code.data, str) else ""
        index = get_index()
        if not text and chosen in index.wards:  # the API may send a ward code alone
            ward = index.wards[chosen]
            self.ward = WardOption(ward.code, ward.full_name, ward.district_code, ward.district_name)
            return
        if len(text) > 300:
            raise ValidationError(_("Địa chỉ dài tối đa 300 ký tự."))
        resolution = resolve_address(text, index)
        if resolution.status == EMPTY:
            raise ValidationError(_("Vui lòng nhập phường/xã nơi bạn ở."))
        if resolution.status == NOT_FOUND:
            if resolution.outside_hanoi:
                raise ValidationError(_("Địa chỉ này không thuộc Hà Nội. Sàn chỉ phục vụ người ở và làm việc tại "
                                        "Hà Nội."))
            raise ValidationError(_("Không tìm thấy phường/xã nào của Hà Nội khớp với địa chỉ này. Hãy nhập tên "
                                    "phường/xã, ví dụ: phường Cầu Giấy hoặc phường Dịch Vọng Hậu."))
        if resolution.resolved:
            self.ward = resolution.ward
            return
        picked = resolution.pick(chosen)
        if picked is not None:
            self.ward = picked
            return
        self.ward_code.choices = [(c.code, ward_label(c)) for c in resolution.candidates]
        self.ward_code.data = resolution.candidates[0].code
        self.ward_candidates = resolution.candidates
        if resolution.kind in {"district", "street", "places"}:
            raise ValidationError(_("Khu vực này nay gồm nhiều phường/xã. Vui lòng chọn phường/xã nơi bạn ở "
                                    "trong danh sách bên dưới."))
        raise ValidationError(_("Phường/xã cũ này nay thuộc nhiều phường/xã mới. Vui lòng chọn nơi bạn ở trong "
                                "danh sách bên dưới."))

    def validate_preferred_wards(self, field) -> None:
        """At most MAX_PREFERRED_WARDS known 2025 ward codes."""
        codes = list(dict.fromkeys(c for c in (field.data or []) if c))
        index = get_index()
        if any(c not in index.wards for c in codes):
            raise ValidationError(_("Có phường/xã không hợp lệ trong danh sách."))
        if len(codes) > MAX_PREFERRED_WARDS:
            raise ValidationError(_("Chọn tối đa %(n)d phường/xã.", n=MAX_PREFERRED_WARDS))
        self.values["preferred_ward_codes"] = codes

    def validate_skills(self, field) -> None:
        """One to MAX_SKILLS skills from the vocabulary."""
        raw = [c for c in (field.data or []) if c]
        if not raw:
            raise ValidationError(_("Vui lòng chọn ít nhất một kỹ năng."))
        if not all(c.isdigit() and len(c) < 10 for c in raw):
            raise ValidationError(_("Có kỹ năng không hợp lệ trong danh sách."))
        ids = list(dict.fromkeys(int(c) for c in raw))
        if len(ids) > MAX_SKILLS:
            raise ValidationError(_("Chọn tối đa %(n)d kỹ năng.", n=MAX_SKILLS))
        known = set(db.session.scalars(select(Skill.id).where(Skill.id.in_(ids))))
        if len(known) != len(ids):
            raise ValidationError(_("Có kỹ năng không hợp lệ trong danh sách."))
        self.values["skill_ids"] = ids

    def validate_occupation_code(self, field) -> None:
        """Optional; a VSCO code that exists."""
        code = clean(field.data)
        if code and (len(code) > 5 or db.session.get(Occupation, code) is None):
            raise ValidationError(_("Vui lòng chọn một nghề trong danh sách."))
        self.values["occupation_code"] = code or None

    def validate_expected_wage(self, field) -> None:
        """Optional; '8.000.000', '8tr', '8 triệu' all mean 8,000,000 VND a month."""
        text = clean(field.data)
        if not text:
            self.values["expected_wage"] = None
            return
        amount = parse_wage(text)
        if amount is None:
            raise ValidationError(_("Mức lương không hợp lệ. Ví dụ: 8.000.000, 8tr hoặc 8 triệu."))
        if not WAGE_MIN_VND <= amount <= WAGE_MAX_VND:
            raise ValidationError(_("Mức lương phải từ %(low)s đến %(high)s đồng một tháng.",
                                    low=f"{WAGE_MIN_VND:,}".replace(",", "."),
                                    high=f"{WAGE_MAX_VND:,}".replace(",", ".")))
        self.values["expected_wage"] = amount

    def validate_job_type(self, field) -> None:
        """Optional; one of the offered job types."""
        if field.data and field.data not in labels.JOB_TYPES:
            raise ValidationError(_("Vui lòng chọn một giá trị trong danh sách."))

    def validate_education_level(self, field) -> None:
        """Optional; one of the offered levels."""
        if field.data and field.data not in labels.EDUCATION:
            raise ValidationError(_("Vui lòng chọn một giá trị trong danh sách."))

    def validate_experience_years(self, field) -> None:
        """Whole years, 0 to 60; empty means 0."""
        text = clean(field.data) or "0"
        if not text.isdigit() or int(text) > 60:
            raise ValidationError(_("Số năm kinh nghiệm phải là số nguyên từ 0 đến 60."))
        self.values["experience_years"] = int(text)

    def to_data(self) -> ProfileData:
        """The validated values, ready for services.save_profile."""
        return ProfileData(
            full_name=clean(self.full_name.data), phone=self.values["phone"],
            contact_email=clean(self.contact_email.data).lower() or None, birth_year=self.values.get("birth_year"),
            sex=self.sex.data or None, ward_code=self.ward.code if self.ward else None,
            anywhere_in_hanoi=bool(self.anywhere_in_hanoi.data),
            preferred_ward_codes=self.values.get("preferred_ward_codes", []), skill_ids=self.values["skill_ids"],
            occupation_code=self.values.get("occupation_code"), expected_wage=self.values.get("expected_wage"),
            job_type=self.job_type.data or None, education_level=self.education_level.data or None,
            experience_years=self.values.get("experience_years", 0), languages=clean(self.languages.data),
            bio=clean_multiline(self.bio.data), is_visible=bool(self.is_visible.data))


class WalkinForm(ProfileForm):
    """An officer registers a job seeker who came to the office, with the person's recorded consent."""

    account_email = StringField(_l("Email đăng nhập của người lao động (không bắt buộc)"),
                                validators=[Optional(), validate_email_address], render_kw={"type": "email"})
    consent = BooleanField(_l("Người lao động đã đồng ý để Sàn lưu và dùng thông tin này để giới thiệu việc làm"),
                           validators=[DataRequired(_l("Cần có sự đồng ý của người lao động trước khi đăng ký."))])


class CvForm(FlaskForm):
    """Upload (or replace) the CV."""

    cv = FileField(_l("Tệp CV (PDF, tối đa 5 MB)"), render_kw={"accept": "application/pdf,.pdf"})


class ApplyForm(FlaskForm):
    """Apply to a vacancy with an optional note."""

    note = TextAreaField(_l("Lời nhắn cho nhà tuyển dụng (không bắt buộc)"), validators=[
        Length(max=NOTE_MAX, message=_l("Lời nhắn dài tối đa %(max)d ký tự.", max=NOTE_MAX)), no_control_chars])


class DeleteAccountForm(FlaskForm):
    """Confirm deleting the account with the password."""

    password = PasswordField(_l("Mật khẩu hiện tại"), validators=[DataRequired(_l("Vui lòng nhập mật khẩu."))])
    confirm = BooleanField(_l("Tôi hiểu rằng hồ sơ, CV và các đơn ứng tuyển của tôi sẽ bị xoá vĩnh viễn"),
                           validators=[DataRequired(_l("Vui lòng đánh dấu để xác nhận."))])


def fill_profile_form(form: ProfileForm, proposal) -> list[str]:
    """Put what the reader proposes (from a CV or a pasted text) into the fields left empty; returns their names.

    Only what matching needs: skills, occupation, experience, education, expected wage, job type and the ward of
    residence. Names, phone numbers and emails are never taken from a CV. Nothing is saved here.
    """
    filled: list[str] = []

    def put(name: str, value) -> None:
        """Fill one field and remember it."""
        getattr(form, name).data = value
        filled.append(name)

    current = [c for c in (form.skills.data or []) if c]
    added = [str(sid) for sid in proposal.skill_ids if str(sid) not in current]
    if added:
        put("skills", current + added)
    if not form.occupation_code.data and proposal.occupation_code:
        put("occupation_code", proposal.occupation_code)
    if clean(form.experience_years.data) in ("", "0") and proposal.experience_years:
        put("experience_years", str(proposal.experience_years))
    if not form.education_level.data and proposal.education_level:
        put("education_level", proposal.education_level)
    if not clean(form.expected_wage.data) and (proposal.wage_min or proposal.wage_max):
        put("expected_wage", f"{proposal.wage_min or proposal.wage_max:,}".replace(",", "."))
    if not form.job_type.data and proposal.job_type:
        put("job_type", proposal.job_type)
    if not clean(form.address.data):
        if proposal.ward_code:
            put("address", proposal.ward_name)
        elif proposal.ward_choices:
            form.ward_code.choices = list(proposal.ward_choices)
            filled.append("ward_code")
    return filled


class CvReadForm(FlaskForm):
    """Fill the profile from a CV file (PDF or DOCX, read and not kept) or from pasted text."""

    cv_file = FileField(_l("Tệp CV (PDF hoặc Word .docx, tối đa 5 MB)"),
                        render_kw={"accept": ".pdf,.docx,application/pdf,"
                                             "application/vnd.openxmlformats-officedocument.wordprocessingml.document"})
    cv_text = TextAreaField(_l("Hoặc dán nội dung CV"), validators=[Length(max=20_000, message=_l("Tối đa 20.000 ký tự."))])

    class Meta:
        csrf = False  # part of the profile form, whose own token protects it
