"""Fixtures of the search tests: the fixed data set, the moment and weights scores are computed with."""
from __future__ import annotations

from datetime import datetime

import pytest

from jobmarket.search.scoring import Weights

from .dataset import build

NOW = datetime(2026, 3, 1, 9, 30, 0)


@pytest.fixture
def now():
    """The moment every score in these tests is computed for."""
    return NOW


@pytest.fixture
def weights(app):
    """The app's configured weights."""
    return Weights.from_config(app.config)


@pytest.fixture
def backend(app):
    """The backend under test. The contract tests (rankings, search) take it as a fixture, so they can run on every
    backend: parametrize this fixture (e.g. with the Elasticsearch backend) to reuse them."""
    from jobmarket.search.dbbackend import DatabaseBackend

    return DatabaseBackend()


@pytest.fixture
def dataset(factory, now):
    """The fixed data set (tests/search/dataset.py)."""
    return build(factory, now)
