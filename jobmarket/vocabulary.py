"""The skill vocabulary's periodic job: count demand and supply per skill and recompute rarity weights."""
from __future__ import annotations

import math

from sqlalchemy import func, select

from .extensions import db
from .models import OutboxEntry, Skill, Vacancy, VacancySkill, VacancyStatus, WorkerProfile
from .models import worker_skills
from .models._common import utcnow

WEIGHT_MIN, WEIGHT_MAX = 1.0, 3.0


def rarity_weight(doc_freq: int, total_docs: int) -> float:
    """Map how many documents carry a skill to a weight in [1, 3]: rarer skills weigh more (BM25-style idf)."""
    if total_docs <= 0:
        return WEIGHT_MIN
    idf = math.log(1 + (total_docs - doc_freq + 0.5) / (doc_freq + 0.5))
    idf_max = math.log(1 + (total_docs + 0.5) / 0.5)
    return round(WEIGHT_MIN + (WEIGHT_MAX - WEIGHT_MIN) * idf / idf_max, 6)


def recompute_skill_weights(reindex_threshold: float = 1e-9, queue: bool = True) -> dict[str, int]:
    """Recount demand (open vacancies) and supply (seeking workers) per skill and update weights.

    A weight that moved by more than reindex_threshold queues every document holding the skill, so the
    index scores with the same numbers as the database. queue=False is for callers that queue every
    document themselves (the demo generator).
    """
    demand = dict(db.session.execute(
        select(VacancySkill.skill_id, func.count()).join(Vacancy).where(Vacancy.status == VacancyStatus.OPEN.value)
        .group_by(VacancySkill.skill_id)).all())
    supply = dict(db.session.execute(
        select(worker_skills.c.skill_id, func.count()).join(WorkerProfile, WorkerProfile.id == worker_skills.c.worker_id)
        .where(WorkerProfile.is_seeking.is_(True)).group_by(worker_skills.c.skill_id)).all())
    total = (db.session.scalar(select(func.count(Vacancy.id)).where(Vacancy.status == VacancyStatus.OPEN.value)) or 0) \
        + (db.session.scalar(select(func.count(WorkerProfile.id)).where(WorkerProfile.is_seeking.is_(True))) or 0)
    changed: list[int] = []
    for skill in db.session.scalars(select(Skill)):
        d, s = demand.get(skill.id, 0), supply.get(skill.id, 0)
        weight = rarity_weight(d + s, total)
        if abs(weight - (skill.weight or 0)) > reindex_threshold:
            changed.append(skill.id)
        skill.demand_count, skill.supply_count, skill.weight = d, s, weight
    queued = 0
    if changed and queue:
        now = utcnow()
        vac_ids = db.session.scalars(select(VacancySkill.vacancy_id).where(VacancySkill.skill_id.in_(changed)).distinct())
        work_ids = db.session.scalars(select(worker_skills.c.worker_id).where(worker_skills.c.skill_id.in_(changed)).distinct())
        rows = [dict(entity="vacancy", entity_id=i, created_at=now) for i in vac_ids] + \
               [dict(entity="worker", entity_id=i, created_at=now) for i in work_ids]
        if rows:
            db.session.execute(OutboxEntry.__table__.insert(), rows)
        queued = len(rows)
    db.session.commit()
    return {"skills": len(demand | supply), "weights_changed": len(changed), "documents_queued": queued}
