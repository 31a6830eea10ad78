"""Elasticsearch documents and query bodies as pure functions: golden bodies, the score terms, no contact data."""
from __future__ import annotations

import json
import os
import unicodedata
from datetime import datetime
from pathlib import Path

import pytest

from jobmarket.search import es_documents as docs
from jobmarket.search import es_queries as queries
from jobmarket.search.scoring import Point, VacancyFacts, Weights, WorkerFacts

GOLDEN = Path(__file__).with_name("golden")
NOW = datetime(2026, 3, 2, 9, 30, 15, 250000)
WEIGHTS = Weights()
SKILL_WEIGHTS = {3: 1.5, 11: 2.25, 42: 1.0, 50: 3.0}
WORKER = WorkerFacts(id=7, skill_ids=frozenset({3, 11, 42}), home=Point(21.0386, 105.838),
                     preferred=(Point(21.0381, 105.816), Point(21.0128, 105.8306)), anywhere=False,
                     expected_wage=10_000_000, last_active_at=datetime(2026, 2, 20, 8, 0))
VACANCY = VacancyFacts(id=5, required={3: 1.5, 11: 2.25}, nice={42: 1.0, 50: 3.0}, place=Point(21.0128, 105.8306),
                       wage_max=9_000_000, published_at=datetime(2026, 2, 1, 12, 0))


def golden(name: str, body: dict) -> None:
    """Compare a body with its golden file (UPDATE_GOLDEN=1 rewrites the file first, for reviewed changes)."""
    path = GOLDEN / f"{name}.json"
    text = json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(text), f"{name} differs from {path}"


def test_vacancies_for_worker_body_is_golden():
    golden("vacancies_for_worker", queries.vacancies_for_worker(WORKER, SKILL_WEIGHTS, WEIGHTS, NOW, limit=20,
                                                                 offset=0))


def test_workers_for_vacancy_body_is_golden():
    golden("workers_for_vacancy", queries.workers_for_vacancy(VACANCY, WEIGHTS, NOW, limit=20, offset=40))


def test_vacancy_search_bodies_are_golden():
    filters = queries.search_filters(ward_code="00004", district_code="001", origin=Point(21.0386, 105.838),
                                     max_km=5, skill_ids=[11, 3], min_wage=8_000_000, job_type="full_time")
    golden("vacancy_search", queries.vacancy_search(_plan('Kế toán "tổng hợp" -thuế'), LEVELS, filters=filters,
                                                    sort="newest", origin=Point(21.0386, 105.838), limit=20,
                                                    offset=20))
    golden("vacancy_search_with_worker", queries.vacancy_search(
        _plan("thợ hàn"), LEVELS, filters=[], sort="relevance", worker=WORKER, skill_weights=SKILL_WEIGHTS,
        weights=WEIGHTS, now=NOW, limit=10, offset=0))
    golden("vacancy_search_most_words", queries.vacancy_search(_plan("thợ hàn kế toán"), LEVELS, filters=[],
                                                               most_words=True))
    golden("vacancy_search_distance", queries.vacancy_search(None, filters=[], sort="distance",
                                                             origin=Point(21.0128, 105.8306)))


DF = {"ke": 40, "toan": 30, "ke toan": 25, "tong": 20, "hop": 22, "tong hop": 18, "thue": 9, "tho": 12, "han": 8,
      "tho han": 7, "=kế": 38, "=toán": 29, "=tổng": 20, "=hợp": 21, "=thợ": 12, "=hàn": 8}
LEVELS = {t: 4 for t in DF}


def _plan(q):
    """A query plan over fixed document frequencies (100 vacancies)."""
    from jobmarket.search import relevance

    return relevance.plan_query(relevance.parse_query(q), DF, 100)


def test_index_bodies_are_golden():
    golden("index_vacancies", {"settings": docs.INDEX_SETTINGS, "mappings": docs.VACANCY_MAPPINGS})
    golden("index_workers", {"settings": docs.INDEX_SETTINGS, "mappings": docs.WORKER_MAPPINGS})


def test_no_idf_anywhere_only_constant_scores_and_decays():
    """Scoring leaves are constant_score boosts or function_score decays: nothing whose score depends on idf."""
    body = queries.vacancies_for_worker(WORKER, SKILL_WEIGHTS, WEIGHTS, NOW)
    text = json.dumps(body)
    for banned in ('"match":', '"multi_match":', '"query_string":', '"script_score":'):
        assert banned not in text
    should = body["query"]["bool"]["should"]
    kinds = [next(iter(c)) for c in should]
    assert kinds.count("function_score") >= 2 and "dis_max" in kinds and "constant_score" in kinds
    # The filter requires a shared skill; the pair rule is a filter, never a change to the score.
    assert body["query"]["bool"]["filter"] == [{"terms": {"skill_ids": [3, 11, 42]}}]


