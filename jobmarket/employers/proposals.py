"""What the reader of job text proposes for a form: skills, occupation, wage, ward and the rest, shown to be confirmed.

The reader (jobmarket.reading) returns what it could read from a title, a description and an address; this module
turns that into values a vacancy form, a profile form or an import row can take, with the evidence for each (the
words of the text a skill came from) so that the person deciding sees why. Nothing here saves anything.
Only what matching needs is proposed: never a phone number, an email or a name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..i18n import current_locale
from ..models import Occupation, Skill, Ward
from ..models.workers import EDUCATION_LEVELS, JOB_TYPES
from ..text import nfc

MAX_TEXT = 20_000  # characters read from one text (a CV or a pasted posting); the rest is ignored


@dataclass
class SkillProposal:
    """One skill of the vocabulary and the words of the text it was read from."""

    id: int
    label: str
    evidence: str = ""


@dataclass
class Proposal:
    """Everything the reader proposes for one text; empty fields are what it could not read."""

    skills: list[SkillProposal] = field(default_factory=list)
    occupation_code: str | None = None
    occupation_label: str = ""
    occupation_top3: list[tuple[str, str]] = field(default_factory=list)  # (code, label)
    occupation_confidence: float | None = None
    wage_min: int | None = None
    wage_max: int | None = None
    experience_years: int | None = None
    job_type: str | None = None
    education_level: str | None = None
    ward_code: str | None = None
    ward_label: str = ""
    ward_name: str = ""  # the 2025 name alone ("Phường Cầu Giấy"), for an address field
    ward_choices: list[tuple[str, str]] = field(default_factory=list)  # (code, label) when the place is ambiguous
    ward_names: dict[str, str] = field(default_factory=dict)  # code -> 2025 name, for the choices

    @property
    def skill_ids(self) -> list[int]:
        """The proposed skills' ids, in the order read."""
        return [s.id for s in self.skills]

    def is_empty(self) -> bool:
        """True when the reader found nothing at all."""
        return not (self.skills or self.occupation_code or self.wage_min or self.wage_max
                    or self.experience_years is not None or self.job_type or self.education_level
                    or self.ward_code or self.ward_choices)

    def to_json(self) -> dict:
        """The proposal as the fill-from-text endpoints answer it."""
        return {
            "skills": [{"id": s.id, "label": s.label, "evidence": s.evidence} for s in self.skills],
            "occupation": ({"code": self.occupation_code, "label": self.occupation_label,
                            "confidence": self.occupation_confidence} if self.occupation_code else None),
            "occupation_top3": [{"code": c, "label": label} for c, label in self.occupation_top3],
            "wage_min": self.wage_min, "wage_max": self.wage_max, "experience_years": self.experience_years,
            "job_type": self.job_type, "education_level": self.education_level,
            "ward": ({"code": self.ward_code, "label": self.ward_label, "name": self.ward_name}
                     if self.ward_code else None),
            "ward_choices": [{"code": c, "label": label, "name": self.ward_names.get(c, "")}
                             for c, label in self.ward_choices],
            "empty": self.is_empty(),
        }


def _get(obj: Any, *names: str, default: Any = None) -> Any:
    """The first of names that obj has (attribute or key) and that is not None."""
    for name in names:
        value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
        if value is not None:
            return value
    return default


