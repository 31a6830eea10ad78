"""The reference geography held in memory per process: wards, former districts, old wards, crosswalk, name indexes."""
from __future__ import annotations

import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..models import FormerDistrict, OldWard, Ward, WardCrosswalk
from ..text import fold_tokens

# Reference tables change only through `flask refdata load` (another process), so a process re-reads them at
# most this often; tests and the loader can also call clear_cache().
DEFAULT_TTL_SECONDS = 600.0


@dataclass(frozen=True)
class DistrictInfo:
    """A former district (quận, huyện, thị xã)."""

    code: str
    name: str
    full_name: str
    folded: str


@dataclass(frozen=True)
class WardInfo:
    """A 2025 ward or commune with the former district it mostly came from."""

    code: str
    name: str
    full_name: str
    unit_type: str
    district_code: str
    district_name: str
    folded: str


@dataclass(frozen=True)
class OldWardInfo:
    """A pre-2025 ward with its successors in the crosswalk, the default successor first."""

    code: str
    name: str
    full_name: str
    unit_type: str
    district_code: str
    district_name: str
    folded: str
    successors: tuple[str, ...]

    @property
    def split(self) -> bool:
        """True when the old ward went into more than one 2025 ward."""
        return len(self.successors) > 1


@dataclass(frozen=True)
class SearchEntry:
    """A name ward search looks at: a 2025 ward's (kind "new") or an old ward's, with its former district."""

    kind: str
    code: str
    name_words: tuple[str, ...]
    context_words: tuple[str, ...]


@dataclass
class GeoIndex:
    """Everything address resolution and ward search read, with folded-name lookups."""

    districts: dict[str, DistrictInfo]
    wards: dict[str, WardInfo]
    old_wards: dict[str, OldWardInfo]
    new_by_name: dict[str, list[str]] = field(default_factory=dict)
    old_by_name: dict[str, list[str]] = field(default_factory=dict)
    district_by_name: dict[str, list[str]] = field(default_factory=dict)
    district_successors: dict[str, list[str]] = field(default_factory=dict)
    max_name_tokens: int = 1
    loaded_at: float = 0.0
    search_entries: list[SearchEntry] = field(default_factory=list)
    # Every beginning of every word of an entry (name and district) -> entry positions: a query's candidates.
    word_prefixes: dict[str, set[int]] = field(default_factory=dict)
    # Streets and landmarks (evidence for a ward, never a ward) and places outside Hanoi, by folded name.
    streets: list = field(default_factory=list)
    street_by_name: dict[str, list[int]] = field(default_factory=dict)
    outside_by_name: dict[str, tuple[str, str]] = field(default_factory=dict)
    ward_district_codes: dict[str, frozenset[str]] = field(default_factory=dict)
    dashed_names: set[str] = field(default_factory=set)  # names written with a dash inside: "Văn Miếu - Quốc Tử Giám"

    def has_name(self, key: str) -> bool:
        """True when key is any known name: ward, old ward, district, street, landmark or place outside Hanoi."""
        return (key in self.new_by_name or key in self.old_by_name or key in self.district_by_name
                or key in self.street_by_name or key in self.outside_by_name)

    def names_for(self, key: str) -> tuple[list[str], list[str], list[str]]:
        """The 2025 ward, old ward and former district codes whose folded name is key."""
        return self.new_by_name.get(key, []), self.old_by_name.get(key, []), self.district_by_name.get(key, [])


def build_index() -> GeoIndex:
    """Read the reference tables (four queries) and build the lookups."""
    districts = [(d.code, d.name_vi, d.full_name_vi) for d in db.session.scalars(select(FormerDistrict))]
    wards = [tuple(w) for w in db.session.execute(
        select(Ward.code, Ward.name_vi, Ward.full_name_vi, Ward.unit_type, Ward.district_code))]
    links = [(o, n, bool(d)) for o, n, d in db.session.execute(
        select(WardCrosswalk.old_ward_code, WardCrosswalk.new_ward_code, WardCrosswalk.is_default))]
    old = [tuple(o) for o in db.session.execute(
        select(OldWard.code, OldWard.name_vi, OldWard.full_name_vi, OldWard.unit_type, OldWard.district_code))]
    return assemble_index(districts, wards, old, links)


def build_index_from_files() -> GeoIndex:
    """The same index from the shipped CSV files, without a database or an app (benchmarks, pure tests)."""
    from ..refdata.loader import read_csv

    districts = [(r["district_code"], r["name_vi"], r["full_name_vi"]) for r in read_csv("hanoi_districts_2024.csv")]
    wards = [(r["ward_code"], r["name_vi"], r["full_name_vi"], r["unit_type_vi"], r["primary_old_district_code"])
             for r in read_csv("hanoi_wards_2025.csv")]
    old = [(r["old_ward_code"], r["old_ward_name"], r["old_ward_full"], r["old_ward_type"], r["old_district_code"])
           for r in read_csv("hanoi_wards_2024.csv")]
    links = [(r["old_ward_code"], r["new_ward_code"], r["is_default_new_ward"] == "True")
             for r in read_csv("hanoi_ward_mapping_2024_to_2025.csv")]
    return assemble_index(districts, wards, old, links)


