"""The free-text relevance rule both search backends implement, as pure functions (documents, queries, scores).

Terms. A text is read as syllables (words between spaces and punctuation), each with its exact lower-case NFC
spelling and its folded form (text.fold: no diacritics, đ -> d). A vacancy's terms, per field, are
- every folded syllable ("ke", "toan"),
- every folded pair of adjacent syllables within a phrase (punctuation ends a phrase): "ke toan" -- Vietnamese words
  are mostly two syllables, so a pair stands for a word and for adjacency,
- every exact spelling that differs from its folded form, prefixed with EXACT_PREFIX ("=điện"), so that a query typed
  with diacritics can prefer the spelling typed.

Weights (BM25F without length normalisation). A term's weighted frequency in a vacancy is
tf~ = sum over fields of FIELD_WEIGHTS[field] * (occurrences in the field): title 3 > skills and occupation 2 >
description 1 > place 0.5 (ward and former-district names). Employer names are not indexed: a word of a company's
name ("Công ty TNHH Kế Toán Hà Thành") would make every one of its vacancies a match for it. It is stored in half units (`level` = 2 * tf~, at most MAX_LEVEL) with its
saturated weight g = tf~ * (K1 + 1) / (tf~ + K1), so repeating a word does not buy rank. Rarity is computed in the
app from the stored document frequency (dbsearch_terms): idf = ln(1 + (N - df + 0.5) / (df + 0.5)).

Queries. parse_query splits the text into runs of syllables, "quoted phrases" and -exclusions (-word, -"a phrase").
plan_query turns the runs into words: two adjacent syllables are one word when their pair is a collocation of the
corpus (df(pair) >= WORD_PAIR_RATIO * the smaller df of the two syllables), otherwise each syllable is a word; a
quoted phrase is one word made of all its adjacent pairs. Synonyms and typo corrections (the `expansions` seam,
synonyms.py / spelling.py) give a word, or a span of words, alternatives.
- Every word is required (own form or an alternative); when that finds fewer than MIN_ALL_WORDS results and the
  query has two words or more, at least most_words_count(n) = n - max(1, n // 3) of them are ("most words"), and the page says so.
- Exclusions: a vacancy holding every term of an excluded word or phrase is never found.
Score = TIER * tier + sum over scoring terms of factor * idf(term) * g(level in the vacancy), where
- tier sums the query's own units the vacancy holds: each word (its syllable or pair), worth TIER * (0.5 + 0.5 *
  its rarity / the rarest word's), and, for a run of several words, the whole run as typed (all its adjacent
  pairs, TIER), so exact phrases rank first, rare words before common ones, typos and synonyms after;
- scoring terms: every folded syllable and every adjacent pair of the query (factor 1), the exact spelling of every
  syllable typed with diacritics (factor ACCENT_SHARE: "điện" above "Diện"), the terms of synonyms (SYNONYM_SHARE)
  and typo corrections (TYPO_SHARE).
Ties are broken by the worker's match score when there is one (added to the score, in [0, 1]), then by freshness
(published_at, newest first), and only then by id.

Place words. A ward or former-district name in the query (two syllables or more, optionally after a unit word such
as "quận", "phường", "q.") is taken out of the text and becomes a place filter, shown on the page.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping

from ..text import fold, nfc

K1 = 1.2
FIELD_WEIGHTS = {"title": 3.0, "skills": 2.0, "occupation": 2.0, "description": 1.0, "employer": 0.5, "place": 0.5}
MAX_LEVEL = 40  # tf~ counted up to 20; beyond that g changes by less than 1 %
EXACT_PREFIX = "="
DOCS_KEY = "#docs"  # the dbsearch_terms row holding the number of vacancies indexed
TIER = 100.0  # larger than any sum of term scores, so a unit held always outranks term weights
ACCENT_SHARE = 0.5
SYNONYM_SHARE = 0.8
TYPO_SHARE = 0.3
WORD_PAIR_RATIO = 0.3
MIN_ALL_WORDS = 10  # a first page's worth
UNIT_WORDS = {"phuong", "p", "xa", "quan", "q", "huyen", "h", "tx", "khu", "vuc", "thi", "tran", "tt"}

_SYLLABLE = re.compile(r"[^\W_]+")
_PHRASE_BREAK = re.compile(r"[.,;:!?()\[\]{}/\\|•·\n\r\t\"'“”‘’<>+*=&#%@~^$–—-]+")
_QUERY_PART = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Syllable:
    """One syllable: its exact lower-case NFC spelling and its folded form."""

    exact: str
    folded: str

    @property
    def accented(self) -> bool:
        """True when it was written with diacritics (or đ)."""
        return self.exact != self.folded


def syllables(value: str | None) -> list[Syllable]:
    """The syllables of a text, in order (what text.fold_tokens would give, with the exact spellings kept)."""
    out = []
    for raw in _SYLLABLE.findall(nfc(value or "").lower()):
        folded = "".join(re.findall(r"[a-z0-9]+", fold(raw)))
        if folded:
            out.append(Syllable(raw if fold(raw) == folded else folded, folded))
    return out


def phrases(value: str | None) -> list[list[Syllable]]:
    """A text cut at punctuation into phrases of syllables: adjacent pairs are only taken within a phrase."""
    return [s for s in (syllables(part) for part in _PHRASE_BREAK.split(value or "")) if s]


def pair(a: str, b: str) -> str:
    """The term of two adjacent folded syllables."""
    return f"{a} {b}"


def exact_term(s: Syllable) -> str:
    """The term of a syllable's exact spelling."""
    return EXACT_PREFIX + s.exact


