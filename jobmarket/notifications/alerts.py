"""Job alerts: saved searches and "vacancies that match me", matched once per new vacancy and sent daily or weekly.

Matching goes from each new vacancy to the job seekers (never seeker by seeker): a saved search is found by its
longest word (`job_alerts.lead_word`, indexed) among the vacancy's words, plus the filters in SQL; "match me"
alerts come from the search backend's workers-for-a-vacancy ranking. Every find is an `alert_hits` row, unique per
(job seeker, vacancy), so no vacancy is ever sent to the same person twice. Sending takes each due person's best 10
unsent hits (by match score) into one message, with the reasons.
"""
from __future__ import annotations

import json
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update

from ..extensions import db
from ..models import (AlertedVacancy, AlertHit, Employer, JobAlert, Skill, Vacancy, VacancySkill, Ward,
                      WorkerProfile)
from ..models._common import utcnow
from ..text import clean, fold_tokens

log = logging.getLogger(__name__)
PER_MESSAGE = 10
MATCH_LIMIT = 100  # "match me": the best this many job seekers of each new vacancy
MATCH_MIN_SCORE = 0.45
FREQUENCIES = ("daily", "weekly")
DUE_AFTER = {"daily": timedelta(hours=20), "weekly": timedelta(days=6, hours=20)}
STOP_WORDS = frozenset({"va", "cho", "tai", "cua", "the", "and", "of", "in", "viec", "lam"})


class AlertError(ValueError):
    """A saved search that cannot be kept; the message is for the user."""


@dataclass
class RunReport:
    """What one `alerts send` did."""

    vacancies: int = 0
    hits: int = 0
    messages: int = 0


def query_words(q: str) -> list[str]:
    """The folded words a saved search needs in a vacancy (stop words and one-letter words dropped)."""
    words = [w for w in dict.fromkeys(fold_tokens(q)) if len(w) > 1 and w not in STOP_WORDS]
    return words[:12]


def save_search(profile: WorkerProfile, *, q: str = "", ward_code: str | None = None, district_code: str | None = None,
                job_type: str | None = None, min_wage: int | None = None, frequency: str = "daily") -> JobAlert:
    """Save a search as an alert; commits. AlertError when it has neither words nor a filter."""
    q = clean(q)[:200]
    words = query_words(q)
    if frequency not in FREQUENCIES:
        raise AlertError(_("Tần suất không hợp lệ."))
    if not words and not (ward_code or district_code or job_type or min_wage):
        raise AlertError(_("Hãy nhập từ khóa hoặc chọn ít nhất một bộ lọc cho thông báo việc làm."))
    count = db.session.scalar(select(func.count(JobAlert.id)).where(JobAlert.worker_id == profile.id))
    if count >= 20:
        raise AlertError(_("Bạn đã có 20 thông báo việc làm; hãy xóa bớt trước khi thêm."))
    alert = JobAlert(worker_id=profile.id, kind="search", q=q, words=" ".join(words),
                     lead_word=max(words, key=len) if words else None, ward_code=ward_code or None,
                     district_code=district_code or None, job_type=job_type or None, min_wage=min_wage or None,
                     frequency=frequency, is_active=True)
    db.session.add(alert)
    db.session.commit()
    return alert


def set_match_alert(profile: WorkerProfile, on: bool, frequency: str = "daily") -> JobAlert | None:
    """Turn "vacancies that match me" on or off; commits."""
    alert = db.session.scalar(select(JobAlert).where(JobAlert.worker_id == profile.id, JobAlert.kind == "match"))
    if frequency not in FREQUENCIES:
        raise AlertError(_("Tần suất không hợp lệ."))
    if alert is None and on:
        alert = JobAlert(worker_id=profile.id, kind="match", frequency=frequency, is_active=True)
        db.session.add(alert)
    elif alert is not None:
        alert.is_active, alert.frequency = on, frequency
    db.session.commit()
    return alert


def delete_alert(profile: WorkerProfile, alert_id: int) -> bool:
    """Delete one of the person's alerts; commits."""
    alert = db.session.get(JobAlert, alert_id)
    if alert is None or alert.worker_id != profile.id:
        return False
    db.session.delete(alert)
    db.session.commit()
    return True


