"""Typo correction for search queries: one edit on folded words of five or more letters, over the vocabulary and titles.

API (stable; the search backends call it):

- ``correct(word: str) -> str | None``: the folded correction of one word, or None when the word is known, shorter
  than MIN_LENGTH letters (after folding), holds a digit, or no known word is one edit away. One edit is one
  insertion, deletion, substitution or swap of two neighbouring letters (optimal string alignment distance 1),
  compared on folded text ("ke toan" spelling). Among several corrections the most frequent wins, then the
  alphabetically first, so the answer is deterministic.
- ``corrections(folded_words: list[str]) -> dict[int, str]``: position -> folded correction, for every word of the
  query that ``correct`` changes (what a query builder adds as a lower-ranked alternative).
- ``did_you_mean(q: str) -> str | None``: the query as typed with each corrected word replaced by its most common
  written spelling after the word before it, else its most common spelling ("sửa chuaa" -> "sửa chữa" when the
  texts write it so), or None when nothing changes.
- ``known(word: str) -> bool``: whether the folded word is in the dictionary.
- ``rebuild() -> Dictionary``: build this process's dictionary now (e.g. after an import); ``Dictionary`` is also
  usable on its own (``Dictionary.build(texts)``) for pure tests.

The dictionary: every word of the skill labels and synonyms, occupation titles, the curated synonym list (table
search_synonyms) and the titles of open vacancies, with how often each occurs. Corrections are looked up
with a symmetric-delete index (SymSpell's idea at distance 1: a word and every form with one letter removed), so a
lookup is a few dictionary probes, microseconds per word; written here rather than taken from symspellpy or
RapidFuzz because distance 1 needs thirty lines and no native wheel.

Rebuild rule: built on first use per process and database. Every CHECK_SECONDS the process compares a signature
(the synonym table's signature, the number of open vacancies and the highest vacancy id); when it changed and the
dictionary is older than REFRESH_SECONDS, it is rebuilt (titles of new postings need not be corrected to at once:
a correction only helps a query that found nothing). ``rebuild()`` forces it.
"""
from __future__ import annotations

import re
import threading
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import text

from ..extensions import db
from ..text import fold, fold_tokens

MIN_LENGTH = 5
CHECK_SECONDS = 30.0
REFRESH_SECONDS = 300.0
# How much a vocabulary word counts against title words (a label is deliberate spelling).
VOCABULARY_WEIGHT = 5
_WORD = re.compile(r"\w+", re.UNICODE)


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _one_edit(a: str, b: str) -> bool:
    """Whether a and b differ by exactly one insertion, deletion, substitution or neighbour swap."""
    if a == b:
        return False
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    if la > lb:
        a, b = b, a
    # b is one longer: removing one letter of b gives a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1:]


@dataclass
class Dictionary:
    """Folded words with frequencies, their most common written forms, and the one-delete index."""

    counts: dict[str, int]
    display: dict[str, str]
    pair_display: dict[tuple[str, str], str] = field(default_factory=dict)
    index: dict[str, tuple[str, ...]] = field(default_factory=dict)
    signature: tuple = ()
    built_at: float = 0.0
    checked_at: float = 0.0

    @classmethod
    def build(cls, texts: Iterable[tuple[str, int]], signature: tuple = ()) -> "Dictionary":
        """A dictionary from (text, weight) pairs: every word of each text counts weight times."""
        counts: Counter[str] = Counter()
        forms: dict[str, Counter[str]] = {}
        pair_forms: dict[tuple[str, str], Counter[str]] = {}
        for value, weight in texts:
            previous = ""
            for written in _WORD.findall(value or ""):
                written = written.lower()
                folded_words = fold_tokens(written)
                for folded in folded_words:
                    counts[folded] += weight
                if len(folded_words) == 1:
                    folded = folded_words[0]
                    forms.setdefault(folded, Counter())[written] += weight
                    if previous:
                        pair_forms.setdefault((previous, folded), Counter())[written] += weight
                    previous = folded
                else:
                    previous = ""
        index: dict[str, set[str]] = {}
        for word in counts:
            if len(word) < MIN_LENGTH - 1 or not word.isalpha():
                continue
            index.setdefault(word, set()).add(word)
            for deleted in _deletes(word):
                index.setdefault(deleted, set()).add(word)
        display = {w: c.most_common(1)[0][0] for w, c in forms.items()}
        # The written form after a given word, where it differs from the word's usual form ("sửa chữa", not "chưa").
        pair_display = {}
        for pair, written_forms in pair_forms.items():
            written = written_forms.most_common(1)[0][0]
            if written != display.get(pair[1]):
                pair_display[pair] = written
        now = time.monotonic()
        return cls(counts=dict(counts), display=display, pair_display=pair_display,
                   index={k: tuple(sorted(v)) for k, v in index.items()}, signature=signature, built_at=now,
                   checked_at=now)

    def known(self, word: str) -> bool:
        """Whether the folded word occurs in the dictionary."""
        return word in self.counts

    def correct(self, word: str) -> str | None:
        """The most frequent known word one edit from the folded word, or None (see the module docstring)."""
        word = fold(word)
        if len(word) < MIN_LENGTH or not word.isalpha() or word in self.counts:
            return None
        candidates: set[str] = set(self.index.get(word, ()))
        for deleted in _deletes(word):
            candidates.update(self.index.get(deleted, ()))
        best: tuple[int, str] | None = None
        for candidate in candidates:
            if _one_edit(word, candidate):
                key = (-self.counts[candidate], candidate)
                if best is None or key < best:
                    best = key
        return best[1] if best else None