def weight(level: int) -> float:
    """The saturated weight of a term held at `level` (2 * weighted term frequency)."""
    tf = level / 2.0
    return tf * (K1 + 1) / (tf + K1) if tf > 0 else 0.0


def idf(df: int, n: int) -> float:
    """Rarity of a term held by df of n vacancies (BM25's, never negative)."""
    df = max(0, min(df, n))
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


def field_terms(value: str | None) -> dict[str, int]:
    """How many times each term occurs in one field's text."""
    counts: dict[str, int] = {}
    for phrase in phrases(value):
        for i, s in enumerate(phrase):
            counts[s.folded] = counts.get(s.folded, 0) + 1
            if s.accented:
                counts[exact_term(s)] = counts.get(exact_term(s), 0) + 1
            if i + 1 < len(phrase):
                p = pair(s.folded, phrase[i + 1].folded)
                counts[p] = counts.get(p, 0) + 1
    return counts


def document_terms(fields: Mapping[str, str | Iterable[str] | None]) -> dict[str, int]:
    """Every term of a vacancy with its level: 2 * sum of field weight * occurrences, capped at MAX_LEVEL.

    `fields` maps FIELD_WEIGHTS' names to a text or a list of texts (skill labels: one text each)."""
    half_units: dict[str, int] = {}
    for name, value in fields.items():
        w2 = int(round(2 * FIELD_WEIGHTS[name]))
        texts = [value] if value is None or isinstance(value, str) else list(value)
        for text in texts:
            for term, n in field_terms(text).items():
                half_units[term] = half_units.get(term, 0) + w2 * n
    return {t: min(MAX_LEVEL, v) for t, v in half_units.items()}


# --------------------------------------------------------------------------------------------------- queries

@dataclass
class Run:
    """Syllables typed next to each other (quoted: a phrase that must appear as typed, folded)."""

    syllables: list[Syllable]
    quoted: bool = False


