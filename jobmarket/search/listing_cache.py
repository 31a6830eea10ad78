"""Kept answers for the requests everyone makes: the home page's counts and the unfiltered vacancy listing.

At 100,000 vacancies the home page counted open vacancies and seekers on every request (two full counts), and the
unfiltered /viec-lam listing ranked and counted every eligible vacancy on every request, although neither changes
between two page views. This module keeps those answers:

- ``home_counts(compute) -> value``: the home page's figures, computed by ``compute()`` at most once per generation
  and TTL_SECONDS;
- ``unfiltered_page(query, compute) -> SearchPage``: the search page for a query with no text, no filter and no
  worker (any sort, any page up to MAX_PAGE), else ``compute()`` every time;
- ``remembered(key, compute)``: the general form both use; ``invalidate()``: forget everything now;
- ``is_unfiltered(query) -> bool``; ``kept_when_unfiltered``: the decorator service.search_vacancies wears;
- ``kept_response()`` / ``keep_response(response)``: before- and after-request hooks (registered by main/views.py)
  that keep the rendered HTML of the unfiltered /viec-lam page for visitors who are not logged in.

Invalidation rule: an entry belongs to one app, one database (its URL) and one *generation* of this process. The generation
moves on whenever this process writes (INSERT, UPDATE or DELETE, through the ORM, Core or raw SQL, seen by an
engine event) to a table the answers read (vacancies and their skills, employers, workers, the search tables), and
again when that transaction commits; so a process always sees its own writes at once. Another process's writes
are seen when the entry expires, TTL_SECONDS after it was computed. Nothing is written to the database.
"""
from __future__ import annotations

import copy
import dataclasses
import functools
import threading
import time
from collections.abc import Callable
from typing import Any

from flask import current_app, g, has_request_context, request, session
from sqlalchemy import event
from sqlalchemy.engine import Engine

from ..extensions import db

TTL_SECONDS = 30.0
MAX_PAGE = 10
MAX_ENTRIES = 512
# Tables whose writes change a kept answer (substrings of the statement, lower case).
WATCHED = ("vacanc", "employers", "worker_profiles", "worker_skills", "db_search", "search_synonyms", "skills")

_entries: dict[tuple, tuple[float, int, Any]] = {}
_generation = 0
_lock = threading.Lock()


def invalidate() -> None:
    """Start a new generation: every kept answer is recomputed on its next use."""
    global _generation
    with _lock:
        _generation += 1
        _entries.clear()


def generation() -> int:
    """The current generation (it changes on every watched write of this process)."""
    return _generation


def _is_watched_write(statement: str) -> bool:
    head = statement.lstrip()[:6].upper()
    if head not in ("INSERT", "UPDATE", "DELETE"):
        return False
    lowered = statement[:300].lower()
    return any(name in lowered for name in WATCHED)


@event.listens_for(Engine, "after_cursor_execute")
def _after_execute(conn, cursor, statement, parameters, context, executemany) -> None:
    """A watched write: new generation now, and remember to start another when the transaction commits."""
    if _is_watched_write(statement):
        conn.info["listing_cache_dirty"] = True
        invalidate()


@event.listens_for(Engine, "commit")
def _after_commit(conn) -> None:
    """The committed writes are visible now: answers computed meanwhile from the old rows are dropped too."""
    if conn.info.pop("listing_cache_dirty", False):
        invalidate()


@event.listens_for(Engine, "rollback")
def _after_rollback(conn) -> None:
    """Rolled-back writes never became visible; answers computed meanwhile may have read them (same connection)."""
    if conn.info.pop("listing_cache_dirty", False):
        invalidate()


def remembered(key: tuple, compute: Callable[[], Any], ttl: float = TTL_SECONDS,
               keep: Callable[[Any], bool] = lambda value: True) -> Any:
    """compute()'s answer for key in this database, kept for ttl seconds within the current generation (unless
    keep(answer) is false)."""
    # One app's configuration (weights) and one database.
    full_key = (id(current_app._get_current_object()), str(db.engine.url), *key)
    now = time.monotonic()
    kept = _entries.get(full_key)
    if kept is not None and kept[1] == _generation and now - kept[0] < ttl:
        return kept[2]
    started = _generation
    value = compute()
    with _lock:
        if started == _generation and keep(value):  # nothing was written meanwhile: the answer is current
            if len(_entries) >= MAX_ENTRIES:
                _entries.clear()
            _entries[full_key] = (now, started, value)
    return value


