"""Address reading, one failure mode at a time: unit words, the most specific part, streets, several places,
abbreviations and spellings of Hanoi, places outside Hanoi, old names through the crosswalk."""
from __future__ import annotations

import pytest

from jobmarket.geo.resolve import CHOOSE, EMPTY, NOT_FOUND, RESOLVED, resolve_address, resolve_places


def names(resolution):
    return [c.name for c in resolution.candidates]


def districts(resolution):
    return {c.via_district or c.district_name for c in resolution.candidates}


def all_in(geo, resolution, district_name):
    """Every offered ward took territory from the former district."""
    code = next(d.code for d in geo.districts.values() if d.name == district_name)
    return bool(resolution.candidates) and all(code in geo.ward_district_codes[c.code] for c in resolution.candidates)


# --- unit words ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["Quận Thanh Xuân", "quan thanh xuan", "Q. Thanh Xuân", "Q.Thanh Xuân, HN",
                                  "q thanh xuan ha noi", "Khu vực Thanh Xuân cũ"])
def test_a_district_unit_word_is_never_part_of_a_name(geo, text):
    r = resolve_address(text, geo)  # not "Quán Thánh" + "Xuân"
    assert r.status == CHOOSE and r.kind == "district", text
    assert names(r)[0] == "Phường Thanh Xuân" and all(c.via is None for c in r.candidates)


@pytest.mark.parametrize("text", ["Phường Trung Văn", "phuong trung van", "P. Trung Văn", "P.Trung Văn,Q.Nam Từ Liêm",
                                  "phuong trung van, nam tu liem"])
def test_a_ward_unit_word_is_never_part_of_a_name(geo, text):
    r = resolve_address(text, geo)  # not the commune "Phương Trung" of Thanh Oai
    assert r.status == CHOOSE and r.kind == "old_ward_split", text
    assert {c.via for c in r.candidates} == {"Phường Trung Văn"} and districts(r) == {"Nam Từ Liêm"}


def test_a_name_that_starts_like_a_unit_word_is_still_a_name(geo):
    assert resolve_address("Quan Hoa, Cầu Giấy", geo).candidates[0].via == "Phường Quan Hoa"
    assert resolve_address("quan thanh, ba dinh", geo).ward.via == "Phường Quán Thánh"
    assert resolve_address("Phương Liệt", geo).ward.name == "Phường Phương Liệt"  # typed "Phương", not "Phường"
    assert resolve_address("phuong phuong liet", geo).ward.name == "Phường Phương Liệt"
    assert resolve_address("Xã Phương Trung, Thanh Oai", geo).ward.via == "Xã Phương Trung"
    assert resolve_address("Số 5 Xã Đàn, Đống Đa", geo).streets == ("Xã Đàn",)  # the street, not "xã Đàn"


@pytest.mark.parametrize("text, unit", [
    ("TT Văn Điển, H. Thanh Trì", "Thị trấn Văn Điển"), ("Thị trấn Văn Điển", "Thị trấn Văn Điển"),
    ("X. Tân Triều, H. Thanh Trì", "Xã Tân Triều"), ("xa tan trieu huyen thanh tri", "Xã Tân Triều"),
    ("TX.Sơn Tây, P. Xuân Khanh", "Phường Xuân Khanh"), ("TT. Trâu Quỳ, H.Gia Lâm", "Thị trấn Trâu Quỳ"),
])
def test_every_unit_word_and_abbreviation(geo, text, unit):
    r = resolve_address(text, geo)
    assert r.candidates and {c.via for c in r.candidates} == {unit}, text