def new_vacancies(limit: int | None = None) -> list[int]:
    """Open vacancies of verified employers not yet matched against the alerts, oldest first."""
    stmt = (select(Vacancy.id).join(Employer, Employer.id == Vacancy.employer_id)
            .outerjoin(AlertedVacancy, AlertedVacancy.vacancy_id == Vacancy.id)
            .where(Vacancy.status == "open", Employer.status == "verified", AlertedVacancy.vacancy_id.is_(None))
            .order_by(Vacancy.id))
    if limit:
        stmt = stmt.limit(limit)
    return list(db.session.scalars(stmt))


class SearchIndex:
    """Every active saved search in memory, found by its lead word: vacancy words -> the searches to check."""

    def __init__(self, rows):
        self.by_word: dict[str | None, list[tuple]] = defaultdict(list)
        self.worker_ids: set[int] = set()
        for row in rows:  # (id, worker_id, words, lead_word, ward_code, district_code, job_type, min_wage)
            self.by_word[row[3]].append((row[0], row[1], tuple(row[2].split()), row[4], row[5], row[6], row[7]))
            self.worker_ids.add(row[1])

    @classmethod
    def load(cls) -> "SearchIndex":
        """The active saved searches of job seekers still seeking."""
        return cls(db.session.execute(
            select(JobAlert.id, JobAlert.worker_id, JobAlert.words, JobAlert.lead_word, JobAlert.ward_code,
                   JobAlert.district_code, JobAlert.job_type, JobAlert.min_wage)
            .join(WorkerProfile, WorkerProfile.id == JobAlert.worker_id)
            .where(JobAlert.kind == "search", JobAlert.is_active.is_(True), WorkerProfile.is_seeking.is_(True))).all())

    def matching(self, words: set[str], ward: str, district: str | None, job_type: str, wage: int | None):
        """(alert id, worker id, words) of the searches a vacancy satisfies: every word and every filter."""
        for lead in (*words, None):
            for alert_id, worker_id, need, a_ward, a_district, a_type, a_wage in self.by_word.get(lead, ()):
                if ((a_ward is None or a_ward == ward) and (a_district is None or a_district == district)
                        and (a_type is None or a_type == job_type) and (a_wage is None or a_wage <= (wage or 0))
                        and all(w in words for w in need)):
                    yield alert_id, worker_id, need


def _reasons(parts, matched_words) -> list[dict]:
    """Why a vacancy was picked, as codes the message puts in the reader's language."""
    out = []
    if matched_words:
        out.append({"k": "words", "q": " ".join(matched_words)})
    total = len(parts.matched_required) + len(parts.missing_required)
    if total:
        out.append({"k": "skills", "n": len(parts.matched_required), "of": total})
    if parts.distance_km is not None:
        out.append({"k": "km", "v": round(parts.distance_km, 1)})
    if parts.wage >= 0.99:
        out.append({"k": "wage"})
    return out


@dataclass
class _Vacancy:
    id: int
    words: set
    ward: str
    district: str | None
    job_type: str
    wage: int | None


def _load_new(ids: list[int]) -> list[_Vacancy]:
    """Words, place, type and wage of the new vacancies (titles, descriptions and skill names, folded)."""
    labels: dict[int, list[str]] = defaultdict(list)
    out = []
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        for vid, label in db.session.execute(select(VacancySkill.vacancy_id, Skill.label_vi)
                                             .join(Skill, Skill.id == VacancySkill.skill_id)
                                             .where(VacancySkill.vacancy_id.in_(chunk))):
            labels[vid].append(label)
        for vid, title, description, ward, district, job_type, wmin, wmax in db.session.execute(
                select(Vacancy.id, Vacancy.title, Vacancy.description, Vacancy.ward_code, Ward.district_code,
                       Vacancy.job_type, Vacancy.wage_min, Vacancy.wage_max)
                .outerjoin(Ward, Ward.code == Vacancy.ward_code).where(Vacancy.id.in_(chunk))):
            words = set(fold_tokens(" ".join([title or "", description or "", *labels[vid]])))
            out.append(_Vacancy(vid, words, ward, district, job_type, wmax if wmax is not None else wmin))
    return sorted(out, key=lambda v: v.id)