_dictionaries: dict[str, Dictionary] = {}
_lock = threading.Lock()


def _signature() -> tuple:
    from . import synonyms

    row = db.session.execute(text("SELECT COUNT(*), MAX(id) FROM vacancies WHERE status = :open"),
                             {"open": "open"}).one()
    return (synonyms.signature(), tuple(str(v) for v in row))


def _texts() -> Iterable[tuple[str, int]]:
    """Written text (diacritics kept, so did_you_mean can show the usual spelling) with its weight."""
    for label_vi, label_en, synonym_text in db.session.execute(text("SELECT label_vi, label_en, synonyms FROM skills")):
        yield f"{label_vi} {label_en} {(synonym_text or '').replace(';', ' ')}", VOCABULARY_WEIGHT
    for title_vi, title_en in db.session.execute(text("SELECT title_vi, title_en FROM occupations")):
        yield f"{title_vi} {title_en or ''}", VOCABULARY_WEIGHT
    for phrase, equivalent_text in db.session.execute(text(
            "SELECT phrase, equivalents FROM search_synonyms WHERE is_active = :yes"), {"yes": True}):
        yield f"{phrase} {equivalent_text.replace(';', ' ')}", VOCABULARY_WEIGHT
    result = db.session.execute(text("SELECT title FROM vacancies WHERE status = :open"), {"open": "open"})
    for (title,) in result:
        yield title, 1


def rebuild() -> Dictionary:
    """Build this process's dictionary for the current database now."""
    signature = _signature()
    dictionary = Dictionary.build(_texts(), signature)
    with _lock:
        _dictionaries[str(db.engine.url)] = dictionary
    return dictionary


def dictionary() -> Dictionary:
    """This process's dictionary, built on first use and refreshed by the rule in the module docstring."""
    current = _dictionaries.get(str(db.engine.url))
    if current is None:
        return rebuild()
    now = time.monotonic()
    if now - current.checked_at >= CHECK_SECONDS:
        current.checked_at = now
        if now - current.built_at >= REFRESH_SECONDS and _signature() != current.signature:
            return rebuild()
    return current


def known(word: str) -> bool:
    """Whether the folded word is in the dictionary."""
    return dictionary().known(fold(word))


def correct(word: str) -> str | None:
    """The folded correction of one word, or None (see the module docstring)."""
    return dictionary().correct(word)


def corrections(folded_words: list[str]) -> dict[int, str]:
    """Position -> folded correction for every query word that has one."""
    current = dictionary()
    found = {}
    for position, word in enumerate(folded_words):
        fixed = current.correct(word)
        if fixed:
            found[position] = fixed
    return found


def did_you_mean(q: str) -> str | None:
    """The query with each correctable word replaced by its most common written spelling, or None."""
    current = dictionary()
    changed = False
    previous = ""

    def replace(match: re.Match) -> str:
        nonlocal changed, previous
        written = match.group(0)
        fixed = current.correct(written)
        if not fixed:
            previous = fold(written)
            return written
        changed = True
        shown = current.pair_display.get((previous, fixed)) or current.display.get(fixed, fixed)
        previous = fixed
        return shown

    suggestion = _WORD.sub(replace, q or "")
    return suggestion if changed else None
