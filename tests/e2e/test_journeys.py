"""The three journeys of the issue in a real browser: job seeker, employer, labour office statistics.

Every step is done through the pages as a person would (labels, roles, the keyboard where natural); every page of a
journey is checked with axe and its key pages are saved as screenshots under artifacts/screenshots/<test>/.
The tests share the live server's database, so each one makes the people and vacancies it needs with the helpers
below, and the hires they make are counted per former district in HIRES (test 3 derives its expected numbers
from it).
"""
from __future__ import annotations

import re
import uuid
from collections import Counter
from datetime import date, timedelta

from openpyxl import load_workbook

from jobmarket.employers.taxcode import check_digit

from .conftest import OFFICER

PASSWORD = "mat-khau-e2e-2025"
# Former district (its name as the statistics show it) -> hires made by these tests in this session.
HIRES: Counter[str] = Counter()
# (2025 ward shown in the employer's form, its former district in the statistics)
CAU_GIAY = ("Phường Cầu Giấy", "Cầu Giấy")
HOAN_KIEM = ("Phường Hoàn Kiếm", "Hoàn Kiếm")


# --- helpers: a person using the pages --------------------------------------------------------------------------

def _tag() -> str:
    """A short unique suffix, so the journeys can run many times against one database."""
    return uuid.uuid4().hex[:6]


def _settle(v) -> None:
    """Wait until the page that a click started has loaded."""
    v.page.wait_for_load_state("networkidle")


def _check(v, shot: str | None = None) -> None:
    """axe and the 200 KB budget on the current page, then a screenshot when the page is a key one."""
    if shot:
        v.shot(shot)
    v.check_accessibility()
    v.check_weight()


def _submit(v, name: str) -> None:
    """Press a form's button by its visible name and wait for the next page."""
    with v.page.expect_navigation():
        v.page.get_by_role("button", name=name, exact=True).click()
    _settle(v)


def register(v, role: str, accessibility: bool = True) -> str:
    """Sign up as a job seeker ('Người tìm việc') or an employer ('Nhà tuyển dụng'); returns the email. axe needs
    JavaScript (page.evaluate waits forever without it), so a no-JavaScript visit passes accessibility=False."""
    email = f"e2e-{_tag()}@example.vn"
    v.go("/auth/register")
    if accessibility:
        _check(v)
    v.page.get_by_label(role).check()
    v.page.get_by_label("Email").fill(email)
    v.page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    v.page.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    _submit(v, "Đăng ký")
    assert v.page.get_by_role("button", name="Đăng xuất").is_visible()
    return email


def log_in(v, email: str, password: str) -> None:
    """Log in on the login page."""
    v.go("/auth/login")
    v.page.get_by_label("Email").fill(email)
    v.page.get_by_label("Mật khẩu").fill(password)
    _submit(v, "Đăng nhập")
    assert v.page.get_by_role("button", name="Đăng xuất").is_visible()


def pick(v, label: str, typed: str, option: str | re.Pattern) -> None:
    """Use a type-ahead: type into the labelled field, then choose the suggestion with the keyboard or a click."""
    box = v.page.get_by_label(label, exact=True)
    box.click()
    box.press_sequentially(typed, delay=20)
    choice = v.page.get_by_role("option", name=option).first
    choice.wait_for()
    choice.click()


def tax_code() -> str:
    """A valid, random 10-digit tax code (its check digit computed as the tax office does)."""
    while True:
        first = "01" + f"{uuid.uuid4().int % 10**7:07d}"
        digit = check_digit(first)
        if digit is not None:
            return first + str(digit)


def register_business(v, name: str, ward: str) -> None:
    """An employer account registers its business (a fresh account lands on the business form)."""
    v.go("/doanh-nghiep/dang-ky")
    _check(v)
    v.page.get_by_label("Tên doanh nghiệp").fill(name)
    v.page.get_by_label("Mã số thuế").fill(tax_code())
    v.page.get_by_label("Phường, xã (địa chỉ trụ sở)").select_option(label=ward)
    v.page.get_by_label("Số nhà, đường phố").fill("Số 12 Trần Thái Tông")
    v.page.get_by_label("Ngành nghề kinh doanh").fill("Dịch vụ kế toán")
    v.page.get_by_label("Người liên hệ").fill("Trần Văn Bình")
    v.page.get_by_label("Số điện thoại liên hệ").fill("0912345678")
    _submit(v, "Đăng ký doanh nghiệp")
    assert v.page.get_by_role("heading", name=name).is_visible()


