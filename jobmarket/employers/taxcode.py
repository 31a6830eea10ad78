"""Vietnamese enterprise tax codes (mã số thuế): 10 digits with a check digit, or 10-3 for a branch."""
from __future__ import annotations

import re

_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_PATTERN = re.compile(r"^(\d{10})(?:-(\d{3}))?$")


def check_digit(first_nine: str) -> int | None:
    """The tenth digit for nine leading digits, or None when no valid code can start so."""
    total = sum(int(d) * w for d, w in zip(first_nine, _WEIGHTS))
    digit = 10 - total % 11
    return None if digit == 10 else digit if digit < 10 else None


def normalise_tax_code(value: str) -> str:
    """Strip spaces and unify dashes (people type 0101234567 - 001, or with a long dash)."""
    value = (value or "").strip().replace(" ", "").replace("–", "-").replace("—", "-").replace(".", "")
    return value


def is_valid_tax_code(value: str) -> bool:
    """True for a well-formed code whose check digit is right (branch suffix 001 to 999)."""
    match = _PATTERN.match(normalise_tax_code(value))
    if not match:
        return False
    main, branch = match.groups()
    if branch is not None and branch == "000":
        return False
    return check_digit(main[:9]) == int(main[9])
