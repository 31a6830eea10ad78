"""The one interface pages and the API call for matching and search; it picks the backend and falls back."""
from __future__ import annotations

import functools
import logging
from datetime import datetime

from flask import current_app

from ..models._common import utcnow
from .listing_cache import kept_when_unfiltered
from .results import Match, MatchPage, SearchHit, SearchPage, VacancyQuery
from .scoring import Weights

log = logging.getLogger(__name__)

SORTS = ("relevance", "newest", "wage", "distance")


def weights() -> Weights:
    """The configured weights."""
    return Weights.from_config(current_app.config)


def now() -> datetime:
    """The moment scores are computed for (UTC, naive)."""
    return utcnow()


def _elasticsearch_first(database_function):
    """With ELASTICSEARCH_URL set, answer with `_es_<name>`; when Elasticsearch is unreachable, answer with the
    decorated database function and mark the page degraded (the page then says results may be less complete)."""

    @functools.wraps(database_function)
    def answer(*args, **kwargs):
        if not current_app.config.get("ELASTICSEARCH_URL"):
            return database_function(*args, **kwargs)
        from .es_backend import EsUnavailable

        try:
            return globals()[f"_es_{database_function.__name__}"](*args, **kwargs)
        except EsUnavailable as exc:
            log.warning("search: Elasticsearch unavailable, answering from the database: %s", exc)
            page = database_function(*args, **kwargs)
            page.degraded = True
            return page

    return answer


def _backend():
    """The database backend: the embedded default, and the fallback `_elasticsearch_first` answers with when
    Elasticsearch is configured but unreachable."""
    return backend_named("database")


def backend_named(name: str):
    """A backend by name ("database", "elasticsearch"); LookupError when it is not available in this build."""
    if name == "database":
        from .dbbackend import DatabaseBackend

        return DatabaseBackend()
    if name == "elasticsearch":
        return ElasticsearchRanking()
    raise LookupError(f"unknown search backend {name!r}")


class ElasticsearchRanking:
    """The Elasticsearch backend behind the same calls as DatabaseBackend (used by bench/match.py)."""

    name = "elasticsearch"

    def rebuild(self) -> dict:
        """Build both indices from the database and swap the aliases."""
        from . import es_backend

        return {kind: es_backend.reindex(kind) for kind in ("vacancies", "workers")}

    def match_vacancies_for_worker(self, worker_id, *, limit, offset, weights, now):
        """[(vacancy_id, score, None)] as ranked by Elasticsearch."""
        from . import es_backend

        ranked = es_backend.match_vacancies_for_worker(worker_id, limit=limit, offset=offset, weights=weights, now=now)
        return [(i, s, None) for i, s in ranked.items]

    def match_workers_for_vacancy(self, vacancy_id, *, limit, offset, weights, now):
        """[(worker_id, score, None)] as ranked by Elasticsearch."""
        from . import es_backend

        ranked = es_backend.match_workers_for_vacancy(vacancy_id, limit=limit, offset=offset, weights=weights, now=now)
        return [(i, s, None) for i, s in ranked.items]


@_elasticsearch_first
def match_vacancies_for_worker(worker_id: int, limit: int = 20, offset: int = 0) -> MatchPage:
    """The vacancies that match a worker best."""
    backend = _backend()
    ranked = backend.match_vacancies_for_worker(worker_id, limit=limit, offset=offset, weights=weights(), now=now())
    return MatchPage([Match(i, s, p) for i, s, p in ranked], backend=backend.name)


@_elasticsearch_first
def match_workers_for_vacancy(vacancy_id: int, limit: int = 20, offset: int = 0) -> MatchPage:
    """The workers that match a vacancy best."""
    backend = _backend()
    ranked = backend.match_workers_for_vacancy(vacancy_id, limit=limit, offset=offset, weights=weights(), now=now())
    return MatchPage([Match(i, s, p) for i, s, p in ranked], backend=backend.name)

@kept_when_unfiltered  # the unfiltered listing is kept, not recomputed per request (search/listing_cache.py)
@_elasticsearch_first
def search_vacancies(query: VacancyQuery) -> SearchPage:
    """Vacancies matching a free-text query, filters and sort (see the search contract). ValueError for a query
    that cannot be run (unknown sort; distance sort or filter without an origin ward; unknown origin ward)."""
    page = _backend().search_vacancies(query, weights=weights(), now=now())
    return with_suggestion(query, page)


