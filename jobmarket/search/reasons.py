"""Why a match is a match: turn a score's Parts into short phrases in Vietnamese or English (pure functions).

"4/5 kỹ năng yêu cầu · cách 2,1 km · cùng khu vực Cầu Giấy · lương phù hợp · đăng 3 ngày trước"
"4/5 required skills · 2.1 km away · same area: Cau Giay · wage fits · posted 3 days ago"

The phrases live here rather than in the gettext catalogue because this module must stay pure (no app, no request)
and its wording is part of the product's contract; both languages are tested. Place names are Vietnamese with
diacritics in Vietnamese and their ASCII spelling in English, as people write them in each language.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Mapping, Sequence

from .scoring import Parts

VACANCIES_FOR_WORKER = "vacancies_for_worker"
WORKERS_FOR_VACANCY = "workers_for_vacancy"

# The kinds that make up the one-line summary, in order; the others are details (skill names).
SUMMARY_KINDS = ("skills", "distance", "area", "wage", "freshness")

_PHRASES = {
    "vi": {
        "skills_required": "{n}/{m} kỹ năng yêu cầu",
        "skills_nice_only": "{n} kỹ năng ưu tiên",
        "skills_nice_only_one": "1 kỹ năng ưu tiên",
        "distance": "cách {km} km",
        "same_ward": "cùng {ward}",
        "same_district": "cùng khu vực {district}",
        "adjacent_district": "khu vực lân cận {district}",
        "wage_fits": "lương phù hợp",
        "wage_short_vacancy": "lương thấp hơn mong muốn {amount}",
        "wage_short_worker": "mong muốn cao hơn {amount}",
        "posted_today": "đăng hôm nay",
        "posted_yesterday": "đăng hôm qua",
        "posted_days": "đăng {n} ngày trước",
        "posted_months": "đăng {n} tháng trước",
        "active_today": "hoạt động hôm nay",
        "active_yesterday": "hoạt động hôm qua",
        "active_days": "hoạt động {n} ngày trước",
        "active_months": "hoạt động {n} tháng trước",
        "matched_vacancy": "Bạn có: {skills}",
        "matched_worker": "Có: {skills}",
        "missing": "Còn thiếu: {skills}",
        "nice": "Kỹ năng ưu tiên đạt: {skills}",
    },
    "en": {
        "skills_required": "{n}/{m} required skills",
        "skills_nice_only": "{n} nice-to-have skills",
        "skills_nice_only_one": "1 nice-to-have skill",
        "distance": "{km} km away",
        "same_ward": "same ward: {ward}",
        "same_district": "same area: {district}",
        "adjacent_district": "neighbouring area: {district}",
        "wage_fits": "wage fits",
        "wage_short_vacancy": "wage {amount} below expectation",
        "wage_short_worker": "expects {amount} more",
        "posted_today": "posted today",
        "posted_yesterday": "posted yesterday",
        "posted_days": "posted {n} days ago",
        "posted_months": "posted {n} months ago",
        "active_today": "active today",
        "active_yesterday": "active yesterday",
        "active_days": "active {n} days ago",
        "active_months": "active {n} months ago",
        "matched_vacancy": "You have: {skills}",
        "matched_worker": "Has: {skills}",
        "missing": "Missing: {skills}",
        "nice": "Nice-to-have met: {skills}",
    },
}


@dataclass(frozen=True)
class Area:
    """A ward and its former district, with the names each language uses."""

    ward_code: str
    ward_full_name: str  # "Phường Dịch Vọng"
    ward_ascii: str  # "Dich Vong"
    district_code: str
    district_name: str  # "Cầu Giấy"
    district_ascii: str  # "Cau Giay"


@dataclass(frozen=True)
class ReasonContext:
    """What the phrases need besides the parts: names, places, wages, the moment that ages, and whose view it is."""

    direction: str = VACANCIES_FOR_WORKER
    skill_labels: Mapping[int, str] = field(default_factory=dict)
    vacancy_area: Area | None = None
    worker_areas: Sequence[Area] = ()  # residence first, then preferred wards
    adjacent_districts: frozenset[frozenset[str]] = frozenset()
    expected_wage: int | None = None
    offered_wage: int | None = None
    moment: datetime | None = None  # vacancy published (for a worker) or worker last active (for an employer)
    now: datetime | None = None


@dataclass(frozen=True)
class Reason:
    """One phrase: its kind (skills, distance, area, wage, freshness, matched, missing, nice), text, and tone."""

    kind: str
    text: str
    positive: bool


def _lang(locale: str | None) -> str:
    """'en' for English, Vietnamese otherwise."""
    return "en" if (locale or "vi").lower().startswith("en") else "vi"


def format_km(km: float, locale: str = "vi") -> str:
    """One decimal, with a decimal comma in Vietnamese."""
    text = f"{km:.1f}"
    return text.replace(".", ",") if _lang(locale) == "vi" else text


def format_vnd(amount: int | float) -> str:
    """12.000.000 ₫ (the exchange writes money the Vietnamese way in both languages)."""
    return f"{int(round(amount)):,}".replace(",", ".") + " ₫"


def _ward_name(area: Area, lang: str) -> str:
    """'phường Dịch Vọng' in a Vietnamese sentence, 'Dich Vong' in English."""
    if lang == "en":
        return area.ward_ascii
    name = area.ward_full_name
    return name[:1].lower() + name[1:]  # "cùng phường Dịch Vọng"


def _district_name(area: Area, lang: str) -> str:
    """'Cầu Giấy' in Vietnamese, 'Cau Giay' in English."""
    return area.district_ascii if lang == "en" else area.district_name


def skills_reason(parts: Parts, lang: str) -> Reason | None:
    """'4/5 kỹ năng yêu cầu', or the nice-to-have count when the vacancy requires nothing."""
    required = len(parts.matched_required) + len(parts.missing_required)
    if required:
        n = len(parts.matched_required)
        return Reason("skills", _PHRASES[lang]["skills_required"].format(n=n, m=required), n > 0)
    if parts.matched_nice:
        # Parts list only the matched nice-to-have skills (not the missing ones), so the phrase gives a count.
        n = len(parts.matched_nice)
        key = "skills_nice_only_one" if n == 1 else "skills_nice_only"
        return Reason("skills", _PHRASES[lang][key].format(n=n), True)
    return None


def area_reason(ctx: ReasonContext, lang: str) -> Reason | None:
    """Same ward, same former district or a neighbouring one: the closest relation over the worker's places."""
    vacancy = ctx.vacancy_area
    if vacancy is None or not ctx.worker_areas:
        return None
    far = vacancy if ctx.direction == VACANCIES_FOR_WORKER else None
    best: tuple[int, Reason] | None = None
    for place in ctx.worker_areas:
        shown = far or place
        if place.ward_code == vacancy.ward_code:
            candidate = (0, Reason("area", _PHRASES[lang]["same_ward"].format(ward=_ward_name(shown, lang)), True))
        elif place.district_code == vacancy.district_code:
            candidate = (1, Reason("area", _PHRASES[lang]["same_district"].format(
                district=_district_name(shown, lang)), True))
        elif frozenset((place.district_code, vacancy.district_code)) in ctx.adjacent_districts:
            candidate = (2, Reason("area", _PHRASES[lang]["adjacent_district"].format(
                district=_district_name(shown, lang)), True))
        else:
            continue
        if best is None or candidate[0] < best[0]:
            best = candidate
    return best[1] if best else None


