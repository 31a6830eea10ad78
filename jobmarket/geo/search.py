"""Diacritic-insensitive ward search for type-ahead: 2025 names and old names, answered from memory."""
from __future__ import annotations

from dataclasses import dataclass

from ..text import fold_tokens
from .index import GeoIndex, get_index

# Unit words people type before a name; they say nothing about which ward is meant.
_UNIT_WORDS = {"phuong", "xa", "p", "thi", "tran", "tt", "quan", "huyen", "q", "h", "tx", "khu", "vuc"}
MAX_QUERY_CHARS = 80


@dataclass(frozen=True)
class WardHit:
    """A 2025 ward found by a search, and the old ward it was found through (when it was)."""

    code: str
    name: str
    district_code: str
    district_name: str
    via: str | None = None
    via_district: str | None = None
    is_default: bool = True


def _tier(query: list[str], name: list[str], context: list[str]) -> float | None:
    """How well the query words match a place: 0 exact name, 1 the name starts so, 2 words of the name,
    2.2 the whole former district's name, 3 name then district ("dich vong hau cau giay"), 4 part of the
    district's name; None when some word matches nothing. Every query word must begin a word."""
    joined_q, joined_n, joined_c = " ".join(query), " ".join(name), " ".join(context)
    if joined_q == joined_n:
        return 0
    if joined_n.startswith(joined_q):
        return 1
    if all(any(w.startswith(q) for w in name) for q in query):
        return 2
    if joined_q == joined_c:
        return 2.2
    for cut in range(1, len(query)):
        head, tail = query[:cut], " ".join(query[cut:])
        if all(any(w.startswith(q) for w in name) for q in head) and joined_c.startswith(tail):
            return 3
    if all(any(w.startswith(q) for w in context) for q in query):
        return 4
    return None


def search_wards(q: str | None, limit: int = 8, index: GeoIndex | None = None) -> list[WardHit]:
    """2025 wards whose name, old ward names or former district match q (diacritics ignored), best first."""
    words = fold_tokens((q or "")[:MAX_QUERY_CHARS])[:6]
    meaningful = [w for w in words if w not in _UNIT_WORDS] or words
    if not meaningful:
        return []
    index = index or get_index()
    candidates = set.intersection(*(index.word_prefixes.get(w, set()) for w in meaningful))
    scored: list[tuple[float, int, str, WardHit]] = []
    for position in candidates:
        entry = index.search_entries[position]
        tier = _tier(meaningful, list(entry.name_words), list(entry.context_words))
        if tier is None:
            continue
        joined = " ".join(entry.name_words)
        if entry.kind == "new":
            ward = index.wards[entry.code]
            scored.append((tier, len(joined), joined,
                           WardHit(ward.code, ward.full_name, ward.district_code, ward.district_name)))
            continue
        if tier >= 2.2 and tier != 3:
            continue  # old wards are found by their own name, not by their district's alone
        old = index.old_wards[entry.code]
        for rank, code in enumerate(old.successors):
            ward = index.wards[code]
            hit = WardHit(ward.code, ward.full_name, ward.district_code, ward.district_name, via=old.full_name,
                          via_district=old.district_name, is_default=rank == 0)
            scored.append((tier + 0.5 + 0.1 * rank, len(joined), joined, hit))
    scored.sort(key=lambda item: item[:3])
    hits: list[WardHit] = []
    seen: set[tuple[str, str | None]] = set()
    for _, _, _, hit in scored:
        key = (hit.code, hit.via)
        if key in seen or any(h.code == hit.code and h.via is None for h in hits):
            continue  # a ward already listed under its own name needs no second line through an old name
        seen.add(key)
        hits.append(hit)
        if len(hits) >= limit:
            break
    return hits
