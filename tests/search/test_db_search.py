"""Vacancy search (contract tests, run on the backend fixture): the free-text rule, every filter and sort, pages, the worker's relevance."""
from __future__ import annotations

import math
import unicodedata

import pytest

from jobmarket.search import service
from jobmarket.search.facts import load_vacancies, load_workers
from jobmarket.search.scoring import haversine_km, score_parts
from jobmarket.search.service import VacancyQuery
from jobmarket.search.textmatch import query_tokens, text_score, vacancy_words


def search(backend, weights, now, **values):
    """Run a search on the backend: (ids in order, hits, total)."""
    hits, total = backend.search_vacancies(VacancyQuery(**values), weights=weights, now=now)
    return [h.id for h in hits], hits, total


def test_folding_diacritics_and_unicode_forms_give_the_same_results(db, dataset, backend, weights, now):
    ids, hits, total = search(backend, weights, now, q="kế toán")
    assert set(ids) == set(dataset.vacancy_ids("acc_dd", "acc_cg")) and total == 2
    for q in ("ke toan", "KE TOAN", "Kế Toán", unicodedata.normalize("NFD", "kế toán"), "  kế   toán!! "):
        again, again_hits, _ = search(backend, weights, now, q=q)
        assert again == ids and [h.score for h in again_hits] == [h.score for h in hits]


def test_dong_da_finds_the_ward_and_the_former_district(db, dataset, backend, weights, now):
    ids, _, _ = search(backend, weights, now, q="dong da")
    # acc_dd is in ward Đống Đa; office_nice_only in ward Ô Chợ Dừa, of the former district Đống Đa
    assert set(ids) == set(dataset.vacancy_ids("acc_dd", "office_nice_only"))
    assert search(backend, weights, now, q="Đống Đa")[0] == ids


def test_text_score_is_the_contract_rule(db, dataset, backend, weights, now):
    ids, hits, _ = search(backend, weights, now, q="kế toán thuế")
    by_id = {h.id: h.score for h in hits}
    acc_cg, acc_dd = dataset.vacancy_ids("acc_cg", "acc_dd")
    assert by_id[acc_cg] == pytest.approx(1.0)  # every token in the title: 2 + 2 + 2 over 2 * 3
    assert by_id[acc_dd] == pytest.approx(5 / 6)  # "thue" only in the description
    assert ids[:2] == [acc_cg, acc_dd]
    words = vacancy_words("Kế toán tổng hợp", ["Làm sổ sách, báo cáo thuế hằng tháng."])
    assert text_score(query_tokens("ke toan thue ke"), words) == pytest.approx(5 / 6)
    # skill labels and the occupation-free rest count once: "MISA" is a skill label of acc_dd only
    ids, hits, _ = search(backend, weights, now, q="misa hàn")
    assert set(ids) == set(dataset.vacancy_ids("acc_dd", "weld_bd", "weld_bd_twin", "weld_far", "weld_future"))
    assert {h.id: h.score for h in hits}[acc_dd] == pytest.approx(1 / 4)


def test_a_query_without_words_lists_every_eligible_vacancy_by_id(db, dataset, backend, weights, now):
    for q in ("", "  ", "!!!"):
        ids, hits, total = search(backend, weights, now, q=q, per_page=100)
        assert ids == sorted(dataset.eligible_vacancies) and total == len(ids)
        assert all(h.score == 0 for h in hits)
    assert search(backend, weights, now, q="khongcotu")[2] == 0


def test_ineligible_vacancies_are_never_found(db, dataset, backend, weights, now):
    ids, _, _ = search(backend, weights, now, q="thợ hàn điện", per_page=100)
    assert not set(ids) & set(dataset.vacancy_ids("weld_closed", "weld_unverified", "weld_draft"))


def test_filters(db, dataset, backend, weights, now):
    v = dataset.vacancy_ids
    assert set(search(backend, weights, now, ward_code="00004")[0]) == set(v("weld_bd", "weld_bd_twin"))
    assert set(search(backend, weights, now, district_code="006")[0]) == set(v("acc_dd", "office_nice_only"))
    assert set(search(backend, weights, now, district_code="005")[0]) == set(v("acc_cg"))
    han_tig = dataset.skills["han-tig"]
    assert set(search(backend, weights, now, skill_ids=[han_tig])[0]) == set(v("weld_bd", "weld_bd_twin", "weld_future"))
    both = [han_tig, dataset.skills["giao-tiep"]]  # all of them, required or nice to have
    assert set(search(backend, weights, now, skill_ids=both)[0]) == set(v("weld_bd", "weld_bd_twin"))
    # wage_max, or wage_min when there is no maximum; no wage at all never passes
    assert set(search(backend, weights, now, min_wage=12_000_000)[0]) == set(v("weld_bd", "weld_bd_twin", "weld_future",
                                                                       "acc_dd", "driver_unpublished"))
    assert set(search(backend, weights, now, min_wage=8_000_000, ward_code="00376")[0]) == set(v("weld_far"))
    assert set(search(backend, weights, now, min_wage=8_000_001, ward_code="00376")[0]) == set()
    assert set(search(backend, weights, now, job_type="part_time")[0]) == set(v("acc_cg"))
    near = search(backend, weights, now, origin_ward="00004", max_km=2.5, per_page=100)
    points = {vac.id: vac.ward for vac in dataset.vacancies.values()}
    origin = dataset.vacancies["weld_bd"].ward
    expected = {i for i in dataset.eligible_vacancies
                if haversine_km(_point(origin), _point(points[i])) <= 2.5}
    assert set(near[0]) == expected and 0 < len(expected) < len(dataset.eligible_vacancies)
    assert all(h.distance_km <= 2.5 for h in near[1])
    assert search(backend, weights, now, q="hàn", ward_code="00008", job_type="shift")[0] == v("weld_future")


