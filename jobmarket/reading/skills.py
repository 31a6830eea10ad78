"""Finding vocabulary skills in free text: labels and aliases, with or without diacritics, longest match first."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import fold
from .vocab import TOKEN, Phrase, Snapshot

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


def tokenize(text: str) -> list[Token]:
    """The words of a text with their spans; brk marks a separator (comma, bullet, line break) before a word."""
    out: list[Token] = []
    last = 0
    for m in TOKEN.finditer(text):
        gap = text[last:m.start()]
        raw = m.group(0)
        out.append(Token(m.start(), m.end(), raw, fold(raw), raw.lower(), bool(out) and bool(_BREAK.search(gap))))
        last = m.end()
    return out


def _accepts(phrase: Phrase, words: list[Token]) -> bool:
    """Whether the text's writing satisfies what the phrase demands (diacritics of one syllable, capitals)."""
    if phrase.exact_marks and tuple(w.lower for w in words) != phrase.lower:
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
    if len({p.key for p in pool}) > 1 and not exact:
        # Several skills fold to the same words and the writing picks none of them: do not guess.
        return None
    return pool[0]


def match_phrases(words: list[Token], index: dict, max_len: int) -> list[tuple[int, int, Phrase]]:
    """Longest-first, left-to-right matches of indexed phrases over the words: (first word, end word, phrase)."""
    found = []
    i, n = 0, len(words)
    while i < n:
        hit = None
        limit = min(max_len, n - i)
        # the longest run without a break from word i
        run = 1
        while run < limit and not words[i + run].brk:
            run += 1
        for length in range(run, 0, -1):
            candidates = index.get(tuple(w.folded for w in words[i:i + length]))
            if candidates and (phrase := _choose(candidates, words[i:i + length])) is not None:
                hit = (i, i + length, phrase)
                break
        if hit:
            found.append(hit)
            i = hit[1]
        else:
            i += 1
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
        span = (words[start].start, words[end - 1].end)
        out.append(SkillMention(skill.id, skill.label_vi, span, field, text[span[0]:span[1]]))
    return out