@dataclass
class ParsedQuery:
    """A query split into runs of syllables and exclusions (each a run)."""

    runs: list[Run] = field(default_factory=list)
    exclusions: list[Run] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when nothing is left to match on."""
        return not any(r.syllables for r in self.runs)

    def folded_words(self) -> list[str]:
        """Every folded syllable of the runs, in order (highlighting, spelling)."""
        return [s.folded for r in self.runs for s in r.syllables]


def parse_query(q: str | None) -> ParsedQuery:
    """Runs, quoted phrases and -exclusions of a query. Punctuation ends a run, like a phrase of a document."""
    parsed = ParsedQuery()
    current: list[Syllable] = []

    def close():
        nonlocal current
        if current:
            parsed.runs.append(Run(current))
        current = []

    for m in _QUERY_PART.finditer(nfc(q or "")):
        minus, quoted, bare = m.group(1), m.group(2), m.group(3)
        if quoted is not None:
            close()
            sylls = syllables(quoted)
            if sylls:
                (parsed.exclusions if minus else parsed.runs).append(Run(sylls, quoted=True))
            continue
        if bare.startswith("-") and len(bare) > 1 and syllables(bare[1:]):
            close()
            parsed.exclusions.append(Run(syllables(bare[1:]), quoted=True))
            continue
        for k, part in enumerate(_PHRASE_BREAK.split(bare)):
            if k > 0:
                close()
            current.extend(syllables(part))
        if _PHRASE_BREAK.search(bare[-1:] or ""):
            close()
    close()
    return parsed


@dataclass(frozen=True)
class Alternative:
    """Another way to say a query word or span of words: a folded phrase, from synonyms or a typo correction."""

    start: int  # index of the first word it replaces
    end: int  # index after the last
    phrase: str
    kind: str = "synonym"  # "synonym" or "typo"


Expansions = Callable[[list[str]], list[Alternative]]


def no_expansions(words: list[str]) -> list[Alternative]:
    """The seam's default: no synonyms, no typo corrections."""
    return []


@dataclass
class Word:
    """One word of the query: its folded text and the terms that must all be present for its own form."""

    text: str
    terms: list[str]
    syllables: list[Syllable]


@dataclass
class Clause:
    """A required unit: one of the alternatives (each a list of terms, all present) must hold."""

    alternatives: list[list[str]]


@dataclass
class ScoreTerm:
    """A term that adds factor * idf * weight(level) to the score of a vacancy holding it."""

    term: str
    factor: float
    idf: float = 0.0


@dataclass
class QueryPlan:
    """Everything a backend needs to run a query's text part."""

    words: list[Word]
    clauses: list[Clause]
    score_terms: list[ScoreTerm]
    tier_groups: list[tuple[list[str], float]]  # (terms all held, its tier value)
    exclusions: list[list[str]]
    alternatives: list[Alternative] = field(default_factory=list)
    n_docs: int = 0

    @property
    def empty(self) -> bool:
        """True when the plan has no text to match (the listing, with filters only)."""
        return not self.clauses

    def required(self, most_words: bool) -> int:
        """How many clauses a vacancy must satisfy."""
        return most_words_count(len(self.clauses)) if most_words else len(self.clauses)

    def all_terms(self) -> list[str]:
        """Every term the plan reads, each once."""
        seen: dict[str, None] = {}
        for c in self.clauses:
            for alt in c.alternatives:
                seen.update(dict.fromkeys(alt))
        seen.update(dict.fromkeys(t.term for t in self.score_terms))
        for g, _ in self.tier_groups:
            seen.update(dict.fromkeys(g))
        for ex in self.exclusions:
            seen.update(dict.fromkeys(ex))
        return list(seen)


