"""The exhaustive exact scorer: scores every eligible pair in Python. The yardstick for tests and benchmarks."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from ..extensions import db
from ..models import FormerDistrict, Occupation, Skill, Vacancy, VacancySkill, Ward
from ..text import fold_tokens
from .facts import eligible_vacancies, eligible_workers, load_vacancies, load_workers, ward_points
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
# Vacancy search: the reference rule of the search contract, computed in Python over every eligible vacancy.
#
# Text: query tokens = text.fold_tokens(q), deduplicated in order. Per token: 2 if it is a word of the folded
# title, else 1 if it is a word of the folded description, of a skill's Vietnamese label, of the occupation's
# Vietnamese title or of the ward's or former district's name; else 0 (the words the index holds, es_documents).
# text = sum / (2 * number of tokens). With q, only vacancies with text > 0 are found.
# Relevance = text (no worker); 0.5 * text + 0.5 * match total (worker and q); match total (worker, no q).
# min_wage compares wage_max, or wage_min when there is no max; the wage sort orders by wage_max (none last).
# Without origin_ward there is no distance: max_km is ignored and the distance sort is by relevance.
# ---------------------------------------------------------------------------------------------------------------


def query_tokens(q: str | None) -> list[str]:
    """The folded words of a query, each once, in order."""
    return list(dict.fromkeys(fold_tokens(q)))


def text_score(tokens: list[str], title_words: set[str], other_words: set[str]) -> float:
    """Free-text relevance in [0, 1]: 2 per token in the title, 1 per token found only elsewhere."""
    if not tokens:
        return 0.0
    points = sum(2 if t in title_words else 1 if t in other_words else 0 for t in tokens)
    return points / (2 * len(tokens))


def _candidate_rows(query):
    """Eligible vacancies passing the exact filters (ward, former district, job type, wage, skills)."""
    stmt = (select(Vacancy.id, Vacancy.title, Vacancy.description, Vacancy.ward_code, Ward.district_code,
                   Vacancy.occupation_code, Vacancy.wage_min, Vacancy.wage_max, Vacancy.published_at)
            .join(Ward, Ward.code == Vacancy.ward_code).where(Vacancy.id.in_(eligible_vacancies())))
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


def _other_words(rows) -> dict[int, set[str]]:
    """Per vacancy, the folded words found outside the title: description, skills, occupation, ward, district."""
    ids = [r.id for r in rows]
    words: dict[int, set[str]] = {r.id: set(fold_tokens(r.description)) for r in rows}
    for i in range(0, len(ids), 900):
        chunk = ids[i:i + 900]
        for vid, label in db.session.execute(
                select(VacancySkill.vacancy_id, Skill.label_vi).join(Skill).where(VacancySkill.vacancy_id.in_(chunk))):
            words[vid].update(fold_tokens(label))
    occupations = {code: fold_tokens(title) for code, title in db.session.execute(
        select(Occupation.code, Occupation.title_vi)
        .where(Occupation.code.in_({r.occupation_code for r in rows if r.occupation_code})))}
    wards = dict(db.session.execute(select(Ward.code, Ward.name_vi)).all())
    districts = dict(db.session.execute(select(FormerDistrict.code, FormerDistrict.name_vi)).all())
    for r in rows:
        words[r.id].update(occupations.get(r.occupation_code, ()), fold_tokens(wards.get(r.ward_code)),
                           fold_tokens(districts.get(r.district_code)))
    return words


def _sort_key(sort: str):
    """The ordering of a sort; ties always by id ascending. Callers turn 'distance' without an origin into relevance."""
    if sort == "newest":
        return lambda h: (h["published"] is None, -(h["published"].timestamp() if h["published"] else 0), h["id"])
    if sort == "wage":
        return lambda h: (h["wage"] is None, -(h["wage"] or 0), h["id"])
    if sort == "distance":
        return lambda h: (h["distance"] is None, h["distance"] or 0.0, h["id"])
    return lambda h: (-h["score"], h["id"])


def search_vacancies_exact(query, weights: Weights, now: datetime):
    """One page of a vacancy search (service.VacancyQuery -> service.SearchPage) by the exact reference rule."""
    from .service import SearchHit, SearchPage

    rows = _candidate_rows(query)
    tokens = query_tokens(query.q)
    text: dict[int, float] = {}
    if tokens:
        other = _other_words(rows)
        text = {r.id: text_score(tokens, set(fold_tokens(r.title)), other[r.id]) for r in rows}
        rows = [r for r in rows if text[r.id] > 0]
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
        if parts:
            total = parts[r.id].total(weights)
            score = 0.5 * text[r.id] + 0.5 * total if tokens else total
        else:
            score = text.get(r.id, 0.0)
        hits.append({"id": r.id, "score": score, "published": r.published_at, "distance": distance.get(r.id),
                     "wage": r.wage_max})
    hits.sort(key=_sort_key(query.sort if query.sort != "distance" or origin else "relevance"))
    start = (query.page - 1) * query.per_page
    page = [SearchHit(id=h["id"], score=h["score"], distance_km=h["distance"], parts=parts.get(h["id"]))
            for h in hits[start:start + query.per_page]]
    return SearchPage(hits=page, total=len(hits), backend="exact")


def score_pair(worker_id: int, vacancy_id: int, weights: Weights, now: datetime) -> tuple[float, Parts] | None:
    """The match score and parts of one worker and one vacancy, whatever their eligibility; None if either is gone."""
    worker = load_workers([worker_id]).get(worker_id)
    vacancy = load_vacancies([vacancy_id]).get(vacancy_id)
    if worker is None or vacancy is None:
        return None
    parts = score_parts(worker, vacancy, weights, now, "vacancies_for_worker")
    return parts.total(weights), parts
