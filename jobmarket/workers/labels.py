"""Names people read for the job seeker's coded values: statuses, job types, education levels, sex."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

APPLICATION_STATUS = {
    "received": _l("Đã nộp"), "shortlisted": _l("Được chọn vào vòng sau"), "interview": _l("Mời phỏng vấn"),
    "hired": _l("Đã được tuyển"), "rejected": _l("Chưa phù hợp"), "withdrawn": _l("Đã rút hồ sơ"),
}
INVITATION_STATUS = {"pending": _l("Chờ trả lời"), "accepted": _l("Đã nhận lời"), "declined": _l("Đã từ chối")}
JOB_TYPES = {"full_time": _l("Toàn thời gian"), "part_time": _l("Bán thời gian"), "shift": _l("Theo ca"),
             "seasonal": _l("Thời vụ")}
EDUCATION = {
    "none": _l("Chưa qua trường lớp"), "primary": _l("Tiểu học"), "lower_secondary": _l("Trung học cơ sở"),
    "upper_secondary": _l("Trung học phổ thông"), "vocational": _l("Trung cấp, sơ cấp nghề"),
    "college": _l("Cao đẳng"), "university": _l("Đại học"), "postgraduate": _l("Sau đại học"),
}
SEXES = {"female": _l("Nữ"), "male": _l("Nam"), "other": _l("Khác")}
SKILL_CATEGORIES = {
    "welding": _l("Hàn"), "electrical": _l("Điện, điện tử"), "construction": _l("Xây dựng"),
    "mechanical": _l("Cơ khí, sửa chữa"), "manufacturing": _l("Sản xuất"), "sewing": _l("May mặc"),
    "driving": _l("Lái xe"), "transport": _l("Vận tải, giao nhận"), "warehouse": _l("Kho vận"),
    "sales": _l("Kinh doanh, bán hàng"), "retail": _l("Bán lẻ"), "marketing": _l("Marketing"),
    "office": _l("Văn phòng"), "accounting": _l("Kế toán"), "finance": _l("Tài chính, ngân hàng"),
    "hr": _l("Nhân sự"), "legal": _l("Pháp lý"), "it": _l("Công nghệ thông tin"), "design": _l("Thiết kế"),
    "cooking": _l("Nấu ăn, pha chế"), "hospitality": _l("Nhà hàng, khách sạn"), "cleaning": _l("Vệ sinh, giúp việc"),
    "security": _l("Bảo vệ"), "care": _l("Chăm sóc"), "healthcare": _l("Y tế"), "education": _l("Giáo dục"),
    "beauty": _l("Làm đẹp"), "agriculture": _l("Nông nghiệp"), "languages": _l("Ngoại ngữ"),
    "soft_skills": _l("Kỹ năng mềm"),
}
WITHDRAWABLE = {"received", "shortlisted", "interview"}


def label(mapping: dict, code: str | None) -> str:
    """The label of code in mapping, or the code itself when unknown, or an empty string."""
    if not code:
        return ""
    return str(mapping.get(code, code))


def template_helpers() -> dict:
    """What the job seeker's templates use to show coded values."""
    return {"APPLICATION_STATUS": APPLICATION_STATUS, "INVITATION_STATUS": INVITATION_STATUS, "JOB_TYPES": JOB_TYPES,
            "EDUCATION": EDUCATION, "SEXES": SEXES, "WITHDRAWABLE": WITHDRAWABLE, "code_label": label}
