"""Employer rules: registering and editing a business, and the life of its vacancies (draft, publish, close).

Every function here owns its transaction: it validates, changes rows, queues search updates and commits once.
Errors are raised as ServiceError (or InvalidInput for field errors) with a message in the user's language;
pages and the API turn them into form errors or JSON with a stable code. Their statuses: 422 for well-formed input
a rule refuses (a wrong check digit, a past deadline, a missing reason), 409 for a clash with the current state,
404 for what the caller may not see. (400 is left to the API for bodies that break the declared schema.)
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import (Application, ApplicationStatus, Employer, EmployerStatus, Occupation, Skill, User,
                      Vacancy, VacancySkill, VacancyStatus, Ward)
from ..models._common import utcnow
from ..models.workers import EDUCATION_LEVELS, JOB_TYPES
from ..text import clean, clean_multiline
from . import rules
from .money import WAGE_CAP
from .taxcode import is_valid_tax_code, normalise_tax_code

log = logging.getLogger(__name__)

HANOI_OFFSET = timedelta(hours=7)
WAGE_FLOOR = 100_000  # below this the figure is surely not a monthly wage in VND (a typo, or millions meant)
MAX_POSITIONS = 10_000
MAX_SKILLS = 20
MAX_DEADLINE_DAYS = 366
EDITABLE_STATUSES = {VacancyStatus.DRAFT.value, VacancyStatus.OPEN.value, VacancyStatus.CLOSED.value,
                     VacancyStatus.EXPIRED.value}
PUBLISHABLE_STATUSES = {VacancyStatus.DRAFT.value, VacancyStatus.CLOSED.value, VacancyStatus.EXPIRED.value}
_PHONE = re.compile(r"^(?:\+?84|0)(\d{9,10})$")


class ServiceError(Exception):
    """A rule refused the action: a stable code for the API, a message for people, an HTTP-like status."""

    def __init__(self, code: str, message: str, status: int = 422, field: str | None = None):
        """Keep the code, message, status and the form field the error belongs to."""
        super().__init__(message)
        self.code, self.message, self.status, self.field = code, message, status, field


class InvalidInput(ServiceError):
    """Field-by-field validation errors."""

    def __init__(self, errors: dict[str, list[str]]):
        """Keep each field's messages."""
        super().__init__("validation_error", _("Dữ liệu không hợp lệ."), 422)
        self.errors = errors


def hanoi_today(now: datetime | None = None) -> date:
    """Today's date in Hanoi for a naive UTC moment."""
    return ((now or utcnow()) + HANOI_OFFSET).date()


# --- Businesses ----------------------------------------------------------------------------------------------------

@dataclass
class EmployerData:
    """What an owner enters about the business."""

    name: str = ""
    tax_code: str = ""
    ward_code: str = ""
    sector: str = ""
    contact_person: str = ""
    contact_phone: str = ""
    address_detail: str = ""


def normalise_phone(value: str | None) -> str | None:
    """A Vietnamese phone number as 0xxxxxxxxx, or None when it is not one."""
    digits = re.sub(r"[\s.\-()]", "", clean(value or ""))
    match = _PHONE.match(digits)
    return "0" + match.group(1) if match else None