def officer_verifies(o, business: str, shot: str | None = None) -> None:
    """The officer (already logged in) verifies the business from the list of businesses awaiting checks."""
    o.go("/can-bo/doanh-nghiep")
    _check(o, shot)
    card = o.page.locator("article").filter(has=o.page.get_by_role("heading", name=business))
    with o.page.expect_navigation():
        card.get_by_role("button", name="Xác minh").click()
    _settle(o)
    assert card.count() == 0 or "Đã xác minh" in card.inner_text()


def post_vacancy(v, title: str, ward: str, shot: str | None = None) -> int:
    """A verified employer posts an accounting vacancy (skills and ward by type-ahead); returns its id."""
    v.go("/doanh-nghiep/tin/moi")
    _check(v)
    page = v.page
    page.get_by_label("Chức danh").fill(title)
    page.get_by_label("Mô tả công việc").fill("Lập báo cáo thuế, theo dõi công nợ, làm việc giờ hành chính.")
    page.get_by_label("Nghề nghiệp (danh mục VSCO)").select_option(label="Kế toán viên (3313)")
    pick(v, "Kỹ năng bắt buộc", "ke toan tong hop", "Kế toán tổng hợp")
    pick(v, "Phường, xã nơi làm việc", ward.split(" ", 1)[1], ward)
    page.get_by_label("Lương tối thiểu (đồng/tháng)").fill("12.000.000")
    page.get_by_label("Lương tối đa (đồng/tháng, không bắt buộc)").fill("15.000.000")
    page.get_by_label("Số lượng cần tuyển").fill("2")
    page.get_by_label("Hạn nộp hồ sơ").fill((date.today() + timedelta(days=30)).isoformat())
    if shot:
        v.shot(shot)
    _check(v)
    _submit(v, "Lưu và đăng tin")
    assert "Đã đăng tin tuyển dụng." in page.content(), page.content()
    href = page.get_by_role("link", name=title, exact=True).get_attribute("href")
    return int(re.search(r"/tin/(\d+)/", href).group(1))


def open_vacancy(browser_visit, officer_visit, title: str, ward: str) -> tuple[int, str]:
    """An employer registers, the officer verifies it, the employer posts the vacancy: (vacancy id, business)."""
    business = f"Công ty TNHH Kế toán Minh An {_tag()}"
    register(browser_visit, "Nhà tuyển dụng")
    register_business(browser_visit, business, ward)
    officer_verifies(officer_visit, business)
    return post_vacancy(browser_visit, title, ward), business


def build_profile(v, name: str, shot: str | None = None) -> None:
    """A job seeker writes a profile: skills typed without diacritics, the ward from an address before 2025."""
    v.go("/nguoi-lao-dong/ho-so")
    _check(v)
    page = v.page
    page.get_by_label("Họ và tên").fill(name)
    page.get_by_label("Số điện thoại di động").fill("0987 654 321")
    pick(v, "Kỹ năng", "ke toan", re.compile(r"^Kế toán tổng hợp"))
    chosen = page.get_by_role("list", name="Đã chọn").get_by_role("listitem")
    assert re.match(r"Kế toán tổng hợp", chosen.first.inner_text())
    address = page.get_by_label("Nơi ở: phường/xã hoặc địa chỉ")
    address.fill("phường Dịch Vọng Hậu, Cầu Giấy")
    address.press("Tab")  # leave the suggestions closed: the typed old address is what is sent
    page.get_by_label("Mức lương mong muốn (VNĐ/tháng, không bắt buộc)").fill("12tr")
    _submit(v, "Lưu hồ sơ")
    # The old ward was split in 2025: the page asks which new ward, keeping everything typed.
    assert page.get_by_label("Họ và tên").input_value() == name
    _check(v, shot and shot + "-ward-choice")
    page.get_by_label("Phường Cầu Giấy").check()
    _submit(v, "Lưu hồ sơ")
    assert "Nơi ở:" in page.content() and "Cầu Giấy" in page.content()
    _check(v, shot)


def apply_to(v, vacancy_id: int, note: str = "Tôi có 3 năm làm kế toán tổng hợp.") -> None:
    """Apply from the public vacancy page."""
    v.go(f"/viec-lam/{vacancy_id}")
    v.page.get_by_label("Lời nhắn cho nhà tuyển dụng (không bắt buộc)").fill(note)
    _submit(v, "Ứng tuyển ngay")
    v.go(f"/viec-lam/{vacancy_id}")
    assert "Bạn đã ứng tuyển vào tin này" in v.page.content()


