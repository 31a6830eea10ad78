"""Vacancy search (contract tests, run on the backend fixture): the free-text rule, every filter and sort, pages, the worker's relevance."""
from __future__ import annotations

import math
import unicodedata
from datetime import timedelta

import pytest

from jobmarket.search import service
from jobmarket.search.facts import load_vacancies, load_workers
from jobmarket.search.scoring import haversine_km, score_parts
from jobmarket.search.service import VacancyQuery


def search(backend, weights, now, **values):
    """Run a search on the backend: (ids in order, hits, total)."""
    page = backend.search_vacancies(VacancyQuery(**values), weights=weights, now=now)
    return [h.id for h in page.hits], page.hits, page.total


def page_of(backend, weights, now, **values):
    """The whole SearchPage of a search."""
    return backend.search_vacancies(VacancyQuery(**values), weights=weights, now=now)


def test_folding_diacritics_and_unicode_forms_give_the_same_results(db, dataset, backend, weights, now):
    ids, hits, total = search(backend, weights, now, q="kế toán")
    assert set(ids) == set(dataset.vacancy_ids("acc_dd", "acc_cg")) and total == 2
    for q in ("KẾ TOÁN", "Kế Toán", unicodedata.normalize("NFD", "kế toán"), "  kế   toán!! "):
        again, again_hits, _ = search(backend, weights, now, q=q)
        assert again == ids and [h.score for h in again_hits] == [h.score for h in hits]
    folded, folded_hits, _ = search(backend, weights, now, q="ke toan")  # typed without diacritics: same vacancies
    assert set(folded) == set(ids) and all(f.score <= h.score for f, h in zip(folded_hits, hits))


def test_dong_da_is_read_as_a_place_filter(db, dataset, backend, weights, now):
    page = page_of(backend, weights, now, q="dong da")
    # acc_dd is in ward Đống Đa; office_nice_only in ward Ô Chợ Dừa, of the former district Đống Đa
    assert {h.id for h in page.hits} == set(dataset.vacancy_ids("acc_dd", "office_nice_only"))
    assert page.place is not None and page.place.kind == "district" and page.place.code == "006"
    assert page.place.name == "Đống Đa"
    kt = page_of(backend, weights, now, q="kế toán quận Đống Đa")
    assert [h.id for h in kt.hits] == dataset.vacancy_ids("acc_dd") and kt.place.code == "006"
    # asked not to read places, the same words are text (the place names are indexed with weight 0.5)
    plain = page_of(backend, weights, now, q="dong da", places_in_text=False)
    assert plain.place is None and {h.id for h in plain.hits} == {h.id for h in page.hits}


def _reference(backend, weights, now, q, dataset, most_words=False):
    """The text scores of relevance.score_vacancy over every eligible vacancy, from the rows' own texts."""
    from jobmarket.extensions import db as _db
    from jobmarket.search import relevance, textquery
    from jobmarket.search.dbindex import _vacancy_word_rows

    plan = textquery.read(VacancyQuery(q=q, places_in_text=False)).plan
    rows = _vacancy_word_rows(_db.session.connection(), sorted(dataset.eligible_vacancies))
    terms: dict[int, dict[str, int]] = {}
    for r in rows:
        terms.setdefault(r["vacancy_id"], {})[r["word"]] = r["level"]
    out = {}
    for vid, t in terms.items():
        score = relevance.score_vacancy(plan, t, most_words=most_words)
        if score is not None:
            out[vid] = score
    return out


def test_text_score_is_the_relevance_rule(db, dataset, backend, weights, now):
    for q in ("kế toán thuế", "thợ hàn", "hàn điện", "thue", "nhân viên kế toán", "\"hàn điện\"", "hàn -tig"):
        page = page_of(backend, weights, now, q=q, places_in_text=False, per_page=100)
        ids, hits = [h.id for h in page.hits], page.hits
        expected = _reference(backend, weights, now, q, dataset, most_words=page.most_words)
        assert set(ids) == set(expected), q
        for h in hits:
            assert h.score == pytest.approx(expected[h.id], abs=1e-5), q
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_every_word_is_required_and_phrases_rank_first(db, dataset, backend, weights, now):
    v = dataset.vacancy_ids
    # "kế toán thuế": acc_cg holds the phrase in its title, acc_dd has "kế toán" and "thuế" apart
    ids, hits, _ = search(backend, weights, now, q="kế toán thuế")
    assert ids == v("acc_cg", "acc_dd") and hits[0].score > hits[1].score
    # every word is required: "hàn" and "mig" together only in weld_far
    assert search(backend, weights, now, q="hàn mig")[0] == v("weld_far")
    # a quoted phrase must appear as typed; -word excludes
    # (the skill "Hàn điện" is a required skill of weld_far too)
    assert set(search(backend, weights, now, q='"hàn điện"', per_page=100)[0]) == set(v("weld_bd", "weld_bd_twin",
                                                                                        "weld_far"))
    assert set(search(backend, weights, now, q="thợ hàn -mig")[0]) == set(v("weld_bd", "weld_bd_twin", "weld_future"))
    assert set(search(backend, weights, now, q='hàn -"hàn điện"')[0]) == set(v("weld_future"))
    assert set(search(backend, weights, now, q="-hàn", per_page=100)[0]) == set(v("acc_dd", "acc_cg",
                                                                                   "office_nice_only",
                                                                                   "driver_unpublished"))


