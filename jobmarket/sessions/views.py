"""Session pages: the public calendar, a session's page for each role, the office's management, check-in, report."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..authz import authorize, can, current_employer, current_worker
from ..employers.services import ServiceError
from ..extensions import db
from ..models import InterviewRequest, JobSession, SessionEmployer, SessionFloor, Vacancy, VacancyStatus, WorkerProfile
from ..models.sessions import SessionSeeker
from . import labels, report as reports, services, tickets

bp = Blueprint("sessions", __name__, url_prefix="/phien")
bp.record_once(lambda state: labels.install(state.app))
MAX_ID = 2**31 - 1


def _get(model, object_id: int):
    row = db.session.get(model, object_id) if 0 < object_id <= MAX_ID else None
    if row is None:
        abort(404)
    return row


def _staff() -> bool:
    return can(current_user, "session.manage")


def _session(session_id: int) -> JobSession:
    session = _get(JobSession, session_id)
    if not services.is_visible(session, _staff()):
        abort(404)
    return session


def _refused(exc: ServiceError, to: str):
    flash(exc.message, "error")
    return redirect(to)


def _date_arg(name: str) -> date | None:
    value = request.args.get(name) or ""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        flash(_("Ngày không hợp lệ (định dạng YYYY-MM-DD)."), "error")
        return None


def _filters() -> dict:
    mode = request.args.get("mode") or None
    if mode not in services.MODES:
        mode = None
    floor = request.args.get("floor", type=int)
    return {"mode": mode, "floor_id": floor if floor and 0 < floor <= MAX_ID else None,
            "date_from": _date_arg("from"), "date_to": _date_arg("to")}


@bp.route("/")
def calendar():
    """Upcoming sessions, with filters by mode, floor and date."""
    filters = _filters()
    sessions = services.list_sessions(**filters, staff=_staff())
    return render_template("sessions/calendar.html", sessions=sessions, filters=filters, floors=services.floors())


@bp.route("/lich.ics")
def feed():
    """The calendar as an iCalendar feed."""
    body = tickets.feed(services.list_sessions(**_filters()), request.host)
    return Response(body, mimetype="text/calendar", headers={"Content-Disposition": "inline; filename=phien.ics"})


@bp.route("/<int:session_id>")
def detail(session_id: int):
    """A session: what, where, when; the job seeker's registration and choices, the employer's participation."""
    session = _session(session_id)
    worker = current_worker() if getattr(current_user, "is_authenticated", False) else None
    employer = current_employer() if getattr(current_user, "is_authenticated", False) else None
    reg = services.registration_of(session, worker)
    matches = services.matches_in_session(session, worker) if worker is not None and reg and not reg.cancelled else []
    chosen = {r.vacancy_id for r in reg.requests} if reg else set()
    part = None
    open_vacancies = []
    if employer is not None:
        part = db.session.scalar(select(SessionEmployer).where(SessionEmployer.session_id == session.id,
                                                               SessionEmployer.employer_id == employer.id))
        open_vacancies = list(db.session.scalars(select(Vacancy).where(
            Vacancy.employer_id == employer.id, Vacancy.status == VacancyStatus.OPEN.value).order_by(Vacancy.title)))
    notices = services.notices_for(current_user.id, session.id) if getattr(current_user, "is_authenticated",
                                                                             False) else []
    return render_template("sessions/detail.html", session=session, reg=reg, matches=matches, chosen=chosen,
                           part=part, employer=employer, worker=worker, open_vacancies=open_vacancies,
                           notices=notices, staff=_staff(), registration_open=services.registration_open(session),
                           slot_start=services.slot_start, room_url=services.room_url,
                           may_see_room=services.may_see_room, max_requests=services.MAX_REQUESTS)


# --- job seekers ----------------------------------------------------------------------------------------------------

@bp.post("/<int:session_id>/dang-ky")
@login_required
def register(session_id: int):
    """A job seeker registers and gets a ticket."""
    session = _session(session_id)
    authorize("session.register")
    back = url_for(".detail", session_id=session.id)
    try:
        services.register_seeker(session, current_worker(), current_user)
    except ServiceError as exc:
        return _refused(exc, back)
    flash(_("Bạn đã đăng ký tham gia phiên. Hãy chọn các tin muốn phỏng vấn."), "success")
    return redirect(back)


@bp.post("/<int:session_id>/huy-dang-ky")
@login_required
def unregister(session_id: int):
    """A job seeker withdraws from a session."""
    session = _session(session_id)
    authorize("session.register")
    reg = services.registration_of(session, current_worker())
    back = url_for(".detail", session_id=session.id)
    if reg is None:
        abort(404)
    try:
        services.cancel_registration(reg)
    except ServiceError as exc:
        return _refused(exc, back)
    flash(_("Đã hủy đăng ký phiên."), "success")
    return redirect(back)


@bp.post("/<int:session_id>/chon-tin")
@login_required
def choose(session_id: int):
    """A job seeker marks the vacancies they want to meet."""
    session = _session(session_id)
    authorize("session.register")
    reg = services.registration_of(session, current_worker())
    back = url_for(".detail", session_id=session.id)
    if reg is None:
        abort(404)
    try:
        services.set_requests(reg, request.form.getlist("vacancy_id"))
    except ServiceError as exc:
        return _refused(exc, back)
    flash(_("Đã lưu các tin bạn muốn phỏng vấn."), "success")
    return redirect(back)


def _ticket(session_id: int) -> SessionSeeker:
    session = _session(session_id)
    reg = services.registration_of(session, current_worker())
    if reg is None or reg.cancelled:
        abort(404)
    authorize("session.ticket.view", reg, hide=True)
    return reg


@bp.route("/<int:session_id>/ve")
@login_required
def ticket(session_id: int):
    """The job seeker's ticket: QR code, the code in words, their interview schedule."""
    reg = _ticket(session_id)
    return render_template("sessions/ticket.html", reg=reg, session=reg.session, qr=tickets.qr_svg(reg.ticket_code),
                           slot_start=services.slot_start, room_url=services.room_url,
                           requests=sorted(reg.requests, key=lambda r: (r.slot is None, r.slot or 0, -r.score)))


