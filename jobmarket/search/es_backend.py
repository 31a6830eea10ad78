"""The Elasticsearch backend: client, versioned indices behind aliases, versioned bulk writes, and the three queries.

Indices are named `<prefix>-vacancies-v<N>` and `<prefix>-workers-v<N>`; searches and writes go through the aliases
`<prefix>-vacancies` and `<prefix>-workers`. While `search reindex` builds a new index it carries the alias
`<prefix>-<kind>-next`, and every write goes to both, so changes made during the rebuild are not lost.
Every write carries the row's version (version_type external_gte): a late, stale write cannot overwrite a newer one,
and writing the same version again is harmless. The database stays the source of truth: documents are always built
from the row as it is now, and ids the engine returns that are no longer eligible in the database are dropped.
"""
from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

from flask import current_app
from sqlalchemy import func, select

from ..extensions import db
from ..models import FormerDistrict, Occupation, OutboxEntry, Skill, Vacancy, VacancySkill, Ward, WorkerProfile
from . import es_documents as docs
from . import es_queries as queries
from .facts import eligible_vacancies, eligible_workers, load_vacancies, load_workers, skill_weights, ward_points
from .scoring import Weights

log = logging.getLogger(__name__)

KINDS = ("vacancies", "workers")
ENTITY_KIND = {"vacancy": "vacancies", "worker": "workers"}
EXTENSION_KEY = "jobmarket.search.es"
HEALTH_KEY = "jobmarket.search.es.health"
RETRY_AFTER = 5.0           # seconds a page skips an engine that just failed (ELASTICSEARCH_RETRY_AFTER)
MAX_REQUEST_TIMEOUT = 1.0   # seconds: a page never waits longer for the engine
BULK_TIMEOUT = 30.0         # seconds: the command-line tools may wait longer
CHUNK = 500


class EsUnavailable(RuntimeError):
    """Elasticsearch could not answer: down, timed out, index missing, or it rejected the request."""


@dataclass
class Ranked:
    """What a backend returns: (id, score) best first, and how many documents matched in all."""

    items: list[tuple[int, float]]
    total: int


# ----------------------------------------------------------------------------------------------- client and names

def enabled(app=None) -> bool:
    """True when ELASTICSEARCH_URL is configured."""
    return bool((app or current_app).config.get("ELASTICSEARCH_URL"))


def make_client(config) -> "Elasticsearch":  # noqa: F821
    """A client from the configuration: ELASTICSEARCH_URL, ELASTICSEARCH_SERVER_MODE, ELASTICSEARCH_TIMEOUT (≤ 1 s)."""
    from elasticsearch import Elasticsearch

    timeout = min(float(config.get("ELASTICSEARCH_TIMEOUT") or MAX_REQUEST_TIMEOUT), MAX_REQUEST_TIMEOUT)
    mode = (config.get("ELASTICSEARCH_SERVER_MODE") or "stack").strip().lower()
    return Elasticsearch(config["ELASTICSEARCH_URL"], server_mode=mode, request_timeout=timeout, max_retries=0,
                         retry_on_timeout=False)


def client(app=None):
    """The app's client, made once per app."""
    app = app or current_app._get_current_object()
    es = app.extensions.get(EXTENSION_KEY)
    if es is None:
        try:
            es = app.extensions[EXTENSION_KEY] = make_client(app.config)
        except ValueError as exc:  # e.g. an ELASTICSEARCH_SERVER_MODE the client does not know
            raise EsUnavailable(f"Elasticsearch is misconfigured: {exc}") from exc
    return es


def bulk_client(app=None):
    """The client with the longer timeout and a few retries, for drains and reindexing."""
    return client(app).options(request_timeout=BULK_TIMEOUT, max_retries=2, retry_on_timeout=True)


def prefix(app=None) -> str:
    """The index name prefix (ELASTICSEARCH_INDEX_PREFIX)."""
    return (app or current_app).config.get("ELASTICSEARCH_INDEX_PREFIX") or "jobmarket"