def _check_employer(data: EmployerData, employer: Employer | None) -> EmployerData:
    """Clean and validate business data; raises InvalidInput with every field's problems."""
    errors: dict[str, list[str]] = {}
    out = EmployerData(name=clean(data.name), tax_code=normalise_tax_code(clean(data.tax_code)),
                       ward_code=clean(data.ward_code), sector=clean(data.sector),
                       contact_person=clean(data.contact_person), contact_phone=clean(data.contact_phone),
                       address_detail=clean(data.address_detail))
    if not out.name:
        errors["name"] = [_("Vui lòng nhập tên doanh nghiệp.")]
    elif len(out.name) > 200:
        errors["name"] = [_("Tên doanh nghiệp tối đa 200 ký tự.")]
    if not out.tax_code:
        errors["tax_code"] = [_("Vui lòng nhập mã số thuế.")]
    elif not is_valid_tax_code(out.tax_code):
        errors["tax_code"] = [_("Mã số thuế không hợp lệ: cần 10 chữ số đúng chữ số kiểm tra (ví dụ 0101234567), "
                                "hoặc 10 chữ số, dấu gạch ngang và 3 chữ số cho chi nhánh (ví dụ 0101234567-001).")]
    elif employer is not None and employer.is_verified and out.tax_code != employer.tax_code:
        errors["tax_code"] = [_("Doanh nghiệp đã được xác minh nên không thể đổi mã số thuế. "
                                "Vui lòng liên hệ cán bộ việc làm.")]
    if len(out.ward_code) != 5 or db.session.get(Ward, out.ward_code) is None:
        errors["ward_code"] = [_("Vui lòng chọn phường, xã của địa chỉ doanh nghiệp.")]
    if not out.sector:
        errors["sector"] = [_("Vui lòng nhập ngành nghề kinh doanh.")]
    elif len(out.sector) > 64:
        errors["sector"] = [_("Ngành nghề tối đa 64 ký tự.")]
    if not out.contact_person:
        errors["contact_person"] = [_("Vui lòng nhập người liên hệ.")]
    elif len(out.contact_person) > 120:
        errors["contact_person"] = [_("Tên người liên hệ tối đa 120 ký tự.")]
    phone = normalise_phone(out.contact_phone)
    if not out.contact_phone:
        errors["contact_phone"] = [_("Vui lòng nhập số điện thoại liên hệ.")]
    elif phone is None:
        errors["contact_phone"] = [_("Số điện thoại không hợp lệ (ví dụ 0912345678 hoặc 02438123456).")]
    else:
        out.contact_phone = phone
    if len(out.address_detail) > 200:
        errors["address_detail"] = [_("Địa chỉ chi tiết tối đa 200 ký tự.")]
    if errors:
        raise InvalidInput(errors)
    taken = db.session.scalar(select(Employer.id).where(Employer.tax_code == out.tax_code))
    if taken is not None and (employer is None or taken != employer.id):
        raise ServiceError("tax_code_taken", _("Mã số thuế %(code)s đã được một doanh nghiệp khác đăng ký. "
                                               "Nếu đây là doanh nghiệp của bạn, vui lòng liên hệ cán bộ việc làm.",
                                               code=out.tax_code), 409, field="tax_code")
    return out


def register_employer(owner: User, data: EmployerData) -> Employer:
    """Register the owner's business; it stays unverified until an officer checks it."""
    if db.session.scalar(select(Employer.id).where(Employer.owner_id == owner.id)) is not None:
        raise ServiceError("already_registered", _("Tài khoản này đã đăng ký một doanh nghiệp."), 409)
    clean_data = _check_employer(data, None)
    employer = Employer(owner_id=owner.id, status=EmployerStatus.UNVERIFIED.value, **vars(clean_data))
    db.session.add(employer)
    _commit_employer()
    log.info("employer %s registered by user %s", employer.id, owner.id)
    return employer


def update_employer(employer: Employer, data: EmployerData) -> Employer:
    """Edit the business. A rejected business goes back to the officers' queue after an edit."""
    clean_data = _check_employer(data, employer)
    for key, value in vars(clean_data).items():
        setattr(employer, key, value)
    if employer.status == EmployerStatus.REJECTED.value:
        employer.status = EmployerStatus.UNVERIFIED.value
    _commit_employer()
    return employer