@bp.route("/<int:session_id>/ve.ics")
@login_required
def ticket_ics(session_id: int):
    """The ticket as an .ics invitation."""
    reg = _ticket(session_id)
    return Response(tickets.invitation(reg, request.host), mimetype="text/calendar",
                    headers={"Content-Disposition": f"attachment; filename=phien-{reg.session_id}.ics"})


@bp.post("/phong-van/<int:request_id>/xin-doi")
@login_required
def ask_move(request_id: int):
    """The job seeker or the employer asks to move a slot."""
    req = _get(InterviewRequest, request_id)
    authorize("session.interview.ask_move", req, hide=True)
    back = request.referrer if request.referrer and request.referrer.startswith(request.host_url) else \
        url_for(".detail", session_id=req.seeker.session_id)
    try:
        services.ask_move(req, request.form.get("reason", ""))
    except ServiceError as exc:
        return _refused(exc, back)
    flash(_("Đã gửi yêu cầu dời lịch tới cán bộ."), "success")
    return redirect(back)


# --- employers ------------------------------------------------------------------------------------------------------

@bp.post("/<int:session_id>/tham-gia")
@login_required
def join(session_id: int):
    """A verified employer registers with its vacancies, booth needs and interviewers."""
    session = _session(session_id)
    authorize("session.join")
    back = url_for(".detail", session_id=session.id)
    try:
        services.join_session(session, current_employer(), request.form.getlist("vacancy_id"),
                              request.form.get("interviewers", "1"), request.form.get("booth_needs", ""))
    except ServiceError as exc:
        return _refused(exc, back)
    flash(_("Đã gửi đăng ký tham gia phiên; cán bộ sẽ duyệt và xếp gian hàng."), "success")
    return redirect(back)


@bp.route("/gian-hang/<int:participation_id>")
@login_required
def booth(participation_id: int):
    """An employer's booth at a session: its schedule, the online room, the results to record."""
    part = _get(SessionEmployer, participation_id)
    authorize("session.participation.view", part, hide=True)
    reqs = list(db.session.scalars(select(InterviewRequest).where(InterviewRequest.participation_id == part.id)
                                   .order_by(InterviewRequest.slot, InterviewRequest.seat)))
    return render_template("sessions/booth.html", part=part, session=part.session, requests=reqs,
                           slot_start=services.slot_start, room=services.room_url(part))


@bp.post("/phong-van/<int:request_id>/ket-qua")
@login_required
def outcome(request_id: int):
    """An interviewer records the result of an interview."""
    req = _get(InterviewRequest, request_id)
    authorize("session.interview.record", req, hide=True)
    back = request.form.get("next") or url_for(".booth", participation_id=req.participation_id)
    if not back.startswith("/"):
        back = url_for(".booth", participation_id=req.participation_id)
    try:
        services.record_outcome(req, current_user, request.form.get("outcome", ""))
    except ServiceError as exc:
        return _refused(exc, back)
    flash(_("Đã ghi kết quả phỏng vấn."), "success")
    return redirect(back)


