"""Query-time synonyms and abbreviations: which folded phrases of a query also mean which other folded phrases.

API (stable; the search backends call it, nothing here touches an index):

- ``expansions(folded_words: list[str]) -> list[Expansion]``: every span of the query's folded words (as
  ``jobmarket.text.fold_tokens`` gives them) that the synonym table knows, sorted by start, longest span first.
  Spans may overlap ("nhan vien kinh doanh" yields "nhan vien" and "kinh doanh" and, if listed, the whole phrase).
- ``longest_expansions(folded_words) -> list[Expansion]``: the same, reduced to non-overlapping spans, longest first
  from the left (what a query builder normally wants).
- ``equivalents(folded_phrase: str) -> tuple[str, ...]``: the folded phrases one folded phrase also means.
- ``Expansion(start, end, phrase, equivalents, sources)``: ``folded_words[start:end]`` joined by one space is
  ``phrase``; ``equivalents`` are folded phrases (words joined by one space, never ``phrase`` itself), curated entries
  first, then the vocabulary's, each once; ``sources`` is a subset of {"curated", "skill", "occupation"}.
- ``fold_phrase(text) -> str``: the folded phrase form used everywhere here ("Kế toán!" -> "ke toan").
- ``invalidate() -> None``: drop this process's table now (the admin service calls it after every edit).

Where the table comes from, read once per process and database:
- curated entries (table search_synonyms, seeded from refdata/data/search_synonyms.csv, edited by officers):
  phrase -> its equivalents; a two-way entry also maps every equivalent to the phrase and to the others;
- the skill vocabulary: the English label and every synonym of a skill -> its Vietnamese label, and the Vietnamese
  label -> the English label (descriptions mix English);
- occupations: the ISCO-08 English title (and its singular, "accountants" -> "accountant") -> the Vietnamese title.

Cache rule: the table is rebuilt when the database's signature (count and last edit of search_synonyms, count and
total text length of skills and occupations) differs from the one it was built from; the signature is read at most
every CHECK_SECONDS per process, so another process's edit shows here within CHECK_SECONDS, this process's at once.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from sqlalchemy import text

from ..extensions import db
from ..text import fold, fold_tokens

CHECK_SECONDS = 5.0
# Vocabulary phrases shorter than this (one word) are too ambiguous to expand ("may", "an", "ba").
MIN_VOCAB_WORD = 4


@dataclass(frozen=True)
class Expansion:
    """A span of the query's folded words and the folded phrases it also means."""

    start: int
    end: int
    phrase: str
    equivalents: tuple[str, ...]
    sources: frozenset[str] = field(default_factory=frozenset)


@dataclass
class _Table:
    signature: tuple
    checked_at: float
    # folded phrase -> {folded equivalent: source}, insertion-ordered (curated first)
    entries: dict[str, dict[str, str]]
    max_words: int


_tables: dict[str, _Table] = {}
_lock = threading.Lock()

_SIGNATURE_SQL = text(
    "SELECT (SELECT COUNT(*) FROM search_synonyms WHERE is_active = :yes),"
    " (SELECT MAX(updated_at) FROM search_synonyms),"
    " (SELECT COUNT(*) FROM skills), (SELECT COALESCE(SUM(LENGTH(search_text)), 0) FROM skills),"
    " (SELECT COUNT(*) FROM occupations), (SELECT COALESCE(SUM(LENGTH(search_text)), 0) FROM occupations)")


def fold_phrase(value: str | None) -> str:
    """A folded phrase: folded words joined by one space, punctuation dropped (the form queries are compared in)."""
    return " ".join(fold_tokens(value))


_phrase = fold_phrase


def _singular(phrase: str) -> str:
    """English plural of the last word to singular, the simple cases ISCO titles use ("drivers", "nurses")."""
    words = phrase.split(" ")
    last = words[-1]
    if last.endswith("ies") and len(last) > 4:
        last = last[:-3] + "y"
    elif last.endswith(("ches", "shes", "sses", "xes")):
        last = last[:-2]
    elif last.endswith("s") and not last.endswith("ss") and len(last) > 3:
        last = last[:-1]
    return " ".join([*words[:-1], last])