def test_tp_and_thi_xa_name_the_city_or_the_former_town(geo):
    assert resolve_address("TX Sơn Tây", geo).kind == "district"
    assert names(resolve_address("Thị xã Sơn Tây, Hà Nội", geo))[0] == "Phường Sơn Tây"
    assert resolve_address("Phường Sơn Tây, Hà Nội", geo).ward.name == "Phường Sơn Tây"  # the 2025 ward
    for text in ("Tp.Hà Nội, Q.Cầu Giấy", "TP Hà Nội, quận Cầu Giấy", "Thành phố Hà Nội, Cầu Giấy", "Cầu Giấy, HN",
                 "Cầu Giấy, Hanoi", "cau giay hn", "Cau Giay, Ha Noi City", "Hà Nội - Cầu Giấy"):
        r = resolve_address(text, geo)
        assert r.kind == "district" and names(r)[0] == "Phường Cầu Giấy", text


# --- the most specific part wins ---------------------------------------------------------------------------

def test_the_ward_wins_over_the_district_in_either_order(geo):
    for text in ("Phường Định Công, Quận Hoàng Mai", "Quận Hoàng Mai, phường Định Công", "Hoàng Mai, Định Công",
                 "Tp Hà Nội, quận Hoàng Mai, phường Định Công", "phuong dinh cong, q hoang mai"):
        r = resolve_address(text, geo)
        assert {c.via for c in r.candidates} == {"Phường Định Công"}, text


def test_a_later_more_specific_part_is_not_ignored(geo):
    r = resolve_address("Làm việc tại Hà Đông, văn phòng ở phường Kiến Hưng", geo)
    assert r.best.name == "Phường Kiến Hưng" and all_in(geo, r, "Hà Đông")
    r = resolve_address("Cầu Giấy, Hà Nội, P. Dịch Vọng", geo)
    assert {c.via for c in r.candidates} == {"Phường Dịch Vọng"}


def test_a_2025_name_and_its_old_name_together_give_the_2025_ward(geo):
    for text in ("Phường Yên Hòa (Trung Hòa cũ), Hà Nội", "Phường Dịch Vọng Hậu cũ, nay là phường Cầu Giấy",
                 "Phường Cầu Giấy (trước đây là Dịch Vọng, Cầu Giấy)"):
        r = resolve_address(text, geo)
        assert r.status == RESOLVED and r.kind == "old_ward" and r.ward.via, text
    assert resolve_address("Phường Yên Hòa (Trung Hòa cũ), Hà Nội", geo).ward.name == "Phường Yên Hòa"


def test_a_ward_that_contradicts_an_announced_district_gives_way(geo):
    # Sơn Tây had a ward Quang Trung until 2019; the other Quang Trung wards are in Đống Đa and Hà Đông.
    r = resolve_address("Phường Quang Trung, Thị xã Sơn Tây, Hà Nội", geo)
    assert r.kind == "district" and all_in(geo, r, "Sơn Tây")


# --- streets are evidence, never wards -------------------------------------------------------------------

def test_streets_are_not_read_as_wards(geo):
    # Nguyễn Trãi is also a commune of Thường Tín; Trần Phú a ward of Hoàng Mai and a commune of Chương Mỹ.
    r = resolve_address("Số 235 Nguyễn Trãi, Q.Thanh Xuân, TP.Hà Nội", geo)
    assert r.kind == "street" and r.streets == ("Nguyễn Trãi",) and all_in(geo, r, "Thanh Xuân")
    assert resolve_address("Nguyễn Trãi, HN", geo).kind == "street"
    r = resolve_address("Trần Phú, Q. Hà Đông", geo)
    assert r.kind == "street" and names(r)[0] == "Phường Hà Đông"
    assert resolve_address("Xã Nguyễn Trãi, Thường Tín", geo).ward.via == "Xã Nguyễn Trãi"  # announced: the commune


