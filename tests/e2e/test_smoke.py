"""The basics in a real browser: home page, registration, language switch, small screens, accessibility."""
from __future__ import annotations

import uuid


def test_home_page_in_vietnamese_is_accessible_and_light(visit):
    response = visit.go("/")
    assert response.status == 200
    assert visit.page.locator("html").get_attribute("lang") == "vi"
    assert "Tìm việc gần nhà" in visit.page.content()
    visit.shot("home")
    visit.check_accessibility()
    visit.check_weight()


def test_register_log_out_and_in_again(visit):
    email = f"e2e-{uuid.uuid4().hex[:8]}@example.vn"
    visit.go("/auth/register")
    visit.check_accessibility()
    visit.page.get_by_label("Email").fill(email)
    visit.page.get_by_label("Mật khẩu", exact=True).fill("mat-khau-dai-10")
    visit.page.get_by_label("Nhập lại mật khẩu").fill("mat-khau-dai-10")
    visit.page.get_by_role("button", name="Đăng ký").click()
    visit.page.wait_for_load_state("networkidle")
    assert visit.page.get_by_role("button", name="Đăng xuất").is_visible()
    visit.page.get_by_role("button", name="Đăng xuất").click()
    visit.go("/auth/login")
    visit.page.get_by_label("Email").fill(email)
    visit.page.get_by_label("Mật khẩu").fill("mat-khau-dai-10")
    visit.page.get_by_role("button", name="Đăng nhập").click()
    visit.page.wait_for_load_state("networkidle")
    assert visit.page.get_by_role("button", name="Đăng xuất").is_visible()


def test_bad_registration_is_announced(visit):
    visit.go("/auth/register")
    visit.page.get_by_label("Email").fill("khong-phai-email")
    visit.page.get_by_label("Mật khẩu", exact=True).fill("ngan")
    visit.page.get_by_label("Nhập lại mật khẩu").fill("ngan")
    visit.page.get_by_role("button", name="Đăng ký").click()
    visit.page.wait_for_load_state("networkidle")
    alerts = visit.page.get_by_role("alert")
    assert alerts.count() >= 1
    text = visit.page.content()
    assert "Địa chỉ email không hợp lệ." in text and "Mật khẩu phải dài từ 10 đến 128 ký tự." in text
    email = visit.page.get_by_label("Email")
    assert email.get_attribute("aria-invalid") == "true"
    visit.shot("register-errors")
    visit.check_accessibility()


def test_english_switch_is_remembered(visit):
    visit.go("/")
    visit.page.get_by_role("link", name="English").click()
    visit.page.wait_for_load_state("networkidle")
    assert visit.page.locator("html").get_attribute("lang") == "en"
    assert "Find work near home" in visit.page.content()
    visit.go("/auth/login")
    assert visit.page.get_by_role("button", name="Log in").is_visible()
    visit.page.get_by_role("link", name="Tiếng Việt").click()
    visit.page.wait_for_load_state("networkidle")
    assert visit.page.locator("html").get_attribute("lang") == "vi"


def test_works_at_375px_without_horizontal_scroll(new_visit):
    v = new_visit(width=375, suffix="mobile")
    for path, name in (("/", "home-375"), ("/auth/register", "register-375"), ("/auth/login", "login-375")):
        v.go(path)
        width = v.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} scrolls sideways at 375 px ({width} px)"
        v.shot(name)


def test_keyboard_only_login(visit):
    visit.go("/auth/login")
    visit.page.keyboard.press("Tab")  # skip link first
    focused = visit.page.evaluate("document.activeElement.textContent")
    assert "Bỏ qua" in focused
    visit.page.get_by_label("Email").focus()
    visit.page.keyboard.type("ai-do@example.vn")
    visit.page.keyboard.press("Tab")
    visit.page.keyboard.type("sai-mat-khau-0")
    with visit.page.expect_navigation():
        visit.page.keyboard.press("Enter")
    visit.page.wait_for_load_state("networkidle")
    assert "Email hoặc mật khẩu không đúng." in visit.page.content()
