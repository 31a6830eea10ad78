"""Words for the codes of sessions (modes, statuses, outcomes, notices), in the reader's language."""
from __future__ import annotations

from flask_babel import gettext as _


def modes() -> dict[str, str]:
    """Session modes in words."""
    return {"in_person": _("Trực tiếp"), "online": _("Trực tuyến"), "hybrid": _("Kết hợp trực tiếp và trực tuyến")}


def statuses() -> dict[str, str]:
    """Session statuses in words."""
    return {"draft": _("Bản nháp"), "published": _("Đang mở đăng ký"), "postponed": _("Đã hoãn"),
            "cancelled": _("Đã hủy")}


def participation_statuses() -> dict[str, str]:
    """An employer's participation in words."""
    return {"pending": _("Chờ duyệt"), "approved": _("Đã duyệt"), "declined": _("Bị từ chối")}


def outcomes() -> dict[str, str]:
    """Interview outcomes in words."""
    return {"hired": _("Tuyển dụng"), "second_round": _("Phỏng vấn vòng hai"), "not_selected": _("Không chọn"),
            "no_show": _("Vắng mặt")}


def notices() -> dict[str, str]:
    """What a notice says happened."""
    return {"cancelled": _("Phiên đã bị hủy."), "postponed": _("Phiên đã được hoãn sang ngày khác."),
            "slot_moved": _("Lịch phỏng vấn của bạn đã thay đổi."),
            "approved": _("Doanh nghiệp đã được duyệt tham gia phiên."),
            "declined": _("Đăng ký tham gia phiên của doanh nghiệp bị từ chối.")}


def install(app) -> None:
    """Make the labels available to every template."""
    @app.context_processor
    def _session_labels():
        return {"session_mode_labels": modes(), "session_status_labels": statuses(),
                "participation_labels": participation_statuses(), "outcome_labels": outcomes(),
                "notice_labels": notices()}
