"""Fixtures of the statistics tests: the hand-built labour market, officers and parsed filters."""
from __future__ import annotations

from datetime import date

import pytest

from jobmarket.stats.filters import parse_filters
from jobmarket.stats.reference import load_reference

from . import world as world_module


@pytest.fixture
def world(db, factory):
    """The hand-built labour market of tests/stats/world.py, in the database."""
    return world_module.build(db, factory)


@pytest.fixture
def ref(db):
    """The reference data (districts, wards, occupation groups)."""
    return load_reference()


@pytest.fixture
def filters(ref):
    """Parse GET-style filter arguments (today fixed at 15/08/2025)."""
    def _parse(**args):
        return parse_filters({k: str(v) for k, v in args.items()}, ref, date(2025, 8, 15))

    return _parse


@pytest.fixture
def officer(factory, auth):
    """A logged-in labour office officer."""
    user = factory.user(role="officer", email="canbo@ldtbxh.hanoi.gov.vn")
    response = auth.login(email=user.email)
    assert response.status_code == 302
    return user
