"""bench/match.py runs end to end at a tiny scale and reports what the issue asks (a correctness check, not timing)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests import dbutil

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"backend", "worker_to_vacancies_p50_ms", "worker_to_vacancies_p95_ms", "vacancy_to_workers_p50_ms",
        "vacancy_to_workers_p95_ms", "overlap_at_20", "index_docs_per_s", "peak_rss_mib"}


def test_bench_match_prints_the_json_line(tmp_path):
    backend = "postgresql" if dbutil.backend() == "postgresql" else "sqlite"
    env = {**os.environ, "BENCH_POSTGRES_ADMIN_URL": dbutil.PG_ADMIN_URL, "TMPDIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "bench/match.py", "--backend", backend, "--scale", "0.002",
                             "--queries", "5", "--reference-checks", "2", "--seed", "7"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.strip().splitlines()
    summary = json.loads(lines[-1])
    assert KEYS <= set(summary)
    assert summary["backend"] == backend and summary["vacancies"] == 200 and summary["workers"] == 400
    assert summary["overlap_at_20"] == 1.0 and summary["reference_checks"] == 4
    assert summary["index_docs_per_s"] > 0 and summary["peak_rss_mib"] > 0
    assert any(line.startswith("machine:") for line in lines)
    assert not list(tmp_path.glob("jm-bench-*"))  # the throwaway database is gone

