"""The vacancy search contract evaluated exhaustively in Python (exact.search_vacancies_exact), in the shape the
Elasticsearch tests compare with: ([(vacancy id, relevance)], total)."""
from __future__ import annotations

from datetime import datetime

from .scoring import Weights


def search_vacancies(query, *, weights: Weights, now: datetime) -> tuple[list[tuple[int, float]], int]:
    """One page of a vacancy search by the reference rule: ([(id, relevance)], total)."""
    from .exact import search_vacancies_exact

    page = search_vacancies_exact(query, weights, now)
    return [(h.id, h.score) for h in page.hits], page.total
