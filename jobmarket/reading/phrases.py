"""Phrases of requirements that matched no skill: the candidates administrators may map or add to the vocabulary."""
from __future__ import annotations

import re

from ..text import fold
from .skills import SkillMention

# Words that introduce a requirement rather than name it ("thành thạo Excel", "có kỹ năng giao tiếp").
_LEADS = ("thanh thao", "su dung thanh thao", "su dung tot", "su dung duoc", "su dung", "biet", "co the", "co",
          "ky nang", "kha nang", "kinh nghiem", "uu tien", "nam vung", "hieu biet ve", "hieu biet", "am hieu",
          "giao tiep duoc", "tot", "yeu cau", "can", "phai", "duoc", "ung vien", "la", "lam duoc", "ve", "nhanh nhen",
          "chiu kho", "trung thuc")
_ITEM_SPLIT = re.compile(r"[,;/\n•]|\s-\s|\bva\b|\bhoac\b|\.\s")
_MAX_WORDS, _MIN_CHARS = 5, 3


def _strip_leads(folded: str) -> tuple[str, int]:
    """Drop leading requirement words; returns the rest and how many characters were dropped."""
    dropped = 0
    changed = True
    while changed:
        changed = False
        for lead in _LEADS:
            if folded.startswith(lead + " "):
                folded, dropped, changed = folded[len(lead) + 1:], dropped + len(lead) + 1, True
    return folded, dropped


def unmatched_phrases(text: str | None, mentions: list[SkillMention]) -> list[tuple[str, str]]:
    """Short items of a requirements list that hold no found skill: (folded phrase, the item as written), at most
    20 per text.

    Only lines that look like list items (bullets, dashes, or lines under a 'yêu cầu' / 'kỹ năng' heading) count:
    prose sentences are not requirements.
    """
    if not text:
        return []
    covered = [m.span for m in mentions if m.field == "description"]
    out: list[tuple[str, str]] = []
    keys: set[str] = set()
    offset = 0
    in_requirements = False
    for line in text.split("\n"):
        start = offset
        offset += len(line) + 1
        folded_line = fold(line)
        if re.match(r"^(?:yeu cau|ky nang|requirement|skill)", folded_line):
            in_requirements = True
            continue
        if not (in_requirements or re.match(r"^\s*[-•*+]", line)):
            continue
        for item in re.finditer(r"[^,;/•\n]+", line):
            raw = item.group(0).strip(" -*+.:")
            a = start + item.start()
            b = start + item.end()
            if any(x < b and y > a for x, y in covered):
                continue
            folded, _ = _strip_leads(fold(raw))
            words = folded.split()
            if not words or len(words) > _MAX_WORDS or len(folded) < _MIN_CHARS or re.search(r"\d", folded):
                continue
            if folded in keys:
                continue
            keys.add(folded)
            out.append((folded, raw))
            if len(out) >= 20:
                return out
    return out
