"""Numbers as people read them: 1.234 and 12,5% in Vietnamese, 1,234 and 12.5% in English."""
from __future__ import annotations

from ..i18n import current_locale


def _group(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


def format_int(value: int | float | None, locale: str | None = None) -> str:
    """A count with thousands grouped: 1.234 (vi), 1,234 (en)."""
    if value is None:
        return ""
    locale = locale or current_locale()
    n = int(round(value))
    return _group(n, "." if locale == "vi" else ",")


def format_decimal(value: float | None, digits: int = 1, locale: str | None = None) -> str:
    """A decimal number: 3,5 (vi), 3.5 (en), with thousands grouped."""
    if value is None:
        return ""
    locale = locale or current_locale()
    text = f"{value:,.{digits}f}"
    if locale == "vi":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def format_rate(value: float | None, locale: str | None = None) -> str:
    """A share as a percentage with one decimal: 12,5% (vi), 12.5% (en)."""
    if value is None:
        return ""
    return format_decimal(value * 100, 1, locale) + "%"


def format_value(value, kind: str, locale: str | None = None) -> str:
    """A table value by its column kind (count, rate, days, signed, text)."""
    if value is None:
        return "—"
    if kind == "rate":
        return format_rate(value, locale)
    if kind == "days":
        return format_decimal(value, 1, locale)
    if kind == "signed":
        text = format_int(abs(value), locale)
        return ("+" if value > 0 else "−" if value < 0 else "") + text
    if kind == "text":
        return str(value)
    return format_int(value, locale)
