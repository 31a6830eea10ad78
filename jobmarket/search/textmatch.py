"""The free-text relevance rule both backends implement, as pure functions.

A vacancy's words are the folded words (text.fold_tokens) of its title (rank 2) and of its description, the
Vietnamese labels of its skills (required and nice to have), its occupation's Vietnamese title, and the Vietnamese
names of its ward and of that ward's former district (rank 1 unless also in the title).
Query tokens are text.fold_tokens(q), deduplicated. Each token scores its rank in the vacancy (0 when absent);
text score = sum / (2 * number of tokens), in [0, 1]. A vacancy matches q when its text score is > 0.
"""
from __future__ import annotations

from typing import Iterable

from ..text import fold_tokens

TITLE_RANK = 2
OTHER_RANK = 1


def query_tokens(q: str | None) -> list[str]:
    """The distinct folded tokens of a query, in order of first appearance."""
    return list(dict.fromkeys(fold_tokens(q)))


def vacancy_words(title: str | None, others: Iterable[str | None]) -> dict[str, int]:
    """Every folded word of a vacancy with its rank: 2 when it is a word of the title, else 1."""
    words = {w: OTHER_RANK for text in others for w in fold_tokens(text)}
    words.update({w: TITLE_RANK for w in fold_tokens(title)})
    return words


def text_score(tokens: list[str], words: dict[str, int]) -> float:
    """The text score of a vacancy (its words) for deduplicated query tokens; 0 when there are no tokens."""
    if not tokens:
        return 0.0
    return sum(words.get(t, 0) for t in tokens) / (2 * len(tokens))
