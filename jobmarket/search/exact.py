"""The exhaustive exact scorer: scores every eligible pair in Python. The yardstick for tests and benchmarks."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from ..extensions import db
from ..models import Employer, FormerDistrict, Occupation, Skill, Vacancy, VacancySkill, Ward
from . import relevance, textquery
from .facts import eligible_vacancies, eligible_workers, load_vacancies, load_workers, ward_points
from .results import SearchHit, SearchPage
from .scoring import Parts, Weights, haversine_km, score_parts


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


# ---------------------------------------------------------------------------------------------------------------
# Vacancy search: the reference of the search contract, computed in Python over every eligible vacancy.
#
# Text: relevance.py's rule (terms from the rows' own texts through relevance.document_terms, rarity from the stored
# document frequencies), every word required, most words when that finds fewer than relevance.MIN_ALL_WORDS.
# Relevance = text score (no worker); text score + match total (worker).
# min_wage and the wage sort use wage_max, or wage_min when there is no max (no wage at all: last).
# Without origin_ward there is no distance: max_km is ignored and the distance sort is by relevance.
# Ties: newest first (no date last), then id.
# ---------------------------------------------------------------------------------------------------------------


def _candidate_rows(query):
    """Eligible vacancies passing the exact filters (ward, former district, job type, wage, skills)."""
    stmt = (select(Vacancy.id, Vacancy.title, Vacancy.description, Vacancy.ward_code, Ward.district_code,
                   Vacancy.occupation_code, Vacancy.wage_min, Vacancy.wage_max, Vacancy.published_at,
                   Vacancy.job_type, Employer.name.label("employer"))
            .join(Ward, Ward.code == Vacancy.ward_code).join(Employer, Employer.id == Vacancy.employer_id)
            .where(Vacancy.id.in_(eligible_vacancies())))
    if query.ward_code:
        stmt = stmt.where(Vacancy.ward_code == query.ward_code)
    if query.district_code:
        stmt = stmt.where(Ward.district_code == query.district_code)
    if query.job_type:
        stmt = stmt.where(Vacancy.job_type == query.job_type)
    if query.min_wage is not None:
        stmt = stmt.where(func.coalesce(Vacancy.wage_max, Vacancy.wage_min) >= query.min_wage)
    for skill_id in dict.fromkeys(query.skill_ids):
        stmt = stmt.where(select(VacancySkill.vacancy_id).where(VacancySkill.vacancy_id == Vacancy.id,
                                                                VacancySkill.skill_id == skill_id).exists())
    return db.session.execute(stmt).all()


def vacancy_terms_of(rows) -> dict[int, dict[str, int]]:
    """Per vacancy, its terms and levels (relevance.document_terms) from the rows' texts, read through the ORM."""
    labels: dict[int, list[str]] = {r.id: [] for r in rows}
    ids = [r.id for r in rows]
    for i in range(0, len(ids), 900):
        for vid, label in db.session.execute(
                select(VacancySkill.vacancy_id, Skill.label_vi).join(Skill)
                .where(VacancySkill.vacancy_id.in_(ids[i:i + 900])).order_by(VacancySkill.vacancy_id, Skill.id)):
            labels[vid].append(label)
    occupations = dict(db.session.execute(select(Occupation.code, Occupation.title_vi)).all())
    wards = dict(db.session.execute(select(Ward.code, Ward.name_vi)).all())
    districts = dict(db.session.execute(select(FormerDistrict.code, FormerDistrict.name_vi)).all())
    return {r.id: relevance.document_terms({
        "title": r.title, "description": r.description, "skills": labels[r.id],
        "occupation": occupations.get(r.occupation_code),
        "place": [wards.get(r.ward_code), districts.get(r.district_code)]}) for r in rows}


def _sort_key(sort: str):
    """The ordering of a sort; ties by newest, then id. Callers turn 'distance' without an origin into relevance."""
    def newest(h):
        return (h["published"] is None, -(h["published"].timestamp() if h["published"] else 0), h["id"])

    if sort == "newest":
        return newest
    if sort == "wage":
        return lambda h: (h["wage"] is None, -(h["wage"] or 0), *newest(h))
    if sort == "distance":
        return lambda h: (h["distance"] is None, h["distance"] or 0.0, *newest(h))
    return lambda h: (-round(h["score"], 6), *newest(h))


def _text_scores(plan, terms: dict[int, dict[str, int]], most_words: bool) -> dict[int, float]:
    """The text score of every vacancy the plan finds."""
    out = {}
    for vid, t in terms.items():
        score = relevance.score_vacancy(plan, t, most_words=most_words)
        if score is not None:
            out[vid] = score
    return out


def search_vacancies_exact(query, weights: Weights, now: datetime):
    """One page of a vacancy search (results.VacancyQuery -> results.SearchPage) by the exact reference rule."""
    reading = textquery.read(query)
    query, plan = reading.query, reading.plan
    rows = _candidate_rows(query)
    text: dict[int, float] = {}
    most_words = False
    if not plan.empty or plan.exclusions:
        terms = vacancy_terms_of(rows)
        text = _text_scores(plan, terms, False)
        if not plan.empty and len(text) < relevance.MIN_ALL_WORDS and len(plan.clauses) >= 2:
            more = _text_scores(plan, terms, True)
            if len(more) > len(text):
                text, most_words = more, True
        rows = [r for r in rows if r.id in text]
    points = ward_points()
    origin = points.get(query.origin_ward) if query.origin_ward else None
    distance = {r.id: haversine_km(origin, points[r.ward_code]) for r in rows} if origin else {}
    if origin and query.max_km is not None:
        rows = [r for r in rows if distance[r.id] <= query.max_km]
    parts: dict[int, Parts] = {}
    if query.worker_id is not None:
        worker = load_workers([query.worker_id]).get(query.worker_id)
        if worker is not None:
            facts = load_vacancies([r.id for r in rows])
            parts = {vid: score_parts(worker, f, weights, now, "vacancies_for_worker") for vid, f in facts.items()}
    hits = []
    for r in rows:
        score = text.get(r.id, 0.0)
        if parts:
            score = round(score, 6) + round(parts[r.id].total(weights), 6)
        hits.append({"id": r.id, "score": score, "published": r.published_at, "distance": distance.get(r.id),
                     "wage": r.wage_max if r.wage_max is not None else r.wage_min})
    hits.sort(key=_sort_key(query.sort if query.sort != "distance" or origin else "relevance"))
    start = (query.page - 1) * query.per_page
    page = [SearchHit(id=h["id"], score=h["score"], distance_km=h["distance"], parts=parts.get(h["id"]))
            for h in hits[start:start + query.per_page]]
    return SearchPage(hits=page, total=len(hits), backend="exact", most_words=most_words, place=reading.place,
                      highlight=reading.highlight)


def score_pair(worker_id: int, vacancy_id: int, weights: Weights, now: datetime) -> tuple[float, Parts] | None:
    """The match score and parts of one worker and one vacancy, whatever their eligibility; None if either is gone."""
    worker = load_workers([worker_id]).get(worker_id)
    vacancy = load_vacancies([vacancy_id]).get(vacancy_id)
    if worker is None or vacancy is None:
        return None
    parts = score_parts(worker, vacancy, weights, now, "vacancies_for_worker")
    return parts.total(weights), parts