def alias_name(kind: str) -> str:
    """The alias searches and writes use, e.g. jobmarket-vacancies."""
    return f"{prefix()}-{kind}"


def next_alias_name(kind: str) -> str:
    """The alias of an index being built by `search reindex`."""
    return f"{alias_name(kind)}-next"


def index_body(kind: str) -> dict:
    """Settings and mappings of a new index of the given kind."""
    mappings = docs.VACANCY_MAPPINGS if kind == "vacancies" else docs.WORKER_MAPPINGS
    return {"settings": docs.INDEX_SETTINGS, "mappings": mappings}


def _unavailable(exc: Exception) -> EsUnavailable:
    """Wrap a client error."""
    return EsUnavailable(f"{type(exc).__name__}: {exc}")


def _health() -> dict:
    """This process's memory of the last failure (so pages do not each wait for a timeout during an outage)."""
    return current_app.extensions.setdefault(HEALTH_KEY, {"down_until": 0.0, "error": None})


def mark_down(error: EsUnavailable) -> None:
    """Remember that the engine just failed: pages fall back at once for ELASTICSEARCH_RETRY_AFTER seconds."""
    health = _health()
    health["down_until"] = time.monotonic() + float(current_app.config.get("ELASTICSEARCH_RETRY_AFTER", RETRY_AFTER))
    health["error"] = str(error)


def mark_up() -> None:
    """The engine answered."""
    _health()["down_until"] = 0.0


def check_up() -> None:
    """Raise EsUnavailable at once while the engine is remembered as down."""
    health = _health()
    if time.monotonic() < health["down_until"]:
        raise EsUnavailable(f"skipped, failed moments ago: {health['error']}")


def _es_errors() -> tuple[type[Exception], ...]:
    """The exceptions that mean Elasticsearch could not do what was asked."""
    from elasticsearch import ApiError, TransportError

    return (ApiError, TransportError)


# ----------------------------------------------------------------------------------------------- indices and aliases

def versioned_indices(es, kind: str) -> dict[str, set[str]]:
    """Every `<alias>-v<N>` index of a kind, with the aliases it carries."""
    found = es.indices.get_alias(index=f"{alias_name(kind)}-v*", allow_no_indices=True, ignore_unavailable=True)
    pattern = re.compile(re.escape(alias_name(kind)) + r"-v(\d+)$")
    return {name: set((info or {}).get("aliases", {})) for name, info in found.body.items() if pattern.match(name)}


def _version_of(index: str) -> int:
    """N of an index named ...-v<N>."""
    return int(index.rsplit("-v", 1)[1])


def create_index(es, kind: str, aliases: Iterable[str] = ()) -> str:
    """Create the next versioned index of a kind, with the given aliases; returns its name."""
    from elasticsearch import BadRequestError

    for _ in range(5):
        existing = versioned_indices(es, kind)
        number = max((_version_of(i) for i in existing), default=0) + 1
        name = f"{alias_name(kind)}-v{number}"
        try:
            es.indices.create(index=name, **index_body(kind), aliases={a: {} for a in aliases})
            return name
        except BadRequestError as exc:  # another process created the same number first
            if "already_exists" not in str(exc):
                raise
    raise EsUnavailable(f"could not create a new {kind} index")


def write_targets(es, kind: str) -> list[str]:
    """The indices a write must reach: the live one, and one being rebuilt. Creates the first index if none."""
    for _ in range(3):
        indices = versioned_indices(es, kind)
        live = sorted(i for i, a in indices.items() if alias_name(kind) in a)
        building = sorted(i for i, a in indices.items() if next_alias_name(kind) in a)
        if live:
            return sorted(set(live) | set(building))
        try:
            create_index(es, kind, aliases=[alias_name(kind)])
        except _es_errors() as exc:
            log.warning("could not create the %s index: %s", kind, exc)
    raise EsUnavailable(f"no {kind} index")


def ensure_indices() -> dict[str, list[str]]:
    """Make sure both aliases exist (creating version 1 of each when missing)."""
    es = bulk_client()
    try:
        return {kind: write_targets(es, kind) for kind in KINDS}
    except _es_errors() as exc:
        raise _unavailable(exc) from exc


