"""The street and landmark list: well formed, compiled through the crosswalk, and large enough."""
from __future__ import annotations

from jobmarket.refdata.loader import DATA_DIR
from jobmarket.refdata.streets import compile_crosses, read_streets


def test_the_street_list_covers_the_main_streets_and_agrees_with_the_crosswalk(geo):
    streets = read_streets()
    plain = [s for s in streets if s.kind == "street"]
    assert len(plain) >= 150
    assert {s.kind for s in streets} == {"street", "landmark"}
    import csv

    with open(DATA_DIR / "hanoi_streets.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row, street in zip(rows, streets):
        districts, olds, wards = compile_crosses(row["crosses"])
        assert (list(street.district_codes), list(street.old_ward_codes), list(street.ward_codes)) == \
            (districts, olds, wards), row["street"]
        assert all(code in geo.wards for code in street.ward_codes)
        for old in street.old_ward_codes:
            assert geo.old_wards[old].district_code in street.district_codes
    for name in ("Nguyễn Trãi", "Lê Văn Lương", "Trần Duy Hưng", "Giải Phóng", "Phạm Văn Đồng", "Xuân Thủy"):
        assert any(s.name == name for s in plain), name


def test_the_sources_are_written_down():
    sources = (DATA_DIR / "SOURCES.md").read_text(encoding="utf-8")
    for name in ("hanoi_streets.csv", "hanoi_old_ward_aliases.csv", "vietnam_outside_hanoi.csv"):
        assert name in sources
