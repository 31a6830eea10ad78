"""The labelled relevance set (corpus.py): a floor on P@10, nDCG@10 and first results on the database backend, the
same top 10 from Elasticsearch (osmem), so ranking cannot silently regress."""
from __future__ import annotations

from jobmarket.search.results import VacancyQuery

from ..conftest import NOW
from ..es_conftest import es_app, es_cluster, es_db  # noqa: F401 (fixtures)
from .corpus import LABELS, build
from .metrics import evaluate

P10_FLOOR = 0.9
NDCG_FLOOR = 0.9
FIRST_FLOOR = 1.0


def _db_search(weights):
    """Ranked ids of a query on the database backend."""
    from jobmarket.search.dbbackend import DatabaseBackend

    backend = DatabaseBackend()
    return lambda q: [h.id for h in backend.search_vacancies(VacancyQuery(q=q, per_page=10), weights=weights,
                                                             now=NOW).hits]


def test_the_labelled_set_ranks_relevant_vacancies_first(db, factory, weights):
    assert len(LABELS) >= 60
    corpus = build(factory, NOW)
    result = evaluate(_db_search(weights), corpus, list(LABELS))
    failing = [(r["q"], round(r["p10"], 2)) for r in result["rows"] if r["p10"] < 1 or not r["first_relevant"]]
    assert result["p10"] >= P10_FLOOR, failing
    assert result["ndcg10"] >= NDCG_FLOOR, failing
    assert result["first_relevant"] >= FIRST_FLOOR, failing


def test_elasticsearch_gives_the_same_top_10(es_db, weights):
    from jobmarket.search import es_backend

    from ...factories import Factory

    corpus = build(Factory(es_db), NOW)
    es_backend.reindex("vacancies")
    db_search = _db_search(weights)
    for q in LABELS:
        ranked, _, _ = es_backend.search_vacancies(VacancyQuery(q=q, per_page=10), weights=weights, now=NOW)
        assert [i for i, _ in ranked.items] == db_search(q), q
    assert corpus.vacancies
