"""The dashboard pauses Python's cyclic garbage collector while it runs and always gives it back as it found it."""
from __future__ import annotations

import gc

import pytest

from jobmarket.stats import queries


def test_paused_during_the_dashboard_and_given_back_after_the_last_one():
    seen = []
    with queries._collector_paused_while():
        seen.append(gc.isenabled())
        with queries._collector_paused_while():  # a concurrent dashboard (another thread) that ends first
            seen.append(gc.isenabled())
        seen.append(gc.isenabled())  # still paused: this one has not ended
    assert seen == [False, False, False] and gc.isenabled()


def test_given_back_when_the_dashboard_fails():
    with pytest.raises(ZeroDivisionError):
        with queries._collector_paused_while():
            1 / 0
    assert gc.isenabled()


def test_left_off_when_someone_else_turned_it_off():
    gc.disable()
    try:
        with queries._collector_paused_while():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
