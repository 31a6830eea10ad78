"""Administration forms."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..auth.forms import PASSWORD_MAX, PASSWORD_MIN, validate_email_address, validate_password_text
from ..text import has_control_chars

CATEGORIES = ("welding", "electrical", "mechanical", "driving", "sewing", "construction", "cooking", "hospitality",
              "security", "cleaning", "warehouse", "retail", "sales", "care", "healthcare", "agriculture",
              "manufacturing", "beauty", "education", "office", "accounting", "finance", "hr", "marketing", "it",
              "design", "languages", "legal", "transport", "soft_skills")


TOO_LONG = _l("Nội dung quá dài (tối đa %(max)d ký tự).")


def no_control_chars(form, field) -> None:
    """Plain text only."""
    if field.data and has_control_chars(field.data):
        raise ValidationError(_l("Nội dung chứa ký tự không hợp lệ."))


class StaffForm(FlaskForm):
    """Create an officer or administrator account."""

    email = EmailField(_l("Email"), validators=[DataRequired(_l("Vui lòng nhập email.")), validate_email_address])
    password = PasswordField(_l("Mật khẩu tạm thời"), validators=[
        DataRequired(_l("Vui lòng nhập mật khẩu.")),
        Length(min=PASSWORD_MIN, max=PASSWORD_MAX,
               message=_l("Mật khẩu phải dài từ %(min)d đến %(max)d ký tự.", min=PASSWORD_MIN, max=PASSWORD_MAX)),
        validate_password_text])
    role = SelectField(_l("Vai trò"), choices=[("officer", _l("Cán bộ việc làm")), ("admin", _l("Quản trị viên"))],
                       validators=[DataRequired()])


class SkillForm(FlaskForm):
    """Add or edit a skill of the vocabulary."""

    label_vi = StringField(_l("Nhãn tiếng Việt"), validators=[
        DataRequired(_l("Vui lòng nhập nhãn tiếng Việt.")), Length(max=120, message=TOO_LONG), no_control_chars])
    label_en = StringField(_l("Nhãn tiếng Anh"), validators=[
        DataRequired(_l("Vui lòng nhập nhãn tiếng Anh.")), Length(max=120, message=TOO_LONG), no_control_chars])
    category = SelectField(_l("Nhóm kỹ năng"), choices=[(c, c) for c in CATEGORIES])
    occupation_group = StringField(_l("Nhóm nghề (mã VSCO cấp 1–2)"), validators=[
        DataRequired(_l("Vui lòng nhập mã nhóm nghề.")), Length(min=1, max=2, message=TOO_LONG)])
    synonyms = TextAreaField(_l("Từ đồng nghĩa (phân cách bằng dấu ;)"), validators=[Length(max=2000, message=TOO_LONG),
                                                                                    no_control_chars])

    def validate_occupation_group(self, field) -> None:
        """The group must be a VSCO level-1 or level-2 code."""
        from ..extensions import db
        from ..models import Occupation

        occupation = db.session.get(Occupation, (field.data or "").strip())
        if occupation is None or occupation.level > 2:
            raise ValidationError(_l("Mã nhóm nghề không tồn tại (cần mã VSCO cấp 1 hoặc 2)."))
        field.data = occupation.code


class PhraseMapForm(FlaskForm):
    """Map a phrase readers met to an existing skill (it becomes an alias of that skill)."""

    skill = StringField(_l("Kỹ năng (nhãn tiếng Việt)"), validators=[
        DataRequired(_l("Vui lòng nhập nhãn kỹ năng.")), Length(max=120, message=TOO_LONG), no_control_chars])


class SynonymForm(FlaskForm):
    """Add or edit a search synonym or abbreviation."""

    phrase = StringField(_l("Cụm từ trong câu tìm kiếm"), validators=[
        DataRequired(_l("Vui lòng nhập cụm từ.")), Length(max=120, message=TOO_LONG), no_control_chars])
    equivalents = TextAreaField(_l("Nghĩa tương đương (phân cách bằng dấu ;)"), validators=[
        DataRequired(_l("Vui lòng nhập ít nhất một từ tương đương.")), Length(max=1000, message=TOO_LONG),
        no_control_chars])
    kind = SelectField(_l("Loại"), choices=[("abbreviation", _l("Viết tắt")), ("synonym", _l("Đồng nghĩa"))])
    two_way = BooleanField(_l("Hai chiều (mỗi từ tương đương cũng tìm ra cụm từ)"))
    note = StringField(_l("Ghi chú"), validators=[Length(max=255, message=TOO_LONG), no_control_chars])


def _iso_date(form, field) -> None:
    """A date typed as YYYY-MM-DD (what <input type=date> sends); the parsed date replaces the text."""
    from datetime import date

    text = (field.data or "").strip()
    if not text:
        field.data = None
        return
    try:
        field.data = date.fromisoformat(text)
    except ValueError:
        raise ValidationError(_l("Ngày không hợp lệ (định dạng năm-tháng-ngày)."))


def _record_id(form, field) -> None:
    """A positive record number; the parsed number replaces the text."""
    text = (field.data or "").strip()
    if not text:
        field.data = None
        return
    if not text.isascii() or not text.isdigit() or not 0 < int(text) < 2**31:
        raise ValidationError(_l("Mã bản ghi không hợp lệ."))
    field.data = int(text)


class AuditFilterForm(FlaskForm):
    """Filters of the audit log page (a GET form: bookmarkable, no CSRF)."""

    actor = StringField(_l("Người thực hiện (email)"), validators=[Optional(), Length(max=254, message=TOO_LONG),
                                                                 no_control_chars])
    action = StringField(_l("Thao tác"), validators=[Optional(), Length(max=64, message=TOO_LONG), no_control_chars])
    target_type = SelectField(_l("Loại dữ liệu"), choices=[("", _l("Mọi loại")), ("users", _l("Tài khoản")),
                                                           ("employers", _l("Doanh nghiệp")),
                                                           ("vacancies", _l("Tin tuyển dụng")),
                                                           ("skills", _l("Kỹ năng"))],
                              validate_choice=False)
    target_id = StringField(_l("Mã bản ghi"), validators=[Length(max=12, message=TOO_LONG), _record_id])
    since = StringField(_l("Từ ngày"), validators=[Length(max=10, message=TOO_LONG), _iso_date],
                        render_kw={"type": "date"})
    until = StringField(_l("Đến ngày"), validators=[Length(max=10, message=TOO_LONG), _iso_date],
                        render_kw={"type": "date"})

    def validate_target_type(self, field) -> None:
        """Only the kinds of record the log names."""
        if field.data and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Loại dữ liệu không hợp lệ."))

    def validate_until(self, field) -> None:
        """The period must not end before it starts (checked after both dates were parsed)."""
        from datetime import date

        if isinstance(field.data, date) and isinstance(self.since.data, date) and field.data < self.since.data:
            raise ValidationError(_l("Ngày kết thúc phải sau ngày bắt đầu."))
