"""Address resolution and ward search against the real crosswalk: new names, old names, splits, districts, junk."""
from __future__ import annotations

from jobmarket.geo import get_index, resolve_address, search_wards
from jobmarket.geo.index import clear_cache
from jobmarket.geo.resolve import CHOOSE, EMPTY, NOT_FOUND, RESOLVED


def names(resolution):
    return [c.name for c in resolution.candidates]


def test_a_2025_ward_name_resolves_to_that_ward(db):
    r = resolve_address("phường Cầu Giấy, Hà Nội")
    assert r.status == RESOLVED and r.ward.code == "00166" and r.ward.name == "Phường Cầu Giấy"
    assert r.ward.district_name == "Cầu Giấy" and r.ward.via is None
    assert resolve_address("Phường Láng").ward.name == "Phường Láng"
    assert resolve_address("o cho dua").ward.name == "Phường Ô Chợ Dừa"  # no diacritics at all


def test_an_old_ward_that_went_whole_resolves_to_its_successor(db):
    r = resolve_address("Phường Láng Thượng, quận Đống Đa")
    assert r.status == RESOLVED and r.kind == "old_ward"
    assert r.ward.name == "Phường Láng" and r.ward.via == "Phường Láng Thượng" and r.ward.via_district == "Đống Đa"
    # Without diacritics and without its district.
    assert resolve_address("lang thuong").ward.name == "Phường Láng"


def test_an_old_split_ward_offers_its_successors_default_first(db):
    index = get_index()
    old = index.old_wards["00167"]  # Phường Dịch Vọng Hậu, split in 2025
    assert old.split and len(old.successors) == 2
    for text in ("phường Dịch Vọng Hậu", "Dịch Vọng Hậu, Cầu Giấy", "phuong dich vong hau quan cau giay",
                 "P. Dịch Vọng Hậu, Q. Cầu Giấy"):
        r = resolve_address(text)
        assert r.status == CHOOSE and r.kind == "old_ward_split", text
        assert [c.code for c in r.candidates] == list(old.successors), text
        assert r.candidates[0].is_default and not r.candidates[1].is_default
        assert names(r) == ["Phường Cầu Giấy", "Phường Nghĩa Đô"]
        assert r.pick("00160").name == "Phường Nghĩa Đô" and r.pick("00004") is None


def test_a_street_address_with_the_old_ward_goes_through_the_crosswalk(db):
    r = resolve_address("số 12 Trần Thái Tông, Dịch Vọng Hậu, Cầu Giấy, Hà Nội")
    assert r.status == CHOOSE and names(r)[0] == "Phường Cầu Giấy"
    # Written in one run, without commas: the offline parser (vietnamadminunits) reads it.
    run_together = resolve_address("12 Trần Thái Tông Dịch Vọng Hậu Cầu Giấy Hà Nội")
    assert run_together.status == CHOOSE and [c.via for c in run_together.candidates] == ["Phường Dịch Vọng Hậu"] * 2


def test_a_bare_former_district_offers_the_wards_it_went_into(db):
    r = resolve_address("Cầu Giấy")
    assert r.status == CHOOSE and r.kind == "district"
    assert names(r)[0] == "Phường Cầu Giấy"  # the namesake ward first
    assert {"Phường Nghĩa Đô", "Phường Yên Hòa"} <= set(names(r))
    assert names(resolve_address("cau giay")) == names(r)
    # A street is evidence, not a ward: the district's wards are offered, the ones the street crosses first.
    street = resolve_address("số 12 Trần Thái Tông, Cầu Giấy")
    assert street.status == CHOOSE and street.kind == "street" and street.streets == ("Trần Thái Tông",)
    assert set(names(street)) == set(names(r)) and names(street)[0] == "Phường Cầu Giấy"
    nam_tu_liem = resolve_address("quận Nam Từ Liêm")
    assert nam_tu_liem.status == CHOOSE and "Phường Từ Liêm" in names(nam_tu_liem)


def test_namesakes_and_unit_types(db):
    # Three old wards were called Quang Trung: without a district, all their successors are offered.
    everywhere = resolve_address("Quang Trung")
    assert everywhere.status == CHOOSE and everywhere.kind == "old_ward_ambiguous"
    assert {c.via_district for c in everywhere.candidates} >= {"Hà Đông", "Đống Đa"}
    in_ha_dong = resolve_address("phường Quang Trung, Hà Đông")
    assert {c.via_district for c in in_ha_dong.candidates} == {"Hà Đông"}
    # "Quan Hoa" is a ward, not "quận Hoa".
    assert resolve_address("Quan Hoa").candidates[0].via == "Phường Quan Hoa"
    # Old township and commune both called Yên Viên merged into one 2025 commune.
    assert resolve_address("thị trấn Yên Viên").ward.via == "Thị trấn Yên Viên"
    assert resolve_address("xã Yên Viên, Gia Lâm").ward.via == "Xã Yên Viên"


def test_garbage_empty_and_other_provinces(db):
    assert resolve_address("xyz qwerty").status == NOT_FOUND
    assert resolve_address("asdf, Hà Nội").status == NOT_FOUND
    assert resolve_address("   ").status == EMPTY and resolve_address(None).status == EMPTY
    saigon = resolve_address("123 Lê Lợi, Quận 1, TP Hồ Chí Minh")
    assert saigon.status == NOT_FOUND and saigon.outside_hanoi
    assert resolve_address("x" * 5000).status == NOT_FOUND  # long input is cut, not choked on


def test_nfd_input_resolves_like_nfc(db):
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Phường Láng Thượng")
    assert resolve_address(nfd).ward.name == "Phường Láng"


def test_ward_search_finds_new_and_old_names_without_diacritics(db):
    hits = search_wards("dich vong hau")
    assert [(h.name, h.via) for h in hits] == [("Phường Cầu Giấy", "Phường Dịch Vọng Hậu"),
                                                ("Phường Nghĩa Đô", "Phường Dịch Vọng Hậu")]
    assert hits[0].is_default and not hits[1].is_default
    cau_giay = search_wards("cau giay")
    assert cau_giay[0].name == "Phường Cầu Giấy" and cau_giay[0].via is None
    assert all(h.district_name == "Cầu Giấy" for h in cau_giay)
    assert search_wards("Láng")[0].name == "Phường Láng"
    assert search_wards("") == [] and search_wards(None) == []
    assert search_wards("zzzz") == []
    assert len(search_wards("a", limit=3)) <= 3


def test_the_index_is_cached_per_process_and_can_be_cleared(db, app):
    first = get_index()
    assert get_index() is first  # no database work on the second call
    clear_cache()
    second = get_index()
    assert second is not first and second.wards.keys() == first.wards.keys()
    assert len(second.wards) == 126 and len(second.old_wards) == 526 and len(second.districts) == 30


def test_a_stale_index_is_rebuilt(make_app, app_config):
    app = make_app(dict(app_config, GEO_CACHE_SECONDS=0))
    with app.app_context():
        first = get_index()
        assert get_index() is not first
