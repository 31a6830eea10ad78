"""Load (or refresh) the reference tables from the CSV files in refdata/data; safe to run again."""
from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import select

from ..extensions import db
from ..models import (DistrictAdjacency, FormerDistrict, Occupation, OccupationAlias, OldWard, SearchSynonym, Skill,
                      SkillAlias, Ward,
                      WardCrosswalk)
from ..text import fold, nfc

DATA_DIR = Path(__file__).with_name("data")


def read_csv(name: str) -> list[dict[str, str]]:
    """Rows of one shipped CSV file, values NFC-normalised."""
    with open(DATA_DIR / name, newline="", encoding="utf-8") as fh:
        return [{k: nfc(v) if v is not None else "" for k, v in row.items()} for row in csv.DictReader(fh)]


def _upsert(model, key: str, rows: list[dict]) -> int:
    """Insert new rows and update existing ones, matched by primary key; returns how many were written."""
    existing = {getattr(obj, key): obj for obj in db.session.scalars(select(model))}
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            db.session.add(model(**row))
        else:
            for name, value in row.items():
                setattr(obj, name, value)
    return len(rows)


def load_districts() -> int:
    """The 30 former districts with centroids."""
    rows = [dict(code=r["district_code"], name_vi=r["name_vi"], full_name_vi=r["full_name_vi"],
                 name_ascii=r["name_ascii"], unit_type=r["unit_type_vi"], slug=r["slug"],
                 lat=float(r["centroid_lat"]), lon=float(r["centroid_lon"]), area_km2=float(r["area_km2"]))
            for r in read_csv("hanoi_districts_2024.csv")]
    return _upsert(FormerDistrict, "code", rows)


def load_adjacency() -> int:
    """Which former districts border which."""
    have = {(a.district_a, a.district_b) for a in db.session.scalars(select(DistrictAdjacency))}
    count = 0
    for r in read_csv("hanoi_district_adjacency_2024.csv"):
        a, b = sorted((r["district_code_a"], r["district_code_b"]))
        if (a, b) not in have:
            db.session.add(DistrictAdjacency(district_a=a, district_b=b, border_km=float(r["shared_border_km"])))
            have.add((a, b))
        count += 1
    return count


def load_wards() -> int:
    """The 126 wards of 2025."""
    rows = [dict(code=r["ward_code"], name_vi=r["name_vi"], full_name_vi=r["full_name_vi"], name_ascii=r["name_ascii"],
                 unit_type=r["unit_type_vi"], slug=r["slug"], lat=float(r["lat"]), lon=float(r["lon"]),
                 area_km2=float(r["area_km2"]), district_code=r["primary_old_district_code"],
                 old_district_codes=r["old_district_codes"])
            for r in read_csv("hanoi_wards_2025.csv")]
    return _upsert(Ward, "code", rows)


def load_old_wards() -> int:
    """The 526 wards and communes before the reform."""
    rows = [dict(code=r["old_ward_code"], name_vi=r["old_ward_name"], full_name_vi=r["old_ward_full"],
                 unit_type=r["old_ward_type"], district_code=r["old_district_code"],
                 lat=float(r["old_ward_lat"]), lon=float(r["old_ward_lon"]))
            for r in read_csv("hanoi_wards_2024.csv")]
    return _upsert(OldWard, "code", rows)


def load_crosswalk() -> int:
    """Old ward to new ward links."""
    have = {(c.old_ward_code, c.new_ward_code): c for c in db.session.scalars(select(WardCrosswalk))}
    rows = read_csv("hanoi_ward_mapping_2024_to_2025.csv")
    for r in rows:
        key = (r["old_ward_code"], r["new_ward_code"])
        is_default = r["is_default_new_ward"] == "True"
        if key in have:
            have[key].relation, have[key].is_default = r["relation"], is_default
        else:
            db.session.add(WardCrosswalk(old_ward_code=key[0], new_ward_code=key[1], relation=r["relation"],
                                         is_default=is_default))
    return len(rows)


def load_occupations() -> int:
    """VSCO 2020 occupations with ISCO-08 English titles."""
    rows = []
    for r in read_csv("vsco2020_isco08_occupations.csv"):
        title_vi = r["title_vi"] or r["title_en_isco08"]
        rows.append(dict(code=r["code"], level=int(r["level"]), parent_code=r["parent_code"] or None,
                         title_vi=title_vi, title_en=r["title_en_isco08"] or None,
                         search_text=fold(f"{title_vi} {r['title_en_isco08']}")))
    return _upsert(Occupation, "code", rows)


def skill_search_text(label_vi: str, label_en: str, synonyms: str) -> str:
    """Folded, de-duplicated words a skill is found by."""
    parts = [label_vi, label_en, *synonyms.split(";")]
    seen: list[str] = []
    for part in parts:
        folded = fold(part)
        if folded and folded not in seen:
            seen.append(folded)
    return " | ".join(seen)


