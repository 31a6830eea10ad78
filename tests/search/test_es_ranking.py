"""The Elasticsearch backend against a real ES-API server: Vietnamese folding, the match score equal to the exact
scorer (both directions, top 20, ties), the free-text rule, filters and sorts equal to the exhaustive reference."""
from __future__ import annotations

import unicodedata

import pytest
from sqlalchemy import select

from jobmarket.models import FormerDistrict, Skill, Vacancy, Ward
from jobmarket.search import es_backend, es_queries, exact, service
from jobmarket.search.es_reference import search_vacancies as reference_search
from jobmarket.search.scoring import Weights
from jobmarket.search.service import VacancyQuery

from .es_conftest import NOW, build_dataset, es_app, es_cluster, es_db  # noqa: F401 (fixtures)

pytestmark = pytest.mark.elasticsearch
TOLERANCE = 1e-6


@pytest.fixture
def dataset(es_db):
    """The fixed data set, drained to the index by its commit, visible to searches."""
    data = build_dataset(es_db)
    es_backend.refresh()
    return data


def assert_same_ranking(got: list[tuple[int, float]], want: list[tuple[int, float]], label: str) -> None:
    """Same ids in the same order and scores equal to 1e-6; neighbours whose exact scores differ by less than that
    are ties, which both sides break by id, so only a float32 rounding can swap them (and then both are allowed)."""
    assert len(got) == len(want), f"{label}: {len(got)} results, expected {len(want)}"
    for k, ((gid, gscore), (wid, wscore)) in enumerate(zip(got, want)):
        assert abs(gscore - wscore) <= TOLERANCE, f"{label} #{k}: score {gscore} vs {wscore}"
        if gid != wid:
            tied = [i for i, s in want if abs(s - wscore) <= TOLERANCE]
            assert gid in tied, f"{label} #{k}: id {gid}, expected {wid} (not a tie)"


def test_the_folding_analyzer_makes_vietnamese_diacritics_optional(es_db):
    es_backend.ensure_indices()
    es = es_backend.bulk_client()

    def tokens(text: str) -> list[str]:
        found = es.indices.analyze(index=es_backend.alias_name("vacancies"), analyzer="vi_fold", text=text)
        return [t["token"] for t in found["tokens"]]

    assert tokens("Kế toán") == tokens("ke toan") == tokens(unicodedata.normalize("NFD", "Kế toán")) == ["ke", "toan"]
    assert tokens("ĐỐNG ĐA") == tokens("Đống Đa") == tokens(unicodedata.normalize("NFD", "Đống Đa")) == ["dong", "da"]
    assert tokens("Thợ hàn điện, Hoàng Mai") == ["tho", "han", "dien", "hoang", "mai"]
    mapping = es.indices.get_mapping(index=es_backend.alias_name("vacancies"))
    properties = next(iter(mapping.body.values()))["mappings"]["properties"]
    assert properties["text_fold"]["analyzer"] == "vi_fold" and properties["place"]["type"] == "geo_point"
    aliases = es_backend.versioned_indices(es, "vacancies")
    assert list(aliases) == [f"{es_backend.alias_name('vacancies')}-v1"]


def test_vacancies_for_each_worker_equal_the_exact_scorer(dataset, es_db):
    weights = Weights()
    checked = 0
    for worker_id in dataset.eligible_workers:
        want = [(i, s) for i, s, _ in exact.rank_vacancies_for_worker(worker_id, weights, NOW, limit=20)]
        got = es_backend.match_vacancies_for_worker(worker_id, limit=20, offset=0, weights=weights, now=NOW)
        assert_same_ranking(got.items, want, f"worker {worker_id}")
        checked += bool(want)
    assert checked >= 40


def test_workers_for_each_vacancy_equal_the_exact_scorer(dataset, es_db):
    weights = Weights(skills=0.5, location=0.2, wage=0.2, freshness=0.1, nice_share=0.3, location_half_km=3.0,
                      wage_tolerance_vnd=4_000_000, freshness_half_days=21.5)
    checked = 0
    for vacancy_id in dataset.eligible_vacancies:
        want = [(i, s) for i, s, _ in exact.rank_workers_for_vacancy(vacancy_id, weights, NOW, limit=20)]
        got = es_backend.match_workers_for_vacancy(vacancy_id, limit=20, offset=0, weights=weights, now=NOW)
        assert_same_ranking(got.items, want, f"vacancy {vacancy_id}")
        checked += bool(want)
    assert checked >= 40


def consecutive_in_id_order(ranked: list[tuple[int, float]], group: list[int]) -> bool:
    """Whether a group of identically scored ids sits together in the ranking, in id order."""
    ids = [i for i, _ in ranked]
    positions = [ids.index(i) for i in sorted(group)]
    return positions == list(range(positions[0], positions[0] + len(group)))


def test_ties_are_broken_by_id_and_pages_follow_on(dataset, es_db):
    weights = Weights()
    # build_dataset makes the last three vacancies copies of the first one, and the last two workers copies of the
    # second one: identical facts, identical scores.
    twins = [i for i in [dataset.vacancies[0], *dataset.vacancies[-3:]] if i in dataset.eligible_vacancies]
    worker_id = next(w for w in dataset.eligible_workers
                     if set(twins) <= {i for i, _, _ in exact.rank_vacancies_for_worker(w, weights, NOW, limit=500)})
    everything = exact.rank_vacancies_for_worker(worker_id, weights, NOW, limit=500)
    got = es_backend.match_vacancies_for_worker(worker_id, limit=500, offset=0, weights=weights, now=NOW)
    assert len({round(s, 9) for i, s in got.items if i in twins}) == 1
    assert consecutive_in_id_order(got.items, twins)
    assert got.total == len(everything)
    page2 = es_backend.match_vacancies_for_worker(worker_id, limit=5, offset=5, weights=weights, now=NOW)
    assert [i for i, _ in page2.items] == [i for i, _ in got.items[5:10]]
    twin_workers = [i for i in [dataset.workers[1], *dataset.workers[-2:]] if i in dataset.eligible_workers]
    assert len(twin_workers) >= 2
    vacancy_id = next(v for v in dataset.eligible_vacancies
                      if set(twin_workers) <= {i for i, _, _ in exact.rank_workers_for_vacancy(v, weights, NOW, 500)})
    ranked = es_backend.match_workers_for_vacancy(vacancy_id, limit=500, offset=0, weights=weights, now=NOW)
    assert consecutive_in_id_order(ranked.items, twin_workers)


