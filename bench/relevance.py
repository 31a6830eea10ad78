"""Relevance benchmark: P@10 and nDCG@10 of the labelled query set (tests/search/relevance) on one backend.

    python bench/relevance.py --backend db [--database sqlite|postgresql]
    python bench/relevance.py --backend es            # an osmem-server started here, or ELASTICSEARCH_URL

Builds the fixed corpus of tests/search/relevance/corpus.py in a throwaway database (and index), runs every labelled
query through the backend, prints each query's figures, the means and the machine, and ends with one JSON line.
P@10 counts the relevant vacancies in the top 10 out of min(10, number relevant); relevance is binary.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "bench"))
os.environ.setdefault("JOBMARKET_ENV", "testing")

import match as house  # noqa: E402  (the house bench helpers: throwaway database, app, osmem, machine)


def main(argv=None) -> dict:
    """Run the labelled set on one backend; print the report and the JSON line; return the summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("db", "es"), default="db")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args(argv)
    stop = house.start_elasticsearch() if args.backend == "es" else (lambda: None)
    try:
        with house.throwaway_database(args.database) as url:
            app = house.make_app(url, tempfile.mkdtemp(prefix="jm-relevance-"))
            with app.app_context():
                return run(args)
    finally:
        stop()


def run(args) -> dict:
    """Build the corpus, search every labelled query, report."""
    from jobmarket.extensions import db
    from jobmarket.search.dbbackend import DatabaseBackend
    from jobmarket.search.results import VacancyQuery
    from jobmarket.search.scoring import Weights
    from tests.factories import Factory
    from tests.search.conftest import NOW
    from tests.search.relevance.corpus import LABELS, build
    from tests.search.relevance.metrics import evaluate

    weights = Weights()
    corpus = build(Factory(db), NOW)
    if args.backend == "es":
        from jobmarket.search import es_backend

        es_backend.reindex("vacancies")

        def search(q):
            """Ranked ids from Elasticsearch."""
            ranked, _, _ = es_backend.search_vacancies(VacancyQuery(q=q, per_page=10), weights=weights, now=NOW)
            return [i for i, _ in ranked.items]
    else:
        backend = DatabaseBackend()

        def search(q):
            """Ranked ids from the database backend."""
            page = backend.search_vacancies(VacancyQuery(q=q, per_page=10), weights=weights, now=NOW)
            return [h.id for h in page.hits]

    started = time.perf_counter()
    result = evaluate(search, corpus, list(LABELS))
    seconds = time.perf_counter() - started
    for r in result["rows"]:
        print(f"{r['p10']:5.2f} {r['ndcg10']:5.2f} {'first ok' if r['first_relevant'] else 'FIRST WRONG'}  {r['q']}")
    machine = house.machine()
    summary = {"bench": "relevance", "backend": "elasticsearch" if args.backend == "es" else "database",
               "database": args.database, "queries": result["queries"], "vacancies": len(corpus.vacancies),
               "p_at_10": round(result["p10"], 4), "ndcg_at_10": round(result["ndcg10"], 4),
               "first_relevant": round(result["first_relevant"], 4), "seconds": round(seconds, 2),
               "machine": machine}
    print(f"\nP@10 {summary['p_at_10']}  nDCG@10 {summary['ndcg_at_10']}  first result relevant "
          f"{summary['first_relevant']}  ({summary['queries']} queries, {summary['vacancies']} vacancies, "
          f"{summary['backend']} on {args.database})")
    print(f"machine: {machine}")
    print(json.dumps(summary, ensure_ascii=False))
    return summary


if __name__ == "__main__":
    main()