def load_skills() -> int:
    """The skill vocabulary (labels and synonyms); weights and counts are left to the rarity job."""
    existing = {s.slug: s for s in db.session.scalars(select(Skill))}
    rows = read_csv("skills.csv")
    for r in rows:
        values = dict(label_vi=r["label_vi"], label_en=r["label_en"], category=r["category"],
                      occupation_group=r["occupation_group"], synonyms=r["synonyms"],
                      search_text=skill_search_text(r["label_vi"], r["label_en"], r["synonyms"]))
        skill = existing.get(r["slug"])
        if skill is None:
            db.session.add(Skill(slug=r["slug"], **values))
        else:
            for name, value in values.items():
                setattr(skill, name, value)
    return len(rows)


def load_skill_aliases() -> int:
    """Shipped aliases of skills (skill_aliases.csv, see SKILLS_SOURCES.md); admin aliases are kept as they are.

    Type-ahead's folded search text of each skill is rebuilt to include every alias.
    """
    skills = {s.slug: s for s in db.session.scalars(select(Skill))}
    have = {(a.skill_id, a.folded): a for a in db.session.scalars(select(SkillAlias))}
    rows = read_csv("skill_aliases.csv")
    for r in rows:
        skill = skills.get(r["slug"])
        alias = r["alias"].strip()
        if skill is None or not fold(alias):
            continue
        key = (skill.id, fold(alias))
        if key not in have:
            have[key] = SkillAlias(skill_id=skill.id, alias=alias, folded=key[1], source="data")
            db.session.add(have[key])
    extra: dict[int, list[str]] = {}
    for (skill_id, _), alias in have.items():
        extra.setdefault(skill_id, []).append(alias.alias)
    for skill in skills.values():
        if skill.id in extra:
            skill.search_text = skill_search_text(skill.label_vi, skill.label_en,
                                                  ";".join([skill.synonyms or "", *extra[skill.id]]))
    return len(rows)


def load_occupation_aliases() -> int:
    """Job titles as postings write them, each naming a VSCO 2020 unit group (occupation_aliases.csv)."""
    codes = set(db.session.scalars(select(Occupation.code).where(Occupation.level == 4)))
    have = {(a.occupation_code, a.folded) for a in db.session.scalars(select(OccupationAlias))}
    rows = read_csv("occupation_aliases.csv")
    for r in rows:
        alias = r["alias"].strip()
        key = (r["code"], fold(alias))
        if r["code"] in codes and key[1] and key not in have:
            db.session.add(OccupationAlias(occupation_code=r["code"], alias=alias, folded=key[1], source="data"))
            have.add(key)
    return len(rows)


def load_search_synonyms() -> int:
    """The curated search synonyms; rows an officer edited or deleted (deactivated) are left as the officer left them."""
    from ..search.synonyms import fold_phrase, invalidate

    existing = {s.phrase_folded: s for s in db.session.scalars(select(SearchSynonym))}
    rows = read_csv("search_synonyms.csv")
    for r in rows:
        folded = fold_phrase(r["phrase"])
        equivalents = ";".join(e.strip() for e in r["equivalents"].split(";") if e.strip())
        values = dict(phrase=r["phrase"], equivalents=equivalents,
                      equivalents_folded=";".join(fold_phrase(e) for e in equivalents.split(";")),
                      two_way=r["two_way"].strip().lower() == "true", kind=r["kind"] or "synonym", note=r["note"])
        row = existing.get(folded)
        if row is None:
            existing[folded] = SearchSynonym(phrase_folded=folded, source="seed", is_active=True, **values)
            db.session.add(existing[folded])
        elif row.source == "seed":
            for name, value in values.items():
                setattr(row, name, value)
    invalidate()
    return len(rows)


def load_all() -> dict[str, int]:
    """Load every reference table in dependency order, in one transaction."""
    counts = {}
    counts["former_districts"] = load_districts()
    db.session.flush()
    counts["district_adjacency"] = load_adjacency()
    counts["wards"] = load_wards()
    counts["old_wards"] = load_old_wards()
    db.session.flush()
    counts["ward_crosswalk"] = load_crosswalk()
    counts["occupations"] = load_occupations()
    counts["skills"] = load_skills()
    db.session.flush()
    # Tables of later migrations are filled only where the schema has them (a database migrated step by step).
    from sqlalchemy import inspect

    present = set(inspect(db.session.connection()).get_table_names())
    for table, loader in (("skill_aliases", load_skill_aliases), ("occupation_aliases", load_occupation_aliases),
                          ("search_synonyms", load_search_synonyms)):
        if table in present:
            counts[table] = loader()
    db.session.commit()
    from ..reading.vocab import clear_cache

    clear_cache()
    return counts
