"""The CI dependency audit: a known vulnerability fails, an unreachable vulnerability service warns and passes."""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "dependency_audit.py"
spec = importlib.util.spec_from_file_location("dependency_audit", SCRIPT)
dependency_audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dependency_audit)
classify = dependency_audit.classify

# The shape of `pip-audit --format json` (pip-audit 2.10).
VULNERABLE = {"dependencies": [
    {"name": "flask", "version": "3.1.3", "vulns": []},
    {"name": "jinja2", "version": "2.10", "vulns": [{"id": "PYSEC-2019-217", "fix_versions": ["2.10.1"],
                                                     "aliases": ["CVE-2019-10906"], "description": "sandbox escape"}]},
], "fixes": []}
CLEAN = {"dependencies": [{"name": "flask", "version": "3.1.3", "vulns": []},
                          {"name": "local-thing", "skip_reason": "Dependency not found on PyPI and could not be "
                                                                 "audited: local-thing (0.1)"}], "fixes": []}
ALL_SKIPPED = {"dependencies": [{"name": n, "skip_reason": f"Dependency not found on PyPI and could not be audited: "
                                                           f"{n} (1.0)"} for n in ("flask", "redis")], "fixes": []}


def test_a_known_vulnerability_fails():
    verdict, lines = classify(1, VULNERABLE, "")
    assert verdict == "vulnerable" and lines == ["jinja2 2.10: PYSEC-2019-217 (fixed in 2.10.1)"]


def test_a_clean_audit_passes_and_says_what_was_skipped():
    assert classify(0, CLEAN, "") == ("ok", ["1 packages audited, no known vulnerabilities (1 skipped: not on "
                                             "PyPI)"])


@pytest.mark.parametrize("stderr", [
    "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='pypi.org', port=443): Max retries exceeded",
    "NameResolutionError: Failed to resolve 'pypi.org'", "requests.exceptions.ReadTimeout: timed out"])
def test_an_unreachable_service_is_a_warning_not_a_pass(stderr):
    assert classify(1, None, stderr)[0] == "unreachable"


def test_every_package_skipped_means_no_audit_was_done():
    assert classify(0, ALL_SKIPPED, "")[0] == "unreachable"


def test_another_pip_audit_error_fails():
    assert classify(2, None, "pip-audit: error: unrecognized arguments: --bogus")[0] == "error"


def _run(env_extra):
    env = {**os.environ, "HTTPS_PROXY": "http://127.0.0.1:1", "https_proxy": "http://127.0.0.1:1",
           "HTTP_PROXY": "http://127.0.0.1:1", "http_proxy": "http://127.0.0.1:1", "NO_PROXY": "",
           "DEPENDENCY_AUDIT_TIMEOUT": "3", **env_extra}
    reqs = SCRIPT.parent.parent / "requirements.txt"
    first_pin = next(line for line in reqs.read_text().splitlines() if "==" in line and not line.startswith("#"))
    return subprocess.run([sys.executable, str(SCRIPT), "--requirement", "/dev/stdin", "--no-deps", "--disable-pip"],
                          input=first_pin + "\n", capture_output=True, text=True, env=env, timeout=300)


def test_the_script_passes_with_a_warning_when_the_network_is_down():
    """A real pip-audit run through a proxy that refuses connections: CI is not failed by the outage."""
    proc = _run({})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "audit NOT done" in proc.stdout


def test_strict_mode_fails_when_the_network_is_down():
    proc = _run({"DEPENDENCY_AUDIT_STRICT": "1"})
    assert proc.returncode == 1 and "audit NOT done" in proc.stdout