def test_a_street_orders_the_wards_of_its_district(geo):
    r = resolve_address("89 tran duy hung, cau giay", geo)
    assert r.status == CHOOSE and r.kind == "street" and names(r)[0] == "Phường Yên Hòa"
    assert "Phường Nghĩa Đô" in names(r)  # the rest of the district stays on offer
    r = resolve_address("Số 8 Lê Văn Lương, Hà Nội", geo)
    assert r.kind == "street" and names(r)[0] == "Phường Thanh Xuân" and r.streets == ("Lê Văn Lương",)
    r = resolve_address("Số 12 Trần Thái Tông, Dịch Vọng Hậu, Cầu Giấy", geo)  # old split ward: the street picks
    assert r.kind == "old_ward_split" and names(r)[0] == "Phường Cầu Giấy"


def test_landmarks_place_an_address(geo):
    assert names(resolve_address("KCN Thăng Long, Đông Anh", geo))[0] in {"Xã Thiên Lộc", "Xã Vĩnh Thanh"}
    assert names(resolve_address("Royal City, 72A Nguyễn Trãi, Thanh Xuân, Hà Nội", geo))[0] == "Phường Khương Đình"
    assert names(resolve_address("Times City, Hai Bà Trưng", geo))[0] == "Phường Vĩnh Tuy"


def test_noise_around_the_address_is_ignored(geo):
    for text in ("Tầng 5, tòa nhà Hapro, 11B Cát Linh, Q. Đống Đa, Hà Nội", "Địa điểm: Đống Đa - Hà Nội",
                 "Tuyển nhân viên làm việc tại Đống Đa", "Gần ngã tư Sở, Đống Đa", "P302 tòa B, Đống Đa"):
        r = resolve_address(text, geo)
        assert all_in(geo, r, "Đống Đa"), text


# --- several places ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Cầu Giấy / Hà Đông", ["Cầu Giấy", "Hà Đông"]), ("Cầu Giấy, Hà Đông", ["Cầu Giấy", "Hà Đông"]),
    ("Q. Cầu Giấy hoặc Q. Nam Từ Liêm", ["Cầu Giấy", "Nam Từ Liêm"]),
    ("Thanh Xuân, Hoàng Mai, Hai Bà Trưng", ["Thanh Xuân", "Hoàng Mai", "Hai Bà Trưng"]),
    ("Số 8 Trần Duy Hưng, Cầu Giấy và 20 Nguyễn Trãi, Thanh Xuân", ["Cầu Giấy", "Thanh Xuân"]),
    ("Hà Đông - Thanh Xuân - Nam Từ Liêm", ["Hà Đông", "Thanh Xuân", "Nam Từ Liêm"]),
])
def test_several_workplaces_give_several_answers(geo, text, expected):
    places = resolve_places(text, geo)
    assert [p.candidates[0].district_name for p in places] == expected, text
    r = resolve_address(text, geo)
    assert r.status == CHOOSE and r.kind == "places" and len(r.places) == len(expected)
    assert [c.district_name for c in r.candidates[:len(expected)]] == expected  # each place's best first


def test_one_address_is_one_place(geo):
    for text in ("Số 144 Xuân Thủy, Dịch Vọng Hậu, Cầu Giấy, Hà Nội", "Yên Hòa, Cầu Giấy", "Thanh Trì, Hoàng Mai",
                 "Kim Chung, Hoài Đức, Hà Nội", "Ngõ 12/34 Nguyễn Trãi, Thanh Xuân"):
        assert len(resolve_places(text, geo)) == 1, text


def test_hanoi_and_another_city(geo):
    places = resolve_places("Hà Nội, Hồ Chí Minh", geo)
    assert [(p.kind, p.outside_hanoi) for p in places] == [("hanoi", False), ("outside", True)]
    places = resolve_places("Văn phòng Hà Nội: Số 5 Duy Tân, Cầu Giấy; văn phòng HCM: Quận 3", geo)
    assert places[0].candidates[0].name == "Phường Cầu Giấy" and places[1].outside_hanoi
    r = resolve_address("Hà Nội / TP.HCM", geo)
    assert r.status == NOT_FOUND and r.kind == "hanoi"


