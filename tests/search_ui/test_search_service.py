"""Vacancy search as the pages call it (service.search_vacancies) and by the exact reference rule
(exact.search_vacancies_exact): text relevance, filters, sorts, pages, worker relevance. Both must agree."""
from __future__ import annotations

import unicodedata
from datetime import timedelta

import pytest

from jobmarket.models._common import utcnow
from jobmarket.search import service
from jobmarket.search.exact import search_vacancies_exact
from jobmarket.search.service import VacancyQuery

from .conftest import CAU_GIAY, DONG_ANH, LANG, YEN_HOA


def _exact(query: VacancyQuery):
    return search_vacancies_exact(query, service.weights(), service.now())


@pytest.fixture(params=["service", "exact"])
def search(request, app):
    """Each test runs on what the pages call and on the exact reference rule."""
    return service.search_vacancies if request.param == "service" else _exact


@pytest.fixture
def ids(search):
    """The ids of every hit, in order."""
    return lambda query: [h.id for h in search(query).hits]


def test_the_relevance_rule_as_pure_functions():
    from jobmarket.search import relevance as r

    parsed = r.parse_query('Kế toán "tổng hợp" -thuế, lái xe')
    assert [[x.folded for x in run.syllables] for run in parsed.runs] == [["ke", "toan"], ["tong", "hop"],
                                                                          ["lai", "xe"]]
    assert parsed.runs[1].quoted and [[x.folded for x in e.syllables] for e in parsed.exclusions] == [["thue"]]
    terms = r.document_terms({"title": "Kế toán", "description": "kế toán, kế toán"})
    assert terms["ke toan"] == 2 * (3 + 2) and terms["=kế"] == 10 and "toan ke" not in terms  # a comma ends a phrase
    assert r.weight(2) < r.weight(10) < r.K1 + 1  # saturates
    assert r.idf(1, 100) > r.idf(50, 100) > 0
    df = {"ke": 40, "toan": 30, "ke toan": 25, "hoach": 10, "ke hoach": 9}
    plan = r.plan_query(r.parse_query("kế toán"), df, 100)
    assert [w.text for w in plan.words] == ["ke toan"] and plan.clauses[0].alternatives == [["ke toan"]]
    # "toan" next to "ke" in a different word is not the word "kế toán": both syllables, but not the pair
    assert r.score_vacancy(plan, {"ke": 2, "toan": 2, "ke hoach": 2}) is None
    assert r.score_vacancy(plan, {"ke": 2, "toan": 2, "ke toan": 2}) > r.TIER
    assert r.most_words_count(3) == 2 and r.most_words_count(1) == 1


def test_diacritics_case_and_normal_forms_find_the_same(market, search, ids):
    expected = ids(VacancyQuery(q="kế toán"))
    assert market.accountant.id in expected
    for q in ("ke toan", "KẾ TOÁN", unicodedata.normalize("NFD", "Kế toán"), "  kế   toán "):
        assert ids(VacancyQuery(q=q)) == expected, q
    # "Đông Anh" names a former district: a place filter, said on the page
    page = search(VacancyQuery(q="dong anh"))
    assert [h.id for h in page.hits] == [market.welder.id] and page.place.name == "Đông Anh"
    assert ids(VacancyQuery(q="Đông Anh")) == ids(VacancyQuery(q="ĐÔNG ANH")) == [h.id for h in page.hits]


def test_only_open_vacancies_of_verified_employers(market, ids):
    found = ids(VacancyQuery(q="ke toan", per_page=50))
    assert market.accountant.id in found and market.other_vacancy.id in found
    for hidden in (market.closed, market.draft, market.unverified_vacancy):
        assert hidden.id not in found
    assert set(ids(VacancyQuery(per_page=50))) == {market.accountant.id, market.welder.id, market.other_vacancy.id}


def test_title_words_outrank_other_words(market, factory, search, ids):
    in_description = factory.vacancy(employer=market.employer, title="Nhân viên văn phòng", ward_code=CAU_GIAY,
                                     description="Hỗ trợ kế toán trưởng.", required=("word",))
    page = search(VacancyQuery(q="ke toan"))
    scores = {h.id: h.score for h in page.hits}
    assert scores[market.accountant.id] > scores[in_description.id] > 0
    assert [h.id for h in page.hits][-1] == in_description.id
    # Skill labels count, less than the title.
    assert search(VacancyQuery(q="excel")).hits[0].id == market.accountant.id
    page = search(VacancyQuery(q="cau giay", per_page=50))
    assert page.place.code == "005" and {h.id for h in page.hits} == {market.accountant.id, in_description.id}


def test_filters(market, factory, ids):
    assert ids(VacancyQuery(ward_code=LANG)) == [market.other_vacancy.id]
    assert ids(VacancyQuery(district_code="005")) == [market.accountant.id]
    assert ids(VacancyQuery(district_code="006", q="ke toan")) == [market.other_vacancy.id]
    assert ids(VacancyQuery(job_type="shift")) == [market.welder.id]
    skill = {slug: factory.skill(slug).id for slug in ("ke-toan-thue", "excel")}
    assert ids(VacancyQuery(skill_ids=[skill["ke-toan-thue"]], sort="newest")) == \
        [market.accountant.id, market.other_vacancy.id]
    assert ids(VacancyQuery(skill_ids=[skill["ke-toan-thue"], skill["excel"]])) == [market.accountant.id]
    # min_wage compares the top of the range, or the bottom when there is no top (the welder: 9,000,000 and up).
    assert set(ids(VacancyQuery(min_wage=9_000_000))) == {market.accountant.id, market.welder.id,
                                                         market.other_vacancy.id}
    assert set(ids(VacancyQuery(min_wage=9_000_001))) == {market.accountant.id}
    assert ids(VacancyQuery(min_wage=12_000_001)) == []


