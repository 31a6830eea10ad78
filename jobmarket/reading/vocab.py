"""The vocabulary the reader matches against: an immutable in-memory snapshot of skills, occupations and aliases.

Refresh rule: a process keeps one snapshot per database and rebuilds it when it is older than
READING_CACHE_SECONDS (default 300 s), or at once when this process changes the vocabulary (the admin services
and the reference loader call clear_cache() after they commit). Other processes see a change within the TTL.
"""
from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field

from ..text import fold

DEFAULT_TTL_SECONDS = 300.0
# A token is a run of letters/digits, optionally ending in '+' or '#' (C++, C#).
TOKEN = re.compile(r"[^\W_]+[+#]*")
# Short all-capital aliases ("B2", "IT", "PR", "AI") match only when the text writes them in capitals too,
# since lower-case "it", "ai", "pr" are ordinary words or noise.
_SHORT = 3


@dataclass(frozen=True)
class SkillEntry:
    """One skill as the reader knows it."""

    id: int
    slug: str
    label_vi: str
    label_en: str
    category: str
    occupation_group: str


@dataclass(frozen=True)
class Phrase:
    """One way of writing a skill or an occupation: its folded tokens and what the exact writing demands."""

    key: int | str            # skill id or occupation code
    tokens: tuple[str, ...]   # folded tokens
    lower: tuple[str, ...]    # tokens lower-cased with their diacritics
    kind: int                 # 0 Vietnamese label, 1 English label, 2 synonym or alias
    exact_marks: bool         # one syllable with diacritics: must be written with the same diacritics
    capitals: bool            # a short capitalised alias: must be written in capitals


@dataclass(frozen=True)
class OccupationEntry:
    """A VSCO 2020 unit group (4 digits) with the folded words of its titles."""

    code: str
    title_vi: str
    title_en: str
    words: frozenset[str]


@dataclass(frozen=True)
class Snapshot:
    """Everything the reader needs from the database, built once and shared read-only."""

    skills: dict[int, SkillEntry]
    skill_phrases: dict[tuple[str, ...], tuple[Phrase, ...]]
    occupations: dict[str, OccupationEntry]
    occupation_phrases: dict[tuple[str, ...], tuple[Phrase, ...]]
    max_skill_len: int
    max_occupation_len: int
    # word -> occupations whose titles contain it (for the title-words fallback)
    occupation_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    loaded_at: float = 0.0


def tokens(text: str) -> list[re.Match]:
    """Token matches of a text (with spans)."""
    return list(TOKEN.finditer(text))


def make_phrase(key: int | str, text: str, kind: int) -> Phrase | None:
    """A phrase from a label or alias, or None when it has no words."""
    raw = [m.group(0) for m in TOKEN.finditer(text)]
    if not raw:
        return None
    folded = tuple(fold(t) for t in raw)
    lower = tuple(t.lower() for t in raw)
    # One word alone must be written as in the vocabulary (diacritics included): "may" is not "máy", "tiện" is
    # not "tiền"; longer phrases are found with or without diacritics.
    exact = len(raw) == 1
    capitals = len(raw) == 1 and len(raw[0]) <= _SHORT and raw[0].isupper() and kind == 2
    return Phrase(key, folded, lower, kind, exact, capitals)


def _index(phrases: list[Phrase]) -> tuple[dict, int]:
    """Phrases grouped by folded tokens, best kind first; and the longest phrase's length."""
    grouped: dict[tuple[str, ...], list[Phrase]] = {}
    seen = set()
    for p in phrases:
        ident = (p.key, p.lower)
        if ident in seen:
            continue
        seen.add(ident)
        grouped.setdefault(p.tokens, []).append(p)
    out = {k: tuple(sorted(v, key=lambda p: (p.kind, str(p.key)))) for k, v in grouped.items()}
    return out, max((len(k) for k in out), default=0)