def distance_reason(parts: Parts, lang: str, same_ward: bool) -> Reason | None:
    """'cách 2,1 km'; left out for the same ward (the area says it) and when the worker's place is unknown."""
    if parts.distance_km is None or (same_ward and parts.distance_km < 0.05):
        return None
    return Reason("distance", _PHRASES[lang]["distance"].format(km=format_km(parts.distance_km, lang)),
                  parts.location >= 0.5)


def wage_reason(ctx: ReasonContext, lang: str) -> Reason | None:
    """'lương phù hợp' when the offer meets the expectation, the shortfall otherwise; nothing when either is unknown."""
    if ctx.expected_wage is None or ctx.offered_wage is None:
        return None
    if ctx.offered_wage >= ctx.expected_wage:
        return Reason("wage", _PHRASES[lang]["wage_fits"], True)
    key = "wage_short_vacancy" if ctx.direction == VACANCIES_FOR_WORKER else "wage_short_worker"
    return Reason("wage", _PHRASES[lang][key].format(amount=format_vnd(ctx.expected_wage - ctx.offered_wage)), False)


def freshness_reason(ctx: ReasonContext, lang: str) -> Reason | None:
    """'đăng 3 ngày trước' (a vacancy, for a worker) or 'hoạt động 3 ngày trước' (a worker, for an employer)."""
    if ctx.moment is None or ctx.now is None:
        return None
    days = max(0, int((ctx.now - ctx.moment).total_seconds() // 86400))
    prefix = "posted" if ctx.direction == VACANCIES_FOR_WORKER else "active"
    if days == 0:
        key, n = f"{prefix}_today", 0
    elif days == 1:
        key, n = f"{prefix}_yesterday", 1
    elif days < 60:
        key, n = f"{prefix}_days", days
    else:
        key, n = f"{prefix}_months", days // 30
    return Reason("freshness", _PHRASES[lang][key].format(n=n), days <= 7)


def _names(ids: Sequence[int], labels: Mapping[int, str]) -> str:
    """Skill labels joined with commas (an unknown id shows as #id)."""
    return ", ".join(labels.get(i, f"#{i}") for i in ids)


def skill_detail_reasons(parts: Parts, ctx: ReasonContext, lang: str) -> list[Reason]:
    """The skills by name: matched required, missing required, matched nice-to-have."""
    out = []
    if parts.matched_required:
        key = "matched_vacancy" if ctx.direction == VACANCIES_FOR_WORKER else "matched_worker"
        out.append(Reason("matched", _PHRASES[lang][key].format(
            skills=_names(parts.matched_required, ctx.skill_labels)), True))
    if parts.missing_required:
        out.append(Reason("missing", _PHRASES[lang]["missing"].format(
            skills=_names(parts.missing_required, ctx.skill_labels)), False))
    if parts.matched_nice:
        out.append(Reason("nice", _PHRASES[lang]["nice"].format(
            skills=_names(parts.matched_nice, ctx.skill_labels)), True))
    return out


def explain(parts: Parts, ctx: ReasonContext, locale: str = "vi") -> list[Reason]:
    """Every reason, summary kinds first (skills, distance, area, wage, freshness), then the skill names."""
    lang = _lang(locale)
    area = area_reason(ctx, lang)
    same_ward = bool(ctx.vacancy_area and any(a.ward_code == ctx.vacancy_area.ward_code for a in ctx.worker_areas))
    summary = [skills_reason(parts, lang), distance_reason(parts, lang, same_ward), area, wage_reason(ctx, lang),
               freshness_reason(ctx, lang)]
    return [r for r in summary if r is not None] + skill_detail_reasons(parts, ctx, lang)


def summary(reasons: Sequence[Reason]) -> str:
    """The one-line summary: the short reasons joined with middle dots."""
    return " · ".join(r.text for r in reasons if r.kind in SUMMARY_KINDS)
