"""The one interface pages and the API call for matching and search; it picks the backend and falls back."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app

from ..models._common import utcnow
from .scoring import Parts, Weights

SORTS = ("relevance", "newest", "wage", "distance")


@dataclass
class Match:
    """One ranked result: the id, the total score in [0, 1] and its parts (the reasons)."""

    id: int
    score: float
    parts: Parts


@dataclass
class MatchPage:
    """A page of matches, and whether the database stood in for an unreachable Elasticsearch."""

    matches: list[Match]
    backend: str
    degraded: bool = False


@dataclass
class VacancyQuery:
    """A vacancy search: free text, filters and a sort. Distances are from `origin_ward` when given."""

    q: str = ""
    ward_code: str | None = None
    district_code: str | None = None
    origin_ward: str | None = None
    max_km: float | None = None
    skill_ids: list[int] = field(default_factory=list)
    min_wage: int | None = None
    job_type: str | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    worker_id: int | None = None  # when set, results also carry the worker's match parts


@dataclass
class SearchHit:
    """One vacancy found by a search."""

    id: int
    score: float
    distance_km: float | None = None
    parts: Parts | None = None


@dataclass
class SearchPage:
    """A page of search results."""

    hits: list[SearchHit]
    total: int
    backend: str
    degraded: bool = False


def weights() -> Weights:
    """The configured weights."""
    return Weights.from_config(current_app.config)


def now() -> datetime:
    """The moment scores are computed for (UTC, naive)."""
    return utcnow()


def _backend():
    """The backend that answers: the database backend (the embedded default).

    Elasticsearch selection goes here: when ELASTICSEARCH_URL is set, return the Elasticsearch backend, and fall
    back to the database backend (degraded=True) when it is unreachable.
    """
    return backend_named("database")


def backend_named(name: str):
    """A backend by name ("database", "elasticsearch"); LookupError when it is not available in this build."""
    if name == "database":
        from .dbbackend import DatabaseBackend

        return DatabaseBackend()
    raise LookupError(f"search backend {name!r} is not available yet")


def match_vacancies_for_worker(worker_id: int, limit: int = 20, offset: int = 0) -> MatchPage:
    """The vacancies that match a worker best."""
    backend = _backend()
    ranked = backend.match_vacancies_for_worker(worker_id, limit=limit, offset=offset, weights=weights(), now=now())
    return MatchPage([Match(i, s, p) for i, s, p in ranked], backend=backend.name)


def match_workers_for_vacancy(vacancy_id: int, limit: int = 20, offset: int = 0) -> MatchPage:
    """The workers that match a vacancy best."""
    backend = _backend()
    ranked = backend.match_workers_for_vacancy(vacancy_id, limit=limit, offset=offset, weights=weights(), now=now())
    return MatchPage([Match(i, s, p) for i, s, p in ranked], backend=backend.name)


def search_vacancies(query: VacancyQuery) -> SearchPage:
    """Vacancies matching a free-text query, filters and sort (see the search contract). ValueError for a query
    that cannot be run (unknown sort; distance sort or filter without an origin ward; unknown origin ward)."""
    backend = _backend()
    hits, total = backend.search_vacancies(query, weights=weights(), now=now())
    return SearchPage(hits, total=total, backend=backend.name)
