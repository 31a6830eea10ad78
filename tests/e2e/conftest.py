"""Fixtures for browser tests: a gunicorn server on a free port with a fresh database, and Chromium pages."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ..dbutil import missing_dependency

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", ROOT / "artifacts" / "screenshots"))
OFFICER = ("canbo@ldtbxh.hanoi.gov.vn", "mat-khau-can-bo-1")

pytestmark = pytest.mark.e2e


def pytest_collection_modifyitems(items):
    """Every test in this folder is an e2e test."""
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _flask(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "jobmarket", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app under gunicorn with a fresh SQLite database, reference data and an officer account."""
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable))
    if gunicorn is None:
        missing_dependency("gunicorn is not installed in the virtualenv")
    instance = tmp_path_factory.mktemp("e2e-instance")
    env = {**os.environ, "JOBMARKET_INSTANCE_PATH": str(instance), "JOBMARKET_ENV": "development",
           "SECRET_KEY": "e2e-secret", "DATABASE_URL": f"sqlite:///{instance / 'e2e.sqlite3'}",
           "RATELIMIT_ENABLED": "false", "PYTHONWARNINGS": "ignore"}
    env.pop("ELASTICSEARCH_URL", None)
    _flask(env, "db", "upgrade", "heads")
    _flask(env, "refdata", "load")
    _flask(env, "users", "create", "--email", OFFICER[0], "--password", OFFICER[1], "--role", "officer")
    port = _free_port()
    log = open(instance / "gunicorn.log", "wb")
    proc = subprocess.Popen([gunicorn, "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "60",
                             "--limit-request-line", "8190", "wsgi:app"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError("gunicorn exited: " + (instance / "gunicorn.log").read_text())
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start")
        yield {"url": base, "env": env, "instance": instance}
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


class Visit:
    """A browser tab on the live app that records every request and can check a page like a person would."""

    def __init__(self, page, base: str, test_name: str):
        self.page, self.base, self.test_name = page, base, test_name
        self.foreign: list[str] = []
        self.transferred: dict[str, int] = {}
        page.on("request", self._on_request)
        page.on("response", self._on_response)

    def _on_request(self, request):
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            self.transferred.clear()  # a new page starts (a link, a form, a redirect): weigh only that page
        host = urlsplit(request.url).hostname
        if request.url.startswith(("data:", "blob:", "about:")):
            return
        if host not in {"127.0.0.1", "localhost"}:
            self.foreign.append(request.url)

    def _on_response(self, response):
        try:
            body = response.body()
        except Exception:  # redirects and aborted responses have no body
            body = b""
        self.transferred[response.url] = len(body)

    def go(self, path: str):
        """Open a path of the app and wait until it has loaded."""
        self.transferred.clear()
        response = self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")
        return response

    def shot(self, name: str) -> Path:
        """Save a full-page screenshot under artifacts/screenshots/<test>/."""
        folder = SCREENSHOTS / self.test_name
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def check_accessibility(self) -> None:
        """axe-core: no serious or critical violations on the current page."""
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(self.page)
        bad = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
               for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert not bad, f"accessibility violations on {self.page.url}:\n" + "\n".join(bad)

    def check_weight(self, limit: int = 200 * 1024) -> int:
        """The current page's HTML+CSS+JS (everything it loaded, uncompressed) stays under the limit."""
        total = sum(self.transferred.values())
        assert self.page.url.split("#")[0] in self.transferred, f"the page was not recorded: {self.transferred}"
        assert total <= limit, f"{self.page.url} transferred {total} bytes: {self.transferred}"
        return total

    def check_no_foreign_requests(self) -> None:
        """Nothing was fetched from another host."""
        assert not self.foreign, f"third-party requests: {self.foreign}"


@pytest.fixture
def visit(browser, live_server, request):
    """A fresh browser context (no cookies) on the live app, in Vietnamese, desktop size."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    v = Visit(page, live_server["url"], request.node.name)
    yield v
    v.check_no_foreign_requests()
    context.close()


@pytest.fixture
def new_visit(browser, live_server, request):
    """Open more independent browser contexts (another person) in one test."""
    contexts = []

    def _open(width: int = 1280, suffix: str = "b", javascript: bool = True):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN",
                                      java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return Visit(page, live_server["url"], f"{request.node.name}-{suffix}")

    yield _open
    for context in contexts:
        context.close()