def assemble_index(district_rows, ward_rows, old_rows, link_rows) -> GeoIndex:
    """The index from plain rows: (code, name, full name) districts, (code, name, full name, unit type,
    district code) wards and old wards, (old code, new code, is default) crosswalk links."""
    districts = {code: DistrictInfo(code, name, full, name_key(name)) for code, name, full in district_rows}
    wards = {code: WardInfo(code, name, full, unit, dcode, districts[dcode].name, name_key(name))
             for code, name, full, unit, dcode in ward_rows}
    links: dict[str, list[tuple[bool, str]]] = defaultdict(list)
    for old_code, new_code, is_default in link_rows:
        links[old_code].append((bool(is_default), new_code))
    old_wards = {}
    for code, name, full, unit, dcode in old_rows:
        ordered = sorted(links.get(code, []), key=lambda link: (not link[0], wards[link[1]].folded))
        old_wards[code] = OldWardInfo(code, name, full, unit, dcode, districts[dcode].name, name_key(name),
                                      tuple(c for _, c in ordered))
    index = GeoIndex(districts=districts, wards=wards, old_wards=old_wards, loaded_at=time.monotonic())
    for mapping, items in ((index.new_by_name, wards.values()), (index.old_by_name, old_wards.values()),
                           (index.district_by_name, districts.values())):
        for item in items:
            mapping.setdefault(item.folded, []).append(item.code)
    index.dashed_names = {name_key(n) for n in [w.name for w in wards.values()] + [o.name for o in old_wards.values()]
                          if "-" in n}
    _add_streets_and_outside(index)
    index.max_name_tokens = max(len(key.split()) for m in (index.new_by_name, index.old_by_name,
                                                           index.district_by_name, index.street_by_name,
                                                           index.outside_by_name) for key in m)
    index.district_successors = _district_successors(index)
    _build_search(index)
    return index


def _add_streets_and_outside(index: GeoIndex) -> None:
    """Streets, landmarks, other names of old wards (merged before 2025) and the names of places outside Hanoi, from
    the shipped files (reference data that has no table), and which former districts each 2025 ward took
    territory from."""
    from ..refdata.loader import read_csv
    from ..refdata.streets import read_streets

    for row in read_csv("hanoi_wards_2025.csv"):
        if row["ward_code"] in index.wards:
            index.ward_district_codes[row["ward_code"]] = frozenset(row["old_district_codes"].split(";"))
    for code, ward in index.wards.items():
        index.ward_district_codes.setdefault(code, frozenset({ward.district_code}))
    for position, street in enumerate(read_streets()):
        street = type(street)(street.name, street.kind, street.aliases, street.district_codes, street.old_ward_codes,
                              tuple(c for c in street.ward_codes if c in index.wards))
        index.streets.append(street)
        for name in street.names:
            index.street_by_name.setdefault(name_key(name), []).append(position)
    by_name = {(o.district_code, o.name): o.code for o in index.old_wards.values()}
    for row in read_csv("hanoi_old_ward_aliases.csv"):
        code = by_name.get((row["old_district_code"], row["old_ward_name"]))
        codes = index.old_by_name.setdefault(name_key(row["alias"]), [])
        if code and code not in codes:
            codes.append(code)
    for row in read_csv("vietnam_outside_hanoi.csv"):
        index.outside_by_name.setdefault(name_key(row["name"]), (row["name"], row["kind"]))
        if "-" in row["name"]:
            index.dashed_names.add(name_key(row["name"]))


def _build_search(index: GeoIndex) -> None:
    """The entries ward search scans, and the prefix table that narrows a query to a few of them."""
    places = [("new", w.code, w.folded, w.district_code) for w in index.wards.values()] + \
             [("old", o.code, o.folded, o.district_code) for o in index.old_wards.values()]
    for position, (kind, code, folded, district_code) in enumerate(places):
        entry = SearchEntry(kind, code, tuple(folded.split()), tuple(index.districts[district_code].folded.split()))
        index.search_entries.append(entry)
        for word in entry.name_words + entry.context_words:
            for end in range(1, len(word) + 1):
                index.word_prefixes.setdefault(word[:end], set()).add(position)


def _district_successors(index: GeoIndex) -> dict[str, list[str]]:
    """For each former district, the 2025 wards its old wards went into: same-named ward first, then by weight."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for old in index.old_wards.values():
        for rank, code in enumerate(old.successors):
            counts[old.district_code][code] += 3 if rank == 0 else 1
    out = {}
    for dcode, per_ward in counts.items():
        dname = index.districts[dcode].folded
        out[dcode] = sorted(per_ward, key=lambda c: (index.wards[c].folded != dname, -per_ward[c],
                                                     index.wards[c].folded))
    return out


_QUALIFIER = re.compile(r"\([^)]*\)")
_lock = threading.Lock()
_cache: dict[str, GeoIndex] = {}


def get_index() -> GeoIndex:
    """The process's index for the current app's database, rebuilt when older than GEO_CACHE_SECONDS."""
    key = str(db.engine.url)
    ttl = float(current_app.config.get("GEO_CACHE_SECONDS", DEFAULT_TTL_SECONDS))
    index = _cache.get(key)
    if index is None or time.monotonic() - index.loaded_at > ttl:
        with _lock:
            index = _cache.get(key)
            if index is None or time.monotonic() - index.loaded_at > ttl:
                index = build_index()
                _cache[key] = index
    return index


def clear_cache() -> None:
    """Forget every cached index (after reloading the reference data in this process)."""
    with _lock:
        _cache.clear()


def name_key(name: str) -> str:
    """How a place name is looked up: folded words, a parenthetical qualifier dropped ('Yên Viên (Xã)')."""
    return " ".join(fold_tokens(_QUALIFIER.sub(" ", name)))