def test_distance_filter_and_sort(market, search, ids):
    page = search(VacancyQuery(origin_ward=YEN_HOA, sort="distance"))
    assert [h.id for h in page.hits] == [market.other_vacancy.id, market.accountant.id, market.welder.id]
    distances = [h.distance_km for h in page.hits]
    assert distances == sorted(distances) and distances[0] == pytest.approx(1.3, abs=0.1)
    assert ids(VacancyQuery(origin_ward=YEN_HOA, max_km=5)) == [market.accountant.id, market.other_vacancy.id]
    assert ids(VacancyQuery(origin_ward=DONG_ANH, max_km=0.5)) == [market.welder.id]
    # Without a ward to measure from there is no distance: the sort is by relevance, max_km has no effect.
    assert ids(VacancyQuery(sort="distance", max_km=0.5)) == ids(VacancyQuery(sort="relevance"))


def test_sorts_break_ties_by_freshness_then_id(market, factory, ids):
    same_time = utcnow() - timedelta(days=1)
    a = factory.vacancy(employer=market.employer, title="Phụ bếp", required=("excel",), published_at=same_time,
                        wage_min=None, wage_max=None)
    b = factory.vacancy(employer=market.employer, title="Phụ bếp", required=("excel",), published_at=same_time,
                        wage_min=None, wage_max=None)
    market.welder.published_at = same_time
    from jobmarket.extensions import db

    db.session.commit()
    newest = ids(VacancyQuery(sort="newest", per_page=50))
    assert newest == [market.welder.id, a.id, b.id, market.accountant.id, market.other_vacancy.id]
    # By the top of the wage range, or the bottom when there is no top: 12M, then the welder's 9M (a bottom) and
    # the other vacancy's 9M tie (broken by id), then those without any wage, ties by id.
    assert ids(VacancyQuery(sort="wage", per_page=50)) == [market.accountant.id,
                                                          *sorted([market.other_vacancy.id, market.welder.id]),
                                                          a.id, b.id]
    # Relevance without text or worker: every score is 0, so the order is by freshness.
    assert ids(VacancyQuery(per_page=50)) == newest


def test_pages_and_total(market, search):
    first = search(VacancyQuery(sort="newest", per_page=2, page=1))
    second = search(VacancyQuery(sort="newest", per_page=2, page=2))
    beyond = search(VacancyQuery(sort="newest", per_page=2, page=50))
    assert first.total == second.total == beyond.total == 3
    assert len(first.hits) == 2 and len(second.hits) == 1 and beyond.hits == []
    assert {h.id for h in first.hits + second.hits} == {market.accountant.id, market.welder.id,
                                                        market.other_vacancy.id}
    assert first.backend and first.degraded is False


def test_worker_relevance_mixes_text_and_match(market, search):
    weights = service.weights()
    with_text = search(VacancyQuery(q="ke toan", worker_id=market.worker.id, per_page=50))
    hits = {h.id: h for h in with_text.hits}
    accountant = hits[market.accountant.id]
    assert accountant.parts is not None
    text_only = {h.id: h.score for h in search(VacancyQuery(q="ke toan", per_page=50)).hits}
    assert accountant.score == pytest.approx(text_only[accountant.id] + accountant.parts.total(weights), abs=1e-5)
    assert [h.id for h in with_text.hits][0] == market.accountant.id
    without_text = search(VacancyQuery(worker_id=market.worker.id, per_page=50))
    for hit in without_text.hits:
        assert hit.score == pytest.approx(hit.parts.total(weights), abs=1e-5)
    assert [h.id for h in without_text.hits][0] == market.accountant.id
    # The reference pair score agrees with the ranked matches.
    match = service.explain_match(market.worker.id, market.accountant.id)
    ranked = service.match_vacancies_for_worker(market.worker.id)
    assert ranked.matches[0].id == market.accountant.id
    assert match.score == pytest.approx(ranked.matches[0].score, abs=1e-6)
    assert service.explain_match(market.worker.id, 2_000_000) is None


@pytest.mark.parametrize("query", [
    VacancyQuery(q="ke toan thue"), VacancyQuery(q="han", sort="newest"), VacancyQuery(q="cau giay dong da"),
    VacancyQuery(q="kế toán trưởng xyz"), VacancyQuery(q='"ke toan" -thue'), VacancyQuery(q="hàn", facets=True),
    VacancyQuery(origin_ward=YEN_HOA, sort="distance", max_km=20), VacancyQuery(sort="wage", min_wage=8_500_000),
    VacancyQuery(q="ke toan", sort="relevance", page=2, per_page=1),
])
def test_the_service_and_the_reference_agree(market, query, monkeypatch):
    moment = service.now()
    monkeypatch.setattr(service, "now", lambda: moment)  # freshness moves with the clock between two calls
    for worker_id in (None, "worker"):
        query.worker_id = market.worker.id if worker_id else None
        got, want = service.search_vacancies(query), _exact(query)
        assert got.total == want.total
        assert [h.id for h in got.hits] == [h.id for h in want.hits]
        for a, b in zip(got.hits, want.hits):
            assert a.score == pytest.approx(b.score, abs=1e-5)
            assert (a.distance_km is None) == (b.distance_km is None)
            assert (a.parts is None) == (b.parts is None)
            if a.parts is not None:
                assert a.parts.total(service.weights()) == pytest.approx(b.parts.total(service.weights()), abs=1e-9)
