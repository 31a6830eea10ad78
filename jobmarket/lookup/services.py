"""Ranked, diacritic-insensitive suggestions from the skill and occupation vocabularies."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import and_, or_, select

from ..extensions import db
from ..models import Occupation, Skill
from ..text import fold_tokens

MAX_QUERY_CHARS = 80
MAX_QUERY_WORDS = 5


@dataclass(frozen=True)
class Suggestion:
    """One suggestion: its key (skill id or occupation code), labels and how well it matched (lower is better)."""

    key: int | str
    label_vi: str
    label_en: str
    group: str
    rank: tuple


def query_words(q: str | None) -> list[str]:
    """The folded words of a type-ahead query, bounded so a request stays cheap."""
    return fold_tokens((q or "")[:MAX_QUERY_CHARS])[:MAX_QUERY_WORDS]


def _words_match(query: list[str], words: list[str]) -> bool:
    """Every query word is a word of the text, the last one (still being typed) possibly only its beginning."""
    *complete, typing = query
    return all(q in words for q in complete) and any(w.startswith(typing) for w in words)


@lru_cache(maxsize=8192)
def _entry_words(labels: tuple[str, ...], search_text: str) -> tuple[tuple, tuple, frozenset]:
    """Folded words of an entry's labels and synonyms (memoised: rows change rarely, folding costs)."""
    label_words = tuple(tuple(fold_tokens(label)) for label in labels)
    synonyms = tuple(tuple(fold_tokens(s)) for s in search_text.split(" | "))
    return label_words, synonyms, frozenset(w for group in label_words + synonyms for w in group)


def _starts_with_words(query: list[str], words: tuple[str, ...]) -> bool:
    """The text begins with the query's words, each a whole word."""
    return list(words[:len(query)]) == query


def match_rank(words: list[str], labels: list[str], search_text: str) -> tuple | None:
    """Rank a vocabulary entry for the query words (lower is better), or None when it does not match.

    Whole words first, so that "b2" finds "Lái xe hạng B" (alias "bằng lái B2") before "Bán hàng B2B":
    0: a label starts with the query's words; 1: the query's words are words of a label; 2: the same for a
    synonym or alias; then, the last query word being unfinished (type-ahead): 3: a label starts with the query;
    4: the query's words begin words of a label; 5: a synonym starts with the query; 6: the same in a synonym;
    7: each query word begins some word; 8: each occurs inside a word.
    """
    phrase = " ".join(words)
    label_words, synonyms, everything = _entry_words(tuple(labels), search_text)
    if any(_starts_with_words(words, lw) for lw in label_words):
        return (0,)
    if any(all(q in lw for q in words) for lw in label_words):
        return (1,)
    if any(all(q in sw for q in words) for sw in synonyms):
        return (2,)
    if any(" ".join(lw).startswith(phrase) for lw in label_words):
        return (3,)
    if any(_words_match(words, lw) for lw in label_words):
        return (4,)
    if any(" ".join(sw).startswith(phrase) for sw in synonyms):
        return (5,)
    if any(_words_match(words, sw) for sw in synonyms):
        return (6,)
    if all(any(w.startswith(q) for w in everything) for q in words):
        return (7,)
    if all(q in search_text for q in words):
        return (8,)
    return None


def _filters(column, words: list[str]) -> list:
    """SQL conditions on a folded text column: each word occurs; a short word (1-2 letters) must begin a word,
    since inside words it matches nearly everything and would only add noise."""
    conditions = []
    for w in words:
        if len(w) < 3:
            conditions.append(or_(column.startswith(w), column.contains(" " + w), column.contains("|" + w)))
        else:
            conditions.append(column.contains(w))
    return conditions


def suggest_skills(q: str | None, limit: int = 10) -> list[Suggestion]:
    """Skills whose Vietnamese or English label or a synonym matches q: 'han' finds 'Hàn điện'."""
    words = query_words(q)
    if not words:
        return []
    # Each word is [a-z0-9]+, so it carries no LIKE wildcard; search_text is already folded.
    rows = db.session.execute(select(Skill.id, Skill.label_vi, Skill.label_en, Skill.category, Skill.search_text,
                                     Skill.demand_count, Skill.supply_count)
                              .where(and_(*_filters(Skill.search_text, words))))
    found = []
    for row in rows:
        rank = match_rank(words, [row.label_vi, row.label_en], row.search_text)
        if rank is not None:
            # Within a tier: skills in use first, then vocabulary order (its earlier rows are the common ones).
            used = (row.demand_count or 0) + (row.supply_count or 0)
            found.append(Suggestion(row.id, row.label_vi, row.label_en, row.category, (rank[0], -used, row.id)))
    found.sort(key=lambda s: s.rank)
    return found[:limit]


def suggest_occupations(q: str | None, limit: int = 10, levels: tuple[int, ...] = (4,)) -> list[Suggestion]:
    """VSCO occupations (unit groups by default) whose Vietnamese or English title matches q."""
    words = query_words(q)
    if not words:
        return []
    rows = db.session.execute(
        select(Occupation.code, Occupation.title_vi, Occupation.title_en, Occupation.search_text)
        .where(Occupation.level.in_(levels), and_(*_filters(Occupation.search_text, words))))
    found = []
    for row in rows:
        labels = [row.title_vi] + ([row.title_en] if row.title_en else [])
        rank = match_rank(words, labels, row.search_text)
        if rank is not None:
            found.append(Suggestion(row.code, row.title_vi, row.title_en or row.title_vi, row.code[:2],
                                    (rank[0], len(row.title_vi), row.code)))
    found.sort(key=lambda s: s.rank)
    return found[:limit]
