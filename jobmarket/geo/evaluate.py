"""Score the address resolver against a labelled set (tests/geo/addresses_labelled.csv): shared by the test and the bench."""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from .index import GeoIndex

LABELLED = Path(__file__).resolve().parents[2] / "tests" / "geo" / "addresses_labelled.csv"


@dataclass
class Score:
    """Counts per measure and the rows that missed (for reading, not for asserting)."""

    district_known: int = 0
    district_ok: int = 0          # resolved to a ward of the former district, or a choice containing one
    district_top1: int = 0        # the answer (or the default of the choice) is a ward of the former district
    ward_labelled: int = 0
    ward_top1: int = 0            # the answer (or the default) is one of the expected 2025 wards
    ward_in_choice: int = 0       # an expected 2025 ward is among the offered wards
    outside: int = 0
    outside_ok: int = 0
    multi: int = 0
    multi_ok: int = 0             # resolve_places found every place (and outside Hanoi when named)
    misses: list[str] = field(default_factory=list)

    def ratio(self, part: int, whole: int) -> float:
        """part / whole, 0 when there is nothing to count."""
        return round(part / whole, 4) if whole else 0.0

    def summary(self) -> dict:
        """The figures as a dict (the bench prints it as its JSON line)."""
        return {
            "district_accuracy": self.ratio(self.district_ok, self.district_known),
            "district_top1": self.ratio(self.district_top1, self.district_known),
            "ward_top1": self.ratio(self.ward_top1, self.ward_labelled),
            "ward_in_choice": self.ratio(self.ward_in_choice, self.ward_labelled),
            "outside_accuracy": self.ratio(self.outside_ok, self.outside),
            "multi_place_accuracy": self.ratio(self.multi_ok, self.multi),
            "n_district_known": self.district_known, "n_ward_labelled": self.ward_labelled,
            "n_outside": self.outside, "n_multi": self.multi,
        }


def read_labelled(path: Path = LABELLED) -> list[dict[str, str]]:
    """The labelled rows."""
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _ward_districts(index: GeoIndex, ward_districts: dict[str, set[str]], option) -> set[str]:
    """Former districts an offered ward stands for: the old ward's when reached through one, else all that
    contributed to the 2025 ward."""
    via = getattr(option, "via_code", None)
    if via and via in index.old_wards:
        return {index.old_wards[via].district_code}
    return ward_districts.get(option.code, {option.district_code})


def score(rows: list[dict[str, str]], index: GeoIndex, resolve, resolve_places=None,
          ward_districts: dict[str, set[str]] | None = None) -> Score:
    """Run resolve (text, index) -> Resolution over the rows; resolve_places (text, index) -> [Resolution] for
    rows naming several places (when None, resolve's single answer is scored for them)."""
    if ward_districts is None:
        from ..refdata.loader import read_csv

        ward_districts = {r["ward_code"]: set(r["old_district_codes"].split(";"))
                          for r in read_csv("hanoi_wards_2025.csv")}
    s = Score()
    for row in rows:
        text, districts = row["address"], [d for d in row["former_district_code"].split(";") if d]
        outside = row["outside_hanoi"] == "true"
        if int(row["places"]) > 1:
            s.multi += 1
            places = resolve_places(text, index) if resolve_places else [resolve(text, index)]
            covered = {d for p in places for c in p.candidates for d in _ward_districts(index, ward_districts, c)}
            ok = all(d in covered for d in districts) and (not outside or any(p.outside_hanoi for p in places))
            if not outside and len(districts) > 1:
                ok = ok and sum(1 for p in places if p.candidates) >= len(districts)
            s.multi_ok += ok
            if not ok:
                s.misses.append(f"multi  {text!r}: {[(p.status, [c.name for c in p.candidates][:2]) for p in places]}")
            continue
        r = resolve(text, index)
        if outside:
            s.outside += 1
            s.outside_ok += bool(r.outside_hanoi and not r.candidates)
            if not (r.outside_hanoi and not r.candidates):
                s.misses.append(f"outside {text!r}: {r.status} {[c.name for c in r.candidates][:2]}")
            continue
        if not districts:
            continue
        s.district_known += 1
        d = districts[0]
        offered = [_ward_districts(index, ward_districts, c) for c in r.candidates]
        ok = any(d in ds for ds in offered)
        s.district_ok += ok
        s.district_top1 += bool(offered and d in offered[0])
        if not ok:
            s.misses.append(f"district {text!r} ({row['former_district']}): {r.status} {r.kind} "
                            f"{[c.name for c in r.candidates][:3]}")
        expected = [c for c in row["expected_ward_codes"].split(";") if c]
        if expected:
            s.ward_labelled += 1
            codes = [c.code for c in r.candidates]
            s.ward_top1 += bool(codes and codes[0] in expected)
            s.ward_in_choice += bool(set(codes) & set(expected))
            if not (codes and codes[0] in expected):
                s.misses.append(f"ward   {text!r}: want {expected[:3]} got {r.status} {r.kind} "
                                f"{[(c.code, c.name) for c in r.candidates][:3]}")
    return s