def test_location_takes_the_nearest_of_several_places():
    clauses = queries.location_clauses("place", docs.worker_places(WORKER), 0.25, 4.0)
    assert len(clauses) == 1 and len(clauses[0]["dis_max"]["queries"]) == 3
    only_home = WorkerFacts(id=1, skill_ids=frozenset(), home=Point(21.0, 105.8), preferred=(Point(21.1, 105.9),),
                            anywhere=True)
    assert "function_score" in queries.location_clauses("place", docs.worker_places(only_home), 0.25, 4.0)[0]
    assert queries.location_clauses("place", [], 0.25, 4.0) == []


def test_skill_shares_sum_to_the_skills_part():
    from jobmarket.search.scoring import skills_part

    shares = queries.skill_shares(VACANCY, WEIGHTS.nice_share)
    for worker_skills in ({3}, {11, 42}, {3, 11, 42, 50}, {50}):
        assert sum(shares[s] for s in worker_skills) == pytest.approx(
            skills_part(frozenset(worker_skills), VACANCY.required, VACANCY.nice, WEIGHTS.nice_share), abs=1e-12)


def test_text_clauses_score_like_the_reference():
    """A document's sum of matching constant_score boosts is relevance.score_vacancy's score."""
    from jobmarket.search import relevance

    plan = _plan("kế toán tổng")
    doc = {"ke": 3, "toan": 3, "ke toan": 3, "tong": 2, "=kế": 3}
    filters, must_not, should = queries.text_clauses(plan, LEVELS)
    total = 0.0
    for clause in should:
        leaves = clause["dis_max"]["queries"] if "dis_max" in clause else [clause]
        for leaf in leaves:
            flt = leaf["constant_score"]["filter"]
            if "bool" in flt:
                if all(x["term"]["terms"] in doc for x in flt["bool"]["filter"]):
                    total += leaf["constant_score"]["boost"]
                continue
            f = flt["term"]
            if "terms" in f and f["terms"] in doc:
                total += leaf["constant_score"]["boost"]
            elif "term_levels" in f:
                term, level = f["term_levels"].rsplit("|", 1)
                if doc.get(term) == int(level):
                    total += leaf["constant_score"]["boost"]
    assert total == pytest.approx(relevance.score_vacancy(plan, doc), abs=1e-9)
    assert len(filters) == len(plan.clauses) and not must_not


def test_worker_document_holds_no_contact_data():
    record = docs.WorkerRecord(facts=WORKER, version=3, ward_code="00004", district_code="001", job_type="full_time")
    document = docs.worker_document(record)
    assert set(document) == set(docs.WORKER_MAPPINGS["properties"])
    assert not {"full_name", "phone", "contact_email", "email", "birth_year", "sex", "name"} & set(document)
    assert document["places"][0] == {"lat": 21.0386, "lon": 105.838} and len(document["places"]) == 3


def test_vacancy_document_text_and_normalisation():
    record = docs.VacancyRecord(facts=VACANCY, version=2, title="Kế toán tổng hợp", ward_code="00190",
                                district_code="006", job_type="full_time", wage_max=None,
                                description="Làm việc tại Đống Đa, kế toán thuế.", skill_labels=["Hàn điện"],
                                occupation_title="Kế toán viên", ward_name="Kim Liên", district_name="Đống Đa")
    document = docs.vacancy_document(record)
    assert set(document) == set(docs.VACANCY_MAPPINGS["properties"]) - {"text_fold"}
    assert document["title_fold"] == "ke toan tong hop"
    assert document["other_fold"].split() == ["lam", "viec", "tai", "dong", "da", "ke", "toan", "thue", "han",
                                              "dien", "vien", "kim", "lien"]
    assert document["required_inv"] == pytest.approx(1 / 3.75) and document["nice_inv"] == pytest.approx(1 / 4.0)
    assert document["has_nice"] is True and document["skill_ids"] == [3, 11, 42, 50]
    assert document["wage_ref"] == 9_000_000 and document["wage_max"] is None
    assert document["published_at"] == "2026-02-01T12:00:00.000"
