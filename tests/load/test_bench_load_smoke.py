"""bench/load.py drives the real app under gunicorn end to end at a tiny scale: every page kind answers, no errors."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests import dbutil

ROOT = Path(__file__).resolve().parents[2]
KINDS = {"search_plain", "search_text", "search_filtered", "vacancy_page", "home", "api_search", "seeker_matches",
         "seeker_applications", "seeker_apply", "employer_candidates", "employer_applications", "officer_stats"}


def test_bench_load_mix_runs_without_errors(tmp_path):
    backend = "postgresql" if dbutil.backend() == "postgresql" else "sqlite"
    env = {**os.environ, "BENCH_POSTGRES_ADMIN_URL": dbutil.PG_ADMIN_URL, "TMPDIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "bench/load.py", "--backend", backend, "--scale", "0.002",
                             "--seconds", "4", "--warmup", "0", "--clients", "4", "--max-requests", "400"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert {"rps", "p50_ms", "p95_ms", "p99_ms", "errors", "kinds"} <= set(summary)
    assert summary["errors"] == 0, result.stderr[-3000:]
    assert KINDS <= set(summary["kinds"]), sorted(summary["kinds"])
    assert 0 < summary["n"] <= 400 and summary["rps"] > 0
    assert summary["p50_ms"] <= summary["p95_ms"] <= summary["p99_ms"]