def hire(v, vacancy_id: int, worker: str, district: str, shot: str | None = None) -> None:
    """The employer moves the worker's application to hired on the vacancy's applications page."""
    v.go(f"/doanh-nghiep/tin/{vacancy_id}/ho-so")
    _check(v, shot and shot + "-before")
    card = v.page.locator("li.card").filter(has=v.page.get_by_role("link", name=worker))
    with v.page.expect_navigation():
        card.get_by_role("button", name="Chuyển sang: Đã tuyển").click()
    _settle(v)
    assert "Đã tuyển" in card.get_by_role("heading").inner_text()
    HIRES[district] += 1
    _check(v, shot)


def worker_applies(new_visit, vacancy_id: int, suffix: str) -> str:
    """A job seeker (another browser) registers, writes a profile and applies; returns their name."""
    w = new_visit(suffix=suffix)
    name = f"Nguyễn Thị Lan {_tag()}"
    register(w, "Người tìm việc")
    build_profile(w, name)
    apply_to(w, vacancy_id)
    return name


def officer(new_visit, suffix: str = "officer"):
    """The labour officer, logged in, in a browser of their own."""
    o = new_visit(suffix=suffix)
    log_in(o, *OFFICER)
    return o


# --- the journeys -----------------------------------------------------------------------------------------------

def test_job_seeker_finds_an_accounting_job_near_home_and_applies(visit, new_visit, browser, live_server):
    o = officer(new_visit)
    employer = new_visit(suffix="employer")
    title = f"Kế toán tổng hợp {_tag()}"
    vacancy_id, _business = open_vacancy(employer, o, title, CAU_GIAY[0])

    register(visit, "Người tìm việc")
    name = f"Phạm Thu Hà {_tag()}"
    build_profile(visit, name, shot="profile")

    # Matches with their reasons.
    visit.go("/viec-lam/phu-hop")
    assert visit.page.get_by_role("heading", name="Việc phù hợp với bạn").is_visible()
    card = visit.page.locator("ol.results > li").filter(has_text=title)
    assert card.count() == 1
    assert "Kế toán tổng hợp" in card.inner_text()
    _check(visit, "matches")

    # Search without diacritics, by keyboard.
    visit.go("/viec-lam")
    box = visit.page.get_by_label("Từ khóa", exact=False).first
    box.fill("ke toan")
    with visit.page.expect_navigation():
        box.press("Enter")
    _settle(visit)
    result = visit.page.get_by_role("link", name=title)
    assert result.count() >= 1
    _check(visit, "search-ke-toan")

    with visit.page.expect_navigation():
        result.first.click()
    _settle(visit)
    assert visit.page.get_by_role("heading", name=title, level=1).is_visible()
    _check(visit, "vacancy")
    visit.page.get_by_label("Lời nhắn cho nhà tuyển dụng (không bắt buộc)").fill("Tôi ở ngay Cầu Giấy.")
    _submit(visit, "Ứng tuyển ngay")
    _check(visit, "applied")
    visit.go("/nguoi-lao-dong/don-ung-tuyen")
    assert title in visit.page.content()
    _check(visit, "applications")

    # The same journey at 375 px: no sideways scrolling.
    small = new_visit(width=375, suffix="375")
    for path, shot in ((f"/viec-lam?q=ke+toan", "search-375"), (f"/viec-lam/{vacancy_id}", "vacancy-375")):
        small.go(path)
        width = small.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} scrolls sideways at 375 px ({width} px)"
        _check(small, shot)

    # In English through the visible switch.
    visit.go("/viec-lam?q=ke+toan")
    with visit.page.expect_navigation():
        visit.page.get_by_role("link", name="English").click()
    _settle(visit)
    assert visit.page.locator("html").get_attribute("lang") == "en"
    assert visit.page.get_by_role("link", name="Tiếng Việt").is_visible()
    assert visit.page.get_by_role("link", name=title).count() >= 1
    _check(visit, "search-english")
    with visit.page.expect_navigation():
        visit.page.get_by_role("link", name="Tiếng Việt").click()


def test_employer_is_verified_posts_sees_candidates_and_hires(visit, new_visit):
    register(visit, "Nhà tuyển dụng")
    business = f"Công ty Cổ phần Dịch vụ Sao Mai {_tag()}"
    register_business(visit, business, CAU_GIAY[0])
    _check(visit, "business-registered")
    visit.go("/doanh-nghiep/tin/moi")
    assert "Doanh nghiệp chưa được xác minh" in visit.page.content()

    o = officer(new_visit)
    officer_verifies(o, business, shot="officer-verifies")
    o.shot("officer-verified")

    title = f"Kế toán tổng hợp {_tag()}"
    vacancy_id = post_vacancy(visit, title, CAU_GIAY[0], shot="vacancy-form")
    _check(visit, "dashboard")

    worker = worker_applies(new_visit, vacancy_id, "worker")
    visit.go(f"/doanh-nghiep/tin/{vacancy_id}/ung-vien")
    assert visit.page.get_by_role("heading", name="Ứng viên phù hợp").is_visible()
    cards = visit.page.locator("article.candidate-card")
    assert cards.count() >= 1
    names = [c.get_by_role("heading").inner_text() for c in cards.all()]
    assert worker in names  # the applicant's name is shown: they applied
    scores = [int(re.search(r"(\d+)\s*%", c.locator(".score").inner_text()).group(1)) for c in cards.all()]
    assert scores == sorted(scores, reverse=True)
    _check(visit, "candidates")

    hire(visit, vacancy_id, worker, CAU_GIAY[1], shot="hired")


