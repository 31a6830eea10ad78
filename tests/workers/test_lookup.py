"""Type-ahead endpoints: skills ('han' -> Hàn…, 'dien' -> Điện…), occupations and wards, as small JSON."""
from __future__ import annotations

from jobmarket.text import fold


def test_skills_ignore_diacritics_and_rank_word_prefixes_first(client, db):
    han = client.get("/goi-y/ky-nang?q=han")
    assert han.status_code == 200 and han.mimetype == "application/json"
    labels = [item["label"] for item in han.json["items"]]
    assert labels[0] == "Hàn điện" and all(fold(label).startswith("han") for label in labels)
    dien = [item["label"] for item in client.get("/goi-y/ky-nang?q=dien").json["items"]]
    assert dien[0] == "Điện dân dụng"
    first_non_prefix = next(i for i, label in enumerate(dien) if not fold(label).startswith("dien"))
    assert all(fold(label).startswith("dien") for label in dien[:first_non_prefix])
    assert "Hàn điện" in [i["label"] for i in client.get("/goi-y/ky-nang?q=dien&limit=20").json["items"]]


def test_skills_match_english_labels_and_synonyms(client, db):
    welding = client.get("/goi-y/ky-nang?q=welding").json["items"]
    assert welding[0]["label_en"] == "Arc welding" and welding[0]["label_vi"] == "Hàn điện"
    tho_han = client.get("/goi-y/ky-nang?q=thợ hàn").json["items"]  # a synonym, typed with diacritics
    assert tho_han[0]["label_vi"] == "Hàn điện"
    assert client.get("/goi-y/ky-nang?q=ke toan").json["items"][0]["label_vi"].startswith("Kế toán")


def test_skill_labels_follow_the_language(client, db):
    client.get("/lang/en")
    item = client.get("/goi-y/ky-nang?q=han").json["items"][0]
    assert item["label"] == "Arc welding" and item["label_vi"] == "Hàn điện"


def test_lookups_are_small_and_safe_on_odd_input(client, db):
    assert client.get("/goi-y/ky-nang").json == {"items": []}
    assert client.get("/goi-y/ky-nang?q=%20%20").json == {"items": []}
    assert client.get("/goi-y/ky-nang?q=%25_%27%22").json == {"items": []}  # LIKE wildcards and quotes
    assert len(client.get("/goi-y/ky-nang?q=a&limit=500").json["items"]) <= 20
    assert len(client.get("/goi-y/ky-nang?q=a&limit=abc").json["items"]) <= 8
    long_query = client.get("/goi-y/ky-nang?q=" + "han%20" * 500)
    assert long_query.status_code == 200
    response = client.get("/goi-y/phuong?q=lang")
    assert "public" in response.headers["Cache-Control"]


def test_ward_lookup_returns_2025_wards_with_former_district(client, db):
    items = client.get("/goi-y/phuong?q=dich vong hau").json["items"]
    assert [i["name"] for i in items] == ["Phường Cầu Giấy", "Phường Nghĩa Đô"]
    assert items[0]["via"] == "Phường Dịch Vọng Hậu" and items[0]["default"] is True
    assert items[0]["district"] == "Cầu Giấy" and "khu vực Cầu Giấy" in items[0]["label"]
    new = client.get("/goi-y/phuong?q=cau giay").json["items"][0]
    assert new["name"] == "Phường Cầu Giấy" and new["via"] is None and new["code"] == "00166"


def test_occupation_lookup(client, db):
    items = client.get("/goi-y/nghe?q=tho han").json["items"]
    assert items[0]["code"] == "7212" and items[0]["label"].startswith("Thợ hàn")
