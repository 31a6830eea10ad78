"""Elasticsearch query bodies, as pure functions: the match score (scoring.py) and the free-text rule, no idf.

Every score is a bool query whose `should` clauses each contribute one weighted term of scoring.py's sum, so
Lucene's sum of clause scores is the weighted sum itself:

- skills, vacancies for a worker: one function_score per kind (required, nice-to-have). Its query sums
  constant_score boosts w_skills * w(s) over the worker's skills the vacancy lists, and field_value_factor multiplies
  in the document's 1 / (sum of its weights) (and 1 - nu / nu when the vacancy has nice-to-have skills);
- skills, workers for a vacancy: the vacancy is known, so each shared skill is a constant_score of its exact share;
- location: a `gauss` decay on geo_point (offset 0, decay 0.5 at MATCH_LOCATION_HALF_KM). A worker with several
  places is several origins: dis_max over one decay per origin takes the best, i.e. the nearest place. Indexed
  workers hold several points; multi_value_mode "min" takes the nearest one;
- wage: constant 0.5 when unknown, constant 1 when the offer meets the expectation, else `linear` decay on the
  shortfall (origin E, scale T/2, decay 0.5: 1 - shortfall / T, floored at 0);
- freshness: `exp` decay on the date from a fixed `now` (decay 0.5 at MATCH_FRESHNESS_HALF_DAYS); a future date is
  age 0 (constant 1). Decay functions score a document lacking the field as 1, so each clause is restricted to
  documents that have it (missing means 0, or 0.5 for a wage).

Free text: relevance.py's rule (text_clauses): required words as term filters on the documents' terms, exclusions
as must_not, and the score as constant_score boosts the app computed (rarity from the database's document
frequencies, the saturated weight of each level a term can have). Typos and synonyms come in as the plan's
alternatives. Search ties are broken by freshness, then id; matching ties by id.
"""
from __future__ import annotations

from datetime import datetime

from .es_documents import es_date, geo, worker_places
from .relevance import MAX_LEVEL, weight
from .scoring import Point, VacancyFacts, Weights, WorkerFacts

# A typo-only hit scores this share of the smallest possible exact text score, so it ranks after every exact hit.
FUZZY_SHARE = 0.01
TIE_BREAK = {"id": {"order": "asc"}}
BY_SCORE = [{"_score": {"order": "desc"}}, TIE_BREAK]  # matching; searches break ties by freshness first


def _round(value: float) -> float:
    """App-computed weights, rounded to 12 decimals (Lucene scores in float32: this changes nothing it can see)."""
    return round(float(value), 12)


def _constant(filter_: dict, boost: float) -> dict:
    """A clause that scores exactly `boost` for every document matching `filter_`."""
    return {"constant_score": {"filter": filter_, "boost": _round(boost)}}


def _number(value: float) -> float | int:
    """Integers stay integers in the JSON body (readable golden files); other values pass through."""
    return int(value) if float(value).is_integer() else value


def _scale_km(km: float) -> str:
    """A distance for a decay function, in metres."""
    return f"{_number(round(km * 1000, 6))}m"


def _scale_days(days: float) -> str:
    """A duration for a date decay function: whole days as 'Nd', otherwise milliseconds."""
    if float(days).is_integer():
        return f"{int(days)}d"
    return f"{int(round(days * 86_400_000))}ms"


def _decayed(query: dict, function: dict, weight: float) -> dict:
    """A function_score whose score is weight * function (the query only selects documents)."""
    return {"function_score": {"query": query, "functions": [{**function, "weight": _round(weight)}],
                               "boost_mode": "replace"}}


def _filtered(*filters: dict) -> dict:
    """A non-scoring query."""
    return {"bool": {"filter": list(filters)}}


# ----------------------------------------------------------------------------------------------- score terms

