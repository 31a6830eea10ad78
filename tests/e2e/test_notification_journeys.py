"""Browser journeys of issue 14: forgot password -> mail at the test SMTP server -> link -> new password -> log in;
a job seeker saves a search and receives the alert once a matching vacancy is published.

The app runs under gunicorn (as in conftest.live_server) with MAIL_SERVER pointing at the SMTP server this test
process runs (aiosmtpd), so the mail the app sends arrives here and is read like a person reads their inbox.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest

from ..dbutil import missing_dependency
from ..notifications.conftest import link_in, smtp_server  # noqa: F401  (the SMTP server fixture)
from .conftest import OFFICER, ROOT, _flask, _free_port
from .test_journeys import PASSWORD, _check, _submit, build_profile, log_in, officer, open_vacancy, register

NEW_PASSWORD = "mat-khau-moi-e2e-2026"


@pytest.fixture(scope="module")
def live_server(tmp_path_factory, smtp_server):  # noqa: F811 - overrides conftest.live_server for this module
    """The app under gunicorn, sending mail to the test SMTP server (jobs run in-process: no REDIS_URL)."""
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable))
    if gunicorn is None:
        missing_dependency("gunicorn is not installed in the virtualenv")
    instance = tmp_path_factory.mktemp("e2e-mail-instance")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "JOBMARKET_INSTANCE_PATH": str(instance), "JOBMARKET_ENV": "development",
           "SECRET_KEY": "e2e-secret", "DATABASE_URL": f"sqlite:///{instance / 'e2e.sqlite3'}",
           "RATELIMIT_ENABLED": "false", "PYTHONWARNINGS": "ignore", "MAIL_SERVER": "127.0.0.1",
           "MAIL_PORT": str(smtp_server["port"]), "PUBLIC_URL": base}
    for name in ("ELASTICSEARCH_URL", "REDIS_URL", "MAIL_USE_TLS", "MAIL_USERNAME"):
        env.pop(name, None)
    _flask(env, "db", "upgrade", "heads")
    _flask(env, "refdata", "load")
    _flask(env, "users", "create", "--email", OFFICER[0], "--password", OFFICER[1], "--role", "officer")
    log = open(instance / "gunicorn.log", "wb")
    proc = subprocess.Popen([gunicorn, "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "60", "wsgi:app"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
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


def _mail_to(box, address: str, subject_part: str, timeout: float = 15.0):
    """Wait for a message to `address` whose subject contains subject_part."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in box.to(address):
            if subject_part in message["Subject"]:
                return message
        time.sleep(0.1)
    raise AssertionError(f"no mail '{subject_part}' to {address}: {[m['Subject'] for m in box.to(address)]}")


def test_forgot_password_by_mail_then_log_in_with_the_new_one(visit, smtp_server, live_server):  # noqa: F811
    box = smtp_server["box"]
    email = register(visit, "Người tìm việc")
    _mail_to(box, email, "Xác nhận địa chỉ email")  # registration asks to confirm the address
    with visit.page.expect_navigation():
        visit.page.get_by_role("button", name="Đăng xuất").click()
    visit.go("/auth/login")
    with visit.page.expect_navigation():
        visit.page.get_by_role("link", name="Quên mật khẩu?").click()
    _check(visit, "forgot")
    visit.page.get_by_label("Email").fill(email)
    _submit(visit, "Gửi liên kết")
    assert "Kiểm tra hộp thư" in visit.page.content()
    message = _mail_to(box, email, "Đặt lại mật khẩu")
    assert message.get_body(preferencelist=("html",)) is not None
    link = link_in(message, live_server["url"] + "/auth/dat-lai-mat-khau/")
    visit.go(link.replace(live_server["url"], ""))
    _check(visit, "new-password")
    visit.page.get_by_label("Mật khẩu mới", exact=True).fill(NEW_PASSWORD)
    visit.page.get_by_label("Nhập lại mật khẩu mới").fill(NEW_PASSWORD)
    _submit(visit, "Lưu mật khẩu mới")
    assert "Đã đặt mật khẩu mới" in visit.page.content()
    log_in(visit, email, NEW_PASSWORD)
    visit.go(link.replace(live_server["url"], ""))  # the link worked once
    assert "Liên kết không dùng được" in visit.page.content()
    visit.shot("link-used")


def test_saved_search_brings_the_alert_after_a_matching_vacancy_is_published(visit, new_visit, smtp_server,
                                                                             live_server):  # noqa: F811
    box = smtp_server["box"]
    seeker = register(visit, "Người tìm việc")
    build_profile(visit, "Đỗ Thị Thu")
    visit.go("/nguoi-lao-dong/thong-bao-viec-lam")
    _check(visit, "alerts-empty")
    visit.page.get_by_label("Từ khóa").fill("kế toán tổng hợp")
    _submit(visit, "Lưu thông báo việc làm")
    assert "Đã lưu thông báo việc làm." in visit.page.content()
    assert visit.page.get_by_text("kế toán tổng hợp").first.is_visible()
    _check(visit, "alerts-saved")
    employer, staff = new_visit(suffix="employer"), officer(new_visit)
    vacancy_id, business = open_vacancy(employer, staff, "Kế toán tổng hợp", "Phường Cầu Giấy")
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "jobmarket", "alerts", "send"], cwd=ROOT,
                            env=live_server["env"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "messages queued: 1" in result.stdout, result.stdout
    alert = _mail_to(box, seeker, "việc làm mới phù hợp")
    text = alert.get_body(preferencelist=("plain",)).get_content()
    assert "Kế toán tổng hợp" in text and business in text and "Mức phù hợp" in text
    assert alert["List-Unsubscribe"] and alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    vacancy_link = re.search(r"http://127\.0\.0\.1:\d+/viec-lam/\d+", text).group(0)
    assert vacancy_link.endswith(f"/viec-lam/{vacancy_id}")
    visit.go("/thong-bao")  # the same alert in the notification centre, and the bell counts it
    assert "1 việc làm mới phù hợp với bạn" in visit.page.content()
    assert visit.page.locator("[data-unread]").first.inner_text().strip() != ""
    _check(visit, "centre")
    rerun = subprocess.run([sys.executable, "-m", "flask", "--app", "jobmarket", "alerts", "send"], cwd=ROOT,
                           env=live_server["env"], capture_output=True, text=True, timeout=120)
    assert "messages queued: 0" in rerun.stdout  # never the same vacancy twice