# --- outside Hanoi ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["123 Lê Lợi, Quận 1, TP Hồ Chí Minh", "Q.7, TP.HCM", "Thủ Đức, Hồ Chí Minh",
                                  "KCN Yên Phong, Bắc Ninh", "Ngô Quyền, Hải Phòng", "Tỉnh Vĩnh Phúc",
                                  "Tỉnh Hòa Bình", "Sài Gòn", "Yên Bái", "Biên Hòa, Đồng Nai",
                                  "Số 5 Nguyễn Văn Linh, Hải Châu, Đà Nẵng"])
def test_places_outside_hanoi_are_known(geo, text):
    r = resolve_address(text, geo)
    assert r.status == NOT_FOUND and r.outside_hanoi and not r.candidates, text


def test_hanoi_names_that_are_also_provinces(geo):
    assert resolve_address("Vĩnh Phúc, Ba Đình", geo).candidates[0].via == "Phường Vĩnh Phúc"
    assert resolve_address("Xã Hòa Bình, Thường Tín, Hà Nội", geo).ward.via == "Xã Hòa Bình"
    assert resolve_address("Xã Yên Bài, Ba Vì", geo).ward.name == "Xã Yên Bài"  # Bài, not Bái


# --- old names ---------------------------------------------------------------------------------------------

def test_old_names_go_through_the_crosswalk(geo):
    r = resolve_address("Láng Thượng, Đống Đa", geo)
    assert r.ward.name == "Phường Láng" and r.ward.via == "Phường Láng Thượng"
    split = resolve_address("P. Dịch Vọng Hậu, Q. Cầu Giấy", geo)
    assert split.kind == "old_ward_split" and split.candidates[0].is_default and not split.candidates[1].is_default
    merged = resolve_address("Số 10 Đặng Văn Ngữ, Trung Tự, Đống Đa", geo)  # merged into Phương Liên - Trung Tự
    assert {c.via for c in merged.candidates} == {"Phường Phương Liên Trung Tự"}


def test_empty_junk_and_long_input(geo):
    assert resolve_address("", geo).status == EMPTY and resolve_places(None, geo) == []
    assert resolve_address("xyz qwerty", geo).status == NOT_FOUND
    assert resolve_address("Hà Nội", geo).status == NOT_FOUND and resolve_address("Hà Nội", geo).kind == "hanoi"
    assert resolve_address("Cầu Giấy / " * 500, geo).status == CHOOSE  # cut at MAX_ADDRESS_CHARS, not choked on


def test_best_is_the_answer_or_the_default(geo):
    assert resolve_address("Phường Láng", geo).best.name == "Phường Láng"
    assert resolve_address("Cầu Giấy", geo).best.name == "Phường Cầu Giấy"
    assert resolve_address("xyz", geo).best is None


def test_english_and_run_together_addresses(geo):
    assert resolve_address("Cau Giay District, Hanoi", geo).kind == "district"
    assert resolve_address("Long Bien Ward, Hanoi", geo).ward.name == "Phường Long Biên"
    r = resolve_address("No. 8 Lang Ha Street, Dong Da District, Hanoi", geo)
    assert r.kind == "street" and r.streets == ("Láng Hạ",) and all_in(geo, r, "Đống Đa")
    assert resolve_address("Bac Ninh Province", geo).outside_hanoi
    r = resolve_address("số 5 ngõ 10 Trung Kính Cầu Giấy Hà Nội", geo)
    assert r.kind == "street" and names(r)[0] == "Phường Yên Hòa" and all_in(geo, r, "Cầu Giấy")


def test_company_names_are_not_places(geo):
    assert resolve_address("Công ty TNHH Thành Công tuyển nhân viên tại Hà Nội", geo).kind == "hanoi"
    assert resolve_address("Cong ty o Long Bien, Ha Noi", geo).kind == "district"
    r = resolve_address("Cty CP Đồng Tâm, Số 5 Lê Duẩn, Đống Đa", geo)
    assert r.kind == "street" and all_in(geo, r, "Đống Đa")