def _commit_employer() -> None:
    """Commit, turning a lost race on the unique tax code into the same clear message."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError("tax_code_taken", _("Mã số thuế này đã được một doanh nghiệp khác đăng ký."), 409,
                           field="tax_code")


# --- Vacancies -----------------------------------------------------------------------------------------------------

@dataclass
class VacancyData:
    """What an employer enters about a vacancy (already typed: ints, dates, id lists)."""

    title: str = ""
    description: str = ""
    occupation_code: str | None = None
    ward_code: str = ""
    wage_min: int | None = None
    wage_max: int | None = None
    positions: int | None = 1
    job_type: str = "full_time"
    deadline: date | None = None
    education_required: str | None = None
    experience_required: int | None = 0
    required_skill_ids: list[int] = field(default_factory=list)
    nice_skill_ids: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, vacancy: Vacancy) -> "VacancyData":
        """The current values of a vacancy."""
        return cls(title=vacancy.title, description=vacancy.description or "",
                   occupation_code=vacancy.occupation_code, ward_code=vacancy.ward_code, wage_min=vacancy.wage_min,
                   wage_max=vacancy.wage_max, positions=vacancy.positions, job_type=vacancy.job_type,
                   deadline=vacancy.deadline, education_required=vacancy.education_required,
                   experience_required=vacancy.experience_required,
                   required_skill_ids=[link.skill_id for link in vacancy.skill_links if link.required],
                   nice_skill_ids=[link.skill_id for link in vacancy.skill_links if not link.required])


def _check_vacancy(data: VacancyData, vacancy: Vacancy | None, today: date) -> VacancyData:
    """Clean and validate vacancy data; raises InvalidInput with every field's problems."""
    errors: dict[str, list[str]] = {}

    def err(name: str, message: str) -> None:
        """Record a message for a field."""
        errors.setdefault(name, []).append(message)

    out = VacancyData(**vars(data))
    out.title = clean(data.title)
    out.description = clean_multiline(data.description)
    out.occupation_code = clean(data.occupation_code) or None
    out.ward_code = clean(data.ward_code)
    out.education_required = clean(data.education_required) or None
    out.required_skill_ids = list(dict.fromkeys(data.required_skill_ids or []))
    out.nice_skill_ids = list(dict.fromkeys(data.nice_skill_ids or []))
    if len(out.title) < 3:
        err("title", _("Vui lòng nhập chức danh (ít nhất 3 ký tự)."))
    elif len(out.title) > 200:
        err("title", _("Chức danh tối đa 200 ký tự."))
    if len(out.description) > 10_000:
        err("description", _("Mô tả tối đa 10.000 ký tự."))
    if not out.occupation_code:
        err("occupation_code", _("Vui lòng chọn nghề nghiệp."))
    else:
        occupation = db.session.get(Occupation, out.occupation_code) if len(out.occupation_code) <= 5 else None
        if occupation is None or occupation.level < 2:
            err("occupation_code", _("Mã nghề không có trong danh mục nghề nghiệp Việt Nam."))
    if len(out.ward_code) != 5 or db.session.get(Ward, out.ward_code) is None:
        err("ward_code", _("Vui lòng chọn phường, xã nơi làm việc."))
    if out.wage_min is None:
        err("wage_min", _("Vui lòng nhập mức lương tối thiểu (đồng/tháng)."))
    elif out.wage_min < WAGE_FLOOR:
        err("wage_min", _("Mức lương tính bằng đồng mỗi tháng, ví dụ 8.000.000 hoặc 8 triệu."))
    elif out.wage_min > WAGE_CAP:
        err("wage_min", _("Mức lương quá lớn."))
    if out.wage_max is not None:
        if out.wage_max < WAGE_FLOOR:
            err("wage_max", _("Mức lương tính bằng đồng mỗi tháng, ví dụ 8.000.000 hoặc 8 triệu."))
        elif out.wage_max > WAGE_CAP:
            err("wage_max", _("Mức lương quá lớn."))
        elif out.wage_min is not None and out.wage_max < out.wage_min:
            err("wage_max", _("Mức lương tối đa phải lớn hơn hoặc bằng mức tối thiểu."))
    filled = vacancy.positions_filled if vacancy is not None else 0
    if out.positions is None or out.positions < 1:
        err("positions", _("Số lượng cần tuyển ít nhất là 1."))
    elif out.positions > MAX_POSITIONS:
        err("positions", _("Số lượng cần tuyển tối đa 10.000."))
    elif out.positions < filled:
        err("positions", _("Đã tuyển được %(n)d người; số lượng không thể nhỏ hơn.", n=filled))
    if out.job_type not in JOB_TYPES:
        err("job_type", _("Vui lòng chọn hình thức làm việc."))
    unchanged_deadline = vacancy is not None and out.deadline == vacancy.deadline
    if out.deadline is None:
        err("deadline", _("Vui lòng nhập hạn nộp hồ sơ."))
    elif out.deadline <= today and not unchanged_deadline:  # publishing checks the deadline again
        err("deadline", _("Hạn nộp hồ sơ phải là một ngày trong tương lai."))
    elif out.deadline > today + timedelta(days=MAX_DEADLINE_DAYS):
        err("deadline", _("Hạn nộp hồ sơ tối đa một năm kể từ hôm nay."))
    if out.education_required is not None and out.education_required not in EDUCATION_LEVELS:
        err("education_required", _("Trình độ học vấn không hợp lệ."))
    if out.experience_required is None or not 0 <= out.experience_required <= 50:
        err("experience_required", _("Số năm kinh nghiệm từ 0 đến 50."))
    if not out.required_skill_ids:
        err("required_skill_ids", _("Vui lòng chọn ít nhất một kỹ năng bắt buộc."))
    for name in ("required_skill_ids", "nice_skill_ids"):
        ids = getattr(out, name)
        if len(ids) > MAX_SKILLS:
            err(name, _("Chọn tối đa %(n)d kỹ năng.", n=MAX_SKILLS))
    both = set(out.required_skill_ids) & set(out.nice_skill_ids)
    if both:
        err("nice_skill_ids", _("Một kỹ năng không thể vừa bắt buộc vừa là ưu tiên."))
    all_ids = set(out.required_skill_ids) | set(out.nice_skill_ids)
    if all_ids and all(0 < i < 2**31 for i in all_ids):
        known = set(db.session.scalars(select(Skill.id).where(Skill.id.in_(all_ids))))
    else:
        known = set()
    if all_ids - known:
        err("required_skill_ids" if set(out.required_skill_ids) - known else "nice_skill_ids",
            _("Có kỹ năng không có trong danh mục."))
    if errors:
        raise InvalidInput(errors)
    return out


