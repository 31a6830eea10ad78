"""Labour office forms: a reason for a rejection or a take-down, and plain action buttons."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length


class ReasonForm(FlaskForm):
    """An action that needs a reason (the service says when it is missing)."""

    reason = StringField(_l("Lý do"), validators=[Length(max=2000, message=_l("Nội dung quá dài."))])


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""
