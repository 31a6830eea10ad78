"""Elasticsearch documents and mappings, as pure functions of the facts the score reads (no contact data, ever)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable

from ..text import fold_tokens
from .scoring import Point, VacancyFacts, WorkerFacts

# Vietnamese folding for analysed text: standard tokens, lower case, diacritics and đ folded (asciifolding maps đ to d),
# and the combining marks of decomposed (NFD) input removed before tokenising, since asciifolding only folds
# precomposed letters. The app folds text itself (text.fold_tokens); the analyser makes the index agree with it.
VI_COMBINING_MARKS = ("0300", "0301", "0302", "0303", "0306", "0309", "031B", "0323")
INDEX_SETTINGS = {
    "analysis": {
        "char_filter": {
            "vi_combining_marks": {"type": "mapping", "mappings": [f"\\u{code}=>" for code in VI_COMBINING_MARKS]},
        },
        "analyzer": {
            "vi_fold": {"type": "custom", "tokenizer": "standard", "char_filter": ["vi_combining_marks"],
                        "filter": ["lowercase", "asciifolding"]},
        },
    },
}

VACANCY_MAPPINGS = {
    "dynamic": "strict",
    "properties": {
        "id": {"type": "long"},
        "version": {"type": "long"},
        # Free text: whitespace-joined text.fold_tokens; term queries implement the exact rule, match+fuzziness typos.
        "title_fold": {"type": "text", "analyzer": "vi_fold", "copy_to": "text_fold"},
        "other_fold": {"type": "text", "analyzer": "vi_fold", "copy_to": "text_fold"},
        "text_fold": {"type": "text", "analyzer": "vi_fold"},  # both, for typo-tolerant (fuzzy) matching
        # relevance.py's terms (folded syllables, adjacent pairs, "=exact" spellings) and "term|level" for scoring
        "terms": {"type": "keyword"},
        "term_levels": {"type": "keyword"},
        "ward_code": {"type": "keyword"},
        "district_code": {"type": "keyword"},
        "place": {"type": "geo_point"},
        "job_type": {"type": "keyword"},
        "wage_max": {"type": "long"},      # as posted (the wage sort)
        "wage_ref": {"type": "long"},      # wage_max, or wage_min when no max (score and min_wage filter)
        "published_at": {"type": "date"},
        "skill_ids": {"type": "long"},     # required and nice-to-have
        "required_ids": {"type": "long"},
        "nice_ids": {"type": "long"},
        # 1 / (sum of the rarity weights of the required / nice-to-have skills): the per-document normalisation
        # that the query multiplies (field_value_factor) with the app-computed sum of the shared skills' weights.
        "required_inv": {"type": "double"},
        "nice_inv": {"type": "double"},
        "has_nice": {"type": "boolean"},
    },
}

WORKER_MAPPINGS = {
    "dynamic": "strict",
    "properties": {
        "id": {"type": "long"},
        "version": {"type": "long"},
        "skill_ids": {"type": "long"},
        "places": {"type": "geo_point"},   # home ward and, unless 'anywhere in Hanoi', preferred wards
        "ward_code": {"type": "keyword"},
        "district_code": {"type": "keyword"},
        "expected_wage": {"type": "long"},
        "job_type": {"type": "keyword"},
        "last_active_at": {"type": "date"},
    },
}


@dataclass
class VacancyRecord:
    """Everything a vacancy document is built from: the score's facts and the text the free-text rule reads."""

    facts: VacancyFacts
    version: int
    title: str
    ward_code: str
    district_code: str
    job_type: str | None = None
    wage_max: int | None = None
    description: str = ""
    skill_labels: list[str] = field(default_factory=list)
    occupation_title: str = ""
    ward_name: str = ""
    district_name: str = ""


@dataclass
class WorkerRecord:
    """Everything a worker document is built from. Deliberately holds no name, phone, email, sex or age."""

    facts: WorkerFacts
    version: int
    ward_code: str | None = None
    district_code: str | None = None
    job_type: str | None = None


def unique_tokens(texts: Iterable[str | None]) -> list[str]:
    """Folded words of several texts, each once, in first-seen order."""
    seen: dict[str, None] = {}
    for value in texts:
        for token in fold_tokens(value):
            seen.setdefault(token, None)
    return list(seen)


def title_words(record: VacancyRecord) -> list[str]:
    """The words of the title, as the free-text rule sees them (worth 2 per query token)."""
    return unique_tokens([record.title])


def other_words(record: VacancyRecord) -> list[str]:
    """Description, skill labels, occupation title, ward and former-district names (worth 1 per query token)."""
    return unique_tokens([record.description, *record.skill_labels, record.occupation_title, record.ward_name,
                          record.district_name])


def es_date(value: datetime | None) -> str | None:
    """A naive UTC timestamp as Elasticsearch stores it (millisecond precision)."""
    return value.isoformat(timespec="milliseconds") if value is not None else None


def geo(point: Point) -> dict:
    """A geo_point value."""
    return {"lat": point.lat, "lon": point.lon}


def _inverse_total(weights: dict[int, float]) -> float:
    """1 / the sum of the weights, 0 when there are none."""
    total = sum(weights.values())
    return 1.0 / total if total > 0 else 0.0


def record_terms(record: VacancyRecord) -> dict[str, int]:
    """The vacancy's terms and levels by relevance.py (the same fields the database backend indexes)."""
    from .relevance import document_terms

    return document_terms({"title": record.title, "description": record.description, "skills": record.skill_labels,
                           "occupation": record.occupation_title, "place": [record.ward_name, record.district_name]})


def vacancy_document(record: VacancyRecord) -> dict:
    """The indexed form of an eligible vacancy."""
    facts = record.facts
    terms = record_terms(record)
    return {
        "terms": sorted(terms),
        "term_levels": sorted(f"{t}|{level}" for t, level in terms.items()),
        "id": facts.id,
        "version": record.version,
        "title_fold": " ".join(title_words(record)),
        "other_fold": " ".join(other_words(record)),
        "ward_code": record.ward_code,
        "district_code": record.district_code,
        "place": geo(facts.place),
        "job_type": record.job_type,
        "wage_max": record.wage_max,
        "wage_ref": facts.wage_max,
        "published_at": es_date(facts.published_at),
        "skill_ids": sorted(set(facts.required) | set(facts.nice)),
        "required_ids": sorted(facts.required),
        "nice_ids": sorted(facts.nice),
        "required_inv": _inverse_total(facts.required),
        "nice_inv": _inverse_total(facts.nice),
        "has_nice": bool(facts.nice),
    }


def worker_places(facts: WorkerFacts) -> list[Point]:
    """The places the location part measures from (scoring.worker_distance_km takes the nearest)."""
    points = [facts.home] if facts.home else []
    if not facts.anywhere:
        points += list(facts.preferred)
    return points


def worker_document(record: WorkerRecord) -> dict:
    """The indexed form of an eligible worker: what matching reads, nothing that identifies or contacts them."""
    facts = record.facts
    return {
        "id": facts.id,
        "version": record.version,
        "skill_ids": sorted(facts.skill_ids),
        "places": [geo(p) for p in worker_places(facts)],
        "ward_code": record.ward_code,
        "district_code": record.district_code,
        "expected_wage": facts.expected_wage,
        "job_type": record.job_type,
        "last_active_at": es_date(facts.last_active_at),
    }