def most_words_count(n: int) -> int:
    """How many of n words "most words" asks for: all but a third (at least one) of them, at least 1."""
    return max(1, n - max(1, n // 3))


def run_terms(sylls: list[Syllable]) -> list[str]:
    """The terms that say a run of syllables is present as typed: its adjacent pairs (one syllable: itself)."""
    if len(sylls) == 1:
        return [sylls[0].folded]
    return [pair(a.folded, b.folded) for a, b in zip(sylls, sylls[1:])]


def candidate_terms(parsed: ParsedQuery) -> list[str]:
    """The terms whose document frequency segmentation and scoring need (before expansions)."""
    out: dict[str, None] = {}
    for run in parsed.runs:
        for i, s in enumerate(run.syllables):
            out[s.folded] = None
            if s.accented:
                out[exact_term(s)] = None
            if i + 1 < len(run.syllables):
                out[pair(s.folded, run.syllables[i + 1].folded)] = None
    for run in parsed.exclusions:
        out.update(dict.fromkeys(run_terms(run.syllables)))
    return list(out)


def segment(run: Run, df: Mapping[str, int]) -> list[Word]:
    """The words of a run: a quoted run is one word; otherwise adjacent syllables whose pair is a collocation of the
    corpus join into one word, left to right."""
    sylls = run.syllables
    if run.quoted:
        return [Word(" ".join(s.folded for s in sylls), run_terms(sylls), list(sylls))]
    words, i = [], 0
    while i < len(sylls):
        if i + 1 < len(sylls):
            a, b = sylls[i], sylls[i + 1]
            together = df.get(pair(a.folded, b.folded), 0)
            if together > 0 and together >= WORD_PAIR_RATIO * min(df.get(a.folded, 0), df.get(b.folded, 0)):
                words.append(Word(pair(a.folded, b.folded), [pair(a.folded, b.folded)], [a, b]))
                i += 2
                continue
        words.append(Word(sylls[i].folded, [sylls[i].folded], [sylls[i]]))
        i += 1
    return words


def plan_query(parsed: ParsedQuery, df: Mapping[str, int], n_docs: int,
               expansions: Expansions = no_expansions) -> QueryPlan:
    """The words, required clauses, scoring and tier terms of a parsed query, rarity from `df` (terms' document
    frequencies, which must include the expansions' terms: see alternative_terms) over n_docs vacancies."""
    words: list[Word] = []
    score: dict[str, float] = {}
    tier: list[list[str]] = []
    phrases_typed: list[list[str]] = []
    for run in parsed.runs:
        run_words = segment(run, df)
        words.extend(run_words)
        tier.extend(w.terms for w in run_words if w.terms not in tier)
        if len(run_words) > 1:  # the whole run as typed: every adjacent pair
            phrase = run_terms(run.syllables)
            if phrase not in phrases_typed:
                phrases_typed.append(phrase)
        for i, s in enumerate(run.syllables):
            score[s.folded] = max(score.get(s.folded, 0.0), 1.0)
            if s.accented:
                score[exact_term(s)] = max(score.get(exact_term(s), 0.0), ACCENT_SHARE)
            if i + 1 < len(run.syllables):
                p = pair(s.folded, run.syllables[i + 1].folded)
                score[p] = 1.0
    alternatives = [a for a in expansions([w.text for w in words]) if 0 <= a.start < a.end <= len(words)]
    clauses: list[Clause] = []
    i = 0
    while i < len(words):
        spans = [a for a in alternatives if a.start == i]
        end = max((a.end for a in spans), default=i + 1)
        own = [t for w in words[i:end] for t in w.terms]
        alts = [own]
        for a in spans:
            terms = run_terms(syllables(a.phrase))
            if terms and terms not in alts:
                alts.append(terms)
            share = TYPO_SHARE if a.kind == "typo" else SYNONYM_SHARE
            for t in alternative_score_terms(a.phrase):
                score[t] = max(score.get(t, 0.0), share)
        if end == i + 1 and len(spans) == 0:
            clauses.append(Clause([own]))
        else:
            clauses.append(Clause(alts))
        i = end
    exclusions = [run_terms(r.syllables) for r in parsed.exclusions]
    score_terms = [ScoreTerm(t, f, idf(df.get(t, 0), n_docs)) for t, f in score.items()]
    # A word's tier value grows with its rarity (the rarest word of the query is worth TIER): when most words are
    # asked for, a vacancy holding the rare word outranks one holding only the common ones.
    rarity = {tuple(g): max(idf(df.get(t, 0), n_docs) for t in g) for g in tier}
    top = max(rarity.values(), default=0.0) or 1.0
    groups = [(g, round(TIER * (0.5 + 0.5 * rarity[tuple(g)] / top), 6)) for g in tier]
    groups += [(g, TIER) for g in phrases_typed]
    return QueryPlan(words=words, clauses=clauses, score_terms=score_terms, tier_groups=groups,
                     exclusions=exclusions, alternatives=alternatives, n_docs=n_docs)


def alternative_score_terms(phrase: str) -> list[str]:
    """The terms an alternative phrase scores with: its syllables and its adjacent pairs."""
    sylls = syllables(phrase)
    out = [s.folded for s in sylls]
    out += [pair(a.folded, b.folded) for a, b in zip(sylls, sylls[1:])]
    return list(dict.fromkeys(out))


def alternative_terms(alternatives: Iterable[Alternative]) -> list[str]:
    """Every term the alternatives need a document frequency for."""
    out: dict[str, None] = {}
    for a in alternatives:
        out.update(dict.fromkeys(alternative_score_terms(a.phrase)))
    return list(out)


def score_vacancy(plan: QueryPlan, terms: Mapping[str, int], *, most_words: bool = False) -> float | None:
    """The text score of one vacancy (its terms and levels, document_terms) for a plan; None when it is not found.
    The reference the SQL and the Elasticsearch bodies reproduce."""
    if plan.empty:
        return 0.0
    if any(all(t in terms for t in ex) for ex in plan.exclusions):
        return None
    held = sum(1 for c in plan.clauses if any(all(t in terms for t in alt) for alt in c.alternatives))
    if held < plan.required(most_words):
        return None
    total = sum(value for g, value in plan.tier_groups if all(t in terms for t in g))
    total += sum(s.factor * s.idf * weight(terms[s.term]) for s in plan.score_terms if s.term in terms)
    return total


# --------------------------------------------------------------------------------------------------- places

@dataclass
class PlaceMatch:
    """A place named in the query: the kind ("district" or "ward"), its code and name, and the query without it."""

    kind: str
    code: str
    name: str
    parsed: ParsedQuery


def find_place(parsed: ParsedQuery, names: Callable[[str], tuple[list[str], list[str], list[str]]],
               label: Callable[[str, str], str], max_tokens: int = 4) -> PlaceMatch | None:
    """The first place name (two syllables or more, the longest at each position) in the query's unquoted runs.

    names(folded) -> (2025 ward codes, old ward codes, former district codes) named so (geo.GeoIndex.names_for);
    label(kind, code) -> the name to show. A former district wins over a ward of the same name (the broader place);
    an old ward is not used (it may have gone into several wards)."""
    for r, run in enumerate(parsed.runs):
        if run.quoted:
            continue
        sylls = run.syllables
        for i in range(len(sylls)):
            for n in range(min(max_tokens, len(sylls) - i), 1, -1):
                key = " ".join(s.folded for s in sylls[i:i + n])
                wards, _old, districts = names(key)
                if not (wards or districts):
                    continue
                kind, code = ("district", districts[0]) if districts else ("ward", wards[0])
                start = i - 1 if i > 0 and sylls[i - 1].folded in UNIT_WORDS else i
                rest = [Run(sylls[:start])] if start > 0 else []
                rest += [Run(sylls[i + n:])] if i + n < len(sylls) else []
                runs = parsed.runs[:r] + rest + parsed.runs[r + 1:]
                return PlaceMatch(kind, code, label(kind, code), ParsedQuery(runs, parsed.exclusions))
    return None


def highlight_terms(parsed: ParsedQuery, alternatives: Iterable[Alternative] = ()) -> set[str]:
    """The folded syllables a page highlights: the query's own and its alternatives'."""
    out = set(parsed.folded_words())
    for a in alternatives:
        out.update(s.folded for s in syllables(a.phrase))
    return out
