"""Keeping the index true: the outbox is written in the same transaction, drained after commit, survives an
outage of the index server, and replays idempotently; reindex swaps the alias; status compares counts."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select

from jobmarket.models import OutboxEntry, Skill, User, Vacancy, VacancySkill, WorkerProfile
from jobmarket.models._common import utcnow
from jobmarket.search import es_backend, service
from jobmarket.search.es_reference import search_vacancies as reference_search
from jobmarket.search.outbox import drain
from jobmarket.search.service import VacancyQuery

from .es_conftest import (build_dataset, database_snapshot, es_app, es_cluster, es_db, es_proxy,  # noqa: F401
                          es_proxy_app, es_proxy_db, index_snapshot)

pytestmark = pytest.mark.elasticsearch


def outbox_count(db) -> int:
    """How many outbox entries are pending."""
    return db.session.scalar(select(func.count(OutboxEntry.id)))


def assert_index_equals_database() -> None:
    """Every eligible row is in the index with its current version and document; nothing else is."""
    for kind in es_backend.KINDS:
        assert index_snapshot(kind) == database_snapshot(kind), kind


# ----------------------------------------------------------------------------------------------- the outbox itself

def test_a_rolled_back_transaction_leaves_no_outbox_row(db, factory):
    vacancy = factory.vacancy(required=("han-dien",))
    assert outbox_count(db) == 0  # without ELASTICSEARCH_URL the drain after commit clears the entries
    vacancy.title = "Thợ hàn TIG"
    db.session.flush()
    in_transaction = db.session.execute(select(OutboxEntry.entity, OutboxEntry.entity_id, OutboxEntry.version)).all()
    assert in_transaction == [("vacancy", vacancy.id, 2)]
    db.session.rollback()
    assert outbox_count(db) == 0
    assert db.session.get(Vacancy, vacancy.id).title == "Thợ hàn điện" and vacancy.version == 1


def test_a_failed_transaction_leaves_no_outbox_row_and_the_next_commit_is_clean(db, factory):
    from sqlalchemy.exc import IntegrityError

    worker = factory.worker(skills=("han-dien",))
    worker.expected_wage = 9_000_000
    db.session.add(User(email=worker.user.email, password_hash="!", role="worker"))  # duplicate e-mail
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert outbox_count(db) == 0 and db.session.get(WorkerProfile, worker.id).expected_wage == 8_000_000
    worker.expected_wage = 9_500_000
    db.session.commit()
    assert outbox_count(db) == 0 and worker.version == 2


def test_without_elasticsearch_the_drain_only_clears_the_outbox(db, runner):
    db.session.execute(insert(OutboxEntry), [dict(entity="vacancy", entity_id=i, version=1) for i in range(1, 6)])
    db.session.commit()
    result = runner.invoke(args=["search", "drain"])
    assert result.exit_code == 0, result.output
    assert "5 outbox entries cleared" in result.output and outbox_count(db) == 0


def test_changes_are_versioned_and_reach_whatever_row_they_touch(db, factory):
    employer = factory.employer()
    vacancy = factory.vacancy(employer=employer, required=("han-dien",))
    worker = factory.worker(skills=("han-dien",))
    versions = (vacancy.version, worker.version)
    employer.status = "unverified"  # reaches the employer's vacancies
    worker.user.is_enabled = False  # reaches the user's profile
    db.session.flush()
    rows = set(db.session.execute(select(OutboxEntry.entity, OutboxEntry.entity_id, OutboxEntry.version)))
    assert rows == {("vacancy", vacancy.id, versions[0] + 1), ("worker", worker.id, versions[1] + 1)}
    db.session.commit()
    db.session.delete(vacancy)
    db.session.flush()
    assert db.session.execute(select(OutboxEntry.entity, OutboxEntry.entity_id, OutboxEntry.version)).all() == \
        [("vacancy", vacancy.id, versions[0] + 2)]
    db.session.rollback()


# ----------------------------------------------------------------------------------------------- draining

def test_committed_changes_are_drained_to_the_index(es_db, factory):
    employer = factory.employer()
    vacancy = factory.vacancy(employer=employer, title="Thợ hàn ống", required=("han-dien",))
    worker = factory.worker(skills=("han-dien", "ket-cau-thep"))
    es_backend.refresh()
    assert outbox_count(es_db) == 0
    docs = index_snapshot("vacancies")
    assert docs[vacancy.id][0] == 1 and docs[vacancy.id][1]["title_fold"] == "tho han ong"
    assert index_snapshot("workers")[worker.id][0] == 1

    tig = factory.skill("han-tig").id
    vacancy.skill_links.append(VacancySkill(skill_id=tig, required=False))
    vacancy.title = "Thợ hàn TIG"
    es_db.session.commit()  # one flush: one version
    version, source = index_snapshot("vacancies")[vacancy.id]
    assert version == 2 and source["title_fold"] == "tho han tig"
    assert source["nice_ids"] == [factory.skill("han-tig").id] and source["has_nice"] is True

    employer.status = "unverified"
    es_db.session.commit()
    assert vacancy.id not in index_snapshot("vacancies")
    employer.status = "verified"
    es_db.session.commit()
    assert index_snapshot("vacancies")[vacancy.id][0] == 4
    vacancy.status = "closed"
    es_db.session.commit()
    assert vacancy.id not in index_snapshot("vacancies")

    worker.is_visible = False
    es_db.session.commit()
    assert worker.id not in index_snapshot("workers")
    worker.is_visible = True
    worker.skills = [factory.skill("han-tig")]
    es_db.session.commit()
    assert index_snapshot("workers")[worker.id][1]["skill_ids"] == [factory.skill("han-tig").id]
    worker.user.is_enabled = False
    es_db.session.commit()
    assert worker.id not in index_snapshot("workers")
    worker.user.is_enabled = True
    es_db.session.commit()

    other = factory.vacancy(employer=employer, required=("han-dien",))
    assert other.id in index_snapshot("vacancies")
    es_db.session.delete(other)
    es_db.session.commit()
    assert other.id not in index_snapshot("vacancies")
    assert outbox_count(es_db) == 0
    assert_index_equals_database()


def test_index_documents_hold_no_personal_contact_data(es_db):
    data = build_dataset(es_db, n_vacancies=20, n_workers=40)
    es_backend.refresh()
    workers = json.dumps(index_snapshot("workers"), ensure_ascii=False)
    vacancies = json.dumps(index_snapshot("vacancies"), ensure_ascii=False)
    assert len(index_snapshot("workers")) == len(data.eligible_workers) > 20
    for name, phone, email in data.contacts:
        for value in (name, phone, email):
            assert value not in workers and value not in vacancies
    for key in ("full_name", "phone", "email", "contact", "birth_year", "sex", "name"):
        assert f'"{key}"' not in workers
    assert "Trần Thị Lan" not in vacancies  # the employers' contact person


# ----------------------------------------------------------------------------------------------- outages

def test_with_the_index_server_down_postings_succeed_search_falls_back_and_the_index_catches_up(
        es_proxy_db, es_proxy, factory, runner):
    data = build_dataset(es_proxy_db, n_vacancies=25, n_workers=30)
    es_backend.refresh()
    assert_index_equals_database()

    es_proxy.stop()
    posted = factory.vacancy(title="Kế toán công nợ", required=("han-dien",), ward_code="00004")  # no exception
    changed = es_proxy_db.session.get(Vacancy, data.eligible_vacancies[0])
    changed.title = "Kế toán kho"
    closed = es_proxy_db.session.get(Vacancy, data.eligible_vacancies[1])
    closed.status = "closed"
    hidden = es_proxy_db.session.get(WorkerProfile, data.eligible_workers[0])
    hidden.is_visible = False
    es_proxy_db.session.commit()
    pending = es_proxy_db.session.scalars(select(OutboxEntry)).all()
    assert {(e.entity, e.entity_id) for e in pending} >= {("vacancy", posted.id), ("vacancy", changed.id),
                                                          ("vacancy", closed.id), ("worker", hidden.id)}
    assert all(e.attempts == 1 and e.last_error for e in pending)

    page = service.search_vacancies(VacancyQuery(q="ke toan", per_page=50))
    assert page.degraded and page.backend != "elasticsearch"
    want, total = reference_search(VacancyQuery(q="ke toan", per_page=50), weights=service.weights(),
                                   now=service.now())
    assert [h.id for h in page.hits] == [i for i, _ in want] and posted.id in [h.id for h in page.hits]
    matches = service.match_vacancies_for_worker(data.eligible_workers[1])
    assert matches.degraded
    candidates = service.match_workers_for_vacancy(posted.id)
    assert candidates.degraded and hidden.id not in [m.id for m in candidates.matches]

    failed = runner.invoke(args=["search", "drain"])
    assert failed.exit_code != 0 and "kept for the next drain" in failed.output
    status = runner.invoke(args=["search", "status"])
    assert status.exit_code == 1 and "unreachable" in status.output and "outbox: " in status.output

    es_proxy.start()
    result = drain()
    assert result.failed == 0 and result.synced == len(pending) and outbox_count(es_proxy_db) == 0
    es_backend.refresh()
    assert_index_equals_database()
    page = service.search_vacancies(VacancyQuery(q="ke toan", per_page=50))
    assert not page.degraded and page.backend == "elasticsearch"
    assert [h.id for h in page.hits] == [i for i, _ in want]


def test_a_hanging_index_server_times_out_and_search_falls_back(es_proxy_db, es_proxy, factory):
    vacancy = factory.vacancy(required=("han-dien",))
    es_proxy.hang()
    page = service.search_vacancies(VacancyQuery(q="thợ hàn"))
    assert page.degraded and [h.id for h in page.hits] == [vacancy.id]
    vacancy.title = "Thợ hàn MIG"
    es_proxy_db.session.commit()  # the drain after commit times out; the change is saved anyway
    entry = es_proxy_db.session.scalars(select(OutboxEntry)).one()
    assert entry.attempts == 1 and "Timeout" in entry.last_error
    assert es_proxy_db.session.get(Vacancy, vacancy.id).title == "Thợ hàn MIG"


# ----------------------------------------------------------------------------------------------- idempotence

def test_replaying_the_outbox_twice_or_out_of_order_changes_nothing(es_db):
    data = build_dataset(es_db, n_vacancies=25, n_workers=30)
    es_backend.refresh()
    before = {kind: index_snapshot(kind) for kind in es_backend.KINDS}
    rows = [dict(entity="vacancy", entity_id=i, version=1) for i in reversed(data.vacancies)] + \
           [dict(entity="worker", entity_id=i, version=1) for i in reversed(data.workers)]
    es_db.session.execute(insert(OutboxEntry), rows + rows)
    es_db.session.commit()
    assert drain().synced == 2 * len(rows)
    assert drain().synced == 0
    assert {kind: index_snapshot(kind) for kind in es_backend.KINDS} == before

    # Entries for one vacancy, drained newest first, then the older one: the document stays the latest state.
    vacancy = es_db.session.get(Vacancy, data.eligible_vacancies[2])
    stale_version, stale_source = before["vacancies"][vacancy.id]
    vacancy.title = "Thợ điện công nghiệp"
    es_db.session.commit()  # drained at once
    newer, older = (es_db.session.execute(insert(OutboxEntry).returning(OutboxEntry.id),
                                          [dict(entity="vacancy", entity_id=vacancy.id, version=v)])
                    .scalar_one() for v in (vacancy.version, stale_version))
    es_db.session.commit()
    assert drain(entry_ids=[newer]).synced == 1 and drain(entry_ids=[older]).synced == 1
    version, source = index_snapshot("vacancies")[vacancy.id]
    assert version == vacancy.version == stale_version + 1 and source["title_fold"] == "tho dien cong nghiep"

    # A late write of an older version (a slow drain that read the row before the change) cannot win.
    es = es_backend.bulk_client()
    target = es_backend.write_targets(es, "vacancies")[0]
    errors = es_backend.bulk_write(es, [("index", target, vacancy.id, stale_version, stale_source)], refresh=True)
    assert errors == {}  # a version conflict is the expected outcome, not a failure
    assert index_snapshot("vacancies")[vacancy.id] == (version, source)

    # ... nor bring back a deleted row.
    gone = es_db.session.get(Vacancy, data.eligible_vacancies[3])
    gone_version, gone_source = before["vacancies"][gone.id]
    es_db.session.delete(gone)
    es_db.session.commit()
    es_backend.bulk_write(es, [("index", target, gone.id, gone_version, gone_source)], refresh=True)
    assert gone.id not in index_snapshot("vacancies")
    assert_index_equals_database()


# ----------------------------------------------------------------------------------------------- reindex and status

def test_reindex_builds_a_new_index_and_swaps_the_alias_atomically(es_db, runner, monkeypatch):
    data = build_dataset(es_db, n_vacancies=30, n_workers=30)
    es = es_backend.bulk_client()
    alias = es_backend.alias_name("vacancies")
    assert {i for i, a in es_backend.versioned_indices(es, "vacancies").items() if alias in a} == {f"{alias}-v1"}
    worker_id = data.eligible_workers[0]
    es_backend.refresh()
    expected = es_backend.match_vacancies_for_worker(worker_id, limit=20, offset=0, weights=service.weights(),
                                                     now=service.now())
    seen_during: list = []
    real_documents = es_backend.documents
    calls = {"vacancies": 0}

    def documents_while_rebuilding(kind, ids):
        """While the new index is being filled: search answers from the old one, and a change to a row already
        copied reaches the new index through the drain (the new index carries the `-next` alias)."""
        if kind == "vacancies" and not seen_during:
            calls["vacancies"] += 1
            if calls["vacancies"] == 2:
                seen_during.append(es_backend.match_vacancies_for_worker(
                    worker_id, limit=20, offset=0, weights=service.weights(), now=service.now()))
                vacancy = es_db.session.get(Vacancy, data.eligible_vacancies[0])
                vacancy.title = "Đổi tên trong lúc dựng lại"
                es_db.session.commit()  # drained to both the live index and the one being built
                building = es.get(index=f"{alias}-next", id=str(vacancy.id))
                seen_during.append(building["_source"]["title_fold"])
        return real_documents(kind, ids)

    monkeypatch.setattr(es_backend, "documents", documents_while_rebuilding)
    result = runner.invoke(args=["search", "reindex", "--no-progress", "--batch-size", "5"])
    assert result.exit_code == 0, result.output
    assert [i for i, _ in seen_during[0].items] == [i for i, _ in expected.items] and expected.items
    assert seen_during[1] == "doi ten trong luc dung lai"
    for kind in es_backend.KINDS:
        name = es_backend.alias_name(kind)
        indices = es_backend.versioned_indices(es, kind)
        assert indices == {f"{name}-v2": {name}}, indices  # the old index is gone, the next alias removed
    assert "vacancies: " in result.output and f"{alias}-v2" in result.output
    assert index_snapshot("vacancies")[data.eligible_vacancies[0]][1]["title_fold"] == "doi ten trong luc dung lai"
    assert_index_equals_database()
    again = runner.invoke(args=["search", "reindex", "--kind", "workers", "--no-progress"])
    assert again.exit_code == 0 and list(es_backend.versioned_indices(es, "workers")) == \
        [f"{es_backend.alias_name('workers')}-v3"]


def test_status_compares_the_index_with_the_database_and_shows_the_outbox_lag(es_db, runner):
    data = build_dataset(es_db, n_vacancies=20, n_workers=25)
    es_backend.refresh()
    es_db.session.execute(insert(OutboxEntry), [
        dict(entity="vacancy", entity_id=data.vacancies[0], version=1, created_at=utcnow() - timedelta(seconds=90)),
        dict(entity="worker", entity_id=data.workers[0], version=1, created_at=utcnow() - timedelta(seconds=5),
             attempts=2, last_error="ConnectionError")])
    es_db.session.commit()
    result = runner.invoke(args=["search", "status", "--json"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    assert info["elasticsearch"] == "ok"
    assert info["kinds"]["vacancies"]["index"] == info["kinds"]["vacancies"]["database"] == len(data.eligible_vacancies)
    assert info["kinds"]["workers"]["index"] == info["kinds"]["workers"]["database"] == len(data.eligible_workers)
    assert info["outbox"]["pending"] == 2 and info["outbox"]["failing"] == 1
    assert 90 <= info["outbox"]["oldest_age_s"] < 600
    text = runner.invoke(args=["search", "status"])
    assert f"vacancies: index {len(data.eligible_vacancies)} / database {len(data.eligible_vacancies)}" in text.output
    assert "outbox: 2 pending (1 failing)" in text.output

    # A change that could not be drained shows up as a difference.
    es_backend.bulk_client().delete(index=es_backend.alias_name("workers"), id=str(data.eligible_workers[0]),
                                    refresh=True)
    assert "(differs)" in runner.invoke(args=["search", "status"]).output


def test_the_client_follows_the_configuration():
    from jobmarket.search.es_backend import make_client

    serverless = make_client({"ELASTICSEARCH_URL": "http://127.0.0.1:9", "ELASTICSEARCH_SERVER_MODE": "serverless",
                              "ELASTICSEARCH_TIMEOUT": 5.0})
    assert serverless._is_serverless and serverless._request_timeout == 1.0
    stack = make_client({"ELASTICSEARCH_URL": "http://127.0.0.1:9", "ELASTICSEARCH_TIMEOUT": 0.4})
    assert not stack._is_serverless and stack._request_timeout == 0.4
    from elasticsearch import ConnectionError as EsConnectionError

    with pytest.raises(EsConnectionError):
        stack.options(request_timeout=0.2).info()
    serverless.close()
    stack.close()
