"""Reference data: Hanoi's 2025 wards, former districts, crosswalk, occupations and the skill vocabulary."""
from __future__ import annotations

import unicodedata

from sqlalchemy import func, select

from jobmarket.models import DistrictAdjacency, FormerDistrict, Occupation, OldWard, Skill, Ward, WardCrosswalk
from jobmarket.refdata.loader import load_all


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_counts(db):
    assert count(db, Ward) == 126
    assert db.session.scalar(select(func.count()).where(Ward.unit_type == "phường")) == 51
    assert db.session.scalar(select(func.count()).where(Ward.unit_type == "xã")) == 75
    assert count(db, FormerDistrict) == 30
    assert count(db, OldWard) == 526
    assert count(db, WardCrosswalk) == 794
    assert count(db, DistrictAdjacency) == 72
    assert count(db, Occupation) == 1209


def test_wards_carry_former_district_and_point(db):
    cau_giay = db.session.scalar(select(Ward).where(Ward.name_vi == "Cầu Giấy"))
    assert cau_giay.district.name_vi == "Cầu Giấy"
    assert 20.5 < cau_giay.lat < 21.5 and 105.2 < cau_giay.lon < 106.1
    assert cau_giay.label == "Phường Cầu Giấy (khu vực Cầu Giấy)"


def test_crosswalk_whole_and_split(db):
    # Phúc Xá went whole into Hồng Hà.
    links = db.session.scalars(select(WardCrosswalk).where(WardCrosswalk.old_ward_code == "00001")).all()
    assert [(link.new_ward_code, link.relation, link.is_default) for link in links] == [("00097", "whole", True)]
    # Every split old ward has exactly one default successor.
    defaults: dict[str, int] = {}
    for link in db.session.scalars(select(WardCrosswalk).where(WardCrosswalk.relation == "partial")):
        defaults[link.old_ward_code] = defaults.get(link.old_ward_code, 0) + int(link.is_default)
    assert len(defaults) == 199
    assert set(defaults.values()) == {1}


def test_skill_vocabulary_has_both_labels_and_synonyms(db):
    skills = db.session.scalars(select(Skill)).all()
    assert len(skills) >= 300
    for skill in skills:
        assert skill.label_vi and skill.label_en and skill.synonyms
        assert unicodedata.is_normalized("NFC", skill.label_vi)
        assert skill.search_text == skill.search_text.lower()
    categories = {s.category for s in skills}
    for needed in ("welding", "electrical", "driving", "sewing", "construction", "cooking", "security", "cleaning",
                   "warehouse", "retail", "care", "agriculture", "office", "it"):
        assert needed in categories, needed
    occupation_codes = {c for (c,) in db.session.execute(select(Occupation.code).where(Occupation.level <= 2))}
    assert {s.occupation_group for s in skills} <= occupation_codes


def test_skill_search_text_folds_diacritics(db):
    han = db.session.scalar(select(Skill).where(Skill.label_vi == "Hàn điện"))
    assert han is not None
    assert "han dien" in han.search_text


def test_load_is_idempotent(db):
    before = {m.__name__: count(db, m) for m in (Ward, FormerDistrict, OldWard, WardCrosswalk, Occupation, Skill,
                                                 DistrictAdjacency)}
    load_all()
    load_all()
    after = {m.__name__: count(db, m) for m in (Ward, FormerDistrict, OldWard, WardCrosswalk, Occupation, Skill,
                                                DistrictAdjacency)}
    assert before == after


def test_cli_load(runner, db):
    result = runner.invoke(args=["refdata", "load"])
    assert result.exit_code == 0, result.output
    assert "wards: 126" in result.output and "former_districts: 30" in result.output


def test_attribution_is_shipped():
    from jobmarket.refdata.loader import DATA_DIR

    text = (DATA_DIR / "SOURCES.md").read_text(encoding="utf-8")
    assert "vietnamadminunits" in text and "ESCO" in text