def _point(ward):
    from jobmarket.search.scoring import Point

    return Point(ward.lat, ward.lon)


def test_sorts(db, dataset, backend, weights, now):
    eligible = dataset.eligible_vacancies
    vac = {v.id: v for v in dataset.vacancies.values()}
    newest = search(backend, weights, now, sort="newest", per_page=100)[0]
    with_date = sorted((i for i in eligible if vac[i].published_at), key=lambda i: (-vac[i].published_at.timestamp(), i))
    assert newest == with_date + sorted(i for i in eligible if not vac[i].published_at)
    wage = search(backend, weights, now, sort="wage", per_page=100)[0]

    def offered(i):
        return vac[i].wage_max if vac[i].wage_max is not None else vac[i].wage_min
    assert wage == sorted((i for i in eligible if offered(i) is not None), key=lambda i: (-offered(i), i)) + \
        sorted(i for i in eligible if offered(i) is None)
    ids, hits, _ = search(backend, weights, now, sort="distance", origin_ward="00235", per_page=100)
    distances = [h.distance_km for h in hits]
    assert distances == sorted(distances) and ids[0] == dataset.vacancies["acc_dd"].id and distances[0] == 0
    twins = dataset.vacancy_ids("weld_bd", "weld_bd_twin")
    assert [i for i in ids if i in twins] == sorted(twins)  # same place: id order
    relevance = search(backend, weights, now, q="thợ hàn điện")[1]
    assert [h.score for h in relevance] == sorted((h.score for h in relevance), reverse=True)
    assert relevance[0].id == min(twins) and relevance[1].id == max(twins)


def test_pages_and_total(db, dataset, backend, weights, now):
    everything = search(backend, weights, now, sort="newest", per_page=100)[0]
    pages = [search(backend, weights, now, sort="newest", page=p, per_page=3) for p in (1, 2, 3)]
    assert [i for ids, _, _ in pages for i in ids] == everything
    assert all(total == len(everything) for _, _, total in pages)
    past_the_end = search(backend, weights, now, sort="newest", page=9, per_page=3)
    assert past_the_end[0] == [] and past_the_end[2] == len(everything)


def test_a_worker_search_ranks_by_text_and_match(db, dataset, backend, weights, now):
    worker_id = dataset.workers["welder_bd"].id
    worker = load_workers([worker_id])[worker_id]
    facts = load_vacancies(sorted(dataset.eligible_vacancies))
    ids, hits, _ = search(backend, weights, now, q="hàn", worker_id=worker_id, per_page=100)
    tokens = query_tokens("hàn")
    for hit in hits:
        parts = score_parts(worker, facts[hit.id], weights, now)
        assert math.isclose(hit.parts.total(weights), parts.total(weights), abs_tol=1e-6)
        assert hit.parts.matched_required == parts.matched_required
        assert 0 < hit.score <= 1 and hit.score >= 0.5 * parts.total(weights) - 1e-9
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert tokens == ["han"]
    # no words: the match total alone, over every eligible vacancy (a search is not limited to matches)
    ids, hits, total = search(backend, weights, now, worker_id=worker_id, per_page=100)
    assert total == len(dataset.eligible_vacancies)
    expected = sorted(dataset.eligible_vacancies,
                      key=lambda i: (-score_parts(worker, facts[i], weights, now).total(weights), i))
    assert ids == expected
    for hit in hits:
        assert math.isclose(hit.score, score_parts(worker, facts[hit.id], weights, now).total(weights), abs_tol=1e-6)


def test_queries_that_cannot_run_say_why(db, dataset, backend, weights, now):
    with pytest.raises(ValueError):
        search(backend, weights, now, sort="cheapest")
    with pytest.raises(ValueError):
        search(backend, weights, now, origin_ward="99999", sort="distance")
    # Without an origin ward there is no distance: relevance order, no distance filter (as on every backend).
    assert search(backend, weights, now, sort="distance") == search(backend, weights, now, sort="relevance")
    assert search(backend, weights, now, max_km=3) == search(backend, weights, now)


def test_the_service_searches_with_the_database_backend(db, dataset, app):
    page = service.search_vacancies(VacancyQuery(q="ke toan"))
    assert page.backend == "database" and page.total == 2 and not page.degraded
    assert {h.id for h in page.hits} == set(dataset.vacancy_ids("acc_dd", "acc_cg"))
