"""Finding vocabulary skills in free text: labels and aliases, with or without diacritics, longest match first."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import fold
from .vocab import TOKEN, Phrase, Snapshot, marks, role_prefix

# A phrase never runs across punctuation that separates items ("Excel, Word" is two skills, not "Excel Word").
_BREAK = re.compile(r"[,;:()\[\]{}!?|\n•*>]|\.\s|\s-\s|\s/\s")


@dataclass(frozen=True)
class SkillMention:
    """A vocabulary skill found in a text: which skill, where (character span in that field's text) and as written."""

    skill_id: int
    label_vi: str
    span: tuple[int, int]
    field: str
    text: str


@dataclass(frozen=True)
class Token:
    """One word of a text with its span, folded and lower-cased forms, and whether a break precedes it."""

    start: int
    end: int
    raw: str
    folded: str
    lower: str
    brk: bool
    marks: tuple[str, ...] = ()


def tokenize(text: str) -> list[Token]:
    """The words of a text with their spans; brk marks a separator (comma, bullet, line break) before a word."""
    out: list[Token] = []
    last = 0
    for m in TOKEN.finditer(text):
        gap = text[last:m.start()]
        raw = m.group(0)
        out.append(Token(m.start(), m.end(), raw, fold(raw), raw.lower(), bool(out) and bool(_BREAK.search(gap)),
                         marks(raw)))
        last = m.end()
    return out


def _accepts(phrase: Phrase, words: list[Token]) -> bool:
    """Whether the text's writing fits the phrase: a word written without diacritics fits any; a word written with
    them must carry the phrase's ("đứng máy" is not "dùng máy"); one word alone must match exactly; capitals."""
    for word, want in zip(words, phrase.marks):
        if (word.marks or phrase.exact_marks) and word.marks != want:
            return False
    if phrase.capitals and not all(w.raw.isupper() for w in words):
        return False
    return True


def _choose(candidates: tuple[Phrase, ...], words: list[Token]) -> Phrase | None:
    """The best phrase for these words: exact diacritics first, then labels before aliases."""
    lower = tuple(w.lower for w in words)
    ok = [p for p in candidates if _accepts(p, words)]
    if not ok:
        return None
    exact = [p for p in ok if p.lower == lower]
    pool = exact or ok
    best_kind = min(p.kind for p in pool)
    if len({p.key for p in pool if p.kind == best_kind}) > 1:
        # Several skills are written this way ("đọc bản vẽ": mechanical or building drawings): do not guess.
        return None
    return pool[0]


def match_phrases(words: list[Token], index: dict, max_len: int) -> list[tuple[int, int, Phrase]]:
    """Matches of indexed phrases over the words, (first word, end word, phrase) in text order: the longest
    phrase anywhere wins its words, then the next longest among the words left, and so on."""
    candidates = []
    n = len(words)
    for i in range(n):
        limit = min(max_len, n - i)
        run = 1  # the longest run without a break from word i
        while run < limit and not words[i + run].brk:
            run += 1
        for length in range(run, 0, -1):
            group = index.get(tuple(w.folded for w in words[i:i + length]))
            if group and (phrase := _choose(group, words[i:i + length])) is not None:
                candidates.append((i, i + length, phrase))
                break
    # longest first, not counting worker words ("nhân viên buồng" is shorter than "buồng phòng")
    candidates.sort(key=lambda c: (c[0] - c[1] + role_prefix(tuple(w.folded for w in words[c[0]:c[1]])), c[0]))
    taken = [False] * n
    found = []
    for start, end, phrase in candidates:
        if not any(taken[start:end]):
            for k in range(start, end):
                taken[k] = True
            found.append((start, end, phrase))
    found.sort(key=lambda c: c[0])
    return found


def find_skills(snapshot: Snapshot, text: str | None, field: str = "description",
                words: list[Token] | None = None) -> list[SkillMention]:
    """Every mention of a vocabulary skill in text, in order; nothing that is not in the vocabulary."""
    if not text:
        return []
    words = tokenize(text) if words is None else words
    out = []
    for start, end, phrase in match_phrases(words, snapshot.skill_phrases, snapshot.max_skill_len):
        skill = snapshot.skills[phrase.key]
        role = role_prefix(tuple(w.folded for w in words[start:end]))
        if role and end - start > role:
            start += role  # "Thợ hàn" -> the skill is written "hàn"
        span = (words[start].start, words[end - 1].end)
        out.append(SkillMention(skill.id, skill.label_vi, span, field, text[span[0]:span[1]]))
    return out
