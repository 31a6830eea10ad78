"""The search outbox: changes to indexed rows write entries in the same transaction; drains bring the index up to date.

A session listener (before_flush) bumps the `version` of every new, changed or deleted WorkerProfile and Vacancy,
and of the rows a change reaches: a vacancy whose skill links changed, every vacancy of a changed employer, the
profile of a user enabled or disabled. after_flush writes one OutboxEntry per row (entity, id, version), so a
rolled-back transaction leaves none. After commit the entries just written are drained at once; failures are logged
and left for `flask --app jobmarket search drain`, never raised into the request. Without ELASTICSEARCH_URL the
drain only clears the entries (there is no index to update).

The drain re-reads every row from the database, so the document is always the latest committed state (an entry says
only *what* changed); a row that is gone or no longer eligible is deleted from the index. Writes are versioned, so
draining twice, or out of order, or racing another drain, leaves the same index.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import current_app, has_app_context
from sqlalchemy import delete, event, inspect, select

from ..extensions import db
from ..models import Employer, OutboxEntry, User, Vacancy, VacancySkill, WorkerProfile
from . import es_backend

log = logging.getLogger(__name__)

PENDING_KEY = "search_outbox_pending"    # session.info: rows touched in the flush being prepared
WRITTEN_KEY = "search_outbox_written"    # session.info: outbox entry ids written in this transaction
ENTITY_OF = {Vacancy: "vacancy", WorkerProfile: "worker"}
ERROR_CHARS = 2000
AFTER_COMMIT_LIMIT = 1000                # a bigger transaction leaves the rest to `search drain`


# ----------------------------------------------------------------------------------------------- the listener

def install(app=None) -> None:
    """Attach the listeners to the shared scoped session (once per process: every app shares `db.session`)."""
    for name, handler in (("before_flush", _before_flush), ("after_flush", _after_flush),
                          ("after_commit", _after_commit), ("after_rollback", _after_rollback)):
        if not event.contains(db.session, name, handler):
            event.listen(db.session, name, handler)


class _Touched:
    """The rows one flush touches: bumps each version once, remembers what to write to the outbox."""

    def __init__(self, session):
        self.session = session
        self.pending: dict = session.info.setdefault(PENDING_KEY, {})
        self.bumped: set[int] = set()

    def changed(self, obj, bump: bool = True) -> None:
        """A new or changed row: one version bump per flush, and an entry."""
        if bump and id(obj) not in self.bumped and obj not in self.session.new:
            obj.version = (obj.version or 0) + 1
        self.bumped.add(id(obj))
        self.pending[(ENTITY_OF[type(obj)], id(obj))] = obj

    def deleted(self, entity: str, entity_id: int, version: int | None) -> None:
        """A row that will be gone: an entry with the version its deletion stands for."""
        self.pending[(entity, f"id:{entity_id}")] = (entity, entity_id, (version or 0) + 1)


def _vacancy_of(session, link: VacancySkill) -> Vacancy | None:
    """The vacancy a skill link belongs to (None while the link is not yet attached)."""
    return session.get(Vacancy, link.vacancy_id) if link.vacancy_id is not None else None


def _before_flush(session, flush_context, instances) -> None:
    """Bump versions and note which rows need an outbox entry."""
    touched = _Touched(session)
    for obj in list(session.new):
        if isinstance(obj, (Vacancy, WorkerProfile)):
            touched.changed(obj, bump=False)
        elif isinstance(obj, VacancySkill):
            vacancy = _vacancy_of(session, obj)
            if vacancy is not None:
                touched.changed(vacancy)
    for obj in list(session.dirty):
        if not session.is_modified(obj):
            continue
        if isinstance(obj, (Vacancy, WorkerProfile)):
            touched.changed(obj)
        elif isinstance(obj, VacancySkill):
            vacancy = _vacancy_of(session, obj)
            if vacancy is not None:
                touched.changed(vacancy)
        elif isinstance(obj, Employer):
            for vacancy in session.scalars(select(Vacancy).where(Vacancy.employer_id == obj.id)):
                if vacancy not in session.deleted:
                    touched.changed(vacancy)
        elif isinstance(obj, User) and inspect(obj).attrs.is_enabled.history.has_changes():
            for profile in session.scalars(select(WorkerProfile).where(WorkerProfile.user_id == obj.id)):
                touched.changed(profile)
    for obj in list(session.deleted):
        if isinstance(obj, (Vacancy, WorkerProfile)):
            touched.deleted(ENTITY_OF[type(obj)], obj.id, obj.version)
        elif isinstance(obj, VacancySkill):
            vacancy = _vacancy_of(session, obj)
            if vacancy is not None and vacancy not in session.deleted:
                touched.changed(vacancy)
        elif isinstance(obj, Employer):  # the database cascades the deletion to its vacancies
            for vid, version in session.execute(select(Vacancy.id, Vacancy.version)
                                                .where(Vacancy.employer_id == obj.id)):
                touched.deleted("vacancy", vid, version)
        elif isinstance(obj, User):      # ... and a user's deletion to their profile
            for wid, version in session.execute(select(WorkerProfile.id, WorkerProfile.version)
                                                .where(WorkerProfile.user_id == obj.id)):
                touched.deleted("worker", wid, version)


def _after_flush(session, flush_context) -> None:
    """Write the outbox entries of this flush, in its transaction (ids are known now)."""
    pending = session.info.pop(PENDING_KEY, None)
    if not pending:
        return
    rows: dict[tuple[str, int], int] = {}
    for value in pending.values():
        if isinstance(value, tuple):
            entity, entity_id, version = value
        else:
            entity, entity_id, version = ENTITY_OF[type(value)], value.id, value.version or 1
        key = (entity, entity_id)
        rows[key] = max(version, rows.get(key, 0))
    if not rows:
        return
    now = _utcnow()
    table = OutboxEntry.__table__
    result = session.connection().execute(
        table.insert().returning(table.c.id),
        [dict(entity=e, entity_id=i, version=v, created_at=now, attempts=0) for (e, i), v in sorted(rows.items())])
    session.info.setdefault(WRITTEN_KEY, []).extend(result.scalars().all())


def _after_rollback(session) -> None:
    """Nothing of a rolled-back transaction is left to drain."""
    session.info.pop(PENDING_KEY, None)
    session.info.pop(WRITTEN_KEY, None)


def _after_commit(session) -> None:
    """Drain the entries this transaction wrote; log failures, never raise them into the caller."""
    written = session.info.pop(WRITTEN_KEY, None)
    if not written or not has_app_context():
        return
    app = current_app._get_current_object()
    try:
        with app.app_context():  # a fresh session: the committing one cannot run SQL inside this hook
            result = drain(entry_ids=written[:AFTER_COMMIT_LIMIT], quick=True)
        if result.error:
            log.warning("search outbox: %d entries left for `search drain`: %s", result.failed, result.error)
    except Exception:  # noqa: BLE001 - the change is committed; the index catches up on the next drain
        log.exception("search outbox: drain after commit failed; `flask --app jobmarket search drain` will retry")


def _utcnow():
    """Now, as timestamps are stored."""
    from ..models._common import utcnow

    return utcnow()


# ----------------------------------------------------------------------------------------------- the drain

@dataclass
class DrainResult:
    """What a drain did: entries synced and removed, entries that failed (kept with the error), entries cleared."""

    synced: int = 0
    failed: int = 0
    cleared: int = 0
    error: str | None = None


def drain(entry_ids: list[int] | None = None, *, batch_size: int = 500, quick: bool = False) -> DrainResult:
    """Send outbox entries (these ids, or all) to the index, oldest first; remove those done, keep failures.

    quick=True uses the page client (timeout ≤ 1 s, no retries) and skips an engine that failed moments ago: the
    drain right after a commit must not hold a request up for long. Stops at the first sign that Elasticsearch is
    unreachable; a drain that reaches it clears that memory.
    """
    session = db.session
    result = DrainResult()
    if not es_backend.enabled():
        statement = delete(OutboxEntry)
        if entry_ids is not None:
            statement = statement.where(OutboxEntry.id.in_(entry_ids))
        result.cleared = session.execute(statement).rowcount or 0
        session.commit()
        return result
    es = es_backend.client() if quick else es_backend.bulk_client()
    skip = None
    if quick:
        try:
            es_backend.check_up()
        except es_backend.EsUnavailable as exc:
            skip = exc
    last_id = 0
    while True:
        query = select(OutboxEntry).where(OutboxEntry.id > last_id).order_by(OutboxEntry.id).limit(batch_size)
        if entry_ids is not None:
            query = query.where(OutboxEntry.id.in_(entry_ids))
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)  # concurrent drains share the work
        entries = list(session.scalars(query))
        if not entries:
            break
        last_id = entries[-1].id
        if not _drain_batch(session, es, entries, result, skip):
            break
    return result


def _drain_batch(session, es, entries: list[OutboxEntry], result: DrainResult,
                 skip: es_backend.EsUnavailable | None = None) -> bool:
    """Sync one batch; False when Elasticsearch could not be reached (the batch is kept for a retry)."""
    by_kind: dict[str, dict[int, int]] = {}
    errors: dict[int, str] = {}
    for entry in entries:
        kind = es_backend.ENTITY_KIND.get(entry.entity)
        if kind is None:
            errors[entry.id] = f"unknown entity {entry.entity!r}"
            continue
        versions = by_kind.setdefault(kind, {})
        versions[entry.entity_id] = max(entry.version or 0, versions.get(entry.entity_id, 0))
    try:
        if skip is not None:
            raise skip
        failures = {kind: es_backend.sync(kind, versions, known_versions=versions, es=es)
                    for kind, versions in by_kind.items()}
        es_backend.mark_up()
    except es_backend.EsUnavailable as exc:
        if skip is None:
            es_backend.mark_down(exc)
        for entry in entries:
            entry.attempts += 1
            entry.last_error = str(exc)[:ERROR_CHARS]
        session.commit()
        result.failed += len(entries)
        result.error = str(exc)
        return False
    done: list[int] = []
    for entry in entries:
        error = errors.get(entry.id) or failures.get(es_backend.ENTITY_KIND.get(entry.entity), {}).get(entry.entity_id)
        if error:
            entry.attempts += 1
            entry.last_error = error[:ERROR_CHARS]
            result.failed += 1
        else:
            done.append(entry.id)
    if done:
        session.execute(delete(OutboxEntry).where(OutboxEntry.id.in_(done)))
    session.commit()
    result.synced += len(done)
    if result.failed and not result.error:
        result.error = next(iter(e.last_error for e in entries if e.id not in done), None)
    return True
