"""WTForms' built-in refusals in the user's language: Vietnamese texts for the English messages WTForms has no
Vietnamese catalogue for ("Not a valid choice." on a tampered <select>, "Not a valid integer value." ...).

Our own validators pass their messages explicitly; these are the ones a crafted submission reaches. English
readers get WTForms' English as it is.
"""
from __future__ import annotations

VI = {
    "This field is required.": "Trường này là bắt buộc.",
    "Not a valid choice.": "Lựa chọn không hợp lệ.",
    "Invalid Choice: could not coerce.": "Lựa chọn không hợp lệ.",
    "Choices cannot be None.": "Lựa chọn không hợp lệ.",
    "Not a valid integer value.": "Giá trị không phải số nguyên hợp lệ.",
    "Not a valid decimal value.": "Giá trị không phải số hợp lệ.",
    "Not a valid float value.": "Giá trị không phải số hợp lệ.",
    "Not a valid date value.": "Ngày không hợp lệ.",
    "Not a valid datetime value.": "Ngày giờ không hợp lệ.",
    "Not a valid time value.": "Giờ không hợp lệ.",
    "Not a valid week value.": "Tuần không hợp lệ.",
    "Invalid email address.": "Địa chỉ email không hợp lệ.",
    "Invalid input.": "Dữ liệu không hợp lệ.",
    "Invalid URL.": "Địa chỉ URL không hợp lệ.",
    "Invalid UUID.": "Mã UUID không hợp lệ.",
    "Invalid IP address.": "Địa chỉ IP không hợp lệ.",
    "Invalid Mac address.": "Địa chỉ MAC không hợp lệ.",
    "Field must be equal to %(other_name)s.": "Giá trị phải trùng với %(other_name)s.",
    "Invalid value, must be one of: %(values)s.": "Giá trị không hợp lệ, phải là một trong: %(values)s.",
    "Invalid value, can't be any of: %(values)s.": "Giá trị không hợp lệ, không được là: %(values)s.",
    "Number must be at least %(min)s.": "Số phải từ %(min)s trở lên.",
    "Number must be at most %(max)s.": "Số phải không quá %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Số phải từ %(min)s đến %(max)s.",
    "Field must be between %(min)d and %(max)d characters long.": "Độ dài phải từ %(min)d đến %(max)d ký tự.",
    "File does not have an approved extension.": "Loại tệp không được chấp nhận.",
    "This field cannot be edited.": "Trường này không sửa được.",
    "This field is disabled and cannot have a value.": "Trường này bị khóa, không nhận giá trị.",
    "CSRF token missing.": "Phiên làm việc đã hết hạn. Vui lòng tải lại trang và thử lại.",
    "CSRF token expired.": "Phiên làm việc đã hết hạn. Vui lòng tải lại trang và thử lại.",
    "CSRF failed.": "Phiên làm việc đã hết hạn. Vui lòng tải lại trang và thử lại.",
    "Invalid CSRF Token.": "Phiên làm việc đã hết hạn. Vui lòng tải lại trang và thử lại.",
    "The CSRF token is missing.": "Phiên làm việc đã hết hạn. Vui lòng tải lại trang và thử lại.",
    "The CSRF token has expired.": "Phiên làm việc đã hết hạn. Vui lòng tải lại trang và thử lại.",
    "The CSRF token is invalid.": "Phiên làm việc đã hết hạn. Vui lòng tải lại trang và thử lại.",
}
VI_PLURAL = {
    "'%(value)s' is not a valid choice for this field.": "'%(value)s' không phải lựa chọn hợp lệ.",
    "Field must be at least %(min)d character long.": "Cần ít nhất %(min)d ký tự.",
    "Field cannot be longer than %(max)d character.": "Tối đa %(max)d ký tự.",
    "Field must be exactly %(max)d character long.": "Cần đúng %(max)d ký tự.",
}


class FormMessages:
    """The translations object WTForms asks for its own messages (gettext/ngettext), by the request's locale."""

    @staticmethod
    def _vietnamese() -> bool:
        from flask import has_request_context

        if not has_request_context():
            return True  # Vietnamese-first
        from ..i18n import current_locale

        return current_locale() == "vi"

    def gettext(self, string: str) -> str:
        """One message."""
        return VI.get(string, string) if self._vietnamese() else string

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """A message with a count."""
        if self._vietnamese() and singular in VI_PLURAL:
            return VI_PLURAL[singular]
        return singular if n == 1 else plural


MESSAGES = FormMessages()


def install_form_messages() -> None:
    """Every FlaskForm asks FormMessages for WTForms' built-in texts (Flask-WTF only knows WTForms' own
    catalogues, which have no Vietnamese)."""
    from flask_wtf import FlaskForm

    def get_translations(self, form):
        """WTForms' messages in the request's language."""
        return MESSAGES

    FlaskForm.Meta.get_translations = get_translations