def build_snapshot(skills: list[dict], skill_aliases: list[tuple[int, str]], occupations: list[dict],
                   occupation_aliases: list[tuple[str, str]]) -> Snapshot:
    """Build a snapshot from plain rows (so tests and benchmarks need no app).

    skills: dicts with id, slug, label_vi, label_en, category, occupation_group, synonyms (';'-separated);
    occupations: dicts with code, title_vi, title_en (level-4 unit groups); aliases: (key, text) pairs.
    """
    entries: dict[int, SkillEntry] = {}
    phrases: list[Phrase] = []
    for row in skills:
        entries[row["id"]] = SkillEntry(row["id"], row["slug"], row["label_vi"], row["label_en"] or "",
                                        row.get("category") or "", row.get("occupation_group") or "")
        for kind, text in [(0, row["label_vi"]), (1, row["label_en"] or "")] + \
                [(2, s) for s in (row.get("synonyms") or "").split(";")]:
            if (p := make_phrase(row["id"], text.strip(), kind)) is not None:
                phrases.append(p)
    for skill_id, text in skill_aliases:
        if skill_id in entries and (p := make_phrase(skill_id, text, 2)) is not None:
            phrases.append(p)
    skill_index, max_skill = _index(phrases)

    occs: dict[str, OccupationEntry] = {}
    occ_phrases: list[Phrase] = []
    words: dict[str, list[str]] = {}
    for row in occupations:
        title_en = row.get("title_en") or ""
        folded = frozenset(fold(t.group(0)) for t in TOKEN.finditer(f"{row['title_vi']} {title_en}"))
        occs[row["code"]] = OccupationEntry(row["code"], row["title_vi"], title_en, folded)
        for w in folded:
            words.setdefault(w, []).append(row["code"])
        if (p := make_phrase(row["code"], row["title_vi"], 0)) is not None:
            occ_phrases.append(p)
    for code, text in occupation_aliases:
        if code in occs and (p := make_phrase(code, text, 2)) is not None:
            occ_phrases.append(Phrase(p.key, p.tokens, p.lower, 2, False, p.capitals))
    occ_index, max_occ = _index(occ_phrases)
    return Snapshot(entries, skill_index, occs, occ_index, max_skill, max_occ,
                    {w: tuple(c) for w, c in words.items()}, time.monotonic())


def snapshot_from_db() -> Snapshot:
    """Read the vocabulary tables of the current app's database into a snapshot."""
    from sqlalchemy import select

    from ..extensions import db
    from ..models import Occupation, OccupationAlias, Skill, SkillAlias

    skills = [dict(id=s.id, slug=s.slug, label_vi=s.label_vi, label_en=s.label_en, category=s.category,
                   occupation_group=s.occupation_group, synonyms=s.synonyms)
              for s in db.session.scalars(select(Skill))]
    skill_aliases = list(db.session.execute(select(SkillAlias.skill_id, SkillAlias.alias)).tuples())
    occupations = [dict(code=o.code, title_vi=o.title_vi, title_en=o.title_en)
                   for o in db.session.scalars(select(Occupation).where(Occupation.level == 4))]
    occ_aliases = list(db.session.execute(select(OccupationAlias.occupation_code, OccupationAlias.alias)).tuples())
    return build_snapshot(skills, skill_aliases, occupations, occ_aliases)


_cache: dict[str, Snapshot] = {}
_lock = threading.Lock()


def get_snapshot() -> Snapshot:
    """The process's snapshot for the current app's database (see the module docstring for when it is rebuilt)."""
    from flask import current_app

    from ..extensions import db

    key = str(db.engine.url)
    ttl = float(current_app.config.get("READING_CACHE_SECONDS", DEFAULT_TTL_SECONDS))
    snap = _cache.get(key)
    if snap is None or time.monotonic() - snap.loaded_at > ttl:
        with _lock:
            snap = _cache.get(key)
            if snap is None or time.monotonic() - snap.loaded_at > ttl:
                snap = snapshot_from_db()
                _cache[key] = snap
    return snap


def clear_cache() -> None:
    """Forget every snapshot (after this process changed the vocabulary)."""
    with _lock:
        _cache.clear()


def snapshot_from_refdata() -> Snapshot:
    """A snapshot straight from the shipped CSV files (what `flask refdata load` puts in the database, without
    admin additions): for benchmarks and tests that need no app."""
    from ..refdata.loader import read_csv

    skills = [dict(id=i, **r) for i, r in enumerate(read_csv("skills.csv"), start=1)]
    by_slug = {s["slug"]: s["id"] for s in skills}
    aliases = [(by_slug[r["slug"]], r["alias"]) for r in read_csv("skill_aliases.csv") if r["slug"] in by_slug]
    occupations = [dict(code=r["code"], title_vi=r["title_vi"] or r["title_en_isco08"], title_en=r["title_en_isco08"])
                   for r in read_csv("vsco2020_isco08_occupations.csv") if r["level"] == "4"]
    occ_aliases = [(r["code"], r["alias"]) for r in read_csv("occupation_aliases.csv")]
    return build_snapshot(skills, aliases, occupations, occ_aliases)
