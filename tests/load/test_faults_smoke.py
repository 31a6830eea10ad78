"""bench/faults.py at a tiny scale: PostgreSQL restarted and a worker killed mid-traffic lose nothing, hang nothing."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import dbutil

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e  # gunicorn and servers of its own: once per run, with the browser journeys


def run_fault(name: str, tmp_path, seconds: str = "12") -> dict:
    env = {**os.environ, "BENCH_POSTGRES_ADMIN_URL": dbutil.PG_ADMIN_URL, "TMPDIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "bench/faults.py", name, "--scale", "0.002", "--seconds", seconds,
                             "--down", "3"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.stdout.strip(), result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert result.returncode == 0, (out, result.stderr[-3000:])
    return out


def test_postgres_restart_mid_traffic(tmp_path):
    out = run_fault("postgres-restart", tmp_path)
    assert out["failed"] == 0 and out["hung"] == 0 and out["data_lost"] == 0 and out["consistent"]
    assert out["unavailable_503"] > 0  # the outage was seen, and answered with the clear 503
    assert out["recovered_after_s"] is not None and out["recovered_after_s"] < 5 and out["serves_after"]
    assert out["applied_201"] > 0


def test_worker_killed_mid_traffic(tmp_path):
    out = run_fault("worker-kill", tmp_path)
    assert out["workers_killed"] > 0 and out["serves_after"]
    assert out["failed"] == 0 and out["hung"] == 0 and out["data_lost"] == 0 and out["consistent"]
