"""Fixtures: a real SMTP server (aiosmtpd) in the test process, and apps that send mail to it."""
from __future__ import annotations

import socket
import threading
import time
from email import policy
from email.parser import BytesParser

import pytest


class Mailbox:
    """What the test SMTP server received, parsed."""

    def __init__(self):
        self.messages = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's handler name
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        with self._lock:
            self.messages.append(message)
        return "250 OK"

    def wait(self, count: int = 1, timeout: float = 10.0) -> list:
        """The messages, once at least `count` arrived."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.02)
        raise AssertionError(f"expected {count} message(s), got {len(self.messages)}")

    def to(self, address: str) -> list:
        """Messages for one recipient."""
        with self._lock:
            return [m for m in self.messages if m["To"] == address]

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_server():
    """A real SMTP server on a free local port for the whole run."""
    try:
        from aiosmtpd.controller import Controller
    except ImportError:
        from ..dbutil import missing_dependency

        missing_dependency("aiosmtpd is not installed (requirements-dev.txt)")
    box = Mailbox()
    port = _free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield {"port": port, "box": box}
    finally:
        controller.stop()


@pytest.fixture
def mailbox(smtp_server):
    """The test SMTP server's mailbox, empty at the start of the test."""
    smtp_server["box"].clear()
    return smtp_server["box"]


@pytest.fixture
def app_config(app_config, smtp_server, tmp_path):
    """Every app of these tests sends its mail to the test SMTP server."""
    return {**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server["port"], "MAIL_USE_TLS": False,
            "MAIL_FOLDER": str(tmp_path / "mail"), "PUBLIC_URL": "http://jobs.test", "REDIS_URL": None}


def link_in(message, start: str) -> str:
    """The first link in a message's plain text that starts with `start`."""
    import re

    text = message.get_body(preferencelist=("plain",)).get_content()
    found = re.search(re.escape(start) + r"[^\s<>\"]+", text)
    assert found, f"no link {start!r} in:\n{text}"
    return found.group(0)
