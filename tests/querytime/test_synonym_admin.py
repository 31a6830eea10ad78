"""The synonym pages: officers and administrators list, add, edit and delete entries; bad input is explained."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from jobmarket.models import SearchSynonym
from jobmarket.search import synonyms


@pytest.fixture
def officer_client(client, auth, factory, seeded_synonyms):
    factory.user(role="officer", email="canbo@example.vn")
    auth.login(email="canbo@example.vn")
    return client


@pytest.mark.parametrize("role", ["worker", "employer"])
def test_others_are_refused(client, auth, factory, role, seeded_synonyms):
    factory.user(role=role, email=f"{role}@example.vn")
    auth.login(email=f"{role}@example.vn")
    assert client.get("/quan-tri/tu-dong-nghia").status_code == 403
    assert client.post("/quan-tri/tu-dong-nghia", data={"phrase": "x", "equivalents": "y"}).status_code == 403
    assert client.post("/quan-tri/tu-dong-nghia/1/xoa").status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    response = client.get("/quan-tri/tu-dong-nghia")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_list_and_find_without_diacritics(officer_client):
    page = officer_client.get("/quan-tri/tu-dong-nghia?q=cham soc").get_data(as_text=True)
    assert "CSKH" in page and "chăm sóc khách hàng" in page
    assert "NVKD" not in page


def test_admin_may_manage_too(client, auth, factory, seeded_synonyms):
    factory.user(role="admin", email="qt@example.vn")
    auth.login(email="qt@example.vn")
    assert client.get("/quan-tri/tu-dong-nghia").status_code == 200


def test_add_edit_delete(officer_client, db):
    response = officer_client.post("/quan-tri/tu-dong-nghia", data={
        "phrase": "BĐS", "equivalents": "bất động sản; môi giới nhà đất", "kind": "abbreviation", "two_way": "y",
        "note": "Hay gặp"})
    assert response.status_code == 302
    entry = db.session.scalar(select(SearchSynonym).where(SearchSynonym.phrase_folded == "bds"))
    assert entry.equivalents == "bất động sản;môi giới nhà đất" and entry.two_way and entry.source == "officer"
    assert synonyms.equivalents("bds") == ("bat dong san", "moi gioi nha dat")
    assert "bds" in synonyms.equivalents("bat dong san")

    response = officer_client.post(f"/quan-tri/tu-dong-nghia/{entry.id}", data={
        "phrase": "BĐS", "equivalents": "bất động sản", "kind": "abbreviation", "note": ""})
    assert response.status_code == 302
    assert synonyms.equivalents("bds") == ("bat dong san",)
    assert synonyms.equivalents("bat dong san") == ()  # no longer two-way

    assert officer_client.post(f"/quan-tri/tu-dong-nghia/{entry.id}/xoa").status_code == 302
    assert db.session.scalar(select(SearchSynonym).where(SearchSynonym.phrase_folded == "bds")) is None
    assert synonyms.equivalents("bds") == ()
    assert officer_client.get(f"/quan-tri/tu-dong-nghia/{entry.id}").status_code == 404


def test_editing_a_seed_entry_makes_it_the_officers(officer_client, db):
    entry = db.session.scalar(select(SearchSynonym).where(SearchSynonym.phrase_folded == "cskh"))
    assert entry.source == "seed"
    page = officer_client.get(f"/quan-tri/tu-dong-nghia/{entry.id}").get_data(as_text=True)
    assert "chăm sóc khách hàng" in page
    officer_client.post(f"/quan-tri/tu-dong-nghia/{entry.id}", data={
        "phrase": "CSKH", "equivalents": "chăm sóc khách hàng; tư vấn khách hàng", "kind": "abbreviation"})
    db.session.expire_all()
    assert db.session.get(SearchSynonym, entry.id).source == "officer"
    assert "tu van khach hang" in synonyms.equivalents("cskh")


def test_deleted_seed_entry_can_be_added_again(officer_client, db):
    entry = db.session.scalar(select(SearchSynonym).where(SearchSynonym.phrase_folded == "pg"))
    officer_client.post(f"/quan-tri/tu-dong-nghia/{entry.id}/xoa")
    assert synonyms.equivalents("pg") == ()
    assert officer_client.get(f"/quan-tri/tu-dong-nghia/{entry.id}").status_code == 404
    response = officer_client.post("/quan-tri/tu-dong-nghia", data={
        "phrase": "PG", "equivalents": "nhân viên tiếp thị", "kind": "abbreviation"})
    assert response.status_code == 302
    assert synonyms.equivalents("pg") == ("nhan vien tiep thi",)


@pytest.mark.parametrize("data, message", [
    ({"phrase": "", "equivalents": "x"}, "Vui lòng nhập cụm từ."),
    ({"phrase": "NV", "equivalents": "nhân viên"}, "Cụm từ này đã có trong danh sách."),
    ({"phrase": "abc", "equivalents": "ABC; Ábc"}, "Cần ít nhất một từ tương đương khác với cụm từ."),
    ({"phrase": "!!!", "equivalents": "x"}, "Cụm từ cần có ít nhất một chữ hoặc số."),
    ({"phrase": "abc", "equivalents": ";".join(f"từ {i}" for i in range(25))}, "Tối đa 20 từ tương đương"),
    ({"phrase": "a\x07b", "equivalents": "x"}, "Nội dung chứa ký tự không hợp lệ."),
    ({"phrase": "x" * 121, "equivalents": "y"}, "Nội dung quá dài"),
])
def test_bad_input_is_explained_and_nothing_is_saved(officer_client, db, data, message):
    before = db.session.scalar(select(SearchSynonym.id).order_by(SearchSynonym.id.desc()).limit(1))
    response = officer_client.post("/quan-tri/tu-dong-nghia", data={"kind": "synonym", **data})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(SearchSynonym.id).order_by(SearchSynonym.id.desc()).limit(1)) == before


def test_english_interface(client, auth, factory, seeded_synonyms):
    factory.user(role="officer", email="en@example.vn", locale="en")
    auth.login(email="en@example.vn")
    page = client.get("/quan-tri/tu-dong-nghia").get_data(as_text=True)
    assert "Search synonyms" in page and "Add a synonym" in page