def match_new(now: datetime | None = None, progress=None) -> RunReport:
    """Match every new vacancy against the alerts (vacancy -> job seekers), keep each person's best PER_MESSAGE
    finds of the run, and write them with the vacancies' "matched" marks in one transaction."""
    import heapq

    from ..search import service
    from ..search.facts import load_vacancies, load_workers
    from ..search.scoring import score_parts

    now = now or utcnow()
    report = RunReport()
    ids = new_vacancies()
    if not ids:
        return report
    index = SearchIndex.load()
    match_alerts = active_match_alerts()
    weights = service.weights()
    vacancy_facts = load_vacancies(ids)
    worker_facts = load_workers(index.worker_ids) if index.worker_ids else {}
    best: dict[int, list] = defaultdict(list)  # worker -> min-heap of (score, vacancy, alert, reasons)

    def keep(worker_id: int, entry: tuple) -> None:
        heap = best[worker_id]
        if len(heap) < PER_MESSAGE:
            heapq.heappush(heap, entry)
        elif entry[0] > heap[0][0]:
            heapq.heapreplace(heap, entry)

    for vacancy in _load_new(ids):
        facts = vacancy_facts.get(vacancy.id)
        found: dict[int, tuple] = {}
        if facts is not None:
            for alert_id, worker_id, words in index.matching(vacancy.words, vacancy.ward, vacancy.district,
                                                             vacancy.job_type, vacancy.wage):
                worker = worker_facts.get(worker_id)
                if worker is None:
                    continue
                parts = score_parts(worker, facts, weights, now, "vacancies_for_worker")
                score = parts.total(weights)
                if worker_id not in found or found[worker_id][0] < score:
                    found[worker_id] = (score, vacancy.id, alert_id, parts, words)
        if match_alerts:
            for match in service.match_workers_for_vacancy(vacancy.id, limit=MATCH_LIMIT).matches:
                alert_id = match_alerts.get(match.id)
                if alert_id is not None and match.score >= MATCH_MIN_SCORE and match.id not in found:
                    found[match.id] = (match.score, vacancy.id, alert_id, match.parts, ())
        for worker_id, (score, vid, alert_id, parts, words) in found.items():
            keep(worker_id, (score, vid, alert_id, worker_id, parts, words))
        report.hits += len(found)
        report.vacancies += 1
        if progress:
            progress(1)
    rows = [{"alert_id": a, "worker_id": w, "vacancy_id": v, "score": float(sc), "created_at": now,
             "reasons": json.dumps(_reasons(parts, words)) if parts is not None else "[]"}
            for heap in best.values() for sc, v, a, w, parts, words in heap]
    for start in range(0, len(rows), 5000):
        db.session.execute(AlertHit.__table__.insert(), rows[start:start + 5000])
    for start in range(0, len(ids), 5000):
        db.session.execute(AlertedVacancy.__table__.insert(),
                           [{"vacancy_id": v, "matched_at": now} for v in ids[start:start + 5000]])
    db.session.commit()
    return report


def active_match_alerts() -> dict[int, int]:
    """worker id -> alert id of every active "match me" alert of a job seeker still seeking."""
    return dict(db.session.execute(select(JobAlert.worker_id, JobAlert.id)
                                   .join(WorkerProfile, WorkerProfile.id == JobAlert.worker_id)
                                   .where(JobAlert.kind == "match", JobAlert.is_active.is_(True),
                                          WorkerProfile.is_seeking.is_(True))).all())


def _due_workers(now: datetime) -> list[int]:
    """Job seekers with unsent hits whose alert is due (daily: last sent 20 h ago; weekly: a week)."""
    rows = db.session.execute(
        select(AlertHit.worker_id, func.min(JobAlert.frequency), func.max(JobAlert.last_sent_at))
        .join(JobAlert, JobAlert.id == AlertHit.alert_id).where(AlertHit.sent_at.is_(None))
        .group_by(AlertHit.worker_id)).all()
    # min(frequency): 'daily' < 'weekly', so a person with any daily alert is sent daily
    return [w for w, freq, last in rows if last is None or last <= now - DUE_AFTER[freq]]


