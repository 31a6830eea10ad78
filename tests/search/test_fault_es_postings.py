"""The index server stopped in the middle of 1,000 postings: every posting succeeds, search falls back to the
database while it is down, the outbox keeps what could not be sent, and after it returns the index equals the
database (nothing lost, nothing left over)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from jobmarket.models import OutboxEntry, Vacancy
from jobmarket.search import es_backend, service
from jobmarket.search.outbox import drain
from jobmarket.search.service import VacancyQuery

from .es_conftest import (database_snapshot, es_cluster, es_proxy, es_proxy_app, es_proxy_db,  # noqa: F401
                          index_snapshot)

pytestmark = pytest.mark.elasticsearch

POSTINGS = 1000
DOWN_FROM, UP_FROM = 300, 700


def test_index_server_stopped_during_1000_postings(es_proxy_db, es_proxy, factory):
    es_backend.ensure_indices()
    employer = factory.employer()
    degraded_searches = 0
    posted = []
    for n in range(POSTINGS):
        if n == DOWN_FROM:
            es_proxy.stop()
        if n == UP_FROM:
            es_proxy.start()
        vacancy = factory.vacancy(employer=employer, title=f"Kế toán tổng hợp {n}", required=("han-dien",),
                                  ward_code="00004")
        posted.append(vacancy.id)
        if n in (DOWN_FROM + 1, (DOWN_FROM + UP_FROM) // 2, UP_FROM - 1):
            page = service.search_vacancies(VacancyQuery(q="ke toan tong hop", per_page=5))
            assert page.degraded and page.backend != "elasticsearch" and page.total == n + 1
            degraded_searches += 1
    assert degraded_searches == 3
    assert es_proxy_db.session.scalar(select(func.count(Vacancy.id))) == POSTINGS  # no posting was lost
    pending = es_proxy_db.session.scalar(select(func.count(OutboxEntry.id)))
    assert pending >= UP_FROM - DOWN_FROM  # what was posted while it was down waits in the outbox

    result = drain()
    assert result.failed == 0 and result.synced >= UP_FROM - DOWN_FROM
    assert es_proxy_db.session.scalar(select(func.count(OutboxEntry.id))) == 0
    es_backend.refresh()
    for kind in es_backend.KINDS:
        assert index_snapshot(kind) == database_snapshot(kind), kind
    page = service.search_vacancies(VacancyQuery(q="ke toan tong hop", per_page=5))
    assert not page.degraded and page.backend == "elasticsearch" and page.total == POSTINGS
