"""The exhaustive exact scorer: scores every eligible pair in Python. The yardstick for tests and benchmarks."""
from __future__ import annotations

from datetime import datetime

from ..extensions import db
from .facts import eligible_vacancies, eligible_workers, load_vacancies, load_workers
from .scoring import Weights, score_parts


def rank_vacancies_for_worker(worker_id: int, weights: Weights, now: datetime, limit: int = 20):
    """Every eligible vacancy scored for one worker, best first: [(vacancy_id, total, parts)]."""
    worker = load_workers([worker_id])[worker_id]
    ids = list(db.session.scalars(eligible_vacancies()))
    scored = []
    for vid, facts in load_vacancies(ids).items():
        parts = score_parts(worker, facts, weights, now, "vacancies_for_worker")
        if parts.skills > 0:
            scored.append((vid, parts.total(weights), parts))
    scored.sort(key=lambda t: (-t[1], t[0]))
    return scored[:limit]


def rank_workers_for_vacancy(vacancy_id: int, weights: Weights, now: datetime, limit: int = 20):
    """Every eligible worker scored for one vacancy, best first: [(worker_id, total, parts)]."""
    vacancy = load_vacancies([vacancy_id])[vacancy_id]
    ids = list(db.session.scalars(eligible_workers()))
    scored = []
    for wid, facts in load_workers(ids).items():
        parts = score_parts(facts, vacancy, weights, now, "workers_for_vacancy")
        if parts.skills > 0:
            scored.append((wid, parts.total(weights), parts))
    scored.sort(key=lambda t: (-t[1], t[0]))
    return scored[:limit]