def home_counts(compute: Callable[[], Any]) -> Any:
    """The home page's figures (see the module docstring for how long they are kept)."""
    return remembered(("home",), compute)


# Fields of a query that do not narrow it: an unfiltered listing may differ only in these (they are in the key; the
# origin ward only adds distances, as the API always measures from one).
NOT_FILTERS = ("sort", "page", "per_page", "origin_ward")


def is_unfiltered(query) -> bool:
    """A listing anyone gets without typing or choosing anything: every field but sort, paging and origin at its default
    (so a filter added to VacancyQuery later is never mistaken for no filter)."""
    for f in dataclasses.fields(query):
        if f.name in NOT_FILTERS:
            continue
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
        value = getattr(query, f.name)
        if value != default and not (isinstance(value, str) and not value.strip() and default == ""):
            return False
    return True


def unfiltered_page(query, compute: Callable[[], Any]) -> Any:
    """A copy of the kept page for an unfiltered query (first MAX_PAGE pages, any sort and page size), else
    compute(). A degraded page (Elasticsearch was down) is not kept."""
    if not is_unfiltered(query) or int(query.page or 1) > MAX_PAGE:
        return compute()
    key = ("unfiltered", query.sort, int(query.page or 1), int(query.per_page or 20), query.origin_ward)
    page = remembered(key, compute, keep=lambda value: not getattr(value, "degraded", False))
    if getattr(page, "degraded", False) and has_request_context():
        g.listing_cache_degraded = True  # nor is the page rendered from it
    return copy.deepcopy(page)


def kept_when_unfiltered(search: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Decorator for service.search_vacancies: unfiltered queries answered by unfiltered_page."""

    @functools.wraps(search)
    def answer(query):
        return unfiltered_page(query, lambda: search(query))

    return answer


# --- the anonymous unfiltered listing page, as rendered HTML -------------------------------------------------------
# Rendering the listing (its filter form lists every ward and skill) costs more than its kept page saves. For a
# visitor who is not logged in, has no message waiting and asks /viec-lam with no argument, the page is the same
# for everyone of the same language, so the HTML is kept under the same rule. PAGE_ENDPOINTS are the views kept.
PAGE_ENDPOINTS = ("search.vacancies",)


def _page_key() -> tuple | None:
    """The key of this request's page, or None when the page must be rendered for this visitor."""
    from flask_login import current_user

    from ..i18n import current_locale

    if request.method != "GET" or request.endpoint not in PAGE_ENDPOINTS or request.args:
        return None
    if getattr(current_user, "is_authenticated", False) or session.get("_flashes"):
        return None
    return (id(current_app._get_current_object()), str(db.engine.url), "html", request.path, current_locale())


def kept_response():
    """Before the view: the kept HTML of this page (a response), or None to render it."""
    key = _page_key()
    if key is None:
        return None
    kept = _entries.get(key)
    if kept is not None and kept[1] == _generation and time.monotonic() - kept[0] < TTL_SECONDS:
        return current_app.response_class(kept[2], status=200, mimetype="text/html")
    g.listing_cache_page = (key, _generation, time.monotonic())
    return None


def keep_response(response):
    """After the view: keep the rendered page when nothing was written meanwhile and it is a plain 200 page."""
    pending = g.pop("listing_cache_page", None)
    if (pending is None or response.status_code != 200 or response.direct_passthrough
            or g.get("listing_cache_degraded") or response.headers.getlist("Set-Cookie")):
        return response
    key, started, at = pending
    with _lock:
        if started == _generation:
            if len(_entries) >= MAX_ENTRIES:
                _entries.clear()
            _entries[key] = (at, started, response.get_data())
    return response