def _add(entries: dict[str, dict[str, str]], phrase: str, equivalent: str, source: str) -> None:
    if not phrase or not equivalent or f" {phrase} " in f" {equivalent} ":
        return  # a phrase containing the query phrase adds nothing: whatever holds it holds the phrase
    if source != "curated" and " " not in phrase and len(phrase) < MIN_VOCAB_WORD:
        return
    entries.setdefault(phrase, {}).setdefault(equivalent, source)


def _build(signature: tuple) -> _Table:
    """Read the curated list and the vocabulary into one phrase table."""
    entries: dict[str, dict[str, str]] = {}
    rows = db.session.execute(text(
        "SELECT phrase, equivalents, two_way FROM search_synonyms WHERE is_active = :yes ORDER BY id"),
        {"yes": True}).all()
    for phrase, equivalent_text, two_way in rows:
        head = _phrase(phrase)
        others = [p for p in (_phrase(e) for e in equivalent_text.split(";")) if p]
        for other in others:
            _add(entries, head, other, "curated")
        if two_way:
            group = [head, *others]
            for member in others:
                for other in group:
                    _add(entries, member, other, "curated")
    for label_vi, label_en, synonyms in db.session.execute(text("SELECT label_vi, label_en, synonyms FROM skills")):
        vi = _phrase(label_vi)
        en = _phrase(label_en)
        _add(entries, en, vi, "skill")
        _add(entries, vi, en, "skill")
        for synonym in (synonyms or "").split(";"):
            _add(entries, _phrase(synonym), vi, "skill")
    for title_vi, title_en in db.session.execute(text(
            "SELECT title_vi, title_en FROM occupations WHERE title_en IS NOT NULL")):
        vi, en = _phrase(title_vi), _phrase(title_en)
        _add(entries, en, vi, "occupation")
        _add(entries, _singular(en), vi, "occupation")
    max_words = max((p.count(" ") + 1 for p in entries), default=1)
    return _Table(signature=signature, checked_at=time.monotonic(), entries=entries, max_words=max_words)


def _signature() -> tuple:
    row = db.session.execute(_SIGNATURE_SQL, {"yes": True}).one()
    return tuple(str(v) for v in row)


def _table() -> _Table:
    """This process's table for the current database, rebuilt when the signature changed (checked every few s)."""
    key = str(db.engine.url)
    now = time.monotonic()
    table = _tables.get(key)
    if table is not None and now - table.checked_at < CHECK_SECONDS:
        return table
    signature = _signature()
    if table is not None and table.signature == signature:
        table.checked_at = now
        return table
    with _lock:
        table = _build(signature)
        _tables[key] = table
    return table


def invalidate() -> None:
    """Forget every table of this process; the next query reads the database again."""
    with _lock:
        _tables.clear()


def equivalents(folded_phrase: str) -> tuple[str, ...]:
    """The folded phrases a folded phrase also means (empty when it has none)."""
    return tuple(_table().entries.get(_phrase(folded_phrase), {}))


def expansions(folded_words: list[str]) -> list[Expansion]:
    """Every known span of the query's folded words with its equivalents, by start, longest span first."""
    if not folded_words:
        return []
    table = _table()
    words = [fold(w) for w in folded_words]
    found: list[Expansion] = []
    for start in range(len(words)):
        for length in range(min(table.max_words, len(words) - start), 0, -1):
            phrase = " ".join(words[start:start + length])
            known = table.entries.get(phrase)
            if known:
                found.append(Expansion(start=start, end=start + length, phrase=phrase,
                                       equivalents=tuple(known), sources=frozenset(known.values())))
    return found


def longest_expansions(folded_words: list[str]) -> list[Expansion]:
    """Non-overlapping spans: at each position the longest known phrase, scanning from the left."""
    chosen: list[Expansion] = []
    reached = 0
    for expansion in expansions(folded_words):
        if expansion.start >= reached:
            chosen.append(expansion)
            reached = expansion.end
    return chosen


def vocabulary_phrases() -> list[str]:
    """Every folded phrase the table knows, as a phrase or an equivalent (the spelling dictionary reads these)."""
    table = _table()
    seen: dict[str, None] = {}
    for phrase, known in table.entries.items():
        seen.setdefault(phrase)
        for equivalent in known:
            seen.setdefault(equivalent)
    return list(seen)


def signature() -> tuple:
    """The signature the current table was built from (changes whenever the vocabulary or the list changes)."""
    return _table().signature