def with_suggestion(query: VacancyQuery, page: SearchPage) -> SearchPage:
    """A query that found nothing gets a "did you mean" (spelling.py), when a spelling the texts use is one edit
    away."""
    if page.total == 0 and (query.q or "").strip():
        from . import spelling

        page.suggestion = spelling.did_you_mean(query.q)
    return page


# ----------------------------------------------------------------------------------------------- Elasticsearch

def _es_match_vacancies_for_worker(worker_id: int, limit: int = 20, offset: int = 0) -> MatchPage:
    """Elasticsearch ranks; the page's parts (the reasons) are computed here from the database's facts."""
    from . import es_backend
    from .facts import load_vacancies, load_workers
    from .scoring import score_parts

    w, moment = weights(), now()
    ranked = es_backend.match_vacancies_for_worker(worker_id, limit=limit, offset=offset, weights=w, now=moment)
    worker = load_workers([worker_id]).get(worker_id)
    facts = load_vacancies([i for i, _ in ranked.items])
    matches = []
    for vid, _ in ranked.items:
        if worker is not None and vid in facts:
            parts = score_parts(worker, facts[vid], w, moment, "vacancies_for_worker")
            matches.append(Match(vid, parts.total(w), parts))
    return MatchPage(matches, backend="elasticsearch")


def _es_match_workers_for_vacancy(vacancy_id: int, limit: int = 20, offset: int = 0) -> MatchPage:
    """Elasticsearch ranks; the page's parts are computed here from the database's facts."""
    from . import es_backend
    from .facts import load_vacancies, load_workers
    from .scoring import score_parts

    w, moment = weights(), now()
    ranked = es_backend.match_workers_for_vacancy(vacancy_id, limit=limit, offset=offset, weights=w, now=moment)
    vacancy = load_vacancies([vacancy_id]).get(vacancy_id)
    facts = load_workers([i for i, _ in ranked.items])
    matches = []
    for wid, _ in ranked.items:
        if vacancy is not None and wid in facts:
            parts = score_parts(facts[wid], vacancy, w, moment, "workers_for_vacancy")
            matches.append(Match(wid, parts.total(w), parts))
    return MatchPage(matches, backend="elasticsearch")


def _es_search_vacancies(query: VacancyQuery) -> SearchPage:
    """Vacancy search in Elasticsearch; distances and match parts of the page computed here."""
    from . import es_backend

    ranked, reading, most_words = es_backend.search_vacancies(query, weights=weights(), now=now())
    return with_suggestion(query, SearchPage(_search_hits(reading.query, ranked.items), total=ranked.total, backend="elasticsearch",
                      most_words=most_words, place=reading.place, highlight=reading.highlight))


def _search_hits(query: VacancyQuery, items: list[tuple[int, float]]) -> list[SearchHit]:
    """Hits for (id, relevance) pairs: distance from the origin ward, and the worker's match parts when asked."""
    from .facts import load_vacancies, load_workers, ward_points
    from .scoring import haversine_km, score_parts

    facts = load_vacancies([i for i, _ in items])
    origin = ward_points().get(query.origin_ward) if query.origin_ward else None
    worker = load_workers([query.worker_id]).get(query.worker_id) if query.worker_id else None
    hits = []
    for vid, score in items:
        if vid not in facts:
            continue
        hit = SearchHit(vid, score)
        if origin is not None:
            hit.distance_km = haversine_km(origin, facts[vid].place)
        if worker is not None:
            hit.parts = score_parts(worker, facts[vid], weights(), now(), "vacancies_for_worker")
        hits.append(hit)
    return hits


def explain_match(worker_id: int, vacancy_id: int) -> Match | None:
    """The score and parts of one worker for one vacancy (the 'why this matches you' of a vacancy page).

    Every backend computes the same score, so one pair is scored from the database's facts directly.
    """
    from .exact import score_pair

    scored = score_pair(worker_id, vacancy_id, weights(), now())
    return Match(vacancy_id, *scored) if scored else None
