"""Labelled sets of job texts and how the reader is scored on them (tests and bench/reading.py share this)."""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Posting:
    """One labelled text: what it says and what a careful reader takes from it."""

    title: str = ""
    description: str = ""
    address: str = ""
    occupation: str | None = None
    wage: tuple[int | None, int | None] | None = None   # None: not labelled; (None, None): no wage written
    experience: float | None = None
    experience_labelled: bool = False
    skills: list[tuple[str, int, int, str]] = field(default_factory=list)  # (field, start, end, label)


def _span(text: str, surface: str, nth: int) -> tuple[int, int]:
    """The nth occurrence (0-based) of surface in text, as a span; ValueError when missing."""
    at = -1
    for _ in range(nth + 1):
        at = text.find(surface, at + 1)
        if at < 0:
            raise ValueError(f"{surface!r} not found in {text!r}")
    return at, at + len(surface)


def _wage(value: str) -> tuple[int | None, int | None]:
    """'10000000-15000000', '8000000-', '-20000000', '9000000', 'none' -> bounds."""
    value = value.strip()
    if value in ("none", "neg", ""):
        return (None, None)
    if "-" in value:
        lo, hi = value.split("-", 1)
        return (int(lo) if lo else None, int(hi) if hi else None)
    return (int(value), int(value))


def load_postings(path: Path) -> list[Posting]:
    """Blocks separated by blank lines; lines 't:', 'd:' (repeatable: joined by new lines), 'a:', 'occ:', 'wage:',
    'exp:', 'sk:' ('surface => Label ; t:surface => Label', '#2' after a surface for its second occurrence)."""
    postings = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [ln for ln in block.strip().split("\n") if ln.strip() and not ln.startswith("#")]
        if not lines:
            continue
        p = Posting()
        desc: list[str] = []
        skills_spec = ""
        for ln in lines:
            key, _, value = ln.partition(":")
            value = value.strip()
            if key == "t":
                p.title = value
            elif key == "d":
                desc.append(value)
            elif key == "a":
                p.address = value
            elif key == "occ":
                p.occupation = value or None
            elif key == "wage":
                p.wage = _wage(value)
            elif key == "exp":
                p.experience_labelled = True
                p.experience = None if value == "none" else float(value)
            elif key == "sk":
                skills_spec = value
        p.description = "\n".join(desc)
        for item in filter(None, (s.strip() for s in skills_spec.split(" ; "))):
            surface, _, label = item.partition(" => ")
            fld = "description"
            if surface.startswith("t:"):
                fld, surface = "title", surface[2:]
            nth = 0
            if "#" in surface[-3:]:
                surface, _, n = surface.rpartition("#")
                nth = int(n) - 1
            text = p.title if fld == "title" else p.description
            start, end = _span(text, surface, nth)
            p.skills.append((fld, start, end, label.strip()))
        postings.append(p)
    return postings


def load_pairs(path: Path) -> list[list[str]]:
    """Rows of a tab-separated labelled file, header skipped."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    return [r for r in rows[1:] if r and not r[0].startswith("#")]


def skill_scores(gold: list[set], found: list[set]) -> dict[str, float]:
    """Micro precision, recall and F1 over (field, start, end, label) tuples."""
    tp = sum(len(g & f) for g, f in zip(gold, found))
    n_found = sum(len(f) for f in found)
    n_gold = sum(len(g) for g in gold)
    precision = tp / n_found if n_found else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "gold": n_gold, "found": n_found, "correct": tp}


def reading_skill_set(reading) -> set:
    """A reading's skill mentions as comparable tuples."""
    return {(m.field, m.span[0], m.span[1], m.label_vi) for m in reading.skills}
