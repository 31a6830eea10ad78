"""The authorisation matrix: every route (pages and API), every method, as every role, on own and others' objects.

One explicit table (EXPECTED) says what each role must get: OK (the action is allowed: 2xx/3xx, or for a mutating
request also 400/409/422, i.e. refused for its content, never for who asks), LOGIN (401, or a redirect to the login
page), FORBIDDEN (403: the role may not do this at all) or HIDDEN (404: the object belongs to someone else and the
area does not reveal that it exists). A route the table does not list fails the suite, so new routes must be added.
"""
from __future__ import annotations

import pytest
from flask import url_for
from sqlalchemy import select

from jobmarket.auth.services import issue_token
from jobmarket.models import Application, Invitation, ReadingPhrase, SearchSynonym, Skill
from jobmarket.workers import cv as cv_files

OK, LOGIN, FORBIDDEN, HIDDEN = "ok", "login", "403", "404"
ROLES = ("anonymous", "worker_a", "worker_b", "employer_a", "employer_b", "officer", "admin")
MUTATING = {"POST", "PUT", "DELETE", "PATCH"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def expect(default: str = FORBIDDEN, anonymous: str = LOGIN, **roles: str) -> dict[str, str]:
    """Expected outcome per role: `default` for every role not named."""
    unknown = set(roles) - set(ROLES)
    assert not unknown, unknown
    return {role: roles.get(role, anonymous if role == "anonymous" else default) for role in ROLES}


PUBLIC = expect(OK, anonymous=OK)
SIGNED_IN = expect(OK)
WORKERS = expect(worker_a=OK, worker_b=OK)
EMPLOYERS = expect(employer_a=OK, employer_b=OK)
STAFF = expect(officer=OK, admin=OK)
ADMIN = expect(admin=OK)
# Another employer's vacancy or application: 404 for the other employer, 403 for the roles that never may.
OF_EMPLOYER_A = expect(employer_a=OK, employer_b=HIDDEN)
OF_EMPLOYER_B = expect(employer_a=HIDDEN, employer_b=OK)
# A worker's own object (application, invitation): 404 for the other worker.
OF_WORKER_A = expect(worker_a=OK, worker_b=HIDDEN)
OF_WORKER_B = expect(worker_a=HIDDEN, worker_b=OK)


def on(expected: dict[str, str], **params: str):
    """One case: path parameters named after world objects, and the expected outcome per role."""
    return (params, expected)


OWN_VACANCIES = [on(OF_EMPLOYER_A, vacancy_id="vacancy_a1"), on(OF_EMPLOYER_A, vacancy_id="vacancy_a2"),
                 on(OF_EMPLOYER_B, vacancy_id="vacancy_b1")]
# What anyone may see of a vacancy: open ones are public; a draft only its owner and the labour office.
# An open vacancy of an unverified business is not public either.
VACANCY_PAGES = [on(PUBLIC, vacancy_id="vacancy_a1"), on(PUBLIC, vacancy_id="vacancy_b1"),
                 on(expect(HIDDEN, anonymous=HIDDEN, employer_a=OK, officer=OK, admin=OK), vacancy_id="vacancy_a2"),
                 on(expect(HIDDEN, anonymous=HIDDEN, officer=OK, admin=OK), vacancy_id="vacancy_unverified")]
WORKER_VACANCY = [on(WORKERS, vacancy_id="vacancy_a1"), on(WORKERS, vacancy_id="vacancy_b1"),
                  on(expect(worker_a=HIDDEN, worker_b=HIDDEN), vacancy_id="vacancy_a2"),
                  on(expect(worker_a=HIDDEN, worker_b=HIDDEN), vacancy_id="vacancy_unverified")]
STAFF_EMPLOYERS = [on(STAFF, employer_id="employer_a"), on(STAFF, employer_id="employer_b")]
STAFF_VACANCIES = [on(STAFF, vacancy_id="vacancy_a1"), on(STAFF, vacancy_id="vacancy_a2")]
# Best candidates: only the vacancy's employer; whoever may see the vacancy is told 403, whoever may not, 404.
CANDIDATES = [on(expect(employer_a=OK), vacancy_id="vacancy_a1"),
              on(expect(worker_a=HIDDEN, worker_b=HIDDEN, employer_b=HIDDEN, employer_a=OK), vacancy_id="vacancy_a2"),
              on(expect(employer_b=OK), vacancy_id="vacancy_b1")]
STATS_API = [on(PUBLIC)]

EXPECTED: dict[tuple[str, str], list] = {
    # --- Public pages, account pages, helpers
    ("main.index", "GET"): [on(PUBLIC)],
    ("main.health", "GET"): [on(PUBLIC)],
    ("main.set_language", "GET"): [on(PUBLIC, code="code_en")],
    ("main.set_language", "POST"): [on(PUBLIC, code="code_en")],
    ("auth.login", "GET"): [on(PUBLIC)],
    ("auth.login", "POST"): [on(PUBLIC)],
    ("auth.register", "GET"): [on(PUBLIC)],
    ("auth.register", "POST"): [on(PUBLIC)],
    ("auth.logout", "POST"): [on(SIGNED_IN)],
    ("lookup.skills", "GET"): [on(PUBLIC)],
    ("lookup.occupations", "GET"): [on(PUBLIC)],
    ("lookup.wards", "GET"): [on(PUBLIC)],
    # --- Job seeker pages
    ("workers.dashboard", "GET"): [on(WORKERS)],
    ("workers.profile", "GET"): [on(WORKERS)],
    ("workers.profile", "POST"): [on(WORKERS)],
    ("workers.visibility", "POST"): [on(WORKERS)],
    ("workers.cv", "GET"): [on(WORKERS)],
    ("workers.cv", "POST"): [on(WORKERS)],
    ("workers.cv_delete", "POST"): [on(WORKERS)],
    # A CV: its owner, employers the worker applied to, the labour office; nobody else learns it exists.
    ("workers.cv_download", "GET"): [on(expect(HIDDEN, worker_a=OK, employer_a=OK, officer=OK, admin=OK),
                                        worker_id="worker_a")],
    ("workers.apply", "GET"): WORKER_VACANCY,
    ("workers.apply", "POST"): WORKER_VACANCY,
    ("workers.applications", "GET"): [on(WORKERS)],
    ("workers.withdraw", "POST"): [on(OF_WORKER_A, application_id="application_a")],
    ("workers.invitations", "GET"): [on(WORKERS)],
    ("workers.invitation_accept", "POST"): [on(OF_WORKER_B, invitation_id="invitation_b")],
    ("workers.invitation_decline", "POST"): [on(OF_WORKER_B, invitation_id="invitation_b")],
    ("workers.export", "GET"): [on(WORKERS)],
    ("workers.delete_account", "GET"): [on(WORKERS)],
    ("workers.delete_account", "POST"): [on(WORKERS)],
    ("workers.walkin", "GET"): [on(STAFF)],
    ("workers.walkin", "POST"): [on(STAFF)],
    ("workers.profile_read_cv", "POST"): [on(expect(worker_a=OK, worker_b=OK, officer=OK, admin=OK))],
    # --- Employer pages
    ("employers.dashboard", "GET"): [on(EMPLOYERS)],
    ("employers.register", "GET"): [on(EMPLOYERS)],
    ("employers.register", "POST"): [on(EMPLOYERS)],
    ("employers.edit", "GET"): [on(EMPLOYERS)],
    ("employers.edit", "POST"): [on(EMPLOYERS)],
    ("employers.vacancy_new", "GET"): [on(EMPLOYERS)],
    ("employers.vacancy_new", "POST"): [on(EMPLOYERS)],
    ("employers.vacancy_read_text", "POST"): [on(EMPLOYERS)],
    ("employers.vacancy_import", "GET"): [on(EMPLOYERS)],
    ("employers.vacancy_import", "POST"): [on(EMPLOYERS)],
    ("employers.import_template", "GET"): [on(expect(employer_a=OK, employer_b=OK, officer=OK, admin=OK),
                                              kind="stats_csv")],
    ("office.vacancy_import", "GET"): [on(STAFF)],
    ("office.vacancy_import", "POST"): [on(STAFF)],
    ("employers.vacancy_edit", "GET"): OWN_VACANCIES,
    ("employers.vacancy_edit", "POST"): OWN_VACANCIES,
    ("employers.vacancy_publish", "POST"): OWN_VACANCIES,
    ("employers.vacancy_close", "POST"): OWN_VACANCIES,
    ("employers.vacancy_applications", "GET"): OWN_VACANCIES,
    ("employers.application_move", "POST"): [on(OF_EMPLOYER_A, application_id="application_a")],
    ("employers.invite", "POST"): [on(OF_EMPLOYER_A, vacancy_id="vacancy_a1", worker_id="worker_b"),
                                   on(OF_EMPLOYER_B, vacancy_id="vacancy_b1", worker_id="worker_b"),
                                   # a hidden worker cannot be invited: the employer may not know they exist
                                   on(expect(employer_a=HIDDEN, employer_b=HIDDEN), vacancy_id="vacancy_a1",
                                      worker_id="worker_hidden")],
    # A worker's page: employers see visible workers (and those who applied to them), the office everyone, the
    # worker themself; another worker is told it does not exist.
    ("employers.worker_profile", "GET"): [
        on(expect(OK, worker_b=HIDDEN), worker_id="worker_a"),
        on(expect(OK, worker_a=HIDDEN), worker_id="worker_b"),
        on(expect(HIDDEN, officer=OK, admin=OK), worker_id="worker_hidden"),
    ],
    # --- Labour office pages
    ("office.dashboard", "GET"): [on(STAFF)],
    ("office.employers", "GET"): [on(STAFF)],
    ("office.employer_verify", "POST"): STAFF_EMPLOYERS,
    ("office.employer_reject", "POST"): STAFF_EMPLOYERS,
    ("office.vacancies", "GET"): [on(STAFF)],
    ("office.vacancy", "GET"): STAFF_VACANCIES,
    ("office.vacancy_approve", "POST"): STAFF_VACANCIES,
    ("office.vacancy_takedown", "POST"): STAFF_VACANCIES,
    ("office.vacancy_restore", "POST"): STAFF_VACANCIES,
    # --- Administration pages
    ("admin.users", "GET"): [on(ADMIN)],
    ("admin.users", "POST"): [on(ADMIN)],
    ("admin.toggle_user", "POST"): [on(ADMIN, user_id="user_worker_b")],
    ("admin.change_role", "POST"): [on(ADMIN, user_id="user_worker_b")],
    ("admin.audit_log", "GET"): [on(ADMIN)],
    ("admin.skills", "GET"): [on(ADMIN)],
    ("admin.skills", "POST"): [on(ADMIN)],
    ("admin.skill_edit", "GET"): [on(ADMIN, skill_id="skill")],
    ("admin.skill_edit", "POST"): [on(ADMIN, skill_id="skill")],
    ("admin.recompute_weights", "POST"): [on(ADMIN)],
    ("admin.phrases", "GET"): [on(ADMIN)],
    ("admin.phrase_map", "POST"): [on(ADMIN, phrase_id="phrase")],
    ("admin.phrase_add", "POST"): [on(ADMIN, phrase_id="phrase")],
    ("admin.phrase_ignore", "POST"): [on(ADMIN, phrase_id="phrase")],
    ("admin.synonyms", "GET"): [on(STAFF)],
    ("admin.synonyms", "POST"): [on(STAFF)],
    ("admin.synonym_edit", "GET"): [on(STAFF, entry_id="synonym")],
    ("admin.synonym_edit", "POST"): [on(STAFF, entry_id="synonym")],
    ("admin.synonym_delete", "POST"): [on(STAFF, entry_id="synonym")],
    # --- Search pages
    ("search.vacancies", "GET"): [on(PUBLIC)],
    ("search.vacancy_detail", "GET"): VACANCY_PAGES,
    ("search.my_matches", "GET"): [on(WORKERS)],
    ("search.candidates", "GET"): CANDIDATES,
    # --- Statistics pages (labour office)
    ("stats.dashboard", "GET"): [on(STAFF)],
    ("stats.printable", "GET"): [on(STAFF)],
    ("stats.export", "GET"): [on(STAFF, name="stats_table", fmt="stats_csv")],
    # --- API: accounts and the document
    ("api.create_token", "POST"): [on(PUBLIC)],
    ("api.me", "GET"): [on(SIGNED_IN)],
    ("api.openapi_json", "GET"): [on(PUBLIC)],
    # --- API: job seeker
    ("workers_api.get_profile", "GET"): [on(WORKERS)],
    ("workers_api.put_profile", "PUT"): [on(WORKERS)],
    ("workers_api.list_applications", "GET"): [on(WORKERS)],
    ("workers_api.apply", "POST"): WORKER_VACANCY,
    ("workers_api.withdraw", "POST"): [on(OF_WORKER_A, application_id="application_a")],
    ("workers_api.list_invitations", "GET"): [on(WORKERS)],
    ("workers_api.accept_invitation", "POST"): [on(OF_WORKER_B, invitation_id="invitation_b")],
    ("workers_api.decline_invitation", "POST"): [on(OF_WORKER_B, invitation_id="invitation_b")],
    ("workers_api.export", "GET"): [on(WORKERS)],
    ("workers_api.delete_me", "DELETE"): [on(WORKERS)],
    # --- API: employer
    ("employers_api.get_employer", "GET"): [on(EMPLOYERS)],
    ("employers_api.post_employer", "POST"): [on(EMPLOYERS)],
    ("employers_api.put_employer", "PUT"): [on(EMPLOYERS)],
    ("employers_api.list_vacancies", "GET"): [on(EMPLOYERS)],
    ("employers_api.post_vacancy", "POST"): [on(EMPLOYERS)],
    ("employers_api.import_vacancies", "POST"): [on(expect(employer_a=OK, employer_b=OK, officer=OK, admin=OK))],
    ("employers_api.get_vacancy", "GET"): OWN_VACANCIES,
    ("employers_api.put_vacancy", "PUT"): OWN_VACANCIES,
    ("employers_api.list_applications", "GET"): OWN_VACANCIES,
    ("employers_api.close", "POST"): OWN_VACANCIES,
    ("employers_api.publish", "POST"): OWN_VACANCIES,
    ("employers_api.invite", "POST"): OWN_VACANCIES,
    ("employers_api.move", "POST"): [on(OF_EMPLOYER_A, application_id="application_a")],
    # --- API: labour office
    ("office_api.list_employers", "GET"): [on(STAFF)],
    ("office_api.verify", "POST"): STAFF_EMPLOYERS,
    ("office_api.reject", "POST"): STAFF_EMPLOYERS,
    ("office_api.list_vacancies", "GET"): [on(STAFF)],
    ("office_api.approve", "POST"): STAFF_VACANCIES,
    ("office_api.takedown", "POST"): STAFF_VACANCIES,
    ("office_api.restore", "POST"): STAFF_VACANCIES,
    # --- API: search
    ("search_api.search_vacancies", "GET"): [on(PUBLIC)],
    ("search_api.vacancy_detail", "GET"): VACANCY_PAGES,
    ("search_api.my_matches", "GET"): [on(WORKERS)],
    ("search_api.vacancy_candidates", "GET"): CANDIDATES,
    # --- API: open statistics
    ("stats_api.stats_summary", "GET"): STATS_API,
    ("stats_api.stats_monthly", "GET"): STATS_API,
    ("stats_api.stats_districts", "GET"): STATS_API,
    ("stats_api.stats_wards", "GET"): STATS_API,
    ("stats_api.stats_occupations", "GET"): STATS_API,
    ("stats_api.stats_sex_age", "GET"): STATS_API,
    ("stats_api.stats_education", "GET"): STATS_API,
    ("stats_api.stats_skills", "GET"): STATS_API,
    # --- Job exchange sessions (jobmarket/sessions): pages and API
    ("sessions.calendar", "GET"): [on(PUBLIC)],
    ("sessions.feed", "GET"): [on(PUBLIC)],
    ("sessions.detail", "GET"): [on(PUBLIC, session_id="job_session")],
    ("sessions.register", "POST"): [on(WORKERS, session_id="job_session")],
    ("sessions.unregister", "POST"): [on(OF_WORKER_A, session_id="job_session")],
    ("sessions.choose", "POST"): [on(OF_WORKER_A, session_id="job_session")],
    ("sessions.ticket", "GET"): [on(expect(HIDDEN, worker_a=OK), session_id="job_session")],
    ("sessions.ticket_ics", "GET"): [on(expect(HIDDEN, worker_a=OK), session_id="job_session")],
    ("sessions.ask_move", "POST"): [on(expect(HIDDEN, worker_a=OK, employer_a=OK), request_id="session_request")],
    ("sessions.join", "POST"): [on(EMPLOYERS, session_id="job_session")],
    ("sessions.booth", "GET"): [on(expect(HIDDEN, employer_a=OK, officer=OK, admin=OK),
                                   participation_id="participation_a")],
    ("sessions.outcome", "POST"): [on(expect(HIDDEN, employer_a=OK, officer=OK, admin=OK),
                                      request_id="session_request")],
    ("sessions.create", "GET"): [on(STAFF)],
    ("sessions.create", "POST"): [on(STAFF)],
    ("sessions.edit", "GET"): [on(STAFF, session_id="job_session")],
    ("sessions.edit", "POST"): [on(STAFF, session_id="job_session")],
    ("sessions.manage", "GET"): [on(STAFF, session_id="job_session")],
    ("sessions.change", "POST"): [on(STAFF, session_id="job_session", action="session_publish")],
    ("sessions.decide", "POST"): [on(STAFF, participation_id="participation_a")],
    ("sessions.replan", "POST"): [on(STAFF, session_id="job_session")],
    ("sessions.move", "POST"): [on(STAFF, request_id="session_request")],
    ("sessions.walk_in", "POST"): [on(STAFF, session_id="job_session")],
    ("sessions.checkin", "GET"): [on(STAFF, session_id="job_session")],
    ("sessions.checkin", "POST"): [on(STAFF, session_id="job_session")],
    ("sessions.report", "GET"): [on(STAFF, session_id="job_session")],
    ("sessions.floors", "GET"): [on(STAFF)],
    ("sessions.floors", "POST"): [on(STAFF)],
    ("sessions_api.list_sessions", "GET"): [on(PUBLIC)],
    ("sessions_api.get_session", "GET"): [on(PUBLIC, session_id="job_session")],
    ("sessions_api.check_in", "POST"): [on(STAFF, session_id="job_session")],
    # --- Account recovery, notifications, job alerts (signed links: a valid one for worker_a)
    ("auth.forgot_password", "GET"): [on(PUBLIC)],
    ("auth.forgot_password", "POST"): [on(PUBLIC)],
    ("auth.reset_password", "GET"): [on(PUBLIC, token="reset_token")],
    ("auth.reset_password", "POST"): [on(PUBLIC, token="reset_token")],
    ("auth.claim_account", "GET"): [on(PUBLIC, token="claim_token")],
    ("auth.claim_account", "POST"): [on(PUBLIC, token="claim_token")],
    ("auth.verify_email", "GET"): [on(PUBLIC, token="verify_token")],
    ("auth.change_password", "GET"): [on(SIGNED_IN)],
    ("auth.change_password", "POST"): [on(SIGNED_IN)],
    ("auth.change_email", "GET"): [on(SIGNED_IN)],
    ("auth.change_email", "POST"): [on(SIGNED_IN)],
    ("auth.resend_verification", "POST"): [on(SIGNED_IN)],
    ("notifications.centre", "GET"): [on(SIGNED_IN)],
    ("notifications.mark_read", "POST"): [on(SIGNED_IN)],
    ("notifications.settings", "GET"): [on(SIGNED_IN)],
    ("notifications.settings", "POST"): [on(SIGNED_IN)],
    ("notifications.unsubscribe", "GET"): [on(PUBLIC, token="unsubscribe_token")],
    ("notifications.unsubscribe", "POST"): [on(PUBLIC, token="unsubscribe_token")],
    ("notifications.dev_mail", "GET"): [on(expect(HIDDEN, anonymous=HIDDEN))],  # development only
    ("notifications.failed_jobs", "GET"): [on(ADMIN)],
    ("notifications.retry_job", "POST"): [on(ADMIN, job_id="invitation_b")],
    ("notifications.alerts_page", "GET"): [on(WORKERS)],
    ("notifications.alerts_page", "POST"): [on(WORKERS)],
    ("notifications_api.my_notifications", "GET"): [on(SIGNED_IN)],
}


def routes(app) -> set[tuple[str, str]]:
    """(endpoint, method) of every rule the app serves, static files, HEAD and OPTIONS aside."""
    return {(rule.endpoint, method) for rule in app.url_map.iter_rules() if rule.endpoint != "static"
            for method in rule.methods - {"HEAD", "OPTIONS"}}


def test_every_route_is_in_the_table(app):
    """A new route must be given its expected outcomes; a removed one must leave the table."""
    served = routes(app)
    assert sorted(served - set(EXPECTED)) == [], "routes missing from EXPECTED"
    assert sorted(set(EXPECTED) - served) == [], "EXPECTED lists routes the app does not serve"


# --- The world --------------------------------------------------------------------------------------------------------

class World:
    """Everyone and everything the matrix acts on, by name."""

    def __init__(self, factory, db, app):
        self.users, self.ids = {}, {}
        worker_a = factory.worker(skills=("han-dien",))
        worker_b = factory.worker(skills=("han-dien",))
        hidden = factory.worker(skills=("han-dien",), is_visible=False)
        worker_a.cv_filename = cv_files.store(PDF)
        employer_a, employer_b = factory.employer(), factory.employer()
        vacancy_a1 = factory.vacancy(employer=employer_a, required=("han-dien",))
        vacancy_a2 = factory.vacancy(employer=employer_a, required=("han-dien",), status="draft", published_at=None)
        vacancy_b1 = factory.vacancy(employer=employer_b, required=("han-dien",))
        unverified = factory.vacancy(employer=factory.employer(verified=False), required=("han-dien",))
        application = Application(vacancy_id=vacancy_a1.id, worker_id=worker_a.id, note="Tôi muốn ứng tuyển.")
        invitation = Invitation(vacancy_id=vacancy_a1.id, worker_id=worker_b.id, message="Mời anh ứng tuyển.")
        phrase = ReadingPhrase(folded="doc ban ve", phrase="đọc bản vẽ", count=3)
        db.session.add_all([application, invitation, phrase])
        db.session.commit()
        officer, admin = factory.user("officer"), factory.user("admin")
        self.users = {"anonymous": None, "worker_a": worker_a.user, "worker_b": worker_b.user,
                      "employer_a": employer_a.owner, "employer_b": employer_b.owner, "officer": officer, "admin": admin}
        self.user_ids = {role: (user.id if user else None) for role, user in self.users.items()}
        self.emails = {role: (user.email if user else None) for role, user in self.users.items()}
        self.ids = {"worker_a": worker_a.id, "worker_b": worker_b.id, "worker_hidden": hidden.id,
                    "employer_a": employer_a.id, "employer_b": employer_b.id, "vacancy_a1": vacancy_a1.id,
                    "vacancy_a2": vacancy_a2.id, "vacancy_b1": vacancy_b1.id, "vacancy_unverified": unverified.id, "application_a": application.id,
                    "invitation_b": invitation.id, "user_worker_b": worker_b.user_id,
                    "skill": db.session.scalar(select(Skill.id).where(Skill.slug == "han-dien")),
                    "synonym": db.session.scalar(select(SearchSynonym.id).where(SearchSynonym.phrase_folded == "cskh")),
                    "phrase": phrase.id, "code_en": "en", "stats_table": "tong-hop", "stats_csv": "csv"}
        self.ids.update(_session_world(officer, employer_a, vacancy_a1, worker_a))
        from jobmarket.auth.tokens import make_token

        self.ids.update(reset_token=make_token("reset", worker_a.user), claim_token=make_token("claim", worker_a.user),
                        verify_token=make_token("verify", worker_a.user, e=worker_a.user.email),
                        unsubscribe_token=make_token("unsubscribe", worker_a.user, k="job_alert"))
        self.tokens = {role: issue_token(user)[0] for role, user in self.users.items() if user is not None}
        self.app = app

    def client(self, role: str):
        """A test client signed in as role (session for pages, bearer token for the API)."""
        client = self.app.test_client()
        if self.user_ids[role] is not None:
            with client.session_transaction() as session:
                session["_user_id"] = str(self.user_ids[role])
                session["_fresh"] = True
        return client


def _session_world(officer, employer, vacancy, worker) -> dict:
    """A published session employer A takes part in (approved) and worker A registered for, asking for vacancy A1."""
    from datetime import date, timedelta

    from jobmarket.sessions import services as sessions

    floor = sessions.ensure_central_floor()
    session = sessions.save_session(officer, {"theme": "Phiên thử", "mode": "in_person", "floor_id": floor.id,
                                              "day": date.today() + timedelta(days=7), "start_time": "08:00",
                                              "end_time": "10:00"})
    sessions.publish_session(session, officer)
    part = sessions.join_session(session, employer, [vacancy.id], 1)
    sessions.decide_participation(part, officer, True, booth="A1")
    reg = sessions.register_seeker(session, worker, worker.user)
    request = sessions.set_requests(reg, [vacancy.id])[0]
    return {"job_session": session.id, "participation_a": part.id, "session_request": request.id,
            "session_publish": "cong-bo"}


@pytest.fixture
def world(factory, db, app):
    """A fresh world for each test."""
    return World(factory, db, app)


def body_for(endpoint: str, method: str, world: World, role: str) -> dict:
    """A plausible request body, so an allowed request succeeds rather than stops at validation."""
    ids = world.ids
    forms = {
        "auth.login": {"email": world.emails["worker_a"], "password": "mat-khau-dai-10"},
        "auth.register": {"email": f"moi-{role}@example.vn", "password": "mat-khau-dai-10",
                          "confirm": "mat-khau-dai-10", "role": "worker"},
        "workers.apply": {"note": "Tôi có 3 năm kinh nghiệm."},
        "workers.visibility": {"visible": "0"},
        "employers.application_move": {"to_status": "shortlisted"},
        "employers.invite": {"message": "Mời bạn ứng tuyển."},
        "office.employer_reject": {"reason": "Mã số thuế không khớp."},
        "office.vacancy_takedown": {"reason": "Tin có dấu hiệu thu phí người lao động."},
        "admin.toggle_user": {"enabled": "0"},
        "admin.synonyms": {"phrase": f"BĐS {role}", "equivalents": "bất động sản", "kind": "abbreviation"},
        "admin.synonym_edit": {"phrase": "CSKH", "equivalents": "chăm sóc khách hàng", "kind": "abbreviation"},
        "admin.change_role": {"role": "employer"},
    }
    payloads = {
        "api.create_token": {"email": world.emails["worker_a"], "password": "mat-khau-dai-10"},
        "workers_api.apply": {"note": "Tôi có 3 năm kinh nghiệm."},
        "employers_api.move": {"to_status": "shortlisted"},
        "employers_api.invite": {"worker_id": ids["worker_b"], "message": "Mời bạn ứng tuyển."},
        "office_api.reject": {"reason": "Mã số thuế không khớp."},
        "office_api.takedown": {"reason": "Tin có dấu hiệu thu phí người lao động."},
    }
    if endpoint in payloads:
        return {"json": payloads[endpoint]}
    if endpoint in forms:
        return {"data": forms[endpoint]}
    if method in MUTATING and "_api." in endpoint:
        return {"json": {}}
    return {}


def outcome(response) -> str:
    """What a response says about the caller's rights."""
    status = response.status_code
    if status == 401 or (300 <= status < 400 and "/auth/login" in (response.location or "")):
        return LOGIN
    if status == 403:
        return FORBIDDEN
    if status == 404:
        return HIDDEN
    if 200 <= status < 400:
        return OK
    return f"status {status}"


def matches(expected: str, got: str, method: str, status: int) -> bool:
    """Whether the outcome is the expected one (a mutating request may be refused for its content)."""
    if expected == OK and method in MUTATING and status in (400, 409, 422):
        return True
    return expected == got


@pytest.mark.parametrize("endpoint,method", sorted(EXPECTED), ids=lambda v: v)
def test_authorisation_matrix(world, app, endpoint, method):
    """Each role gets the expected outcome on each object; every mismatch is reported at once."""
    assert endpoint in app.view_functions, f"{endpoint} is not served (update EXPECTED)"
    checks = []
    for params, expected in EXPECTED[(endpoint, method)]:
        values = {name: world.ids[key] for name, key in params.items()}
        with app.test_request_context():
            path = url_for(endpoint, **values)
        for role in ROLES:
            checks.append((expected[role], role, params, path))
    # Refusals first: an allowed POST (withdraw, delete the account, take down) must not change what they test.
    checks.sort(key=lambda c: c[0] == OK)
    mismatches = []
    for want, role, params, path in checks:
        client = world.client(role)
        headers = {}
        if path.startswith("/api/") and role != "anonymous":
            headers["Authorization"] = f"Bearer {world.tokens[role]}"
        response = client.open(path, method=method, headers=headers, **body_for(endpoint, method, world, role))
        got = outcome(response)
        response.close()  # a file sent (a CV) is closed
        if not matches(want, got, method, response.status_code):
            mismatches.append(f"{method} {path} as {role} {params or ''}: expected {want}, got {got} "
                              f"({response.status_code} {response.location or ''})")
    assert mismatches == []


def test_a_disabled_account_loses_its_open_session_and_tokens(world, db, app):
    """An administrator disables worker A: the session already open and the API token stop working at once."""
    client = world.client("worker_a")
    token = {"Authorization": f"Bearer {world.tokens['worker_a']}"}
    assert client.get("/nguoi-lao-dong/").status_code == 200
    assert client.get("/api/v1/me/profile", headers=token).status_code == 200
    admin = world.client("admin")
    assert admin.post(f"/quan-tri/tai-khoan/{world.user_ids['worker_a']}/trang-thai",
                      data={"enabled": "0"}).status_code == 302
    assert outcome(client.get("/nguoi-lao-dong/")) == LOGIN
    assert outcome(client.get("/nguoi-lao-dong/du-lieu-cua-toi.json")) == LOGIN
    assert client.get("/api/v1/me/profile").status_code == 401  # the session cookie, on the API
    assert client.get("/api/v1/me/profile", headers=token).status_code == 401
    assert outcome(client.post(f"/nguoi-lao-dong/don-ung-tuyen/{world.ids['application_a']}/rut")) == LOGIN


def test_objects_named_in_the_body_obey_the_same_rules(world):
    """The API names some objects in the body: a hidden worker cannot be invited, another employer's vacancy not
    used, a withdrawn application gives no contact right back."""
    token = {"Authorization": f"Bearer {world.tokens['employer_a']}"}
    client = world.client("anonymous")
    invite = f"/api/v1/employer/vacancies/{world.ids['vacancy_a1']}/invitations"
    assert client.post(invite, json={"worker_id": world.ids["worker_hidden"]}, headers=token).status_code == 404
    assert client.post(invite, json={"worker_id": 2**40}, headers=token).status_code in (400, 404)
    other = f"/api/v1/employer/vacancies/{world.ids['vacancy_b1']}/invitations"
    assert client.post(other, json={"worker_id": world.ids["worker_b"]}, headers=token).status_code == 404
    # Worker A withdraws: employer A no longer sees the contact nor the CV.
    worker = {"Authorization": f"Bearer {world.tokens['worker_a']}"}
    assert client.post(f"/api/v1/applications/{world.ids['application_a']}/withdraw", headers=worker).status_code \
        == 200
    employer = world.client("employer_a")
    assert employer.get(f"/nguoi-lao-dong/{world.ids['worker_a']}/cv.pdf").status_code == 404
    listed = client.get(f"/api/v1/employer/vacancies/{world.ids['vacancy_a1']}/applications", headers=token).get_json()
    assert [a["worker"]["phone"] for a in listed["items"]] == [None]
