"""Hanoi's main streets and the old wards they cross (hanoi_streets.csv): compiled to 2025 wards via the crosswalk."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from .loader import DATA_DIR, read_csv

STREETS_FILE = "hanoi_streets.csv"
COLUMNS = ["street", "kind", "aliases", "crosses", "former_district_codes", "old_ward_codes", "ward_codes_2025"]


@dataclass(frozen=True)
class Street:
    """A street (or a landmark): its names, the former districts and old wards it crosses, and the 2025 wards those went into
    (in the order written: the first is the most likely ward for an address on the street without more)."""

    name: str
    kind: str
    aliases: tuple[str, ...]
    district_codes: tuple[str, ...]
    old_ward_codes: tuple[str, ...]
    ward_codes: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The name and its aliases."""
        return (self.name, *self.aliases)


def _reference():
    """District codes by name, old ward codes by (district code, name), successors of each old ward (default first)."""
    districts = {r["name_vi"]: r["district_code"] for r in read_csv("hanoi_districts_2024.csv")}
    old: dict[tuple[str, str], str] = {}
    successors: dict[str, list[tuple[bool, str]]] = {}
    for r in read_csv("hanoi_ward_mapping_2024_to_2025.csv"):
        old[(r["old_district_code"], r["old_ward_name"])] = r["old_ward_code"]
        successors.setdefault(r["old_ward_code"], []).append((r["is_default_new_ward"] != "True", r["new_ward_code"]))
    return districts, old, {k: [c for _, c in sorted(v)] for k, v in successors.items()}


def compile_crosses(crosses: str, reference=None) -> tuple[list[str], list[str], list[str]]:
    """'Cầu Giấy: Trung Hòa, Yên Hòa | Thanh Xuân: Nhân Chính' -> former district codes, old ward codes and the
    2025 wards they went into (each old ward's successors, default first, in the order written, no repeats)."""
    districts, old, successors = reference or _reference()
    district_codes, old_codes, ward_codes = [], [], []
    for group in crosses.split("|"):
        district, _, wards = group.partition(":")
        dcode = districts[district.strip()]
        district_codes.append(dcode)
        for ward in wards.split(","):
            code = old[(dcode, ward.strip())]
            old_codes.append(code)
            ward_codes.extend(c for c in successors[code] if c not in ward_codes)
    return district_codes, old_codes, ward_codes


def read_streets(path: Path | None = None) -> list[Street]:
    """The shipped street list."""
    with open(path or DATA_DIR / STREETS_FILE, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [Street(r["street"], r["kind"], tuple(a for a in r["aliases"].split(";") if a),
                   tuple(r["former_district_codes"].split(";")), tuple(r["old_ward_codes"].split(";")),
                   tuple(r["ward_codes_2025"].split(";"))) for r in rows]


def write_streets(source_lines: list[str], path: Path | None = None) -> int:
    """Compile 'Name;Alias|District:Ward,Ward|District:Ward' lines into the CSV (how the file was made); a line
    starting with '@' is a landmark (an industrial zone, a building, a market) rather than a street."""
    reference = _reference()
    rows = []
    for line in source_lines:
        if not line.strip():
            continue
        line = line.strip()
        kind = "landmark" if line.startswith("@") else "street"
        names, _, crosses = line.lstrip("@").partition("|")
        name, *aliases = names.split(";")
        crosses = " | ".join(": ".join(p.strip() for p in g.split(":")).replace(",", ", ")
                             for g in crosses.split("|"))
        d, o, w = compile_crosses(crosses, reference)
        rows.append([name, kind, ";".join(aliases), crosses, ";".join(d), ";".join(o), ";".join(w)])
    with open(path or DATA_DIR / STREETS_FILE, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return len(rows)
