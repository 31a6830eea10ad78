"""What search and match pages and the API show: result cards built from service results, with reasons, read-only."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import g
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..authz import can
from ..extensions import db
from ..models import (Application, ApplicationStatus, DistrictAdjacency, FormerDistrict, Invitation, Skill, Vacancy,
                      Ward, WorkerProfile)
from . import service
from .reasons import VACANCIES_FOR_WORKER, WORKERS_FOR_VACANCY, Area, Reason, ReasonContext, explain, summary
from .scoring import Parts

MAX_DB_ID = 2_147_483_647


def education_labels() -> dict[str, str]:
    """How each education level reads on the page."""
    return {"none": _l("Chưa qua đào tạo"), "primary": _l("Tiểu học"), "lower_secondary": _l("Trung học cơ sở"),
            "upper_secondary": _l("Trung học phổ thông"), "vocational": _l("Trung cấp, sơ cấp nghề"),
            "college": _l("Cao đẳng"), "university": _l("Đại học"), "postgraduate": _l("Sau đại học")}


def get_vacancy(vacancy_id: int) -> Vacancy | None:
    """A vacancy by id with what its page shows, or None (ids beyond the column's range do not exist)."""
    if not 0 < vacancy_id <= MAX_DB_ID:
        return None
    return db.session.scalar(select(Vacancy).where(Vacancy.id == vacancy_id).options(
        joinedload(Vacancy.employer), joinedload(Vacancy.ward), joinedload(Vacancy.occupation),
        selectinload(Vacancy.skill_links)))


# --- places and neighbours, read once per request ------------------------------------------------------------

def areas() -> dict[str, Area]:
    """Every ward as an Area (with its former district's names)."""
    if "search_areas" not in g:
        g.search_areas = {row[0]: Area(*row) for row in db.session.execute(
            select(Ward.code, Ward.full_name_vi, Ward.name_ascii, Ward.district_code, FormerDistrict.name_vi,
                   FormerDistrict.name_ascii).join(FormerDistrict, FormerDistrict.code == Ward.district_code))}
    return g.search_areas


def adjacent_districts() -> frozenset[frozenset[str]]:
    """Pairs of former districts that share a border."""
    if "search_adjacent" not in g:
        g.search_adjacent = frozenset(frozenset(pair) for pair in db.session.execute(
            select(DistrictAdjacency.district_a, DistrictAdjacency.district_b)))
    return g.search_adjacent


def skill_labels(ids, locale: str) -> dict[int, str]:
    """Skill id -> label in the chosen language."""
    ids = set(ids)
    if not ids:
        return {}
    return {s.id: s.label(locale) for s in db.session.scalars(select(Skill).where(Skill.id.in_(ids)))}


def worker_areas(worker: WorkerProfile) -> list[Area]:
    """The worker's residence, then (unless anywhere in Hanoi) the preferred wards."""
    lookup = areas()
    codes = ([worker.ward_code] if worker.ward_code else []) + \
        ([w.code for w in worker.preferred_wards] if not worker.anywhere_in_hanoi else [])
    return [lookup[c] for c in dict.fromkeys(codes) if c in lookup]


def offered_wage(vacancy: Vacancy) -> int | None:
    """The wage the score compares: the top of the range, or its bottom when there is no top."""
    return vacancy.wage_max if vacancy.wage_max is not None else vacancy.wage_min


def _parts_skill_ids(parts: Parts) -> list[int]:
    """Every skill a score's parts name."""
    return parts.matched_required + parts.missing_required + parts.matched_nice


def vacancy_reasons(parts: Parts, vacancy: Vacancy, worker: WorkerProfile, locale: str,
                    labels: dict[int, str] | None = None) -> list[Reason]:
    """Why this vacancy suits this worker."""
    ctx = ReasonContext(direction=VACANCIES_FOR_WORKER,
                        skill_labels=labels if labels is not None else skill_labels(_parts_skill_ids(parts), locale),
                        vacancy_area=areas().get(vacancy.ward_code), worker_areas=worker_areas(worker),
                        adjacent_districts=adjacent_districts(), expected_wage=worker.expected_wage,
                        offered_wage=offered_wage(vacancy), moment=vacancy.published_at, now=service.now())
    return explain(parts, ctx, locale)


def worker_reasons(parts: Parts, vacancy: Vacancy, worker: WorkerProfile, locale: str,
                   labels: dict[int, str] | None = None) -> list[Reason]:
    """Why this worker suits this vacancy."""
    ctx = ReasonContext(direction=WORKERS_FOR_VACANCY,
                        skill_labels=labels if labels is not None else skill_labels(_parts_skill_ids(parts), locale),
                        vacancy_area=areas().get(vacancy.ward_code), worker_areas=worker_areas(worker),
                        adjacent_districts=adjacent_districts(), expected_wage=worker.expected_wage,
                        offered_wage=offered_wage(vacancy), moment=worker.last_active_at, now=service.now())
    return explain(parts, ctx, locale)


# --- vacancy cards ---------------------------------------------------------------------------------------------

@dataclass
class VacancyCard:
    """A vacancy in a result list: the row, its area, and for a logged-in worker the match and its reasons."""

    vacancy: Vacancy
    area: Area | None
    relevance: float | None = None
    distance_km: float | None = None
    match: float | None = None
    parts: Parts | None = None
    reasons: list[Reason] = field(default_factory=list)
    title_marked: str | None = None  # the title with the query's words in <mark> (HTML, escaped)
    snippet_marked: str | None = None  # the description's first lines holding a query word, marked

    @property
    def summary(self) -> str:
        """The reasons in one line."""
        return summary(self.reasons)


def vacancies_by_id(ids: list[int]) -> dict[int, Vacancy]:
    """Vacancies by id with employer, ward and skills; ids the database no longer has are simply absent."""
    if not ids:
        return {}
    rows = db.session.scalars(select(Vacancy).where(Vacancy.id.in_(ids)).options(
        joinedload(Vacancy.employer), joinedload(Vacancy.ward), selectinload(Vacancy.skill_links)))
    return {v.id: v for v in rows}


def _card_labels(parts_list, locale: str) -> dict[int, str]:
    """The labels of every skill named by a page of parts, read at once."""
    ids = set()
    for parts in parts_list:
        if parts is not None:
            ids.update(_parts_skill_ids(parts))
    return skill_labels(ids, locale)


def search_cards(page: service.SearchPage, worker: WorkerProfile | None, locale: str) -> list[VacancyCard]:
    """Cards for a page of search hits, in the engine's order."""
    rows = vacancies_by_id([h.id for h in page.hits])
    weights = service.weights()
    labels = _card_labels([h.parts for h in page.hits], locale)
    cards = []
    for hit in page.hits:
        vacancy = rows.get(hit.id)
        if vacancy is None:
            continue
        card = VacancyCard(vacancy, areas().get(vacancy.ward_code), relevance=hit.score, distance_km=hit.distance_km)
        if page.highlight:
            card.title_marked = mark_words(vacancy.title, page.highlight)
            card.snippet_marked = snippet(vacancy.description, page.highlight)
        if hit.parts is not None and worker is not None:
            card.parts, card.match = hit.parts, hit.parts.total(weights)
            card.reasons = vacancy_reasons(hit.parts, vacancy, worker, locale, labels)
        cards.append(card)
    return cards


def match_cards(page: service.MatchPage, worker: WorkerProfile, locale: str) -> list[VacancyCard]:
    """Cards for a worker's best vacancies, in the engine's order."""
    rows = vacancies_by_id([m.id for m in page.matches])
    labels = _card_labels([m.parts for m in page.matches], locale)
    cards = []
    for m in page.matches:
        vacancy = rows.get(m.id)
        if vacancy is None:
            continue
        cards.append(VacancyCard(vacancy, areas().get(vacancy.ward_code), match=m.score, parts=m.parts,
                                 distance_km=m.parts.distance_km,
                                 reasons=vacancy_reasons(m.parts, vacancy, worker, locale, labels)))
    return cards


def detail_match(vacancy: Vacancy, worker: WorkerProfile | None, locale: str) -> VacancyCard | None:
    """'Why this matches you' for a worker on an open vacancy's page."""
    if worker is None or not can(worker.user, "vacancy.apply", vacancy):
        return None
    match = service.explain_match(worker.id, vacancy.id)
    if match is None:
        return None
    return VacancyCard(vacancy, areas().get(vacancy.ward_code), match=match.score, parts=match.parts,
                       distance_km=match.parts.distance_km,
                       reasons=vacancy_reasons(match.parts, vacancy, worker, locale))


def application_of(worker: WorkerProfile | None, vacancy: Vacancy) -> Application | None:
    """The worker's application to the vacancy, if any."""
    if worker is None:
        return None
    return db.session.scalar(select(Application).where(Application.vacancy_id == vacancy.id,
                                                       Application.worker_id == worker.id))


# --- candidate cards -------------------------------------------------------------------------------------------

def display_name(full_name: str) -> str:
    """What an employer sees before contact: initials of the family and middle names, then the given name."""
    words = (full_name or "").split()
    if not words:
        return ""
    return " ".join([w[0].upper() + "." for w in words[:-1]] + [words[-1]])


@dataclass
class CandidateCard:
    """A worker in an employer's list: only what matching needs; contact details only with the contact right."""

    worker_id: int
    display_name: str
    area: Area | None
    skills: list[tuple[int, str, bool]]  # (id, label, wanted by the vacancy)
    experience_years: int
    education_level: str | None
    score: float
    parts: Parts
    reasons: list[Reason]
    contact: dict | None  # {"full_name", "phone", "email"} once the worker applied or accepted an invitation
    applied: bool = False
    invitation: str | None = None  # the invitation's status, if invited

    @property
    def summary(self) -> str:
        """The reasons in one line."""
        return summary(self.reasons)


def candidate_cards(page: service.MatchPage, vacancy: Vacancy, viewer, locale: str) -> list[CandidateCard]:
    """Cards for a vacancy's best candidates, in the engine's order, as the viewer may see them."""
    ids = [m.id for m in page.matches]
    if not ids:
        return []
    workers = {w.id: w for w in db.session.scalars(select(WorkerProfile).where(WorkerProfile.id.in_(ids)).options(
        selectinload(WorkerProfile.skills), selectinload(WorkerProfile.preferred_wards),
        joinedload(WorkerProfile.user)))}
    applied = set(db.session.scalars(select(Application.worker_id).where(
        Application.vacancy_id == vacancy.id, Application.worker_id.in_(ids),
        Application.status != ApplicationStatus.WITHDRAWN.value)))
    invited = dict(db.session.execute(select(Invitation.worker_id, Invitation.status).where(
        Invitation.vacancy_id == vacancy.id, Invitation.worker_id.in_(ids))).all())
    wanted = {link.skill_id for link in vacancy.skill_links}
    labels = _card_labels([m.parts for m in page.matches], locale)
    cards = []
    for m in page.matches:
        worker = workers.get(m.id)
        if worker is None:
            continue
        contact = None
        if can(viewer, "worker.contact", worker):
            contact = {"full_name": worker.full_name, "phone": worker.phone, "email": worker.contact_email}
        skills = sorted(((s.id, s.label(locale), s.id in wanted) for s in worker.skills),
                        key=lambda t: (not t[2], t[1]))
        cards.append(CandidateCard(
            worker_id=worker.id, display_name=display_name(worker.full_name), area=areas().get(worker.ward_code),
            skills=skills, experience_years=worker.experience_years or 0, education_level=worker.education_level,
            score=m.score, parts=m.parts, reasons=worker_reasons(m.parts, vacancy, worker, locale, labels),
            contact=contact, applied=worker.id in applied, invitation=invited.get(worker.id)))
    return cards


def profile_gaps(worker: WorkerProfile | None) -> list[str]:
    """What a worker's profile lacks for matching: 'profile' (none yet), 'skills', 'ward'."""
    if worker is None:
        return ["profile"]
    gaps = []
    if not worker.skills:
        gaps.append("skills")
    if not worker.ward_code:
        gaps.append("ward")
    return gaps


def mark_words(text: str | None, folded: set[str]):
    """The text, HTML-escaped, with every syllable whose folded form is in `folded` wrapped in <mark>."""
    import re

    from markupsafe import Markup, escape

    from .relevance import syllables

    out = []
    for piece in re.split(r"([^\W_]+)", text or ""):
        found = syllables(piece) if piece else []
        if len(found) == 1 and found[0].folded in folded:
            out.append(Markup("<mark>") + escape(piece) + Markup("</mark>"))
        else:
            out.append(escape(piece))
    return Markup("").join(out)


def snippet(description: str | None, folded: set[str], length: int = 180):
    """The first line of the description that holds a query word, cut to `length` characters and marked; None if
    no line does."""
    from .relevance import syllables

    for line in (description or "").splitlines():
        if any(s.folded in folded for s in syllables(line)):
            return mark_words(line if len(line) <= length else line[:length].rsplit(" ", 1)[0] + " …", folded)
    return None
