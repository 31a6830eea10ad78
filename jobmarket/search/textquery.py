"""Reading a search's text for both backends: place words, rarity from the database, synonyms and typos (the seam)."""
from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass

from sqlalchemy import bindparam, text

from ..extensions import db
from . import relevance
from .results import PlaceFilter, VacancyQuery

log = logging.getLogger(__name__)


@dataclass
class Reading:
    """How a query's text was read: the plan to run, the place taken out of it, and the query with that filter."""

    query: VacancyQuery
    parsed: relevance.ParsedQuery
    plan: relevance.QueryPlan
    place: PlaceFilter | None = None
    levels: dict[str, int] = dataclasses.field(default_factory=dict)  # each term's highest level (Elasticsearch)

    @property
    def highlight(self) -> set[str]:
        """The folded syllables a page highlights."""
        return relevance.highlight_terms(self.parsed, self.plan.alternatives)


def term_statistics(terms: list[str]) -> tuple[dict[str, int], dict[str, int], int]:
    """(document frequency, highest level) of these terms, and the number of vacancies indexed."""
    wanted = sorted(set(terms) | {relevance.DOCS_KEY})
    df: dict[str, int] = {}
    levels: dict[str, int] = {}
    statement = text("SELECT word, df, max_level FROM dbsearch_terms WHERE word IN :words").bindparams(
        bindparam("words", expanding=True))
    for i in range(0, len(wanted), 500):
        for word, n, level in db.session.execute(statement, {"words": wanted[i:i + 500]}):
            df[word], levels[word] = int(n), int(level or 0)
    return df, levels, max(1, df.pop(relevance.DOCS_KEY, 0))


def expansions(words: list[str]) -> list[relevance.Alternative]:
    """Synonyms (synonyms.py: curated list, English labels, shorthand) and one-edit typo corrections (spelling.py) of
    the query's words, as alternatives over word spans (a synonym span must start and end on word boundaries)."""
    from . import spelling, synonyms

    flat: list[str] = []
    starts: dict[int, int] = {}
    ends: dict[int, int] = {}
    for i, word in enumerate(words):
        starts[len(flat)] = i
        flat.extend(word.split())
        ends[len(flat)] = i + 1
    out: list[relevance.Alternative] = []
    for e in synonyms.longest_expansions(flat):
        if e.start in starts and e.end in ends:
            out.extend(relevance.Alternative(starts[e.start], ends[e.end], eq, "synonym") for eq in e.equivalents)
    for index, corrected in spelling.corrections(flat).items():
        if index in starts and index + 1 in ends:
            out.append(relevance.Alternative(starts[index], ends[index + 1], corrected, "typo"))
    return out


def _place(parsed: relevance.ParsedQuery) -> relevance.PlaceMatch | None:
    """A ward or former district named in the query (jobmarket/geo's names)."""
    from ..geo.index import get_index

    index = get_index()

    def label(kind: str, code: str) -> str:
        """The name shown for a place."""
        return index.districts[code].name if kind == "district" else index.wards[code].name

    return relevance.find_place(parsed, index.names_for, label, max(2, index.max_name_tokens))


def read(query: VacancyQuery) -> Reading:
    """Read a query's text: take a place name out (when the query has no place filter of that kind yet), fetch the
    terms' rarity, segment the words and add their alternatives."""
    parsed = relevance.parse_query(query.q)
    place = None
    if query.places_in_text and not parsed.empty and not (query.ward_code or query.district_code):
        found = _place(parsed)
        if found is not None:
            parsed = found.parsed
            place = PlaceFilter(found.kind, found.code, found.name)
            query = dataclasses.replace(query, **({"district_code": found.code} if found.kind == "district"
                                                  else {"ward_code": found.code}))
    if parsed.empty and not parsed.exclusions:
        return Reading(query, parsed, relevance.QueryPlan([], [], [], [], []), place)
    df, levels, n = term_statistics(relevance.candidate_terms(parsed))
    words = [w.text for run in parsed.runs for w in relevance.segment(run, df)]
    alternatives = expansions(words)
    extra = relevance.alternative_terms(alternatives)
    if extra:
        more_df, more_levels, _ = term_statistics(extra)
        df.update(more_df)
        levels.update(more_levels)
    plan = relevance.plan_query(parsed, df, n, lambda _words: alternatives)
    if plan.empty and plan.exclusions:  # only exclusions: every vacancy but those
        pass
    return Reading(query, parsed, plan, place, levels)


def driver_term(plan: relevance.QueryPlan, df: dict[str, int] | None = None) -> str | None:
    """The rarest term every result must hold (a clause without alternatives), or None."""
    best = None
    idf = {s.term: s.idf for s in plan.score_terms}
    for c in plan.clauses:
        if len(c.alternatives) == 1:
            for t in c.alternatives[0]:
                if best is None or idf.get(t, 0.0) > idf.get(best, 0.0):
                    best = t
    return best
