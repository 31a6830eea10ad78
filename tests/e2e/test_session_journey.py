"""The session journey in a real browser: an officer creates and publishes a session, an employer takes part, a job
seeker registers and is checked in with their ticket code, and the interviewer records a hire."""
from __future__ import annotations

import re
from datetime import date, timedelta

from .test_journeys import _check, _submit, _tag, build_profile, officer, open_vacancy, register


def test_officer_employer_and_job_seeker_at_a_session(visit, new_visit):
    o = officer(new_visit, "session-officer")
    theme = f"Phiên việc làm kế toán {_tag()}"
    o.go("/phien/moi")
    _check(o, "01-officer-new-session")
    page = o.page
    page.get_by_label("Chủ đề").fill(theme)
    page.get_by_label("Sàn giao dịch").select_option(index=1)
    page.get_by_label("Ngày tổ chức").fill((date.today() + timedelta(days=8)).isoformat())
    page.get_by_label("Giờ bắt đầu").fill("08:00")
    page.get_by_label("Giờ kết thúc").fill("10:00")
    _submit(o, "Lưu")
    session_id = int(re.search(r"/phien/(\d+)/quan-ly", page.url).group(1))
    _submit(o, "Công bố phiên")
    assert "Đã công bố phiên." in page.content()

    e = visit
    title = f"Kế toán tổng hợp {_tag()}"
    _vacancy_id, business = open_vacancy(e, o, title, "Phường Cầu Giấy")
    e.go(f"/phien/{session_id}")
    e.page.get_by_label(re.compile(re.escape(title))).check()
    e.page.get_by_label("Số người phỏng vấn").fill("2")
    _check(e, "02-employer-takes-part")
    _submit(e, "Đăng ký tham gia")
    assert "Đã gửi đăng ký tham gia phiên" in e.page.content()

    o.go(f"/phien/{session_id}/quan-ly")
    o.page.get_by_label("Gian hàng", exact=True).fill("A1")
    _submit(o, "Duyệt")
    assert "Đã lưu quyết định." in o.page.content()

    w = new_visit(suffix="session-seeker")
    name = f"Phạm Thu Hà {_tag()}"
    register(w, "Người tìm việc")
    build_profile(w, name)
    w.go(f"/phien/{session_id}")
    _submit(w, "Đăng ký tham gia phiên")
    w.page.get_by_label(re.compile(re.escape(title))).check()
    _check(w, "03-seeker-chooses")
    _submit(w, "Lưu lựa chọn")
    w.go(f"/phien/{session_id}/ve")
    code = w.page.locator("code.ticket-code").inner_text().strip()
    _check(w, "04-seeker-ticket")

    _submit_at = f"/phien/{session_id}/quan-ly"
    o.go(_submit_at)
    _submit(o, "Xếp lịch / xếp lại lịch")
    assert "Đã xếp 1/1 lượt phỏng vấn" in o.page.content()
    o.go(f"/phien/{session_id}/check-in")
    box = o.page.get_by_label("Quét mã QR hoặc nhập mã vé rồi nhấn Enter")
    box.fill(code)
    with o.page.expect_navigation():
        box.press("Enter")  # what a keyboard-wedge scanner does after the code
    assert f"Mời vào: {name}." in o.page.content()
    _check(o, "05-officer-check-in")
    box = o.page.get_by_label("Quét mã QR hoặc nhập mã vé rồi nhấn Enter")
    box.fill(code)
    with o.page.expect_navigation():
        box.press("Enter")
    assert "Vé này đã được sử dụng để vào phiên." in o.page.content()

    e.go(f"/phien/{session_id}")
    with e.page.expect_navigation():
        e.page.get_by_role("link", name="Lịch phỏng vấn của gian hàng").click()
    row = e.page.locator("tr").filter(has_text=name)
    row.get_by_label("Kết quả").select_option(label="Tuyển dụng")
    with e.page.expect_navigation():
        row.get_by_role("button", name="Ghi kết quả").click()
    assert "Đã ghi kết quả phỏng vấn." in e.page.content()
    _check(e, "06-employer-records-a-hire")
    o.go(f"/phien/{session_id}/bao-cao")
    assert business and "Số người được tuyển" in o.page.content()
    _check(o, "07-officer-report")