def location_clauses(field: str, origins: list[Point], weight: float, half_km: float) -> list[dict]:
    """weight * location: the decay from the nearest origin (dis_max over origins)."""
    if not origins or weight == 0:
        return []
    decays = [_decayed(_filtered({"exists": {"field": field}}),
                       {"gauss": {field: {"origin": geo(p), "scale": _scale_km(half_km), "offset": "0m", "decay": 0.5},
                                  "multi_value_mode": "min"}}, weight)
              for p in origins]
    return [decays[0] if len(decays) == 1 else {"dis_max": {"queries": decays, "tie_breaker": 0.0}}]


def wage_clauses(field: str, expected: int | None, offered: int | None, *, offered_known: bool, weight: float,
                 tolerance: float) -> list[dict]:
    """weight * wage. One side is known from the query, the other is the document's `field`.

    offered_known=True: `offered` (the vacancy's M) is known and the documents (workers) hold E in `field`;
    otherwise `expected` (the worker's E) is known and the documents (vacancies) hold M in `field`.
    """
    if weight == 0:
        return []
    known = offered if offered_known else expected
    if known is None:
        return [_constant({"match_all": {}}, weight * 0.5)]
    missing = _constant({"bool": {"must_not": [{"exists": {"field": field}}]}}, weight * 0.5)
    # Met: M >= E. Short: M < E, scored 1 - (E - M) / T by a linear decay whose origin is the known side.
    met_range = {"lte": known} if offered_known else {"gte": known}
    short_range = {"gt": known} if offered_known else {"lt": known}
    linear = {"linear": {field: {"origin": known, "scale": _number(tolerance / 2), "offset": 0, "decay": 0.5}}}
    return [missing, _constant({"range": {field: met_range}}, weight),
            _decayed(_filtered({"range": {field: short_range}}), linear, weight)]


def freshness_clauses(field: str, now: datetime, weight: float, half_days: float) -> list[dict]:
    """weight * freshness of the document's date `field`, measured from `now`; future dates count as now."""
    if weight == 0:
        return []
    origin = es_date(now)
    exp = {"exp": {field: {"origin": origin, "scale": _scale_days(half_days), "offset": "0ms", "decay": 0.5}}}
    return [_constant({"range": {field: {"gt": origin}}}, weight),
            _decayed(_filtered({"range": {field: {"lte": origin}}}), exp, weight)]


def vacancy_skill_clauses(worker: WorkerFacts, skill_weights: dict[int, float], weights: Weights,
                          scale: float = 1.0) -> list[dict]:
    """scale * w_skills * skills for vacancy documents and a known worker (see the module docstring)."""
    skills = sorted(worker.skill_ids)
    w = weights.skills * scale
    if not skills or w == 0:
        return []
    clauses = []
    for field, inv, nice_factor in (("required_ids", "required_inv", 1 - weights.nice_share),
                                    ("nice_ids", "nice_inv", weights.nice_share)):
        terms = [_constant({"term": {field: s}}, w * skill_weights.get(s, 1.0)) for s in skills]
        functions = [{"field_value_factor": {"field": inv, "missing": 0}}]
        if field == "required_ids":
            functions.append({"filter": {"term": {"has_nice": True}}, "weight": _round(nice_factor)})
        else:
            functions[0]["field_value_factor"]["factor"] = _round(nice_factor)
        clauses.append({"function_score": {"query": {"bool": {"should": terms, "minimum_should_match": 1}},
                                           "functions": functions, "score_mode": "multiply",
                                           "boost_mode": "multiply"}})
    return clauses


def skill_shares(vacancy: VacancyFacts, nice_share: float) -> dict[int, float]:
    """Each of a vacancy's skills' share of the skills part: a worker's skills part is the sum over shared skills."""
    shares: dict[int, float] = {}
    req_total = sum(vacancy.required.values())
    req_factor = 1.0 if not vacancy.nice else 1 - nice_share
    for s, w in vacancy.required.items():
        shares[s] = req_factor * w / req_total if req_total > 0 else 0.0
    nice_total = sum(vacancy.nice.values())
    for s, w in vacancy.nice.items():
        shares[s] = nice_share * w / nice_total if nice_total > 0 else 0.0
    return shares


