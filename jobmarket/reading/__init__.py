"""The reader of job text: skills, occupation, wage, experience, job type, education and ward from a title,
a description and an address. It proposes; a person confirms. What it cannot read it leaves empty.

Public API (stable):
    read_text(title=None, description=None, address=None, snapshot=None, geo_index=None, usd_rate=None) -> Reading
    read_with(snapshot, title, description, address, resolve=None, usd_rate=...) -> Reading   (pure, no app)
    Reading, SkillMention, get_snapshot(), clear_cache(), build_snapshot(...)
Spans are character offsets into the field's text after NFC normalisation (text.nfc), nothing else changed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..text import nfc
from .facts import DEFAULT_USD_VND, read_education, read_experience, read_job_type, read_wage
from .occupation import propose_occupation
from .phrases import unmatched_phrases
from .skills import SkillMention, find_skills, tokenize
from .vocab import Snapshot, build_snapshot, clear_cache, get_snapshot, snapshot_from_db

__all__ = ["Reading", "SkillMention", "Snapshot", "build_snapshot", "clear_cache", "get_snapshot", "read_text",
           "read_with", "snapshot_from_db"]


@dataclass(frozen=True)
class Reading:
    """What the reader proposes for one text. Every field may be empty: it never invents."""

    skills: tuple[SkillMention, ...] = ()
    occupation_code: str | None = None
    occupation_top3: tuple[tuple[str, float], ...] = ()
    occupation_confidence: float = 0.0
    wage_min: int | None = None
    wage_max: int | None = None
    wage_negotiable: bool = False
    wage_currency: str | None = None      # currency as written ("USD" amounts are converted to VND)
    wage_period: str | None = None        # "month", or "hour"/"day"/"shift"/"year" when the text says so
    experience_years: float | int | None = None
    experience_max_years: float | int | None = None
    job_type: str | None = None           # full_time, part_time, shift, seasonal (models.workers.JOB_TYPES)
    education_level: str | None = None    # models.workers.EDUCATION_LEVELS
    ward_code: str | None = None
    ward_choices: tuple[str, ...] = ()
    address_status: str = "empty"         # geo.resolve statuses: resolved, choose, not_found, empty
    unmatched: tuple[tuple[str, str], ...] = ()  # (folded, as written) requirement items that matched no skill

    @property
    def skill_ids(self) -> list[int]:
        """Distinct skill ids, in order of first mention."""
        return list(dict.fromkeys(m.skill_id for m in self.skills))

    @property
    def skill_labels(self) -> list[str]:
        """Distinct Vietnamese skill labels, in order of first mention."""
        return list(dict.fromkeys(m.label_vi for m in self.skills))

    def to_json(self) -> dict:
        """The dict `flask text read` prints: stable keys, JSON-ready values."""
        return {
            "skills": self.skill_labels,
            "skill_ids": self.skill_ids,
            "skill_mentions": [{"skill_id": m.skill_id, "label": m.label_vi, "field": m.field,
                                "span": list(m.span), "text": m.text} for m in self.skills],
            "occupation_code": self.occupation_code,
            "occupation_top3": [[code, conf] for code, conf in self.occupation_top3],
            "occupation_confidence": self.occupation_confidence,
            "wage_min": self.wage_min,
            "wage_max": self.wage_max,
            "wage_negotiable": self.wage_negotiable,
            "wage_currency": self.wage_currency,
            "wage_period": self.wage_period,
            "experience_years": self.experience_years,
            "experience_max_years": self.experience_max_years,
            "job_type": self.job_type,
            "education_level": self.education_level,
            "ward_code": self.ward_code,
            "ward_choices": list(self.ward_choices),
            "address_status": self.address_status,
        }


def _place(resolve: Callable | None, address: str | None, description: str | None) -> tuple[str | None, tuple, str]:
    """Ward code, ward choices and status from the address (the description is not read for places)."""
    if resolve is None or not address:
        return None, (), "empty"
    resolution = resolve(address)
    codes = tuple(c.code for c in resolution.candidates)
    if resolution.status == "resolved" and codes:
        return codes[0], codes, resolution.status
    return None, codes, resolution.status


def read_with(snapshot: Snapshot, title: str | None = None, description: str | None = None,
              address: str | None = None, resolve: Callable | None = None,
              usd_rate: int = DEFAULT_USD_VND) -> Reading:
    """Read one text against a given vocabulary snapshot; resolve(address) -> geo Resolution (None: no place)."""
    title = nfc(title or "")
    description = nfc(description or "")
    title_words, description_words = tokenize(title), tokenize(description)
    mentions = find_skills(snapshot, title, "title", title_words) + \
        find_skills(snapshot, description, "description", description_words)
    top3 = propose_occupation(snapshot, title, description, mentions, title_words, description_words)
    both = f"{title}\n{description}" if title and description else (title or description)
    wage = read_wage(both, usd_rate)
    exp_min, exp_max = read_experience(both)
    ward, choices, status = _place(resolve, address, description)
    return Reading(
        skills=tuple(mentions),
        occupation_code=top3[0][0] if top3 else None,
        occupation_top3=tuple(top3),
        occupation_confidence=top3[0][1] if top3 else 0.0,
        wage_min=wage.minimum, wage_max=wage.maximum, wage_negotiable=wage.negotiable,
        wage_currency=wage.currency, wage_period=wage.period,
        experience_years=exp_min, experience_max_years=exp_max,
        job_type=read_job_type(title, description),
        education_level=read_education(both),
        ward_code=ward, ward_choices=choices, address_status=status,
        unmatched=tuple(unmatched_phrases(description, mentions)),
    )


def read_text(title: str | None = None, description: str | None = None, address: str | None = None,
              snapshot: Snapshot | None = None, geo_index=None, usd_rate: int | None = None) -> Reading:
    """Read a title, a description and an address inside the app (vocabulary and geography from its database)."""
    from flask import current_app

    from ..geo.resolve import resolve_address

    snapshot = snapshot or get_snapshot()
    rate = usd_rate or int(current_app.config.get("READING_USD_VND", DEFAULT_USD_VND))
    return read_with(snapshot, title, description, address,
                     resolve=lambda text: resolve_address(text, geo_index), usd_rate=rate)
