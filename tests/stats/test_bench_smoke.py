"""The statistics benchmark runs end to end at a tiny scale and ends with its JSON line (no timing asserted)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .. import dbutil

ROOT = Path(__file__).resolve().parents[2]


def test_bench_builds_measures_and_prints_one_json_line(tmp_path):
    backend = dbutil.backend()
    env = {**os.environ, "JOBMARKET_INSTANCE_PATH": str(tmp_path)}
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "stats.py"), "--backend", backend, "--scale", "0.001",
                             "--repeat", "2"], capture_output=True, text=True, timeout=600, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.strip().splitlines()
    print(lines[-1])
    line = json.loads(lines[-1])
    assert line["backend"] == backend
    for key in ("dashboard_p50_ms", "dashboard_p95_ms", "filtered_p95_ms", "year_p95_ms"):
        assert isinstance(line[key], (int, float)) and line[key] > 0
    assert line["rows"]["workers"] == 200 and line["rows"]["applications"] == 1000 and line["rows"]["placements"] == 100
    assert any(text.startswith("machine:") for text in lines)