def _apply(vacancy: Vacancy, data: VacancyData) -> None:
    """Copy validated data onto the vacancy, replacing its skill links."""
    for name in ("title", "description", "occupation_code", "ward_code", "wage_min", "wage_max", "positions",
                 "job_type", "deadline", "education_required", "experience_required"):
        setattr(vacancy, name, getattr(data, name))
    wanted = {sid: True for sid in data.required_skill_ids} | {sid: False for sid in data.nice_skill_ids}
    current = {link.skill_id: link for link in vacancy.skill_links}
    for sid, link in list(current.items()):
        if sid not in wanted:
            vacancy.skill_links.remove(link)
        else:
            link.required = wanted[sid]
    for sid, required in wanted.items():
        if sid not in current:
            vacancy.skill_links.append(VacancySkill(skill_id=sid, required=required))


def create_vacancy(employer: Employer, data: VacancyData, now: datetime | None = None) -> Vacancy:
    """Save a new vacancy as a draft."""
    now = now or utcnow()
    clean_data = _check_vacancy(data, None, hanoi_today(now))
    vacancy = Vacancy(employer_id=employer.id, status=VacancyStatus.DRAFT.value, created_at=now, updated_at=now)
    _apply(vacancy, clean_data)
    db.session.add(vacancy)
    db.session.flush()
    db.session.commit()
    return vacancy


def update_vacancy(vacancy: Vacancy, data: VacancyData, now: datetime | None = None) -> str:
    """Save changes. An open vacancy must still pass the publish checks; fee wording sends it back for review.

    Returns the resulting state: "saved", or "held" when the edit put it on hold for an officer.
    """
    now = now or utcnow()
    if vacancy.status not in EDITABLE_STATUSES:
        raise ServiceError("not_editable", _("Tin đã bị cán bộ gỡ xuống nên không thể sửa."), 409)
    clean_data = _check_vacancy(data, vacancy, hanoi_today(now))
    outcome = "saved"
    if vacancy.status == VacancyStatus.OPEN.value:
        refuse_unlawful(clean_data, hanoi_today(now))
        flags = rules.fee_flags(clean_data.title, clean_data.description)
        if flags:
            _hold(vacancy, flags)
            outcome = "held"
    _apply(vacancy, clean_data)
    vacancy.updated_at = now
    db.session.commit()
    return outcome


def refuse_unlawful(data: VacancyData, today: date) -> None:
    """Raise when the wording asks for a sex or the wage is below the regional minimum in force today."""
    demands = rules.sex_demands(data.title, data.description)
    if demands:
        raise ServiceError("sex_demand", _("Tin tuyển dụng không được yêu cầu giới tính (“%(phrase)s”). "
                                           "Hãy mô tả công việc và kỹ năng cần có thay vì giới tính.",
                                           phrase="”, “".join(demands)), 422, field="description")
    minimum = rules.wage_below_minimum(data.wage_min, data.wage_max, data.job_type, today,
                                       current_app.config["MINIMUM_WAGES"])
    if minimum is not None:
        from ..i18n import format_vnd

        raise ServiceError("wage_below_minimum", _("Mức lương thấp hơn lương tối thiểu vùng I của Hà Nội đang áp dụng "
                                                   "(%(amount)s/tháng).", amount=format_vnd(minimum)),
                           422, field="wage_min")


def _hold(vacancy: Vacancy, flags: list[str]) -> None:
    """Keep the vacancy off the exchange until an officer has looked at the flagged wording."""
    vacancy.status = VacancyStatus.DRAFT.value
    vacancy.flagged = True
    vacancy.flag_reason = ("Nghi thu phí, đặt cọc hoặc hứa hẹn quá mức: “" + "”, “".join(flags) + "”")[:500]


