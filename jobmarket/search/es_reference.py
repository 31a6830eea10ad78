"""The vacancy search contract evaluated exhaustively in Python: the yardstick the Elasticsearch queries are tested
against, and the database-side stand-in until the database backend provides its own search."""
from __future__ import annotations

from datetime import datetime

from .es_backend import eligible_ids, load_vacancy_records
from .es_documents import VacancyRecord, other_words, title_words
from .es_queries import query_tokens
from .facts import load_workers, ward_points
from .scoring import Weights, haversine_km, score_parts


def text_score(tokens: list[str], record: VacancyRecord) -> float:
    """The free-text rule: per token 2 (title word), else 1 (other word), else 0; sum / (2 * tokens)."""
    if not tokens:
        return 0.0
    title, other = set(title_words(record)), set(other_words(record))
    return sum(2 if t in title else 1 if t in other else 0 for t in tokens) / (2 * len(tokens))


def _passes(query, record: VacancyRecord, origin) -> bool:
    """Whether a vacancy passes the search filters."""
    facts = record.facts
    if query.ward_code and record.ward_code != query.ward_code:
        return False
    if query.district_code and record.district_code != query.district_code:
        return False
    if origin is not None and query.max_km is not None and haversine_km(origin, facts.place) > query.max_km:
        return False
    if query.skill_ids and not set(query.skill_ids) <= (set(facts.required) | set(facts.nice)):
        return False
    if query.min_wage is not None and (facts.wage_max is None or facts.wage_max < query.min_wage):
        return False
    if query.job_type and record.job_type != query.job_type:
        return False
    return True


def search_vacancies(query, *, weights: Weights, now: datetime) -> tuple[list[tuple[int, float]], int]:
    """(page of (id, relevance) in the requested order, total) for a service.VacancyQuery."""
    tokens = query_tokens(query.q)
    origin = ward_points().get(query.origin_ward) if query.origin_ward else None
    worker = load_workers([query.worker_id]).get(query.worker_id) if query.worker_id else None
    found = []
    for vid, record in load_vacancy_records(eligible_ids("vacancies")).items():
        if not _passes(query, record, origin):
            continue
        text = text_score(tokens, record)
        if tokens and text <= 0:
            continue
        relevance = text
        if worker is not None:
            total = score_parts(worker, record.facts, weights, now).total(weights)
            relevance = 0.5 * text + 0.5 * total if tokens else total
        found.append((vid, relevance, record))
    sort = query.sort if query.sort != "distance" or origin is not None else "relevance"
    if sort == "newest":
        found.sort(key=lambda t: (t[2].facts.published_at is None,
                                  -(t[2].facts.published_at.timestamp() if t[2].facts.published_at else 0), t[0]))
    elif sort == "wage":
        found.sort(key=lambda t: (t[2].facts.wage_max is None, -(t[2].facts.wage_max or 0), t[0]))
    elif sort == "distance":
        found.sort(key=lambda t: (haversine_km(origin, t[2].facts.place), t[0]))
    else:
        found.sort(key=lambda t: (-t[1], t[0]))
    per_page = max(1, min(int(query.per_page or 20), 100))
    start = (max(1, int(query.page or 1)) - 1) * per_page
    return [(vid, relevance) for vid, relevance, _ in found[start:start + per_page]], len(found)