def _int(value: Any) -> int | None:
    """A whole number, or None."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(round(float(value)))
    except (TypeError, ValueError):
        return None


def _code(value: Any) -> str | None:
    """A code from a plain value, a (code, score) pair or an object with a code."""
    if value is None:
        return None
    if isinstance(value, (tuple, list)):
        return _code(value[0]) if value else None
    if isinstance(value, (str, int)):
        return str(value) or None
    return _code(_get(value, "code", "ward_code", "occupation_code"))


def _evidence(item: Any, text: str) -> str:
    """The words of text a skill was read from (the reader gives a span, or the words themselves)."""
    words = _get(item, "text", "matched", "phrase")
    if isinstance(words, str) and words:
        return words
    span = _get(item, "span")
    start, end = (span if isinstance(span, (tuple, list)) and len(span) == 2 else
                  (_get(item, "start"), _get(item, "end")))
    if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
        return text[start:end]
    return ""


_PLACE_LINE = re.compile(r"(?:địa chỉ(?: nơi)?(?: làm việc)?|nơi làm việc|địa điểm(?: làm việc)?|làm việc tại|văn phòng|trụ sở|chỗ ở|"
                         r"nơi ở|hiện ở|address|location|work(?:ing)? place)\s*(?:[:\-–]|tại)?\s*(.+)", re.I)
# Where an address written inline ends: the next fact of the posting begins.
_PLACE_END = re.compile(r"[,;.]?\s*(?:lương|mức lương|thu nhập|kinh nghiệm|yêu cầu|liên hệ|sđt|điện thoại|email|hạn nộp|"
                        r"thời gian|giờ làm|ca làm|salary|experience|contact)\b.*$", re.I)
_UNIT_WORDS = re.compile(r"(?<!\w)(?:phường|quận|huyện|thị xã|xã|ngõ|ngách|số nhà|p\.|q\.|h\.|tx\.?)(?!\w)", re.I)


def place_text(text: str | None) -> str | None:
    """The part of a posting or a CV that says where: a line that starts "Địa chỉ:", "Nơi làm việc:", "làm việc
    tại ...", else a line with unit words (phường, quận, Q.); None when the text names no place.

    The reader resolves places only from an address, never from a whole description (so that "Nguyễn Trãi" in a
    list of duties is not read as a place); this finds the address inside pasted text.
    """
    lines = [line.strip(" \t-*•#") for line in nfc(text or "").splitlines() if line.strip()]
    found = []
    for line in lines:
        for sentence in re.split(r"(?<=[.;!?])\s+", line):
            match = _PLACE_LINE.search(sentence)
            place = _PLACE_END.sub("", match.group(1)).strip().rstrip(".,") if match else ""
            if len(place) >= 3:
                found.append(place)
    if not found:
        found = [line for line in lines if _UNIT_WORDS.search(line) and len(line) <= 200]
    return "; ".join(found)[:400] or None


def read(title: str | None = None, description: str | None = None, address: str | None = None, *,
         record: bool = False) -> Proposal:
    """Run the reader over the texts and turn what it read into a Proposal of known, valid values.

    Without an address, the place is looked for inside the description (see place_text). With record=True (a
    vacancy's posting, never a CV: its examples could hold a person's data) the requirement phrases that matched
    no skill are counted for the admins' phrase list; a failure there never costs the employer the proposal.
    """
    from ..reading import read_text

    title = (title or "")[:400] or None
    description = (description or "")[:MAX_TEXT] or None
    address = (address or "")[:400] or place_text(description)
    reading = read_text(title=title, description=description, address=address)
    if record and reading.unmatched:
        from sqlalchemy.exc import SQLAlchemyError

        from ..reading.services import record_unmatched

        try:
            record_unmatched([(reading.unmatched, description or "")])
        except SQLAlchemyError:
            db.session.rollback()
    return from_reading(reading, " ".join(t for t in (title, description, address) if t),
                        texts=[t or "" for t in (title, description, address)])


def from_reading(reading: Any, joined: str = "", texts: list[str] | None = None) -> Proposal:
    """A Proposal from a reader's answer: ids and codes checked against the vocabulary and the geography."""
    locale = current_locale()
    out = Proposal()
    items = list(_get(reading, "skills", default=[]) or [])
    wanted: list[tuple[int, Any]] = []
    for item in items:
        sid = _int(item if isinstance(item, int) else _get(item, "skill_id", "id"))
        if sid is not None and 0 < sid < 2**31 and sid not in (w[0] for w in wanted):
            wanted.append((sid, item))
    if wanted:
        known = {s.id: s for s in db.session.scalars(select(Skill).where(Skill.id.in_([w[0] for w in wanted])))}
        for sid, item in wanted:
            if sid in known:
                evidence = ""
                for text in (texts or [joined]):
                    evidence = evidence or _evidence(item, text)
                out.skills.append(SkillProposal(sid, known[sid].label(locale), evidence))

    codes = [_code(_get(reading, "occupation_code"))] + [_code(c) for c in (_get(reading, "occupation_top3",
                                                                                 "top3", default=[]) or [])]
    codes = [c for c in dict.fromkeys(codes) if c and len(c) <= 5]
    if codes:
        occupations = {o.code: o for o in db.session.scalars(select(Occupation).where(Occupation.code.in_(codes)))}
        top = [c for c in codes if c in occupations][:3]
        out.occupation_top3 = [(c, f"{occupations[c].title(locale)} ({c})") for c in top]
        first = _code(_get(reading, "occupation_code"))
        if first in occupations:
            out.occupation_code, out.occupation_label = first, f"{occupations[first].title(locale)} ({first})"
            confidence = _get(reading, "occupation_confidence", "confidence")
            out.occupation_confidence = float(confidence) if isinstance(confidence, (int, float)) else None

    if _get(reading, "wage_period") in (None, "month"):  # an hourly or daily figure is not a monthly wage
        out.wage_min = _int(_get(reading, "wage_min"))
        out.wage_max = _int(_get(reading, "wage_max"))
    if out.wage_min is not None and out.wage_max is not None and out.wage_max < out.wage_min:
        out.wage_max = None
    years = _int(_get(reading, "experience_years", "experience"))
    out.experience_years = years if years is not None and 0 <= years <= 50 else None
    job_type = _get(reading, "job_type")
    out.job_type = job_type if job_type in JOB_TYPES else None
    education = _get(reading, "education_level", "education")
    out.education_level = education if education in EDUCATION_LEVELS and education != "none" else None

    ward_codes = [_code(_get(reading, "ward_code"))] + [_code(c) for c in (_get(reading, "ward_choices",
                                                                                 default=[]) or [])]
    ward_codes = [c for c in dict.fromkeys(ward_codes) if c and len(c) <= 5]
    if ward_codes:
        wards = {w.code: w for w in db.session.scalars(select(Ward).where(Ward.code.in_(ward_codes)))}
        from ..geo.labels import ward_label

        first = _code(_get(reading, "ward_code"))
        if first in wards:
            out.ward_code, out.ward_label = first, ward_label(wards[first])
        else:
            out.ward_choices = [(c, ward_label(wards[c])) for c in ward_codes if c in wards]
            if len(out.ward_choices) == 1:  # one place after all: no choice to make
                (out.ward_code, out.ward_label), out.ward_choices = out.ward_choices[0], []
        if out.ward_code:
            out.ward_name = wards[out.ward_code].full_name_vi
        out.ward_names = {c: wards[c].full_name_vi for c, _label in out.ward_choices}
    return out
