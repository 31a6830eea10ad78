"""The profile form in a real browser (Chromium) against the app under gunicorn: the type-ahead comboboxes with
the keyboard, the no-JavaScript path, axe accessibility rules, and a 375 px wide screen."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ..factories import PASSWORD

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def live_server(app, database_url, tmp_path):
    """gunicorn serving wsgi:app on the test database; stopped (by its pid) after the test."""
    port = _free_port()
    env = dict(os.environ, JOBMARKET_ENV="testing", SECRET_KEY="e2e-secret", DATABASE_URL=database_url,
               UPLOAD_FOLDER=str(tmp_path / "uploads"), RATELIMIT_ENABLED="false")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}", "wsgi:app"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail("gunicorn exited: " + server.stderr.read().decode()[-2000:])
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        server.stderr.close()


def _login(page, base: str, email: str) -> None:
    page.goto(base + "/auth/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(base + "/nguoi-lao-dong/")


def test_skill_and_ward_type_ahead_with_the_keyboard(live_server, browser, factory, db):
    from playwright.sync_api import expect

    factory.user("worker", email="e2e@example.vn")
    page = browser.new_page()
    _login(page, live_server, "e2e@example.vn")
    page.goto(live_server + "/nguoi-lao-dong/ho-so")

    skills = page.get_by_role("combobox", name="Kỹ năng")
    expect(skills).to_have_attribute("aria-expanded", "false")
    skills.fill("han")
    listbox = page.locator("#skills-listbox")
    expect(listbox.get_by_role("option").first).to_have_text("Hàn điện")
    expect(skills).to_have_attribute("aria-expanded", "true")
    skills.press("ArrowDown")
    expect(skills).to_have_attribute("aria-activedescendant", "skills-listbox-0")
    expect(listbox.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    skills.press("Enter")  # picks; does not submit the form
    chips = page.locator(".ta-chips li")
    expect(chips).to_have_count(1)
    expect(chips.first).to_contain_text("Hàn điện")
    skills.fill("dien")
    expect(listbox.get_by_role("option").first).to_have_text("Điện dân dụng")
    skills.press("ArrowDown")
    skills.press("Enter")
    expect(chips).to_have_count(2)
    skills.press("Backspace")  # empty field: removes the last chip
    expect(chips).to_have_count(1)
    skills.fill("han")
    expect(listbox).to_be_visible()
    skills.press("Escape")
    expect(listbox).to_be_hidden()
    expect(skills).to_have_attribute("aria-expanded", "false")
    assert page.eval_on_selector("#skills", "s => [...s.selectedOptions].map(o => o.text)") == ["Hàn điện"]

    address = page.get_by_role("combobox", name="Nơi ở: phường/xã hoặc địa chỉ")
    address.fill("dich vong hau")
    first = page.locator("#address-listbox [role=option]").first
    expect(first).to_contain_text("Phường Cầu Giấy")
    expect(first).to_contain_text("trước đây: Phường Dịch Vọng Hậu")
    first.click()
    expect(address).to_have_value("Phường Cầu Giấy")

    page.fill("#full_name", "Ngô Thị Lan")
    page.fill("#phone", "0912 000 111")
    page.click("form.profile-form button[type=submit]:not([name=action])")
    page.wait_for_url(live_server + "/nguoi-lao-dong/")
    expect(page.locator(".flashes")).to_contain_text("Đã tạo hồ sơ của bạn.")
    expect(page.locator(".facts")).to_contain_text("Hàn điện")
    expect(page.locator(".facts")).to_contain_text("Phường Cầu Giấy")


def test_the_form_works_without_javascript_and_offers_the_ward_choice(live_server, browser, factory, db):
    from playwright.sync_api import expect

    factory.user("worker", email="nojs@example.vn")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    _login(page, live_server, "nojs@example.vn")
    page.goto(live_server + "/nguoi-lao-dong/ho-so")
    expect(page.locator("#skills")).to_be_visible()  # the plain select, not enhanced
    page.fill("#full_name", "Bùi Văn Nam")
    page.fill("#phone", "0987111222")
    page.fill("#address", "phường Dịch Vọng Hậu")
    page.select_option("#skills", label=["Hàn điện", "Hàn TIG"])
    page.click("form.profile-form button[type=submit]:not([name=action])")
    expect(page.locator("#address-error")).to_contain_text("nay thuộc nhiều phường/xã mới")
    expect(page.locator("#full_name")).to_have_value("Bùi Văn Nam")
    page.get_by_label("Phường Nghĩa Đô (khu vực Cầu Giấy cũ)", exact=False).check()
    page.click("form.profile-form button[type=submit]:not([name=action])")
    page.wait_for_url(live_server + "/nguoi-lao-dong/")
    expect(page.locator(".facts")).to_contain_text("Phường Nghĩa Đô")
    expect(page.locator(".facts")).to_contain_text("Hàn TIG")
    context.close()


def test_profile_page_passes_axe_and_fits_a_phone(live_server, browser, factory, db):
    from axe_playwright_python.sync_playwright import Axe

    factory.user("worker", email="axe@example.vn")
    page = browser.new_page(viewport={"width": 375, "height": 800})
    _login(page, live_server, "axe@example.vn")
    page.goto(live_server + "/nguoi-lao-dong/ho-so")
    page.wait_for_selector(".ta-input")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("combobox", name="Kỹ năng").fill("han")
    page.wait_for_selector("#skills-listbox [role=option]")
    results = Axe().run(page)
    violations = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
                  for v in results.response["violations"]]
    assert violations == []
