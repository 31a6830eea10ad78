"""Phrases the reader cannot map are counted and listed for admins, who map them to a skill, add or ignore them."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import delete, select

from jobmarket.extensions import db as _db
from jobmarket.models import ReadingPhrase, Skill, SkillAlias

POSTING = {"title": "Nhân viên kho", "description": "Yêu cầu:\n- Thành thạo Excel\n- Biết lái xe ba gác\n- Chịu khó\n- Ngoại hình ưa nhìn"}


@pytest.fixture
def vocabulary_restored(app):
    """Skills and aliases are reference data that tests do not wipe: put the shipped vocabulary back afterwards."""
    yield
    from jobmarket.reading.vocab import clear_cache
    from jobmarket.refdata.loader import load_skill_aliases, load_skills, read_csv

    with app.app_context():
        _db.session.execute(delete(SkillAlias).where(SkillAlias.source == "admin"))
        shipped = {r["slug"] for r in read_csv("skills.csv")}
        _db.session.execute(delete(Skill).where(Skill.slug.not_in(shipped)))
        load_skills()
        _db.session.flush()
        load_skill_aliases()
        _db.session.commit()
        clear_cache()


@pytest.fixture
def admin_client(client, auth, factory, vocabulary_restored):
    """A logged-in administrator."""
    factory.user(role="admin", email="admin@example.vn")
    auth.login(email="admin@example.vn")
    return client


def _record(app, times: int = 2) -> None:
    """Read the posting through the CLI with --record, several times."""
    line = json.dumps(POSTING, ensure_ascii=False)
    result = app.test_cli_runner().invoke(args=["text", "read", "--record"], input="\n".join([line] * times) + "\n")
    assert result.exit_code == 0, result.output


def test_unmatched_requirement_items_are_counted_with_examples(app, db):
    """A list item naming no skill is counted once per text; known skills and prose are not recorded."""
    _record(app, times=3)
    rows = {p.folded: p for p in db.session.scalars(select(ReadingPhrase))}
    assert rows["lai xe ba gac"].count == 3 and rows["lai xe ba gac"].phrase == "Biết lái xe ba gác"
    assert "lái xe ba gác" in rows["lai xe ba gac"].examples
    assert "excel" not in " ".join(rows)  # Excel is a skill


def test_admin_maps_a_phrase_to_a_skill_and_the_reader_uses_it(app, admin_client, db):
    """After mapping, the same text reads the phrase as that skill and type-ahead finds it."""
    _record(app)
    page = admin_client.get("/quan-tri/cum-tu")
    assert page.status_code == 200 and 'value="Biết lái xe ba gác"' in page.get_data(as_text=True)
    phrase = db.session.scalar(select(ReadingPhrase).where(ReadingPhrase.folded == "lai xe ba gac"))
    missing = admin_client.post(f"/quan-tri/cum-tu/{phrase.id}/gan", data={"skill": "Không có kỹ năng này"},
                                follow_redirects=True)
    assert "Không có kỹ năng" in missing.get_data(as_text=True)
    assert admin_client.post(f"/quan-tri/cum-tu/{phrase.id}/gan", data={"skill": "lái xe tải"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(ReadingPhrase, phrase.id).status == "mapped"
    from jobmarket.reading import read_text

    reading = read_text(POSTING["title"], POSTING["description"])
    assert "Lái xe tải" in reading.skill_labels
    assert "lai xe ba gac" not in [f for f, _ in reading.unmatched]
    assert admin_client.get("/goi-y/ky-nang?q=ba gac").json["items"][0]["label_vi"] == "Lái xe tải"


def test_admin_adds_a_phrase_as_a_new_skill_or_ignores_one(app, admin_client, db):
    """A new skill is created from the phrase; an ignored phrase leaves the list."""
    _record(app)
    phrases = {p.folded: p.id for p in db.session.scalars(select(ReadingPhrase))}
    response = admin_client.post(f"/quan-tri/cum-tu/{phrases['lai xe ba gac']}/them", data={
        "label_vi": "Lái xe ba gác", "label_en": "Cargo tricycle driving", "category": "driving",
        "occupation_group": "83"})
    assert response.status_code == 302
    skill = db.session.scalar(select(Skill).where(Skill.label_vi == "Lái xe ba gác"))
    assert skill is not None
    from jobmarket.reading import read_text

    assert "Lái xe ba gác" in read_text(None, POSTING["description"]).skill_labels
    assert "chiu kho" not in phrases  # a skill (Chăm chỉ, chịu khó), so never recorded
    assert admin_client.post(f"/quan-tri/cum-tu/{phrases['ngoai hinh ua nhin']}/bo-qua").status_code == 302
    listed = admin_client.get("/quan-tri/cum-tu").get_data(as_text=True)
    # each open phrase's row pre-fills the new-skill form with it
    assert 'value="Biết lái xe ba gác"' not in listed and 'value="Ngoại hình ưa nhìn"' not in listed
    assert "Đã bỏ qua" in listed


def test_only_admins_see_the_phrases(client, auth, factory, db):
    """Other roles are refused."""
    factory.user(role="officer", email="cb@example.vn")
    auth.login(email="cb@example.vn")
    assert client.get("/quan-tri/cum-tu").status_code == 403