# --- the labour office ----------------------------------------------------------------------------------------------

def _session_form_data() -> dict:
    return {k: request.form.get(k, "") for k in ("theme", "target_group", "floor_id", "mode", "day", "start_time",
                                                  "end_time", "registration_deadline", "capacity", "slot_minutes")}


@bp.route("/moi", methods=["GET", "POST"])
@login_required
def create():
    """An officer drafts a session."""
    authorize("session.manage")
    services.ensure_central_floor()
    data = _session_form_data() if request.method == "POST" else {"mode": "in_person", "capacity": "500",
                                                                   "slot_minutes": "20", "start_time": "08:00",
                                                                   "end_time": "11:30"}
    if request.method == "POST":
        try:
            session = services.save_session(current_user, data)
        except ServiceError as exc:
            flash(exc.message, "error")
        else:
            flash(_("Đã tạo phiên (bản nháp)."), "success")
            return redirect(url_for(".manage", session_id=session.id))
    return render_template("sessions/form.html", data=data, floors=services.floors(), session=None)


@bp.route("/<int:session_id>/sua", methods=["GET", "POST"])
@login_required
def edit(session_id: int):
    """An officer edits a session."""
    authorize("session.manage")
    session = _session(session_id)
    data = _session_form_data() if request.method == "POST" else {
        "theme": session.theme, "target_group": session.target_group, "floor_id": session.floor_id or "",
        "mode": session.mode, "day": session.day.isoformat(), "start_time": session.start_time.strftime("%H:%M"),
        "end_time": session.end_time.strftime("%H:%M"), "registration_deadline":
        session.registration_deadline.isoformat(), "capacity": session.capacity, "slot_minutes": session.slot_minutes}
    if request.method == "POST":
        try:
            services.save_session(current_user, data, session)
        except ServiceError as exc:
            flash(exc.message, "error")
        else:
            flash(_("Đã lưu phiên."), "success")
            return redirect(url_for(".manage", session_id=session.id))
    return render_template("sessions/form.html", data=data, floors=services.floors(), session=session)


@bp.route("/<int:session_id>/quan-ly")
@login_required
def manage(session_id: int):
    """The office's page of a session: employers to approve, the plan, walk-ins, the way to check-in and report."""
    authorize("session.manage")
    session = _session(session_id)
    reqs = services._requests(session)
    return render_template("sessions/manage.html", session=session, requests=reqs, n_slots=services.n_slots(session),
                           slot_start=services.slot_start, room_url=services.room_url,
                           seekers=db.session.scalar(select(db.func.count(SessionSeeker.id)).where(
                               SessionSeeker.session_id == session.id, SessionSeeker.cancelled.is_(False))))


@bp.post("/<int:session_id>/<any('cong-bo', 'hoan', 'huy'):action>")
@login_required
def change(session_id: int, action: str):
    """Publish, postpone or cancel a session."""
    authorize("session.manage")
    session = _session(session_id)
    back = url_for(".manage", session_id=session.id)
    try:
        if action == "cong-bo":
            services.publish_session(session, current_user)
            flash(_("Đã công bố phiên."), "success")
        elif action == "hoan":
            services.postpone_session(session, current_user, request.form.to_dict())
            flash(_("Đã hoãn phiên; những người tham gia đã được báo."), "success")
        else:
            services.cancel_session(session, current_user, request.form.get("reason", ""))
            flash(_("Đã hủy phiên; những người tham gia đã được báo."), "success")
    except ServiceError as exc:
        return _refused(exc, back)
    return redirect(back)


@bp.post("/tham-gia/<int:participation_id>/duyet")
@login_required
def decide(participation_id: int):
    """Approve (with a booth) or decline (with a reason) an employer."""
    authorize("session.manage")
    part = _get(SessionEmployer, participation_id)
    back = url_for(".manage", session_id=part.session_id)
    try:
        services.decide_participation(part, current_user, request.form.get("decision") == "approve",
                                      request.form.get("reason", ""), request.form.get("booth", ""))
    except ServiceError as exc:
        return _refused(exc, back)
    flash(_("Đã lưu quyết định."), "success")
    return redirect(back)


