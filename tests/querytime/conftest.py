"""Fixtures for the query-time helpers: caches of earlier tests forgotten."""
from __future__ import annotations

import pytest


@pytest.fixture
def seeded_synonyms(db):
    """The shipped synonym list (tests/dbutil.wipe restores it after a test that edits it), caches dropped."""
    from jobmarket.search import spelling, synonyms

    synonyms.invalidate()
    spelling._dictionaries.clear()
    yield
    synonyms.invalidate()
    spelling._dictionaries.clear()