def test_the_service_answers_from_elasticsearch_with_reasons(dataset, es_app, es_db):
    worker_id = dataset.eligible_workers[0]
    page = service.match_vacancies_for_worker(worker_id, limit=10)
    assert page.backend == "elasticsearch" and not page.degraded and page.matches
    want = exact.rank_vacancies_for_worker(worker_id, service.weights(), service.now(), limit=10)
    assert [m.score for m in page.matches] == pytest.approx([s for _, s, _ in want], abs=TOLERANCE)
    assert all(m.parts.matched_required or m.parts.matched_nice for m in page.matches)
    candidates = service.match_workers_for_vacancy(dataset.eligible_vacancies[0], limit=10)
    assert candidates.backend == "elasticsearch" and all(m.parts.skills > 0 for m in candidates.matches)


def ward_in(district_name: str) -> Ward:
    """Some ward of a former district."""
    from jobmarket.extensions import db

    return db.session.scalar(select(Ward).join(FormerDistrict, FormerDistrict.code == Ward.district_code)
                             .where(FormerDistrict.name_vi == district_name).order_by(Ward.code))


def compare_search(query: VacancyQuery) -> tuple[list, list]:
    """ES hits (all of them) against the reference (exact.search_vacancies_exact): same ids in the same order, scores
    equal to float32 precision."""
    weights = Weights()
    query.per_page, query.page = 100, 1
    want, want_total = reference_search(query, weights=weights, now=NOW)
    got, _reading, _most = es_backend.search_vacancies(query, weights=weights, now=NOW)
    label = repr(query)
    assert [i for i, _ in got.items] == [i for i, _ in want], label
    assert [s for _, s in got.items] == pytest.approx([s for _, s in want], rel=1e-5, abs=1e-4), label
    assert got.total == want_total, label
    return got.items, want


def test_free_text_filters_and_sorts_equal_the_reference(dataset, es_db):
    from jobmarket.extensions import db

    dong_da, ba_dinh = ward_in("Đống Đa"), ward_in("Ba Đình")
    welding = db.session.scalar(select(Skill.id).where(Skill.slug == "han-dien"))
    steel = db.session.scalar(select(Skill.id).where(Skill.slug == "ket-cau-thep"))
    worker = dataset.eligible_workers[3]
    queries = [
        VacancyQuery(),
        VacancyQuery(q="kế toán"),
        VacancyQuery(q="Thợ hàn điện"),
        VacancyQuery(q="han dien kinh nghiem", sort="newest"),
        VacancyQuery(q="dong da"),
        VacancyQuery(q="nhân viên", district_code=dong_da.district_code, sort="wage"),
        VacancyQuery(ward_code=ba_dinh.code, sort="newest"),
        VacancyQuery(origin_ward=dong_da.code, max_km=4, sort="distance"),
        VacancyQuery(q="tho", origin_ward=ba_dinh.code, max_km=6.5),
        VacancyQuery(skill_ids=[welding, steel]),
        VacancyQuery(skill_ids=[welding], min_wage=10_000_000, sort="wage"),
        VacancyQuery(min_wage=12_000_000, job_type="full_time", sort="newest"),
        VacancyQuery(q="kế toán thuế", worker_id=worker),
        VacancyQuery(worker_id=worker),
        VacancyQuery(worker_id=worker, origin_ward=dong_da.code, sort="distance"),
        VacancyQuery(q="lái xe", job_type="part_time", worker_id=dataset.eligible_workers[7], sort="wage"),
        VacancyQuery(sort="distance"),  # no origin: relevance
    ]
    non_empty = 0
    for query in queries:
        got, want = compare_search(query)
        non_empty += bool(want)
    assert non_empty >= len(queries) - 2


def test_vietnamese_spellings_find_the_same_vacancies(dataset, es_db):
    weights = Weights()
    found = {}
    for q in ("kế toán", "ke toan", "KẾ TOÁN", unicodedata.normalize("NFD", "Kế toán"), "Đống Đa", "dong da",
              unicodedata.normalize("NFD", "ĐỐNG ĐA")):
        ranked = es_backend.search_vacancies(VacancyQuery(q=q, per_page=100), weights=weights, now=NOW)[0]
        found[q] = [i for i, _ in ranked.items]
    assert found["kế toán"] and found["dong da"]
    assert found["kế toán"] == found["KẾ TOÁN"] == found[unicodedata.normalize("NFD", "Kế toán")]
    assert set(found["ke toan"]) == set(found["kế toán"])  # typed without diacritics: the same vacancies
    assert found["Đống Đa"] == found["dong da"] == found[unicodedata.normalize("NFD", "ĐỐNG ĐA")]
    titles = dict(es_db.session.execute(select(Vacancy.id, Vacancy.title)).all())
    assert "toán" in titles[found["kế toán"][0]].lower()
