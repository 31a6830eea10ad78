"""The labelled set of addresses written the ways postings write them: its size, its labels, and the floors."""
from __future__ import annotations

from jobmarket.geo import build_index, resolve_address, resolve_places
from jobmarket.geo.evaluate import read_labelled, score


def test_the_labelled_set_is_large_and_well_formed(geo):
    rows = read_labelled()
    assert len(rows) >= 300
    assert len({r["address"] for r in rows}) == len(rows)  # no address twice
    for r in rows:
        for code in filter(None, r["former_district_code"].split(";")):
            assert code in geo.districts, r
        for code in filter(None, r["expected_ward_codes"].split(";")):
            assert code in geo.wards, r
        if r["via_old_ward_code"]:  # an old ward's successors, as the crosswalk gives them
            expected, successors = r["expected_ward_codes"].split(";"), geo.old_wards[r["via_old_ward_code"]].successors
            assert expected[0] == successors[0] and set(expected) == set(successors), r
    styles = {
        "no diacritics": lambda a: a == a.encode("ascii", "ignore").decode(),
        "abbreviated unit": lambda a: any(w in a for w in ("P.", "Q.", "TX", "H.", "TT", "TP", "Tp")),
        "HN or Hanoi": lambda a: "HN" in a or "Hanoi" in a,
        "lane": lambda a: any(w in a.lower() for w in ("ngõ", "ngách", "hẻm", "ngo ")),
        "building or zone": lambda a: any(w in a for w in ("Tầng", "tòa", "Tòa", "KCN", "KĐT", "Khu")),
        "several places": lambda a: any(s in a for s in ("/", ";", " và ", " hoặc ", "+")),
    }
    for style, test in styles.items():
        assert sum(1 for r in rows if test(r["address"])) >= 10, style
    assert sum(1 for r in rows if r["outside_hanoi"] == "true") >= 25
    assert sum(1 for r in rows if int(r["places"]) > 1) >= 15


def test_at_least_95_percent_of_addresses_resolve_into_their_former_district(geo):
    s = score(read_labelled(), geo, resolve_address, resolve_places)
    summary = s.summary()
    assert summary["n_district_known"] >= 300
    assert summary["district_accuracy"] >= 0.95, s.misses
    assert summary["district_top1"] >= 0.95, s.misses
    assert summary["ward_top1"] >= 0.95, s.misses          # the labelled 2025 ward is the answer or the default
    assert summary["outside_accuracy"] >= 0.95, s.misses
    assert summary["multi_place_accuracy"] >= 0.9, s.misses


def test_the_database_index_reads_the_set_the_same_way(db, geo):
    index = build_index()
    assert index.wards.keys() == geo.wards.keys() and index.old_wards == geo.old_wards
    assert index.street_by_name == geo.street_by_name and index.old_by_name == geo.old_by_name
    rows = read_labelled()[::7]
    for row in rows:
        a, b = resolve_address(row["address"], index), resolve_address(row["address"], geo)
        assert (a.status, a.kind, [c.code for c in a.candidates]) == (b.status, b.kind, [c.code for c in b.candidates])
