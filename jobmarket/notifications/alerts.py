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
MATCH_LIMIT = 200  # "match me": the best this many job seekers of each new vacancy
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


def _vacancy_words(vacancy: Vacancy, skill_labels: list[str]) -> set[str]:
    """Every folded word of a vacancy's title, description, skills and occupation."""
    parts = [vacancy.title, vacancy.description or "", *skill_labels]
    return set(fold_tokens(" ".join(parts)))


def _search_hits(vacancy: Vacancy, words: set[str], district: str | None) -> list[JobAlert]:
    """The active saved searches a vacancy satisfies: the lead word among its words (or no words), every filter,
    then every word."""
    wage = vacancy.wage_max if vacancy.wage_max is not None else vacancy.wage_min
    stmt = select(JobAlert).where(
        JobAlert.kind == "search", JobAlert.is_active.is_(True),
        or_(JobAlert.lead_word.in_(list(words)) if words else False, JobAlert.lead_word.is_(None)),
        or_(JobAlert.ward_code.is_(None), JobAlert.ward_code == vacancy.ward_code),
        or_(JobAlert.district_code.is_(None), JobAlert.district_code == district),
        or_(JobAlert.job_type.is_(None), JobAlert.job_type == vacancy.job_type),
        or_(JobAlert.min_wage.is_(None), JobAlert.min_wage <= (wage or 0)))
    return [a for a in db.session.scalars(stmt) if all(w in words for w in a.words.split())]


def _reasons(parts, matched_words: list[str]) -> list[dict]:
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


def match_vacancy(vacancy_id: int, match_alerts: dict[int, int], now: datetime) -> int:
    """Record the alert hits of one new vacancy (saved searches and "match me"); returns how many. The caller
    commits."""
    from ..search import service
    from ..search.facts import load_vacancies, load_workers
    from ..search.scoring import score_parts

    vacancy = db.session.get(Vacancy, vacancy_id)
    labels = list(db.session.scalars(select(Skill.label_vi).join(VacancySkill, VacancySkill.skill_id == Skill.id)
                                     .where(VacancySkill.vacancy_id == vacancy_id)))
    district = db.session.scalar(select(Ward.district_code).where(Ward.code == vacancy.ward_code))
    words = _vacancy_words(vacancy, labels)
    found: dict[int, tuple[int, float, list[dict]]] = {}  # worker -> (alert, score, reasons)
    searches = _search_hits(vacancy, words, district)
    if searches:
        weights, facts = service.weights(), load_vacancies([vacancy_id])[vacancy_id]
        workers = load_workers({a.worker_id for a in searches})
        for alert in searches:
            worker = workers.get(alert.worker_id)
            if worker is None:
                continue
            parts = score_parts(worker, facts, weights, now, "vacancies_for_worker")
            score = parts.total(weights)
            if alert.worker_id not in found or found[alert.worker_id][1] < score:
                found[alert.worker_id] = (alert.id, score, _reasons(parts, alert.words.split()))
    if match_alerts:
        weights = service.weights()
        for match in service.match_workers_for_vacancy(vacancy_id, limit=MATCH_LIMIT).matches:
            alert_id = match_alerts.get(match.id)
            if alert_id is None or match.score < MATCH_MIN_SCORE or match.id in found:
                continue
            found[match.id] = (alert_id, match.score, _reasons(match.parts, []) if match.parts else [])
    if found:
        already = set(db.session.scalars(select(AlertHit.worker_id).where(AlertHit.vacancy_id == vacancy_id)))
        db.session.add_all(AlertHit(alert_id=a, worker_id=w, vacancy_id=vacancy_id, score=s,
                                    reasons=json.dumps(r), created_at=now)
                           for w, (a, s, r) in found.items() if w not in already)
    db.session.add(AlertedVacancy(vacancy_id=vacancy_id, matched_at=now))
    return len(found)


def active_match_alerts() -> dict[int, int]:
    """worker id -> alert id of every active "match me" alert of a job seeker still seeking."""
    return dict(db.session.execute(select(JobAlert.worker_id, JobAlert.id)
                                   .join(WorkerProfile, WorkerProfile.id == JobAlert.worker_id)
                                   .where(JobAlert.kind == "match", JobAlert.is_active.is_(True),
                                          WorkerProfile.is_seeking.is_(True))).all())


def match_new(now: datetime | None = None, progress=None, batch: int = 50) -> RunReport:
    """Match every new vacancy against the alerts, committing every `batch` vacancies."""
    now = now or utcnow()
    report = RunReport()
    ids = new_vacancies()
    match_alerts = active_match_alerts()
    for n, vacancy_id in enumerate(ids, 1):
        report.hits += match_vacancy(vacancy_id, match_alerts, now)
        report.vacancies += 1
        if n % batch == 0:
            db.session.commit()
        if progress:
            progress(1)
    db.session.commit()
    return report


def _due_workers(now: datetime) -> list[int]:
    """Job seekers with unsent hits whose alert is due (daily: last sent 20 h ago; weekly: a week)."""
    rows = db.session.execute(
        select(AlertHit.worker_id, func.min(JobAlert.frequency), func.max(JobAlert.last_sent_at))
        .join(JobAlert, JobAlert.id == AlertHit.alert_id).where(AlertHit.sent_at.is_(None))
        .group_by(AlertHit.worker_id)).all()
    # min(frequency): 'daily' < 'weekly', so a person with any daily alert is sent daily
    return [w for w, freq, last in rows if last is None or last <= now - DUE_AFTER[freq]]


def send_due(now: datetime | None = None, progress=None, batch: int = 500) -> int:
    """Queue one message per due job seeker with their best PER_MESSAGE unsent hits; the rest are dropped
    (marked sent) so that old vacancies never arrive late. Returns the number of messages."""
    from .events import notify

    now = now or utcnow()
    workers = _due_workers(now)
    sent = 0
    for start in range(0, len(workers), batch):
        chunk = workers[start:start + batch]
        hits: dict[int, list[AlertHit]] = defaultdict(list)
        for hit in db.session.scalars(select(AlertHit).where(AlertHit.worker_id.in_(chunk), AlertHit.sent_at.is_(None))
                                      .order_by(AlertHit.worker_id, AlertHit.score.desc(), AlertHit.id)):
            hits[hit.worker_id].append(hit)
        users = dict(db.session.execute(select(WorkerProfile.id, WorkerProfile.user_id)
                                        .where(WorkerProfile.id.in_(chunk))).all())
        for worker_id, worker_hits in hits.items():
            best = worker_hits[:PER_MESSAGE]
            notify(users[worker_id], "job_alert", key=f"alert:{worker_id}:{now:%Y%m%d%H}",
                   vacancies=[{"id": h.vacancy_id, "score": round(h.score, 4), "reasons": json.loads(h.reasons)}
                              for h in best])
            sent += 1
            if progress:
                progress(1)
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