def is_held(vacancy: Vacancy) -> bool:
    """A held vacancy: publishing was asked, and it waits for an officer's review of flagged wording."""
    return vacancy.status == VacancyStatus.DRAFT.value and bool(vacancy.flagged)


def publish_vacancy(vacancy: Vacancy, now: datetime | None = None) -> str:
    """Publish a draft (or reopen a closed or expired vacancy). Returns "published" or "held".

    Refused when the business is unverified, the deadline has passed, every position is filled, the wording asks
    for a sex or the wage is below the minimum. Wording that asks for fees or deposits, or promises easy work
    for high pay, holds the vacancy for an officer instead of publishing it.
    """
    now = now or utcnow()
    today = hanoi_today(now)
    if vacancy.status == VacancyStatus.OPEN.value:
        raise ServiceError("already_open", _("Tin này đang được đăng."), 409)
    if vacancy.status not in PUBLISHABLE_STATUSES:
        raise ServiceError("not_publishable", _("Tin đã bị cán bộ gỡ xuống nên không thể đăng lại."), 409)
    if not vacancy.employer.is_verified:
        raise ServiceError("employer_not_verified", _("Doanh nghiệp chưa được cán bộ việc làm xác minh nên chưa thể "
                                                      "đăng tin. Bạn vẫn có thể lưu tin nháp; tin sẽ đăng được sau "
                                                      "khi doanh nghiệp được xác minh."), 422)
    if vacancy.deadline is None or vacancy.deadline <= today:
        raise ServiceError("deadline_passed", _("Hạn nộp hồ sơ đã qua. Hãy sửa tin với hạn mới rồi đăng lại."), 422,
                           field="deadline")
    if vacancy.positions_open <= 0:
        raise ServiceError("positions_filled", _("Đã tuyển đủ số lượng. Hãy tăng số lượng cần tuyển để đăng lại."),
                           422, field="positions")
    data = VacancyData.of(vacancy)
    refuse_unlawful(data, today)
    flags = rules.fee_flags(data.title, data.description)
    if flags:
        _hold(vacancy, flags)
        outcome = "held"
    else:
        put_on_exchange(vacancy, now)
        outcome = "published"
    vacancy.updated_at = now
    db.session.commit()
    log.info("vacancy %s %s", vacancy.id, outcome)
    return outcome


def put_on_exchange(vacancy: Vacancy, now: datetime) -> None:
    """Put a vacancy on the exchange."""
    vacancy.status = VacancyStatus.OPEN.value
    vacancy.flagged = False
    vacancy.flag_reason = None
    vacancy.status_reason = None
    vacancy.closed_at = None
    if vacancy.published_at is None:  # the first publication: what time-to-fill is measured from
        vacancy.published_at = now


def close_vacancy(vacancy: Vacancy, now: datetime | None = None) -> None:
    """Stop taking applications (the employer's choice)."""
    now = now or utcnow()
    if vacancy.status != VacancyStatus.OPEN.value:
        raise ServiceError("not_open", _("Chỉ đóng được tin đang đăng."), 409)
    vacancy.status = VacancyStatus.CLOSED.value
    vacancy.closed_at = now
    vacancy.updated_at = now
    db.session.commit()


# --- Dashboard figures ----------------------------------------------------------------------------------------------

def employer_vacancies(employer: Employer) -> list[Vacancy]:
    """An employer's vacancies, newest first."""
    return list(db.session.scalars(select(Vacancy).where(Vacancy.employer_id == employer.id)
                                   .order_by(Vacancy.created_at.desc(), Vacancy.id.desc())))


def application_counts(vacancy_ids: list[int]) -> dict[int, dict[str, int]]:
    """For each vacancy, how many applications are in each status."""
    counts: dict[int, dict[str, int]] = {vid: {s.value: 0 for s in ApplicationStatus} for vid in vacancy_ids}
    if not vacancy_ids:
        return counts
    rows = db.session.execute(select(Application.vacancy_id, Application.status, func.count())
                              .where(Application.vacancy_id.in_(vacancy_ids))
                              .group_by(Application.vacancy_id, Application.status))
    for vid, status, n in rows:
        counts[vid][status] = n
    return counts


def unanswered_reminders(employer: Employer) -> int:
    """Applications the daily job reminded this employer of and that are still unanswered."""
    return db.session.scalar(
        select(func.count(Application.id)).join(Vacancy, Vacancy.id == Application.vacancy_id)
        .where(Vacancy.employer_id == employer.id, Application.status == ApplicationStatus.RECEIVED.value,
               Application.reminded_at.is_not(None))) or 0