@bp.post("/<int:session_id>/xep-lich")
@login_required
def replan(session_id: int):
    """Compute (or recompute) the interview plan."""
    authorize("session.manage")
    session = _session(session_id)
    back = url_for(".manage", session_id=session.id)
    try:
        result = services.replan(session, current_user)
    except ServiceError as exc:
        return _refused(exc, back)
    flash(_("Đã xếp %(n)d/%(m)d lượt phỏng vấn (tổng điểm phù hợp %(total).2f; cách cận tối ưu %(gap).2f%%; "
            "xếp tham lam kém hơn %(greedy).2f%%).", n=result["scheduled"], m=result["requests"],
            total=result["total"], gap=100 * result["gap_to_bound"], greedy=100 * result["greedy_gap"]), "success")
    return redirect(back)


@bp.post("/phong-van/<int:request_id>/doi")
@login_required
def move(request_id: int):
    """An officer moves one interview to another slot or interviewer."""
    authorize("session.manage")
    req = _get(InterviewRequest, request_id)
    back = url_for(".manage", session_id=req.seeker.session_id)
    try:
        services.move_interview(req, current_user, request.form.get("slot"), request.form.get("seat"))
    except ServiceError as exc:
        return _refused(exc, back)
    flash(_("Đã dời lịch phỏng vấn."), "success")
    return redirect(back)


@bp.post("/<int:session_id>/tai-cho")
@login_required
def walk_in(session_id: int):
    """An officer registers a job seeker who came to the floor, found by phone number."""
    authorize("session.manage")
    session = _session(session_id)
    back = url_for(".manage", session_id=session.id)
    phone = (request.form.get("phone") or "").strip()
    worker = db.session.scalar(select(WorkerProfile).where(WorkerProfile.phone == phone)) if phone else None
    if worker is None:
        flash(_("Không tìm thấy người lao động có số điện thoại này; hãy đăng ký hồ sơ cho họ trước."), "error")
        return redirect(back)
    try:
        reg = services.register_seeker(session, worker, current_user, walk_in=True)
    except ServiceError as exc:
        return _refused(exc, back)
    flash(_("Đã đăng ký tại chỗ cho %(name)s, mã vé %(code)s.", name=worker.full_name, code=reg.ticket_code),
          "success")
    return redirect(back)


@bp.route("/<int:session_id>/check-in", methods=["GET", "POST"])
@login_required
def checkin(session_id: int):
    """The door: a scanner types the QR code and Enter, or an officer types the code by hand."""
    authorize("session.manage")
    session = _session(session_id)
    admitted = None
    if request.method == "POST":
        try:
            admitted = services.check_in(session, request.form.get("code", ""), current_user)
        except ServiceError as exc:
            flash(exc.message, "error")
        else:
            flash(_("Mời vào: %(name)s.", name=admitted.worker.full_name), "success")
    return render_template("sessions/checkin.html", session=session, admitted=admitted)


@bp.route("/<int:session_id>/bao-cao")
@login_required
def report(session_id: int):
    """The session's standard report: page, printable page, CSV or XLSX (?dinh-dang=csv|xlsx|in)."""
    authorize("session.manage")
    session = _session(session_id)
    built = reports.build(session)
    fmt = request.args.get("dinh-dang", "")
    if fmt == "csv":
        return Response(reports.to_csv(built), mimetype="text/csv", headers={
            "Content-Disposition": f"attachment; filename=bao-cao-phien-{session.id}.csv"})
    if fmt == "xlsx":
        from ..stats.exports import XLSX_MIME

        return Response(reports.to_xlsx(built), mimetype=XLSX_MIME, headers={
            "Content-Disposition": f"attachment; filename=bao-cao-phien-{session.id}.xlsx"})
    return render_template("sessions/report.html", report=built, printable=fmt == "in",
                           headline_labels=reports.headline_labels(), breakdown_labels=reports.breakdown_labels(),
                           column_labels=reports.column_labels(), columns=reports.COLUMNS)


@bp.route("/san", methods=["GET", "POST"])
@login_required
def floors():
    """The job exchange floors; an officer adds one."""
    authorize("session.manage")
    services.ensure_central_floor()
    if request.method == "POST":
        try:
            services.save_floor(request.form.to_dict())
        except ServiceError as exc:
            flash(exc.message, "error")
        else:
            flash(_("Đã thêm sàn giao dịch."), "success")
            return redirect(url_for(".floors"))
    return render_template("sessions/floors.html", floors=services.floors(active_only=False))