def send_due(now: datetime | None = None, progress=None, batch: int = 2000) -> int:
    """Queue one message per due job seeker with their best PER_MESSAGE unsent hits; the rest are dropped
    (marked sent) so that old vacancies never arrive late. Returns the number of messages."""
    from .events import notify_many

    now = now or utcnow()
    workers = _due_workers(now)
    sent = 0
    for start in range(0, len(workers), batch):
        chunk = workers[start:start + batch]
        hits: dict[int, list[tuple]] = defaultdict(list)
        for worker_id, vacancy_id, score, reasons in db.session.execute(
                select(AlertHit.worker_id, AlertHit.vacancy_id, AlertHit.score, AlertHit.reasons)
                .where(AlertHit.worker_id.in_(chunk), AlertHit.sent_at.is_(None))
                .order_by(AlertHit.worker_id, AlertHit.score.desc(), AlertHit.id)):
            hits[worker_id].append((vacancy_id, score, reasons))
        users = dict(db.session.execute(select(WorkerProfile.id, WorkerProfile.user_id)
                                        .where(WorkerProfile.id.in_(chunk))).all())
        items = [(users[w], f"alert:{w}:{now:%Y%m%d%H}",
                  {"vacancies": [{"id": v, "score": round(sc, 4), "reasons": json.loads(r)}
                                 for v, sc, r in found[:PER_MESSAGE]]})
                 for w, found in hits.items()]
        notify_many("job_alert", items)
        sent += len(items)
        if progress:
            progress(len(items))
        db.session.execute(update(AlertHit).where(AlertHit.worker_id.in_(chunk), AlertHit.sent_at.is_(None))
                           .values(sent_at=now))
        db.session.execute(update(JobAlert).where(JobAlert.worker_id.in_(chunk), JobAlert.is_active.is_(True))
                           .values(last_sent_at=now))
        db.session.commit()
    return sent


def run(now: datetime | None = None, progress=None) -> RunReport:
    """The daily run: match new vacancies, then send what is due."""
    now = now or utcnow()
    report = match_new(now, progress)
    report.messages = send_due(now, progress)
    return report


def reason_text(reason: dict) -> str:
    """One reason in the current language."""
    kind = reason.get("k")
    if kind == "words":
        return _("khớp “%(q)s”", q=reason.get("q", ""))
    if kind == "skills":
        return _("có %(n)d/%(of)d kỹ năng yêu cầu", n=int(reason.get("n", 0)), of=int(reason.get("of", 0)))
    if kind == "km":
        return _("cách %(km)s km", km=f"{float(reason.get('v', 0)):.1f}")
    if kind == "wage":
        return _("lương đạt mức bạn mong muốn")
    return ""


def vacancies_for_message(items: list[dict], session=None) -> list[dict]:
    """The alert message's list: title, employer, place, score and reasons of each vacancy, in the current
    language (no contact data: the vacancy page has what the employer chose to publish)."""
    from ..geo.labels import ward_label

    session = session if session is not None else db.session
    ids = [i["id"] for i in items]
    rows = {v.id: v for v in session.scalars(select(Vacancy).where(Vacancy.id.in_(ids)))}
    out = []
    for item in items:
        vacancy = rows.get(item["id"])
        if vacancy is None:
            continue
        try:
            url = url_for("search.vacancy_detail", vacancy_id=vacancy.id, _external=True)
        except Exception:
            url = current_app.config["PUBLIC_URL"]
        ward = session.get(Ward, vacancy.ward_code) if vacancy.ward_code else None
        out.append({"title": vacancy.title, "employer": vacancy.employer.name, "url": url,
                    "place": ward_label(ward) if ward is not None else "",
                    "score_pct": int(round(100 * float(item.get("score", 0)))),
                    "reasons": [t for t in (reason_text(r) for r in item.get("reasons", [])) if t]})
    return out
