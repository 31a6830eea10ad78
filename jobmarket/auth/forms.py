"""Registration and login forms, with messages in the user's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from ..text import clean, has_control_chars

PASSWORD_MIN = 10
PASSWORD_MAX = 128


def validate_email_address(form, field) -> None:
    """A real-looking email address, checked offline (no DNS)."""
    from email_validator import EmailNotValidError, validate_email

    value = clean(field.data or "")
    if len(value) > 254 or has_control_chars(field.data or ""):
        raise ValidationError(_l("Địa chỉ email không hợp lệ."))
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        raise ValidationError(_l("Địa chỉ email không hợp lệ."))
    field.data = value


def validate_password_text(form, field) -> None:
    """Passwords may hold any printable character, no control characters."""
    if field.data and has_control_chars(field.data):
        raise ValidationError(_l("Mật khẩu chứa ký tự không hợp lệ."))


class RegisterForm(FlaskForm):
    """Sign up as a job seeker or an employer."""

    email = EmailField(_l("Email"), validators=[DataRequired(_l("Vui lòng nhập email.")), validate_email_address])
    password = PasswordField(_l("Mật khẩu"), validators=[
        DataRequired(_l("Vui lòng nhập mật khẩu.")),
        Length(min=PASSWORD_MIN, max=PASSWORD_MAX,
               message=_l("Mật khẩu phải dài từ %(min)d đến %(max)d ký tự.", min=PASSWORD_MIN, max=PASSWORD_MAX)),
        validate_password_text])
    confirm = PasswordField(_l("Nhập lại mật khẩu"), validators=[
        DataRequired(_l("Vui lòng nhập lại mật khẩu.")), EqualTo("password", _l("Hai mật khẩu không khớp."))])
    role = RadioField(_l("Tôi là"), choices=[("worker", _l("Người tìm việc")), ("employer", _l("Nhà tuyển dụng"))],
                      default="worker", validators=[DataRequired(_l("Vui lòng chọn vai trò."))])


class LoginForm(FlaskForm):
    """Log in with email and password."""

    email = StringField(_l("Email"), validators=[DataRequired(_l("Vui lòng nhập email.")), Length(max=254)])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(_l("Vui lòng nhập mật khẩu.")),
                                                        Length(max=PASSWORD_MAX)])
    remember = BooleanField(_l("Ghi nhớ đăng nhập"))


def _new_password_field(label):
    """A new password with the registration rules."""
    return PasswordField(label, validators=[
        DataRequired(_l("Vui lòng nhập mật khẩu.")),
        Length(min=PASSWORD_MIN, max=PASSWORD_MAX,
               message=_l("Mật khẩu phải dài từ %(min)d đến %(max)d ký tự.", min=PASSWORD_MIN, max=PASSWORD_MAX)),
        validate_password_text])


class ForgotPasswordForm(FlaskForm):
    """Ask for a password reset link."""

    email = EmailField(_l("Email"), validators=[DataRequired(_l("Vui lòng nhập email.")), validate_email_address])


class NewPasswordForm(FlaskForm):
    """Choose a new password (reset or claim link)."""

    password = _new_password_field(_l("Mật khẩu mới"))
    confirm = PasswordField(_l("Nhập lại mật khẩu mới"), validators=[
        DataRequired(_l("Vui lòng nhập lại mật khẩu.")), EqualTo("password", _l("Hai mật khẩu không khớp."))])


class ChangePasswordForm(NewPasswordForm):
    """Change the password while logged in."""

    current = PasswordField(_l("Mật khẩu hiện tại"), validators=[DataRequired(_l("Vui lòng nhập mật khẩu.")),
                                                                 Length(max=PASSWORD_MAX)])


class ChangeEmailForm(FlaskForm):
    """Move the account to another address."""

    email = EmailField(_l("Email mới"), validators=[DataRequired(_l("Vui lòng nhập email.")), validate_email_address])
    password = PasswordField(_l("Mật khẩu hiện tại"), validators=[DataRequired(_l("Vui lòng nhập mật khẩu.")),
                                                                 Length(max=PASSWORD_MAX)])
