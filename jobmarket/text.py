"""Vietnamese text handling: NFC normalisation, diacritic folding (đ included) and input cleaning."""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_CONTROL = {"Cc", "Cf", "Cs", "Co", "Cn"}


def nfc(value: str) -> str:
    """Normalise to NFC so that NFD input compares equal to NFC input."""
    return unicodedata.normalize("NFC", value)


def clean(value: str | None) -> str:
    """NFC-normalise, drop control and format characters, collapse white space, strip."""
    if not value:
        return ""
    value = nfc(value)
    value = "".join(ch if unicodedata.category(ch) not in _CONTROL else " " for ch in value)
    return _SPACES.sub(" ", value).strip()


def clean_multiline(value: str | None) -> str:
    """Like clean, but keeps line breaks (for descriptions and bios)."""
    if not value:
        return ""
    value = nfc(value).replace("\r\n", "\n").replace("\r", "\n")
    lines = []
    for line in value.split("\n"):
        line = "".join(ch if unicodedata.category(ch) not in _CONTROL else " " for ch in line)
        lines.append(re.sub(r"[ \t]+", " ", line).strip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def has_control_chars(value: str) -> bool:
    """True when the text holds control or format characters (other than ordinary line breaks and tabs)."""
    return any(unicodedata.category(ch) in _CONTROL and ch not in "\n\r\t" for ch in value)


def fold(value: str | None) -> str:
    """Lower-case, strip diacritics and fold đ/Đ to d: 'Đống Đa' -> 'dong da'."""
    if not value:
        return ""
    value = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    value = "".join(ch for ch in value if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", value.lower()).strip()


def fold_tokens(value: str | None) -> list[str]:
    """Folded words of a text, punctuation dropped."""
    return re.findall(r"[a-z0-9]+", fold(value))
