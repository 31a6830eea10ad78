"""Dependency audit for CI: pip-audit of the project's environment against PyPI's vulnerability data.

    python scripts/dependency_audit.py            # audit the packages installed in this venv (CI: exactly the
                                                  # pinned requirements-dev.txt); extra args go to pip-audit
A known vulnerability fails (exit 1) and is listed. When the vulnerability service cannot be reached (no network,
DNS, proxy, timeout) the audit says so loudly and passes (exit 0), so a network outage does not fail unrelated
CI; DEPENDENCY_AUDIT_STRICT=1 makes that a failure too. Any other pip-audit error fails.
Accepted findings go in DEPENDENCY_AUDIT_IGNORE (space-separated vulnerability ids), each with its reason in the
README's security section.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NETWORK_ERROR = re.compile(
    r"ConnectionError|ConnectTimeout|ReadTimeout|Max retries exceeded|NameResolutionError|Failed to resolve|"
    r"Temporary failure in name resolution|Network is unreachable|Connection refused|ProxyError|"
    r"timed out|SSLError|ServiceError|Connection aborted|RemoteDisconnected", re.IGNORECASE)


def classify(returncode: int, report: dict | None, stderr: str) -> tuple[str, list[str]]:
    """What a pip-audit run means: ("ok" | "vulnerable" | "unreachable" | "error", lines to print)."""
    if report is not None:
        found = [f"{dep['name']} {dep['version']}: {vuln['id']}"
                 + (f" (fixed in {', '.join(vuln.get('fix_versions') or [])})" if vuln.get("fix_versions") else "")
                 for dep in report.get("dependencies", []) for vuln in dep.get("vulns", [])]
        if found:
            return "vulnerable", found
        deps = report.get("dependencies", [])
        audited = [dep for dep in deps if "skip_reason" not in dep]
        if deps and not audited:
            # Every package "not found": the service answered nothing (a mirror without PyPI's JSON API, or an
            # outage). That is no audit, never a pass.
            return "unreachable", [f"all {len(deps)} packages skipped: {deps[0]['skip_reason']}"]
        if returncode == 0:
            skipped = len(deps) - len(audited)
            return "ok", [f"{len(audited)} packages audited, no known vulnerabilities"
                          + (f" ({skipped} skipped: not on PyPI)" if skipped else "")]
    if returncode != 0 and NETWORK_ERROR.search(stderr or ""):
        return "unreachable", [line for line in (stderr or "").strip().splitlines()[-3:]]
    if returncode == 0:
        return "ok", ["no known vulnerabilities"]
    return "error", (stderr or "").strip().splitlines()[-10:]


def run(extra: list[str]) -> int:
    """Run pip-audit, print what it found, return the exit status CI should use."""
    pip_audit = Path(sys.executable).with_name("pip-audit")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        command = [str(pip_audit), "--progress-spinner", "off", "--format", "json", "--output", str(out),
                   "--timeout", os.environ.get("DEPENDENCY_AUDIT_TIMEOUT", "20")]
        command += extra or ["--local"]
        for vuln_id in os.environ.get("DEPENDENCY_AUDIT_IGNORE", "").split():
            command += ["--ignore-vuln", vuln_id]
        try:
            proc = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=600)
            returncode, stderr = proc.returncode, proc.stderr
        except subprocess.TimeoutExpired:
            returncode, stderr = 1, "pip-audit timed out"
        report = None
        if out.exists() and out.stat().st_size:
            try:
                report = json.loads(out.read_text())
            except json.JSONDecodeError:
                report = None
    verdict, lines = classify(returncode, report, stderr)
    strict = os.environ.get("DEPENDENCY_AUDIT_STRICT", "").lower() in {"1", "true", "yes"}
    label = {"ok": "dependency audit: OK", "vulnerable": "dependency audit: KNOWN VULNERABILITIES",
             "unreachable": "dependency audit: WARNING, vulnerability data unreachable; audit NOT done",
             "error": "dependency audit: pip-audit failed"}[verdict]
    print(label)
    for line in lines:
        print("  " + line)
    if verdict == "ok" or (verdict == "unreachable" and not strict):
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
