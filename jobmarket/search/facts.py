"""Read the facts the score needs from the database: who is eligible, their skills, places, wages and dates."""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from sqlalchemy import select

from ..extensions import db
from ..models import (Employer, EmployerStatus, Skill, User, Vacancy, VacancySkill, VacancyStatus, Ward, WorkerProfile,
                      worker_preferred_wards, worker_skills)
from .scoring import Point, VacancyFacts, WorkerFacts


def eligible_vacancies():
    """Vacancies anyone may be matched with: open, from a verified employer."""
    return (select(Vacancy.id).join(Employer, Employer.id == Vacancy.employer_id)
            .where(Vacancy.status == VacancyStatus.OPEN.value, Employer.status == EmployerStatus.VERIFIED.value))


def eligible_workers():
    """Workers employers may see in matches: visible, seeking, account enabled."""
    return (select(WorkerProfile.id).join(User, User.id == WorkerProfile.user_id)
            .where(WorkerProfile.is_visible.is_(True), WorkerProfile.is_seeking.is_(True), User.is_enabled.is_(True)))


def ward_points() -> dict[str, Point]:
    """Every ward's centre."""
    return {code: Point(lat, lon) for code, lat, lon in db.session.execute(select(Ward.code, Ward.lat, Ward.lon))}


def skill_weights() -> dict[int, float]:
    """Every skill's rarity weight."""
    return dict(db.session.execute(select(Skill.id, Skill.weight)).all())


def _chunks(ids: list[int], size: int = 900) -> Iterable[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def load_workers(ids: Iterable[int]) -> dict[int, WorkerFacts]:
    """WorkerFacts for the given profile ids."""
    ids = list(ids)
    points = ward_points()
    out: dict[int, WorkerFacts] = {}
    skills: dict[int, set[int]] = defaultdict(set)
    preferred: dict[int, list[Point]] = defaultdict(list)
    for chunk in _chunks(ids):
        for wid, sid in db.session.execute(select(worker_skills.c.worker_id, worker_skills.c.skill_id)
                                           .where(worker_skills.c.worker_id.in_(chunk))):
            skills[wid].add(sid)
        for wid, code in db.session.execute(select(worker_preferred_wards.c.worker_id, worker_preferred_wards.c.ward_code)
                                            .where(worker_preferred_wards.c.worker_id.in_(chunk))):
            preferred[wid].append(points[code])
        rows = db.session.execute(select(WorkerProfile.id, WorkerProfile.ward_code, WorkerProfile.anywhere_in_hanoi,
                                         WorkerProfile.expected_wage, WorkerProfile.last_active_at)
                                  .where(WorkerProfile.id.in_(chunk)))
        for wid, ward, anywhere, wage, active in rows:
            out[wid] = WorkerFacts(id=wid, skill_ids=frozenset(skills[wid]), home=points.get(ward) if ward else None,
                                   preferred=tuple(preferred[wid]), anywhere=bool(anywhere), expected_wage=wage,
                                   last_active_at=active)
    return out


def load_vacancies(ids: Iterable[int]) -> dict[int, VacancyFacts]:
    """VacancyFacts for the given vacancy ids."""
    ids = list(ids)
    points = ward_points()
    weights = skill_weights()
    req: dict[int, dict[int, float]] = defaultdict(dict)
    nice: dict[int, dict[int, float]] = defaultdict(dict)
    out: dict[int, VacancyFacts] = {}
    for chunk in _chunks(ids):
        for vid, sid, required in db.session.execute(select(VacancySkill.vacancy_id, VacancySkill.skill_id,
                                                            VacancySkill.required)
                                                     .where(VacancySkill.vacancy_id.in_(chunk))):
            (req if required else nice)[vid][sid] = weights[sid]
        rows = db.session.execute(select(Vacancy.id, Vacancy.ward_code, Vacancy.wage_min, Vacancy.wage_max,
                                         Vacancy.published_at).where(Vacancy.id.in_(chunk)))
        for vid, ward, wmin, wmax, published in rows:
            out[vid] = VacancyFacts(id=vid, required=req[vid], nice=nice[vid], place=points[ward],
                                    wage_max=wmax if wmax is not None else wmin, published_at=published)
    return out