def refresh() -> None:
    """Make every write so far visible to searches (tests and the command-line tools)."""
    es = bulk_client()
    try:
        es.indices.refresh(index=",".join(alias_name(k) for k in KINDS), ignore_unavailable=True,
                           allow_no_indices=True)
    except _es_errors() as exc:
        raise _unavailable(exc) from exc


def delete_all_indices() -> list[str]:
    """Delete every index of this prefix (by name: clusters refuse wildcard deletes). For tests and teardown."""
    es = bulk_client()
    names = []
    for kind in KINDS:
        names += list(versioned_indices(es, kind))
    for name in names:
        es.indices.delete(index=name, ignore_unavailable=True)
    return names


# ----------------------------------------------------------------------------------------------- reading the database

def _chunks(ids: list[int], size: int = 900) -> Iterable[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def eligible_ids(kind: str, ids: Iterable[int] | None = None) -> set[int]:
    """Which of the ids (or all) are eligible to be indexed now."""
    base = eligible_vacancies() if kind == "vacancies" else eligible_workers()
    column = Vacancy.id if kind == "vacancies" else WorkerProfile.id
    if ids is None:
        return set(db.session.scalars(base))
    found: set[int] = set()
    for chunk in _chunks(sorted(set(ids))):
        found.update(db.session.scalars(base.where(column.in_(chunk))))
    return found


def row_versions(kind: str, ids: Iterable[int]) -> dict[int, int]:
    """The current version of each row that still exists."""
    model = Vacancy if kind == "vacancies" else WorkerProfile
    out: dict[int, int] = {}
    for chunk in _chunks(sorted(set(ids))):
        out.update(db.session.execute(select(model.id, model.version).where(model.id.in_(chunk))).all())
    return out


def load_vacancy_records(ids: Iterable[int]) -> dict[int, docs.VacancyRecord]:
    """Records of the given vacancies that are eligible, read from the database now."""
    ids = sorted(eligible_ids("vacancies", ids))
    facts = load_vacancies(ids)
    labels: dict[int, list[str]] = {i: [] for i in ids}
    records: dict[int, docs.VacancyRecord] = {}
    for chunk in _chunks(ids):
        for vid, label in db.session.execute(select(VacancySkill.vacancy_id, Skill.label_vi)
                                             .join(Skill, Skill.id == VacancySkill.skill_id)
                                             .where(VacancySkill.vacancy_id.in_(chunk))
                                             .order_by(VacancySkill.vacancy_id, Skill.id)):
            labels[vid].append(label)
        rows = db.session.execute(
            select(Vacancy.id, Vacancy.version, Vacancy.title, Vacancy.description, Vacancy.ward_code,
                   Vacancy.job_type, Vacancy.wage_max, Occupation.title_vi, Ward.name_vi, Ward.district_code,
                   FormerDistrict.name_vi)
            .join(Ward, Ward.code == Vacancy.ward_code)
            .join(FormerDistrict, FormerDistrict.code == Ward.district_code)
            .outerjoin(Occupation, Occupation.code == Vacancy.occupation_code)
            .where(Vacancy.id.in_(chunk)))
        for vid, version, title, description, ward, job_type, wage_max, occupation, ward_name, district, \
                district_name in rows:
            if vid not in facts:
                continue
            records[vid] = docs.VacancyRecord(
                facts=facts[vid], version=version, title=title, ward_code=ward, district_code=district,
                job_type=job_type, wage_max=wage_max, description=description or "", skill_labels=labels[vid],
                occupation_title=occupation or "", ward_name=ward_name, district_name=district_name)
    return records


def load_worker_records(ids: Iterable[int]) -> dict[int, docs.WorkerRecord]:
    """Records of the given workers that are eligible, read from the database now."""
    ids = sorted(eligible_ids("workers", ids))
    facts = load_workers(ids)
    records: dict[int, docs.WorkerRecord] = {}
    for chunk in _chunks(ids):
        rows = db.session.execute(
            select(WorkerProfile.id, WorkerProfile.version, WorkerProfile.ward_code, Ward.district_code,
                   WorkerProfile.job_type)
            .outerjoin(Ward, Ward.code == WorkerProfile.ward_code)
            .where(WorkerProfile.id.in_(chunk)))
        for wid, version, ward, district, job_type in rows:
            if wid in facts:
                records[wid] = docs.WorkerRecord(facts=facts[wid], version=version, ward_code=ward,
                                                 district_code=district, job_type=job_type)
    return records


def documents(kind: str, ids: Iterable[int]) -> dict[int, tuple[int, dict]]:
    """(version, document) of each eligible id."""
    if kind == "vacancies":
        return {i: (r.version, docs.vacancy_document(r)) for i, r in load_vacancy_records(ids).items()}
    return {i: (r.version, docs.worker_document(r)) for i, r in load_worker_records(ids).items()}


# ----------------------------------------------------------------------------------------------- writing

def _item_error(item: dict) -> str | None:
    """None when a bulk item succeeded or lost to a newer version (409) or deleted a missing document (404)."""
    ((op, result),) = item.items()
    status = result.get("status", 500)
    if status < 300 or status == 409 or (op == "delete" and status == 404):
        return None
    error = result.get("error") or {}
    return f"{status} {error.get('type', '')}: {error.get('reason', '')}".strip()


def bulk_write(es, actions: list[tuple[str, str, int, int, dict | None]], refresh: bool = False) -> dict[int, str]:
    """Send (op, index, id, version, document) actions; returns {id: error} for those that failed."""
    errors: dict[int, str] = {}
    for start in range(0, len(actions), CHUNK):
        batch = actions[start:start + CHUNK]
        operations: list[dict] = []
        for op, index, doc_id, version, document in batch:
            operations.append({op: {"_index": index, "_id": str(doc_id), "version": version,
                                    "version_type": "external_gte"}})
            if op == "index":
                operations.append(document)
        response = es.bulk(operations=operations, refresh=refresh)
        for (op, index, doc_id, version, _), item in zip(batch, response["items"]):
            error = _item_error(item)
            if error:
                errors[doc_id] = f"{index}: {error}"
    return errors


def sync(kind: str, ids: Iterable[int], known_versions: dict[int, int] | None = None, *,
         targets: list[str] | None = None, refresh: bool = False, es=None) -> dict[int, str]:
    """Bring the index up to date for these ids: index eligible rows as they are now, delete the rest.

    A deleted row's version comes from `known_versions` (what the outbox recorded when it was deleted); rows that
    exist but are no longer eligible are deleted with their current version. Returns {id: error} for failures;
    raises EsUnavailable when Elasticsearch cannot be reached at all.
    """
    ids = sorted(set(ids))
    if not ids:
        return {}
    es = es or bulk_client()
    try:
        targets = targets or write_targets(es, kind)
        present = documents(kind, ids)
        versions = row_versions(kind, [i for i in ids if i not in present])
        actions: list[tuple[str, str, int, int, dict | None]] = []
        for doc_id in ids:
            for index in targets:
                if doc_id in present:
                    version, document = present[doc_id]
                    actions.append(("index", index, doc_id, version, document))
                else:
                    version = versions.get(doc_id) or (known_versions or {}).get(doc_id) or 1
                    actions.append(("delete", index, doc_id, version, None))
        return bulk_write(es, actions, refresh=refresh)
    except _es_errors() as exc:
        raise _unavailable(exc) from exc


# ----------------------------------------------------------------------------------------------- searching

def _search(kind: str, body: dict) -> Ranked:
    """Run a search body against a kind's alias; ids and scores, best first, and the total."""
    check_up()
    try:
        response = client().search(index=alias_name(kind), body=body)
    except _es_errors() as exc:
        error = _unavailable(exc)
        mark_down(error)
        raise error from exc
    mark_up()
    hits = response["hits"]
    items = [(int(h["_id"]), float(h["_score"] or 0.0)) for h in hits["hits"]]
    return Ranked(items=items, total=int(hits["total"]["value"]))


def _keep_eligible(kind: str, ranked: Ranked) -> Ranked:
    """Drop ids the database no longer has, or no longer shows (the index may lag behind for a moment)."""
    ok = eligible_ids(kind, [i for i, _ in ranked.items])
    kept = [(i, s) for i, s in ranked.items if i in ok]
    return Ranked(items=kept, total=max(0, ranked.total - (len(ranked.items) - len(kept))))


def match_vacancies_for_worker(worker_id: int, *, limit: int, offset: int, weights: Weights,
                               now: datetime) -> Ranked:
    """The vacancies that match a worker best, by the match score computed in Elasticsearch."""
    worker = load_workers([worker_id]).get(worker_id)
    if worker is None:
        return Ranked([], 0)
    body = queries.vacancies_for_worker(worker, skill_weights(), weights, now, limit=limit, offset=offset)
    return _keep_eligible("vacancies", _search("vacancies", body))


def match_workers_for_vacancy(vacancy_id: int, *, limit: int, offset: int, weights: Weights,
                              now: datetime) -> Ranked:
    """The workers that match a vacancy best, by the match score computed in Elasticsearch."""
    vacancy = load_vacancies([vacancy_id]).get(vacancy_id)
    if vacancy is None:
        return Ranked([], 0)
    body = queries.workers_for_vacancy(vacancy, weights, now, limit=limit, offset=offset)
    return _keep_eligible("workers", _search("workers", body))


def vacancy_search_body(query, *, weights: Weights, now: datetime, reading=None, most_words: bool = False) -> dict:
    """The search body for a service.VacancyQuery (read by textquery.read unless a reading is given)."""
    from . import textquery

    reading = reading or textquery.read(query)
    query = reading.query
    points = ward_points()
    origin = points.get(query.origin_ward) if query.origin_ward else None
    worker = load_workers([query.worker_id]).get(query.worker_id) if query.worker_id else None
    per_page = max(1, min(int(query.per_page or 20), 100))
    page = max(1, int(query.page or 1))
    filters = queries.search_filters(ward_code=query.ward_code, district_code=query.district_code, origin=origin,
                                     max_km=query.max_km, skill_ids=query.skill_ids, min_wage=query.min_wage,
                                     job_type=query.job_type)
    return queries.vacancy_search(reading.plan, reading.levels, filters=filters, sort=query.sort, origin=origin,
                                  worker=worker, skill_weights=skill_weights() if worker else None, weights=weights,
                                  now=now, limit=per_page, offset=(page - 1) * per_page, most_words=most_words)


def search_vacancies(query, *, weights: Weights, now: datetime):
    """Vacancy search (service.VacancyQuery) in Elasticsearch: (Ranked, textquery.Reading, most_words). Every word
    required; most words when that finds fewer than relevance.MIN_ALL_WORDS (as the database backend)."""
    from . import relevance, textquery

    if query.sort not in ("relevance", "newest", "wage", "distance"):
        raise ValueError(f"unknown sort {query.sort!r}")
    reading = textquery.read(query)
    ranked = _search("vacancies", vacancy_search_body(query, weights=weights, now=now, reading=reading))
    most_words = False
    plan = reading.plan
    if not plan.empty and ranked.total < relevance.MIN_ALL_WORDS and len(plan.clauses) >= 2:
        more = _search("vacancies", vacancy_search_body(query, weights=weights, now=now, reading=reading,
                                                        most_words=True))
        if more.total > ranked.total:
            ranked, most_words = more, True
    return _keep_eligible("vacancies", ranked), reading, most_words


# ----------------------------------------------------------------------------------------------- reindex and status

def reindex(kind: str, *, progress: bool = False, batch_size: int = CHUNK) -> dict:
    """Build a new index of a kind from the database, swap the alias to it atomically, remove the old ones."""
    from tqdm import tqdm

    from ..models._common import utcnow

    es = bulk_client()
    try:
        write_targets(es, kind)  # a live alias exists, so drains have somewhere to write meanwhile
        started = utcnow()
        new = create_index(es, kind, aliases=[next_alias_name(kind)])
        ids = sorted(eligible_ids(kind))
        with tqdm(total=len(ids), desc=f"reindex {kind}", unit="docs", disable=not progress) as bar:
            for start in range(0, len(ids), batch_size):
                chunk = ids[start:start + batch_size]
                errors = bulk_write(es, [("index", new, i, v, d) for i, (v, d) in documents(kind, chunk).items()])
                if errors:
                    raise EsUnavailable(f"{len(errors)} documents failed, e.g. {next(iter(errors.values()))}")
                bar.update(len(chunk))
        old = [i for i, a in versioned_indices(es, kind).items() if i != new]
        actions = [{"remove": {"index": new, "alias": next_alias_name(kind)}},
                   {"add": {"index": new, "alias": alias_name(kind)}}]
        actions += [{"remove_index": {"index": i}} for i in old]
        es.indices.update_aliases(actions=actions)
        # Rows changed while the index was built, by a writer that had not yet seen the new index: write them again,
        # and remove documents of rows that stopped being eligible meanwhile.
        caught_up = _catch_up(es, kind, new, since=started)
        es.indices.refresh(index=new)
        count = es.count(index=new)["count"]
    except _es_errors() as exc:
        raise _unavailable(exc) from exc
    return {"index": new, "documents": count, "removed": old, "caught_up": caught_up}


def _catch_up(es, kind: str, index: str, since: datetime) -> int:
    """Re-sync rows updated since `since` and delete documents no longer eligible; returns how many were touched."""
    from datetime import timedelta

    model = Vacancy if kind == "vacancies" else WorkerProfile
    changed = set(db.session.scalars(select(model.id).where(model.updated_at >= since - timedelta(seconds=5))))
    es.indices.refresh(index=index)
    indexed = indexed_ids(es, index)
    stale = indexed - eligible_ids(kind, indexed)
    todo = changed | stale
    errors = sync(kind, todo, targets=[index], es=es)
    if errors:
        log.warning("reindex catch-up: %d %s failed", len(errors), kind)
    return len(todo)


def indexed_ids(es, index: str) -> set[int]:
    """Every document id in an index."""
    from elasticsearch import helpers

    return {int(h["_id"]) for h in helpers.scan(es, index=index, query={"query": {"match_all": {}}, "_source": False},
                                                 size=1000)}


def status() -> dict:
    """Index document counts against the database's eligible counts, and the outbox lag."""
    from ..models._common import utcnow

    pending = db.session.scalar(select(func.count(OutboxEntry.id))) or 0
    oldest = db.session.scalar(select(func.min(OutboxEntry.created_at)))
    failing = db.session.scalar(select(func.count(OutboxEntry.id)).where(OutboxEntry.attempts > 0)) or 0
    out: dict = {"outbox": {"pending": pending, "failing": failing,
                            "oldest_age_s": (utcnow() - oldest).total_seconds() if oldest else 0.0},
                 "kinds": {}}
    database = {"vacancies": db.session.scalar(select(func.count()).select_from(eligible_vacancies().subquery())),
                "workers": db.session.scalar(select(func.count()).select_from(eligible_workers().subquery()))}
    for kind in KINDS:
        out["kinds"][kind] = {"alias": alias_name(kind), "database": database[kind], "index": None, "indices": []}
    if not enabled():
        out["elasticsearch"] = "not configured"
        return out
    try:
        es = bulk_client()
        for kind in KINDS:
            indices = versioned_indices(es, kind)
            entry = out["kinds"][kind]
            entry["indices"] = sorted(indices)
            entry["live"] = sorted(i for i, a in indices.items() if alias_name(kind) in a)
            if entry["live"]:
                entry["index"] = es.count(index=alias_name(kind))["count"]
        out["elasticsearch"] = "ok"
    except _es_errors() as exc:
        out["elasticsearch"] = f"unreachable: {_unavailable(exc)}"
    return out
