"""The match score, as pure functions: the reference both backends must reproduce to 1e-6.

score(W, V) = w_skills * skills + w_location * location + w_wage * wage + w_freshness * freshness,
every part in [0, 1] and the weights (configuration MATCH_WEIGHTS) summing to 1, so the total reads as a share.

skills     R = V's required skills, N = V's nice-to-have skills, w(s) = the skill's rarity weight (Skill.weight).
           req  = sum(w(s) for s in R & W) / sum(w(s) for s in R)            (0 when R is empty)
           nice = sum(w(s) for s in N & W) / sum(w(s) for s in N)
           skills = req                                  when N is empty
                  = (1 - nu) * req + nu * nice           otherwise, nu = MATCH_NICE_TO_HAVE_SHARE (0.2)
location   d = great-circle km between ward centres: V's ward and the nearest of W's residence ward and, unless
           W is 'anywhere in Hanoi', W's preferred wards. Gaussian decay, Elasticsearch's `gauss` with
           offset 0 and decay 0.5 at scale = MATCH_LOCATION_HALF_KM:  location = 0.5 ** ((d / scale) ** 2).
           Same ward: 1.0; 4 km: 0.5; 8 km: 0.06; across the city: ~0. A worker with no ward: 0.
wage       E = W's expected monthly wage, M = V's wage_max (or wage_min when no max). T = MATCH_WAGE_TOLERANCE_VND.
           unknown (E or M missing): 0.5;  M >= E: 1.0;  else max(0, 1 - (E - M) / T)  (linear, Elasticsearch
           `linear` decay with origin E, scale T/2, decay 0.5 on the shortfall side).
freshness  age = now - V.published_at (ranking vacancies for a worker) or now - W.last_active_at (ranking workers
           for a vacancy), in days. freshness = 0.5 ** (age / MATCH_FRESHNESS_HALF_DAYS)  (Elasticsearch `exp`).
           A future timestamp counts as age 0.

A pair is a match only when skills > 0 (they share at least one of V's skills): someone who lives next door but has
none of the skills is not a candidate, however fresh. This is a filter, never a change to the score.
Ties are broken by id ascending, so every backend returns the same order.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Weights:
    """Weights of the four parts and the shape parameters of each; built from the app's configuration."""

    skills: float = 0.55
    location: float = 0.25
    wage: float = 0.12
    freshness: float = 0.08
    nice_share: float = 0.2
    location_half_km: float = 4.0
    wage_tolerance_vnd: float = 3_000_000.0
    freshness_half_days: float = 30.0

    @classmethod
    def from_config(cls, config) -> "Weights":
        """Weights from a Flask config mapping."""
        w = config["MATCH_WEIGHTS"]
        return cls(skills=float(w["skills"]), location=float(w["location"]), wage=float(w["wage"]),
                   freshness=float(w["freshness"]), nice_share=float(config["MATCH_NICE_TO_HAVE_SHARE"]),
                   location_half_km=float(config["MATCH_LOCATION_HALF_KM"]),
                   wage_tolerance_vnd=float(config.get("MATCH_WAGE_TOLERANCE_VND", 3_000_000)),
                   freshness_half_days=float(config["MATCH_FRESHNESS_HALF_DAYS"]))


@dataclass(frozen=True)
class Point:
    """A ward centre."""

    lat: float
    lon: float


@dataclass
class WorkerFacts:
    """What the score reads of a worker."""

    id: int
    skill_ids: frozenset[int]
    home: Point | None
    preferred: tuple[Point, ...] = ()
    anywhere: bool = True
    expected_wage: int | None = None
    last_active_at: datetime | None = None


@dataclass
class VacancyFacts:
    """What the score reads of a vacancy: skill id -> rarity weight, for required and nice-to-have skills."""

    id: int
    required: dict[int, float]
    nice: dict[int, float]
    place: Point
    wage_max: int | None = None
    published_at: datetime | None = None


@dataclass
class Parts:
    """The four parts of a score, each in [0, 1], and what the page needs to explain them."""

    skills: float
    location: float
    wage: float
    freshness: float
    matched_required: list[int] = field(default_factory=list)
    missing_required: list[int] = field(default_factory=list)
    matched_nice: list[int] = field(default_factory=list)
    distance_km: float | None = None

    def total(self, weights: Weights) -> float:
        """The weighted sum."""
        return (weights.skills * self.skills + weights.location * self.location + weights.wage * self.wage
                + weights.freshness * self.freshness)


def haversine_km(a: Point, b: Point) -> float:
    """Great-circle distance in km."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def skills_part(worker_skills: frozenset[int], required: dict[int, float], nice: dict[int, float],
                nice_share: float) -> float:
    """Weighted coverage of the required skills, topped up by nice-to-have skills."""
    req_total = sum(required.values())
    req = sum(w for s, w in required.items() if s in worker_skills) / req_total if req_total > 0 else 0.0
    if not nice:
        return req
    nice_total = sum(nice.values())
    nice_cov = sum(w for s, w in nice.items() if s in worker_skills) / nice_total if nice_total > 0 else 0.0
    return (1 - nice_share) * req + nice_share * nice_cov


def worker_distance_km(worker: WorkerFacts, place: Point) -> float | None:
    """Distance from the nearest of the worker's places to the vacancy's ward."""
    points = [worker.home] if worker.home else []
    if not worker.anywhere:
        points += list(worker.preferred)
    if not points:
        return None
    return min(haversine_km(p, place) for p in points)


def location_part(distance_km: float | None, half_km: float) -> float:
    """Gaussian decay: 1 at 0 km, 0.5 at half_km."""
    if distance_km is None:
        return 0.0
    return 0.5 ** ((distance_km / half_km) ** 2)


def wage_part(expected: int | None, offered_max: int | None, tolerance: float) -> float:
    """1 when the offer meets the expectation, falling linearly to 0 at `tolerance` VND short; 0.5 when unknown."""
    if expected is None or offered_max is None:
        return 0.5
    if offered_max >= expected:
        return 1.0
    return max(0.0, 1.0 - (expected - offered_max) / tolerance)


def freshness_part(moment: datetime | None, now: datetime, half_days: float) -> float:
    """Exponential decay with age: 1 now, 0.5 after half_days."""
    if moment is None:
        return 0.0
    age_days = max(0.0, (now - moment).total_seconds() / 86400.0)
    return 0.5 ** (age_days / half_days)


def score_parts(worker: WorkerFacts, vacancy: VacancyFacts, weights: Weights, now: datetime,
                direction: str = "vacancies_for_worker") -> Parts:
    """All four parts for one pair. direction says whose freshness counts."""
    distance = worker_distance_km(worker, vacancy.place)
    moment = vacancy.published_at if direction == "vacancies_for_worker" else worker.last_active_at
    return Parts(
        skills=skills_part(worker.skill_ids, vacancy.required, vacancy.nice, weights.nice_share),
        location=location_part(distance, weights.location_half_km),
        wage=wage_part(worker.expected_wage, vacancy.wage_max, weights.wage_tolerance_vnd),
        freshness=freshness_part(moment, now, weights.freshness_half_days),
        matched_required=sorted(s for s in vacancy.required if s in worker.skill_ids),
        missing_required=sorted(s for s in vacancy.required if s not in worker.skill_ids),
        matched_nice=sorted(s for s in vacancy.nice if s in worker.skill_ids),
        distance_km=distance,
    )
