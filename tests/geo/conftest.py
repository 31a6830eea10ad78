"""Fixtures for the address tests: the geography index built from the shipped files (no database needed)."""
from __future__ import annotations

import pytest

from jobmarket.geo.index import build_index_from_files


@pytest.fixture(scope="session")
def geo():
    """The reference geography, as the resolver reads it, from the CSV files."""
    return build_index_from_files()
