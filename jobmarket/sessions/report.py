"""The standard report of a session: headline figures and breakdowns by occupation group, age group, sex and former
district, as rows for the page, CSV and XLSX."""
from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..extensions import db
from ..models import FormerDistrict, Occupation, Vacancy, Ward, WorkerProfile
from ..models.sessions import (InterviewOutcome, InterviewRequest, JobSession, ParticipationStatus, SessionEmployer,
                               SessionSeeker, SessionVacancy)

AGE_BANDS = ((15, 24), (25, 34), (35, 44), (45, 54), (55, 200))
COLUMNS = ("registered", "present", "interviewed", "hired")


@dataclass
class Report:
    """A session's figures: the headline and, per breakdown, key -> counts of COLUMNS."""

    session: JobSession
    headline: dict[str, int]
    breakdowns: dict[str, dict[str, Counter]] = field(default_factory=dict)


def age_band(birth_year: int | None, year: int) -> str:
    """An age group label ('25-34', '55+'), or '' when unknown."""
    if not birth_year:
        return ""
    age = year - birth_year
    for low, high in AGE_BANDS:
        if low <= age <= high:
            return f"{low}+" if high >= 200 else f"{low}-{high}"
    return ""


def build(session: JobSession) -> Report:
    """Compute the report: a few grouped queries and one pass over the session's job seekers."""
    approved = select(SessionEmployer.id).where(SessionEmployer.session_id == session.id,
                                                SessionEmployer.status == ParticipationStatus.APPROVED.value)
    employers = db.session.scalar(select(func.count()).select_from(approved.subquery()))
    vacancies, positions = db.session.execute(
        select(func.count(Vacancy.id), func.coalesce(func.sum(Vacancy.positions), 0))
        .join(SessionVacancy, SessionVacancy.vacancy_id == Vacancy.id)
        .where(SessionVacancy.participation_id.in_(approved))).one()
    seekers = db.session.execute(
        select(SessionSeeker.id, SessionSeeker.checked_in_at, SessionSeeker.walk_in, WorkerProfile.sex,
               WorkerProfile.birth_year, WorkerProfile.occupation_code, Ward.district_code)
        .join(WorkerProfile, WorkerProfile.id == SessionSeeker.worker_id)
        .outerjoin(Ward, Ward.code == WorkerProfile.ward_code)
        .where(SessionSeeker.session_id == session.id, SessionSeeker.cancelled.is_(False))).all()
    outcomes = defaultdict(set)
    requested = scheduled = 0
    for seeker_id, outcome, slot in db.session.execute(
            select(InterviewRequest.seeker_id, InterviewRequest.outcome, InterviewRequest.slot).join(SessionSeeker)
            .where(SessionSeeker.session_id == session.id, SessionSeeker.cancelled.is_(False))):
        requested += 1
        scheduled += slot is not None
        if outcome:
            outcomes[seeker_id].add(outcome)
    interviews_held = db.session.scalar(select(func.count(InterviewRequest.id)).join(SessionSeeker).where(
        SessionSeeker.session_id == session.id, InterviewRequest.outcome.is_not(None),
        InterviewRequest.outcome != InterviewOutcome.NO_SHOW.value))
    hired = db.session.scalar(select(func.count(InterviewRequest.id)).join(SessionSeeker).where(
        SessionSeeker.session_id == session.id, InterviewRequest.outcome == InterviewOutcome.HIRED.value))
    districts = dict(db.session.execute(select(FormerDistrict.code, FormerDistrict.name_vi)).all())
    groups = dict(db.session.execute(select(Occupation.code, Occupation.title_vi).where(Occupation.level == 1)).all())
    breakdowns: dict[str, dict[str, Counter]] = {"occupation": defaultdict(Counter), "age": defaultdict(Counter),
                                                  "sex": defaultdict(Counter), "district": defaultdict(Counter)}
    unknown = _("Không rõ")
    sexes = {"female": _("Nữ"), "male": _("Nam"), "other": _("Khác")}
    for seeker_id, checked_in, _walk_in, sex, birth_year, occupation, district in seekers:
        keys = {"occupation": groups.get((occupation or "")[:1], unknown),
                "age": age_band(birth_year, session.day.year) or unknown,
                "sex": sexes.get(sex or "", unknown),
                "district": districts.get(district or "", unknown)}
        held = outcomes.get(seeker_id, set()) - {InterviewOutcome.NO_SHOW.value}
        for dim, key in keys.items():
            row = breakdowns[dim][key]
            row["registered"] += 1
            row["present"] += checked_in is not None
            row["interviewed"] += bool(held)
            row["hired"] += InterviewOutcome.HIRED.value in held
    headline = {"employers": employers, "vacancies": vacancies, "positions": int(positions),
                "registered": len(seekers), "present": sum(1 for s in seekers if s[1] is not None),
                "walk_ins": sum(1 for s in seekers if s[2]), "requested": requested, "scheduled": scheduled,
                "interviews_held": interviews_held, "hired": hired}
    return Report(session, headline, {k: dict(sorted(v.items())) for k, v in breakdowns.items()})


def headline_labels() -> dict[str, str]:
    """The headline figures in words."""
    return {"employers": _("Doanh nghiệp tham gia"), "vacancies": _("Tin tuyển dụng"),
            "positions": _("Vị trí cần tuyển"), "registered": _("Người lao động đăng ký"),
            "present": _("Người lao động có mặt"), "walk_ins": _("Đăng ký tại chỗ"),
            "requested": _("Lượt phỏng vấn được yêu cầu"), "scheduled": _("Lượt phỏng vấn đã xếp lịch"),
            "interviews_held": _("Lượt phỏng vấn đã diễn ra"), "hired": _("Số người được tuyển")}


def breakdown_labels() -> dict[str, str]:
    """The breakdowns' titles."""
    return {"occupation": _("Theo nhóm nghề"), "age": _("Theo nhóm tuổi"), "sex": _("Theo giới tính"),
            "district": _("Theo khu vực quận/huyện cũ")}


def column_labels() -> dict[str, str]:
    """The breakdown columns in words."""
    return {"registered": _("Đăng ký"), "present": _("Có mặt"), "interviewed": _("Được phỏng vấn"),
            "hired": _("Được tuyển")}


def rows(report: Report) -> list[list]:
    """The report as one table of rows (section, key, values), for CSV and XLSX."""
    out: list[list] = [[_("Phiên"), report.session.theme], [_("Ngày"), report.session.day.isoformat()], []]
    for key, label in headline_labels().items():
        out.append([label, report.headline[key]])
    for dim, title in breakdown_labels().items():
        out.append([])
        out.append([title] + [column_labels()[c] for c in COLUMNS])
        for key, counts in report.breakdowns[dim].items():
            out.append([key] + [counts[c] for c in COLUMNS])
    return out


def to_csv(report: Report) -> bytes:
    """The report as CSV (UTF-8 with BOM, so spreadsheet programs read the Vietnamese right)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows(report))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(report: Report) -> bytes:
    """The report as an XLSX workbook of one sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = _("Báo cáo phiên")[:31]
    for row in rows(report):
        ws.append(row)
        if row and len(row) > 2 and isinstance(row[1], str):
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
