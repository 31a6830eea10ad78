"""Fixtures for the labour office: an officer and an administrator."""
from __future__ import annotations

import pytest


@pytest.fixture
def officer(factory):
    """A labour office officer."""
    return factory.user("officer")


@pytest.fixture
def admin(factory):
    """An administrator (sees the office pages too)."""
    return factory.user("admin")


@pytest.fixture
def verified(factory):
    """A verified business and its owner."""
    return factory.employer(verified=True)
