"""Query-time synonyms: shorthand and English find the Vietnamese words, from the curated list and the vocabulary."""
from __future__ import annotations

from sqlalchemy import select

from jobmarket.models import SearchSynonym, Skill
from jobmarket.search import synonyms
from jobmarket.text import fold_tokens


def _expand(q: str) -> dict[str, tuple[str, ...]]:
    return {e.phrase: e.equivalents for e in synonyms.longest_expansions(fold_tokens(q))}


def test_abbreviations_from_the_seed_list(db, seeded_synonyms):
    assert _expand("NV KD") == {"nv": ("nhan vien",), "kd": ("kinh doanh",)}
    assert "cham soc khach hang" in _expand("CSKH")["cskh"]
    assert _expand("HR")["hr"][0] == "nhan su"
    assert set(_expand("KT")["kt"]) >= {"ke toan", "ky thuat"}


def test_english_words_reach_vietnamese(db, seeded_synonyms):
    assert "ke toan" in _expand("accountant")["accountant"]
    driver = _expand("Driver")["driver"]
    assert driver[:2] == ("lai xe", "tai xe")
    assert "ban hang" in _expand("sales")["sales"] and "kinh doanh" in _expand("sale")["sale"]


def test_two_way_entries_map_every_member(db, seeded_synonyms):
    assert "tai xe" in synonyms.equivalents("lai xe")
    assert "lai xe" in synonyms.equivalents("driver")
    # helpdesk is two-way: its equivalents also mean helpdesk
    assert "helpdesk" in synonyms.equivalents("ho tro ky thuat")


def test_vocabulary_labels_are_synonyms(db, seeded_synonyms):
    skill = db.session.scalar(select(Skill).where(Skill.slug == "han-tig"))
    assert synonyms.fold_phrase(skill.label_vi) in synonyms.equivalents(synonyms.fold_phrase(skill.label_en))
    # every skill's English label reaches its Vietnamese label (unless the two fold alike)
    for skill in db.session.scalars(select(Skill)):
        vi, en = synonyms.fold_phrase(skill.label_vi), synonyms.fold_phrase(skill.label_en)
        if vi != en and f" {en} " not in f" {vi} " and (" " in en or len(en) >= synonyms.MIN_VOCAB_WORD):
            assert vi in synonyms.equivalents(en), skill.slug
    # occupations: the ISCO title and its singular
    assert "ke toan" in " ".join(synonyms.equivalents("accountants"))
    assert synonyms.equivalents("accountants") and synonyms.equivalents("accountant")


def test_spans_are_longest_first_and_positions_are_exact(db, seeded_synonyms):
    words = fold_tokens("tuyển NV kinh doanh part time")
    spans = synonyms.expansions(words)
    assert [(e.start, e.end) for e in spans] == sorted(((e.start, e.end) for e in spans),
                                                        key=lambda se: (se[0], -(se[1] - se[0])))
    longest = synonyms.longest_expansions(words)
    assert [(e.phrase, e.start, e.end) for e in longest if e.phrase in ("nv", "part time")] == [
        ("nv", 1, 2), ("part time", 4, 6)]
    for e in spans:
        assert " ".join(words[e.start:e.end]) == e.phrase and e.phrase not in e.equivalents
    assert synonyms.expansions([]) == []
    assert synonyms.longest_expansions(fold_tokens("xyzzy qwerty")) == []


def test_ambiguous_short_vocabulary_words_are_not_expanded(db, seeded_synonyms):
    # "may" (sewing) would otherwise fire on every "máy" query
    assert "may" not in {e.phrase for e in synonyms.expansions(["may"]) if "curated" not in e.sources}


def test_an_edit_is_seen_at_once_in_this_process(db, seeded_synonyms):
    from jobmarket.admin.synonyms import delete_synonym, save_synonym

    assert synonyms.equivalents("dev ops") == ()
    entry = save_synonym(None, phrase="DevOps", equivalents="vận hành hệ thống; quản trị hệ thống", two_way=False,
                         kind="synonym")
    assert synonyms.equivalents("devops") == ("van hanh he thong", "quan tri he thong")
    delete_synonym(entry)
    assert synonyms.equivalents("devops") == ()


def test_another_process_edit_is_seen_after_the_check_interval(db, seeded_synonyms, monkeypatch):
    synonyms.equivalents("nv")  # table built
    # another process writes directly to the table
    db.session.add(SearchSynonym(phrase="BĐS", phrase_folded="bds", equivalents="bất động sản",
                                 equivalents_folded="bat dong san", two_way=False, kind="abbreviation", note="",
                                 source="officer", is_active=True))
    db.session.commit()
    assert synonyms.equivalents("bds") == ()  # within CHECK_SECONDS: the cached table
    monkeypatch.setattr(synonyms, "CHECK_SECONDS", 0.0)
    assert synonyms.equivalents("bds") == ("bat dong san",)


def test_refdata_reload_keeps_officer_edits_and_deletions(db, seeded_synonyms):
    from jobmarket.admin.synonyms import delete_synonym, save_synonym
    from jobmarket.refdata.loader import load_search_synonyms

    nv = db.session.scalar(select(SearchSynonym).where(SearchSynonym.phrase_folded == "nv"))
    save_synonym(nv, phrase="NV", equivalents="nhân viên; nhân sự viên", two_way=False, kind="abbreviation")
    pg = db.session.scalar(select(SearchSynonym).where(SearchSynonym.phrase_folded == "pg"))
    delete_synonym(pg)
    load_search_synonyms()
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(SearchSynonym, nv.id).equivalents == "nhân viên;nhân sự viên"
    assert db.session.get(SearchSynonym, pg.id).is_active is False
    assert synonyms.equivalents("pg") == ()
    assert synonyms.equivalents("nv") == ("nhan vien", "nhan su vien")
