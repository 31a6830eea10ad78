"""In a real browser (Chromium, app under gunicorn): paste a posting -> "Điền từ mô tả" -> confirm -> a saved vacancy;
import a small CSV -> preview -> decide -> drafts. axe checks the pages; screenshots under artifacts/screenshots/."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from jobmarket.models import Vacancy
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", ROOT / "artifacts" / "screenshots"))
POSTING = ("Tuyển nhân viên kế toán tổng hợp\nThành thạo Excel, MISA, có bằng lái B2.\n"
           "Địa chỉ làm việc: 25 Ngõ 1 Quan Nhân, phường Thanh Xuân, Hà Nội. Lương 10-15tr, kinh nghiệm 2 năm.")


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


def shot(page, test: str, name: str) -> None:
    folder = SCREENSHOTS / test
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def accessible(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:3]}" for v in results.response["violations"]
           if v["impact"] in ("serious", "critical")]
    assert not bad, "\n".join(bad)


def login(page, base: str, email: str) -> None:
    page.goto(base + "/auth/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_paste_a_posting_fill_confirm_and_save(live_server, browser, factory, db):
    from playwright.sync_api import expect

    employer = factory.employer(verified=True)
    page = browser.new_page()
    login(page, live_server, employer.owner.email)
    page.goto(live_server + "/doanh-nghiep/tin/moi")
    page.fill("#source_text", POSTING)
    page.get_by_role("button", name="Điền từ mô tả").click()
    result = page.locator("#fill-result")
    expect(result).to_contain_text("Kế toán tổng hợp")
    expect(result).to_contain_text("← “Excel”")
    chips = page.locator("#required_skill_ids").locator("xpath=..").locator(".ta-chips li")
    expect(chips.filter(has_text="Excel")).to_have_count(1)
    expect(page.locator("#wage_min")).to_have_value("10.000.000")
    expect(page.locator("#wage_max")).to_have_value("15.000.000")
    expect(page.locator("#experience_required")).to_have_value("2")
    expect(page.locator("#title")).to_have_value("Tuyển nhân viên kế toán tổng hợp")
    expect(page.locator(".field.proposed").first).to_be_visible()
    accessible(page)
    shot(page, "test_paste_a_posting_fill_confirm_and_save", "1-filled")
    with db.session.no_autoflush:
        assert db.session.scalar(select(Vacancy.id)) is None  # nothing saved before the employer confirms
    # The employer checks, completes what the text did not say, and saves.
    page.select_option("#occupation_code", "3313")
    if not page.locator("#ward_code").input_value():
        page.select_option("#ward_code", index=1)
    page.fill("#deadline", (date.today() + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Lưu nháp").click()
    page.wait_for_url(live_server + "/doanh-nghiep/")
    expect(page.locator("body")).to_contain_text("Đã lưu tin nháp.")
    shot(page, "test_paste_a_posting_fill_confirm_and_save", "2-saved")
    db.session.expire_all()
    vacancy = db.session.scalar(select(Vacancy))
    assert vacancy.title == "Tuyển nhân viên kế toán tổng hợp" and vacancy.wage_min == 10_000_000
    assert {"Excel", "Kế toán tổng hợp"} <= {s.label_vi for s in vacancy.required_skills}
    page.close()


def test_import_a_small_csv_preview_decide_and_get_drafts(live_server, browser, factory, db, tmp_path):
    from playwright.sync_api import expect

    employer = factory.employer(verified=True)
    csv_file = tmp_path / "tin.csv"
    csv_file.write_text(
        "Chức danh,Mô tả công việc,Địa chỉ nơi làm việc,Mã nghề,Số lượng\n"
        "Nhân viên kế toán,\"Thành thạo Excel, MISA. Lương 10-15 triệu\",phường Thanh Xuân,3313,1\n"
        "Bảo vệ tòa nhà,\"Trực bảo vệ, Excel. Lương 8 triệu\",Thanh Xuân,5414,2\n"
        "Lễ tân,\"Chỉ tuyển nữ, Excel. Lương 9 triệu\",phường Cầu Giấy,4226,1\n", encoding="utf-8-sig")
    page = browser.new_page()
    login(page, live_server, employer.owner.email)
    page.goto(live_server + "/doanh-nghiep/")
    page.get_by_role("link", name="Nhập nhiều tin từ tệp").click()
    page.set_input_files("#file", str(csv_file))
    page.get_by_role("button", name="Xem trước").click()
    table = page.locator("table.import-preview")
    expect(table).to_contain_text("Nhân viên kế toán")
    expect(table).to_contain_text("giới tính")
    accessible(page)
    shot(page, "test_import_a_small_csv_preview_decide_and_get_drafts", "1-preview")
    page.select_option("#ward-3", index=1)
    page.get_by_role("button", name="Tạo tin nháp").click()
    expect(page.locator("body")).to_contain_text("Đã tạo 2 tin nháp")
    expect(page.locator("body")).to_contain_text("Lễ tân")
    shot(page, "test_import_a_small_csv_preview_decide_and_get_drafts", "2-result")
    db.session.expire_all()
    drafts = list(db.session.scalars(select(Vacancy).where(Vacancy.employer_id == employer.id)))
    assert sorted(v.title for v in drafts) == ["Bảo vệ tòa nhà", "Nhân viên kế toán"]
    assert all(v.status == "draft" for v in drafts)
    page.close()