def test_officer_sees_the_placement_filters_by_district_and_exports_xlsx(visit, new_visit, tmp_path):
    # Its own hire, in a district of its own, so the expected count does not depend on the other tests.
    o = officer(new_visit)
    employer = new_visit(suffix="employer")
    title = f"Kế toán tổng hợp {_tag()}"
    vacancy_id, _ = open_vacancy(employer, o, title, HOAN_KIEM[0])
    worker = worker_applies(new_visit, vacancy_id, "worker")
    hire(employer, vacancy_id, worker, HOAN_KIEM[1])
    expected = HIRES[HOAN_KIEM[1]]
    city_wide = sum(HIRES.values())

    log_in(visit, *OFFICER)
    visit.go("/can-bo/thong-ke")
    assert visit.page.get_by_role("heading", name="Thống kê thị trường lao động").is_visible()
    _check(visit, "dashboard-city")
    placements = int(visit.page.locator(".kpi").first.locator(".kpi-value").inner_text().replace(".", ""))
    assert placements >= city_wide

    visit.page.get_by_label("Khu vực (quận, huyện cũ)", exact=True).select_option(label="Quận " + HOAN_KIEM[1])
    _submit(visit, "Xem thống kê")
    assert "district=" in visit.page.url
    shown = int(visit.page.locator(".kpi").first.locator(".kpi-value").inner_text().replace(".", ""))
    assert shown == expected
    _check(visit, "dashboard-district")

    with visit.page.expect_download() as info:
        visit.page.get_by_role("link", name="Tải tất cả các bảng (XLSX)").click()
    path = tmp_path / "thong-ke.xlsx"
    info.value.save_as(path)
    book = load_workbook(path, read_only=True)
    assert "Chỉ số chính" in book.sheetnames
    sheet = book["Chỉ số chính"]
    rows = [r for r in sheet.iter_rows(values_only=True)]
    filters = " ".join(str(c) for r in rows[:10] for c in r if c)
    assert HOAN_KIEM[1] in filters
    placed = [r[1] for r in rows if r[0] and str(r[0]).startswith("Việc làm thành công")]
    assert placed == [expected]
    book.close()


def test_search_and_apply_work_without_javascript(new_visit):
    o = officer(new_visit)
    employer = new_visit(suffix="employer")
    title = f"Kế toán tổng hợp {_tag()}"
    vacancy_id, _ = open_vacancy(employer, o, title, CAU_GIAY[0])

    v = new_visit(suffix="nojs", javascript=False)
    register(v, "Người tìm việc", accessibility=False)
    # Without JavaScript the skills are a plain multiple select.
    v.go("/nguoi-lao-dong/ho-so")
    v.page.get_by_label("Họ và tên").fill(f"Lê Văn Nam {_tag()}")
    v.page.get_by_label("Số điện thoại di động").fill("0987 654 322")
    v.page.get_by_label("Kỹ năng", exact=True).select_option(label="Kế toán tổng hợp")
    v.page.get_by_label("Nơi ở: phường/xã hoặc địa chỉ").fill("phường Hoàn Kiếm")
    _submit(v, "Lưu hồ sơ")
    assert "Nơi ở:" in v.page.content()

    v.go("/viec-lam")
    v.page.get_by_label("Từ khóa", exact=False).first.fill("ke toan")
    _submit(v, "Tìm việc")
    assert "q=ke+toan" in v.page.url
    link = v.page.get_by_role("link", name=title)
    assert link.count() >= 1
    v.shot("search-nojs")  # axe needs JavaScript, so this context only screenshots
    with v.page.expect_navigation():
        link.first.click()
    v.page.get_by_label("Lời nhắn cho nhà tuyển dụng (không bắt buộc)").fill("Không dùng JavaScript.")
    _submit(v, "Ứng tuyển ngay")
    v.go(f"/viec-lam/{vacancy_id}")
    assert "Bạn đã ứng tuyển vào tin này" in v.page.content()
    v.shot("applied-nojs")
    v.check_no_foreign_requests()