def worker_skill_clauses(vacancy: VacancyFacts, weights: Weights) -> list[dict]:
    """w_skills * skills for worker documents and a known vacancy."""
    return [_constant({"term": {"skill_ids": s}}, weights.skills * share)
            for s, share in sorted(skill_shares(vacancy, weights.nice_share).items()) if share > 0]


def worker_match_clauses(worker: WorkerFacts, skill_weights: dict[int, float], weights: Weights, now: datetime,
                         scale: float = 1.0) -> list[dict]:
    """scale * the match total of each vacancy document for a known worker."""
    return [
        *vacancy_skill_clauses(worker, skill_weights, weights, scale),
        *location_clauses("place", worker_places(worker), weights.location * scale, weights.location_half_km),
        *wage_clauses("wage_ref", worker.expected_wage, None, offered_known=False, weight=weights.wage * scale,
                      tolerance=weights.wage_tolerance_vnd),
        *freshness_clauses("published_at", now, weights.freshness * scale, weights.freshness_half_days),
    ]


def _page(query: dict, sort: list, limit: int, offset: int) -> dict:
    """A search body returning ids, scores and the exact total."""
    return {"query": query, "sort": sort, "from": offset, "size": limit, "track_total_hits": True,
            "track_scores": True, "_source": False}


# ----------------------------------------------------------------------------------------------- the three queries

def vacancies_for_worker(worker: WorkerFacts, skill_weights: dict[int, float], weights: Weights, now: datetime, *,
                         limit: int = 20, offset: int = 0) -> dict:
    """Best vacancies for a worker: vacancies sharing at least one skill, by the match score."""
    query = {"bool": {"filter": [{"terms": {"skill_ids": sorted(worker.skill_ids)}}],
                      "should": worker_match_clauses(worker, skill_weights, weights, now)}}
    return _page(query, BY_SCORE, limit, offset)


def workers_for_vacancy(vacancy: VacancyFacts, weights: Weights, now: datetime, *, limit: int = 20,
                        offset: int = 0) -> dict:
    """Best workers for a vacancy: workers sharing at least one of its skills, by the match score."""
    should = [
        *worker_skill_clauses(vacancy, weights),
        *location_clauses("places", [vacancy.place], weights.location, weights.location_half_km),
        *wage_clauses("expected_wage", None, vacancy.wage_max, offered_known=True, weight=weights.wage,
                      tolerance=weights.wage_tolerance_vnd),
        *freshness_clauses("last_active_at", now, weights.freshness, weights.freshness_half_days),
    ]
    skills = sorted(set(vacancy.required) | set(vacancy.nice))
    query = {"bool": {"filter": [{"terms": {"skill_ids": skills}}], "should": should}}
    return _page(query, BY_SCORE, limit, offset)


def text_clauses(plan, levels: dict[str, int], most_words: bool = False) -> tuple[list[dict], list[dict], list[dict]]:
    """relevance.py's rule for a QueryPlan: (filters: the required words, must_not: the exclusions, should: the
    score). osmem scores term queries as constants (notes/osmem-fidelity.md) and real Elasticsearch by its own idf,
    so every scoring leaf is a constant_score whose boost the app computed: for a scoring term, one clause per level
    the term can have in a document (documents index "term|level" in term_levels) with boost factor * idf * g(level);
    for a tier group, relevance.TIER when the document holds all its terms."""
    def has(term: str) -> dict:
        """The document holds the term."""
        return {"term": {"terms": term}}

    def holds_all(terms: list[str]) -> dict:
        """The document holds every one of these terms."""
        return has(terms[0]) if len(terms) == 1 else {"bool": {"filter": [has(t) for t in terms]}}

    clauses = []
    for c in plan.clauses:
        alts = [holds_all(alt) for alt in c.alternatives]
        clauses.append(alts[0] if len(alts) == 1 else {"bool": {"should": alts, "minimum_should_match": 1}})
    filters: list[dict] = []
    if clauses:
        if most_words:
            filters.append({"bool": {"should": clauses, "minimum_should_match": plan.required(True)}})
        else:
            filters.extend(clauses)
    must_not = [holds_all(ex) for ex in plan.exclusions]
    should: list[dict] = []
    for st in plan.score_terms:
        top = min(levels.get(st.term, 0), MAX_LEVEL)
        leaves = [_constant({"term": {"term_levels": f"{st.term}|{level}"}}, st.factor * st.idf * weight(level))
                  for level in range(1, top + 1)]
        if leaves:
            should.append(leaves[0] if len(leaves) == 1 else {"dis_max": {"queries": leaves, "tie_breaker": 0.0}})
    should += [_constant(holds_all(g), value) for g, value in plan.tier_groups]
    return filters, must_not, should


