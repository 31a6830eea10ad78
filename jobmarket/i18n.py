"""Language choice (Vietnamese first, English on request) and the formatting of money and dates."""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user

LANG_COOKIE = "lang"


def select_locale() -> str:
    """The user's saved language, else the language cookie, else Vietnamese."""
    supported = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and background jobs speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if getattr(current_user, "is_authenticated", False) and current_user.locale in supported:
        return current_user.locale
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in supported:
        return cookie
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """Everyone on the exchange lives in Hanoi's time zone."""
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def current_locale() -> str:
    """The active language code ('vi' or 'en')."""
    try:
        return str(get_locale() or "vi")
    except RuntimeError:
        return "vi"


def format_vnd(amount: int | float | None) -> str:
    """Money the Vietnamese way: 12.000.000 ₫."""
    if amount is None:
        return ""
    return f"{int(round(amount)):,}".replace(",", ".") + " ₫"


def format_date(value: date | datetime | None) -> str:
    """dd/mm/yyyy."""
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y")


def format_datetime(value: datetime | None) -> str:
    """dd/mm/yyyy HH:MM in Hanoi time (stored values are UTC)."""
    if value is None:
        return ""
    from datetime import timedelta

    return (value + timedelta(hours=7)).strftime("%d/%m/%Y %H:%M")


def format_km(value: float | None) -> str:
    """Distance with a decimal comma in Vietnamese: 2,1 km."""
    if value is None:
        return ""
    text = f"{value:.1f}"
    return (text.replace(".", ",") if current_locale() == "vi" else text) + " km"


def install_template_helpers(app: Flask) -> None:
    """Register the formatting filters and the locale global."""
    app.add_template_filter(format_vnd, "vnd")
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(format_km, "km")
    app.add_template_global(current_locale, "current_locale")
    app.jinja_env.globals["view_functions"] = app.view_functions