def test_too_little_with_every_word_falls_back_to_most_words(db, dataset, backend, weights, now):
    page = page_of(backend, weights, now, q="thợ hàn tig xyzzy")
    assert page.most_words and page.total > 0
    assert page.hits[0].id == dataset.vacancies["weld_future"].id  # holds three of the four words
    # fewer than a page's worth hold all of "thợ hàn điện xyzzy": those holding the most words come first
    few = page_of(backend, weights, now, q="thợ hàn điện xyzzy")
    assert few.most_words and {h.id for h in few.hits[:2]} == set(dataset.vacancy_ids("weld_bd", "weld_bd_twin"))
    assert not page_of(backend, weights, now, q="hàn").most_words  # one word: nothing to fall back to


def test_a_query_typed_with_diacritics_prefers_the_exact_spelling(db, factory, backend, weights, now):
    employer = factory.employer()
    plain = factory.vacancy(employer=employer, title="Nhân viên Diện mạo", description="Chăm sóc khách hàng.",
                            ward_code="00004", required=("giao-tiep",), published_at=now)
    exact = factory.vacancy(employer=employer, title="Nhân viên điện", description="Chăm sóc khách hàng.",
                            ward_code="00004", required=("giao-tiep",), published_at=now - timedelta(days=5))
    ids = search(backend, weights, now, q="điện")[0]
    assert ids[:2] == [exact.id, plain.id]
    folded = search(backend, weights, now, q="dien")[0]  # without diacritics: equal, the newer first
    assert folded[:2] == [plain.id, exact.id]


def test_a_query_without_words_lists_every_eligible_vacancy_newest_first(db, dataset, backend, weights, now):
    vac = {v.id: v for v in dataset.vacancies.values()}
    for q in ("", "  ", "!!!"):
        ids, hits, total = search(backend, weights, now, q=q, per_page=100)
        assert set(ids) == dataset.eligible_vacancies and total == len(ids)
        dated = [i for i in ids if vac[i].published_at]
        assert dated == sorted(dated, key=lambda i: (-vac[i].published_at.timestamp(), i))
        assert all(h.score == 0 for h in hits)
    assert search(backend, weights, now, q="khongcotu")[2] == 0


def test_facets_count_the_same_query(db, dataset, backend, weights, now):
    page = page_of(backend, weights, now, q="hàn", facets=True, per_page=1)
    assert sum(page.facets["district"].values()) == page.total
    assert sum(page.facets["wage_band"].values()) == page.total
    everything = page_of(backend, weights, now, facets=True)
    assert sum(everything.facets["job_type"].values()) == everything.total == len(dataset.eligible_vacancies)
    assert everything.facets["job_type"].get("part_time") == 1


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


def _newest(vac):
    """The tie break of every sort: newest first (no date last), then id."""
    return lambda i: (vac[i].published_at is None, -(vac[i].published_at.timestamp() if vac[i].published_at else 0), i)


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
    assert wage == sorted((i for i in eligible if offered(i) is not None),
                          key=lambda i: (-offered(i), *_newest(vac)(i))) + \
        sorted((i for i in eligible if offered(i) is None), key=_newest(vac))
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
    text_only = {h.id: h.score for h in search(backend, weights, now, q="hàn", per_page=100)[1]}
    for hit in hits:
        parts = score_parts(worker, facts[hit.id], weights, now)
        assert math.isclose(hit.parts.total(weights), parts.total(weights), abs_tol=1e-6)
        assert hit.parts.matched_required == parts.matched_required
        # relevance = text score + match total: the match breaks ties of text
        assert hit.score == pytest.approx(text_only[hit.id] + parts.total(weights), abs=1e-5)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    # no words: the match total alone, over every eligible vacancy (a search is not limited to matches)
    ids, hits, total = search(backend, weights, now, worker_id=worker_id, per_page=100)
    assert total == len(dataset.eligible_vacancies)
    expected = sorted(dataset.eligible_vacancies,
                      key=lambda i: (-round(score_parts(worker, facts[i], weights, now).total(weights), 6),
                                     *_newest({v.id: v for v in dataset.vacancies.values()})(i)))
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