def search_filters(*, ward_code: str | None = None, district_code: str | None = None, origin: Point | None = None,
                   max_km: float | None = None, skill_ids: list[int] | None = None, min_wage: int | None = None,
                   job_type: str | None = None) -> list[dict]:
    """The vacancy search filters of the Search contract."""
    filters: list[dict] = []
    if ward_code:
        filters.append({"term": {"ward_code": ward_code}})
    if district_code:
        filters.append({"term": {"district_code": district_code}})
    if origin is not None and max_km is not None:
        filters.append({"geo_distance": {"distance": f"{_number(max_km)}km", "place": geo(origin)}})
    for s in sorted(set(skill_ids or [])):
        filters.append({"term": {"skill_ids": s}})
    if min_wage is not None:
        filters.append({"range": {"wage_ref": {"gte": min_wage}}})
    if job_type:
        filters.append({"term": {"job_type": job_type}})
    return filters


NEWEST = {"published_at": {"order": "desc", "missing": "_last"}}


def search_sort(sort: str, origin: Point | None) -> list[dict]:
    """relevance (score desc), newest (published_at desc), wage (wage_max, else wage_min, desc), distance (asc); ties
    by freshness, then id."""
    if sort == "newest":
        return [NEWEST, TIE_BREAK]
    if sort == "wage":
        return [{"wage_ref": {"order": "desc", "missing": "_last"}}, NEWEST, TIE_BREAK]
    if sort == "distance" and origin is not None:
        return [{"_geo_distance": {"place": geo(origin), "order": "asc", "unit": "km", "distance_type": "arc"}},
                NEWEST, TIE_BREAK]
    return [{"_score": {"order": "desc"}}, NEWEST, TIE_BREAK]


def vacancy_search(plan, levels: dict[str, int] | None = None, *, filters: list[dict], sort: str = "relevance",
                   origin: Point | None = None, worker: WorkerFacts | None = None,
                   skill_weights: dict[int, float] | None = None, weights: Weights | None = None,
                   now: datetime | None = None, limit: int = 20, offset: int = 0, most_words: bool = False) -> dict:
    """Vacancy search for a relevance.QueryPlan: relevance = the text score; text score + match total with a worker
    (the match total alone when there is no text)."""
    must_filters = list(filters)
    should: list[dict] = []
    must_not: list[dict] = []
    if plan is not None and (not plan.empty or plan.exclusions):
        text_filters, must_not, text_should = text_clauses(plan, levels or {}, most_words)
        must_filters += text_filters
        should += text_should
    if worker is not None:
        assert weights is not None and now is not None
        should += worker_match_clauses(worker, skill_weights or {}, weights, now)
    query: dict = {"filter": must_filters or [{"match_all": {}}]}
    if must_not:
        query["must_not"] = must_not
    if should:  # a bool with filters only scores 0 (an empty one would score 1)
        query["should"] = should
    return _page({"bool": query}, search_sort(sort, origin), limit, offset)
