"""The result types of matching and search (queries, hits, pages), shared by the service and every backend."""
from __future__ import annotations

from dataclasses import dataclass, field

from .scoring import Parts


@dataclass
class Match:
    """One ranked result: the id, the total score in [0, 1] and its parts (the reasons)."""

    id: int
    score: float
    parts: Parts


@dataclass
class MatchPage:
    """A page of matches, and whether the database stood in for an unreachable Elasticsearch."""

    matches: list[Match]
    backend: str
    degraded: bool = False


@dataclass
class VacancyQuery:
    """A vacancy search: free text, filters and a sort. Distances are from `origin_ward` when given."""

    q: str = ""
    ward_code: str | None = None
    district_code: str | None = None
    origin_ward: str | None = None
    max_km: float | None = None
    skill_ids: list[int] = field(default_factory=list)
    min_wage: int | None = None
    job_type: str | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    worker_id: int | None = None  # when set, results also carry the worker's match parts
    facets: bool = False  # count the results per former district, occupation group, job type and wage band
    places_in_text: bool = True  # a ward or former-district name in q becomes a place filter


@dataclass
class SearchHit:
    """One vacancy found by a search."""

    id: int
    score: float
    distance_km: float | None = None
    parts: Parts | None = None


@dataclass
class PlaceFilter:
    """A place named in the query and used as a filter instead of text ("Đang lọc theo khu vực Cầu Giấy")."""

    kind: str  # "district" or "ward"
    code: str
    name: str


@dataclass
class SearchPage:
    """A page of search results, with what the page tells the user about how the query was read."""

    hits: list[SearchHit]
    total: int
    backend: str
    degraded: bool = False
    most_words: bool = False  # all the words found too little: results hold most of them
    place: PlaceFilter | None = None
    highlight: set[str] = field(default_factory=set)  # folded syllables to highlight
    suggestion: str | None = None  # "did you mean", for a query without results
    facets: dict[str, dict[str, int]] | None = None
