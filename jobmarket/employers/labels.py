"""Words for the codes employers and officers see: job types, education levels, statuses."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

JOB_TYPE_LABELS = {
    "full_time": _l("Toàn thời gian"), "part_time": _l("Bán thời gian"), "shift": _l("Theo ca"),
    "seasonal": _l("Thời vụ"),
}
EDUCATION_LABELS = {
    "none": _l("Không yêu cầu"), "primary": _l("Tiểu học"), "lower_secondary": _l("Trung học cơ sở"),
    "upper_secondary": _l("Trung học phổ thông"), "vocational": _l("Trung cấp, sơ cấp nghề"),
    "college": _l("Cao đẳng"), "university": _l("Đại học"), "postgraduate": _l("Sau đại học"),
}
VACANCY_STATUS_LABELS = {
    "draft": _l("Bản nháp"), "open": _l("Đang đăng"), "closed": _l("Đã đóng"), "expired": _l("Hết hạn"),
    "taken_down": _l("Bị gỡ"),
}
HELD_LABEL = _l("Chờ cán bộ duyệt")
EMPLOYER_STATUS_LABELS = {
    "unverified": _l("Chờ xác minh"), "verified": _l("Đã xác minh"), "rejected": _l("Bị từ chối"),
}
APPLICATION_STATUS_LABELS = {
    "received": _l("Đã nhận"), "shortlisted": _l("Vào danh sách chọn"), "interview": _l("Phỏng vấn"),
    "hired": _l("Đã tuyển"), "rejected": _l("Từ chối"), "withdrawn": _l("Đã rút hồ sơ"),
}
INVITATION_STATUS_LABELS = {"pending": _l("Chờ trả lời"), "accepted": _l("Đã nhận lời"), "declined": _l("Đã từ chối")}
SKILL_CATEGORY_LABELS = {
    "welding": _l("Hàn"), "mechanical": _l("Cơ khí"), "electrical": _l("Điện, điện lạnh"), "driving": _l("Lái xe"),
    "transport": _l("Vận tải, giao nhận"), "sewing": _l("May mặc"), "construction": _l("Xây dựng"),
    "cooking": _l("Nấu ăn, pha chế"), "hospitality": _l("Nhà hàng, khách sạn"), "security": _l("Bảo vệ"),
    "cleaning": _l("Vệ sinh, giúp việc"), "warehouse": _l("Kho bãi"), "retail": _l("Bán lẻ"),
    "sales": _l("Kinh doanh, bán hàng"), "care": _l("Chăm sóc"), "healthcare": _l("Y tế"),
    "agriculture": _l("Nông nghiệp"), "manufacturing": _l("Sản xuất"), "beauty": _l("Làm đẹp"),
    "education": _l("Giáo dục"), "office": _l("Văn phòng"), "accounting": _l("Kế toán"),
    "finance": _l("Tài chính, ngân hàng"), "hr": _l("Nhân sự"), "marketing": _l("Marketing"),
    "it": _l("Công nghệ thông tin"), "design": _l("Thiết kế"), "languages": _l("Ngoại ngữ"), "legal": _l("Pháp lý"),
    "soft_skills": _l("Kỹ năng mềm"),
}
SECTOR_SUGGESTIONS = ("Bán buôn, bán lẻ", "Công nghiệp chế biến, chế tạo", "Xây dựng", "Vận tải, kho bãi",
                      "Lưu trú và ăn uống", "Thông tin và truyền thông", "Tài chính, ngân hàng", "Giáo dục", "Y tế",
                      "Nông nghiệp", "Dịch vụ khác")


def install(app) -> None:
    """Make the label tables available to templates."""
    app.jinja_env.globals.update(job_type_labels=JOB_TYPE_LABELS, education_labels=EDUCATION_LABELS,
                                 vacancy_status_labels=VACANCY_STATUS_LABELS, held_label=HELD_LABEL,
                                 employer_status_labels=EMPLOYER_STATUS_LABELS,
                                 application_status_labels=APPLICATION_STATUS_LABELS,
                                 invitation_status_labels=INVITATION_STATUS_LABELS)
