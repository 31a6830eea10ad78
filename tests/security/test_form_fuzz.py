"""Every HTML form fuzzed with generated values (Hypothesis) as each role.

The forms are found the way a person finds them: every page of the url map that the role can open (ids filled
in from a small world of records) is fetched and its <form>s read; every POST route of the url map is fuzzed too,
with the fields of a form that targets it or, when the role sees none, with made-up fields. For every submission:
no 500; a refusal (4xx, a re-rendered form with errors, or a redirect with an error notice) carries a message in
the user's language; and a refused submission leaves every saved row as it was.

Bounded: FUZZ_EXAMPLES examples per form and role (default 8), derandomised so CI runs are repeatable.
"""
from __future__ import annotations

import io
import os
import re
import time
import unicodedata
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from jobmarket.models import Invitation, Skill

from ..dbutil import REFERENCE_TABLES
from ..factories import PASSWORD
from ..workers.conftest import make_pdf

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
ROLES = ("anonymous", "worker", "employer", "officer", "admin")
NEVER = {"auth.logout", "static"}  # logging out is not a refusal to test; static has no forms
SKIP_PAGES = {"stats.export", "workers.cv_download", "workers.export", "main.set_language"}  # files, not pages

NASTY = ["", " ", "0", "-1", "1.5", "99999999999999999999", "1e309", "NaN", "-0", "2026-02-30", "31/12/1999",
         "../../etc/passwd", "<script>alert(1)</script>", "\"><img src=x>", "' OR 1=1 --", "=HYPERLINK(\"x\")",
         "\x00", "a\x00b", "\u202eabc", "\x1b[31m", "a" * 5000, "Đống Đa", unicodedata.normalize("NFD", "Kế toán"),
         "🙂🙂", "\r\n\r\n", "%s%s%n", "{{7*7}}", "null", "true", "[]", "{}", "0x1F", "１２３"]
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)
ENGLISH_DEFAULTS = re.compile(r"This field is required|Not a valid|Invalid (?:choice|email|input)|Field must be|"
                              r"is not a valid|Bad Request|The browser \(or proxy\)|Method Not Allowed|"
                              r"Internal Server Error|CSRF", re.IGNORECASE)
VIETNAMESE_PHRASES = re.compile(r"Vui lòng|không hợp lệ|bắt buộc|\bBạn\b|Đã có|Lựa chọn|Phiên làm việc|Không tìm thấy|"
                                r"quá dài|tối đa|Trường này", re.IGNORECASE)
VIETNAMESE = re.compile(r"[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]", re.IGNORECASE)


class FormReader(HTMLParser):
    """The forms of a page (action, method, fields with their kind, value and options) and its error texts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.errors: list[str] = []
        self.flash_errors: list[str] = []
        self.lang: str | None = None
        self._form: dict | None = None
        self._select: str | None = None
        self._error_depth = 0
        self._error_is_flash = False
        self._depth = 0
        self._buffer: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self._depth += 1
        classes = (a.get("class") or "").split()
        if tag == "html":
            self.lang = a.get("lang")
        if self._error_depth == 0 and (a.get("role") == "alert" or "error" in classes or "flash-error" in classes
                                       or "flash-warning" in classes
                                       or "error-summary" in classes or "error-message" in classes):
            self._error_depth = self._depth
            self._error_is_flash = "flash-error" in classes or "flash-warning" in classes
            self._buffer = []
        if tag == "form":
            self._form = {"action": a.get("action") or "", "method": (a.get("method") or "get").lower(),
                          "fields": {}}
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select", "button"):
            name = a.get("name")
            if not name:
                return
            kind = a.get("type", "text") if tag == "input" else tag
            field = self._form["fields"].setdefault(name, {"kind": kind, "values": [], "options": []})
            if a.get("value") is not None:
                field["values"].append(a["value"])
            if tag == "select":
                self._select = name
        elif tag == "option" and self._form is not None and self._select:
            self._form["fields"][self._select]["options"].append(a.get("value", ""))

    def handle_endtag(self, tag):
        if self._error_depth and self._depth == self._error_depth:
            message = " ".join("".join(self._buffer).split())
            if message:
                self.errors.append(message)
                if self._error_is_flash:
                    self.flash_errors.append(message)
            self._error_depth = 0
        self._depth -= 1
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._error_depth:
            self._buffer.append(data)


def read(html: str) -> FormReader:
    reader = FormReader()
    reader.feed(html)
    return reader


def field_value(field: dict):
    """A strategy for one field's submitted value(s); None leaves the field out."""
    own = field["values"] + field["options"]
    choices = [st.sampled_from(NASTY), TEXT, st.integers(min_value=-2**63, max_value=2**63).map(str), st.none()]
    if own:
        choices += [st.sampled_from(own)] * 3
    single = st.one_of(*choices)
    if field["kind"] == "file":
        return st.one_of(st.none(), st.sampled_from([make_pdf(), b"", b"%PDF-1.4 broken", b"\x89PNG\r\n\x1a\n",
                                                     b"<html>"]), st.binary(max_size=2000))
    return st.one_of(single, st.lists(single.filter(lambda v: v is not None), min_size=2, max_size=3))


def form_data(fields: dict) -> st.SearchStrategy:
    """Values for every field (csrf_token dropped: tests run without CSRF), sometimes an unexpected extra field."""
    strategies = {name: field_value(field) for name, field in fields.items() if name != "csrf_token"}
    return st.tuples(st.fixed_dictionaries(strategies),
                     st.one_of(st.none(), st.tuples(st.sampled_from(["x", "id", "role", "user_id", "is_admin"]),
                                                    TEXT)))


class World:
    """The records every role works on, and the ids that fill the url map's placeholders."""

    def __init__(self, db, factory):
        from jobmarket.workers import services as worker_services

        self.users = {role: factory.user(role, email=f"fuzz-{role}@example.vn", locale=locale)
                      for role, locale in (("worker", "en"), ("employer", "vi"), ("officer", "vi"),
                                           ("admin", "vi"))}
        self.profile = factory.worker(user=self.users["worker"], skills=("han-dien",))
        self.employer = factory.employer(user=self.users["employer"], verified=True)
        self.unverified = factory.employer(verified=False)
        self.vacancy = factory.vacancy(employer=self.employer, required=("han-dien",))
        self.other_vacancy = factory.vacancy(employer=self.employer, title="Kế toán tổng hợp")
        self.application = worker_services.apply(self.users["worker"], self.vacancy.id, "Xin ứng tuyển")
        self.invitation = Invitation(vacancy_id=self.other_vacancy.id, worker_id=self.profile.id, message="Mời")
        db.session.add(self.invitation)
        db.session.commit()
        self.skill = db.session.scalar(select(Skill).order_by(Skill.id))
        self.ids = {"vacancy_id": self.vacancy.id, "employer_id": self.unverified.id,
                    "application_id": self.application.id, "invitation_id": self.invitation.id,
                    "worker_id": self.profile.id, "user_id": self.users["worker"].id, "skill_id": self.skill.id,
                    "code": "en"}


DERIVED = {"dbsearch_ward_distances"}  # 16,000 ward-to-ward distances computed from the wards: no one's data


def snapshot(db) -> dict:
    """Every saved row of every table but the fixed reference data (the skill vocabulary included: admins edit it)."""
    state = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            if (table.name in REFERENCE_TABLES and table.name != "skills") or table.name in DERIVED:
                continue
            state[table.name] = sorted(map(repr, conn.execute(select(table)).all()))
    return state


def _url(app, rule, ids) -> str | None:
    if any(arg not in ids for arg in rule.arguments):
        return None
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **{arg: ids[arg] for arg in rule.arguments})


def _session_user(client, take_flashes: bool = False):
    """The logged-in user id of the client's session and (taken, so they do not pile up) its notices."""
    with client.session_transaction() as sess:
        flashes = list(sess.pop("_flashes", [])) if take_flashes else []
        return sess.get("_user_id"), flashes


def _login(client, user):
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, f"could not log in as {user.email}"


def discover(app, client, ids) -> list[dict]:
    """Every form the role sees on every page it can open, plus every POST route (with a matching form's
    fields where one exists)."""
    forms: dict[tuple[str, str], dict] = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in NEVER | SKIP_PAGES or rule.rule.startswith("/api/"):
            continue
        url = _url(app, rule, ids)
        if url is None:
            continue
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        for form in read(response.get_data(as_text=True)).forms:
            action = urlsplit(form["action"] or url).path
            key = (form["method"], action)
            if key not in forms:
                forms[key] = {"method": form["method"], "action": action, "fields": dict(form["fields"]),
                              "page": url}
            else:
                forms[key]["fields"].update(form["fields"])
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint in NEVER or rule.rule.startswith("/api/"):
            continue
        url = _url(app, rule, ids)
        if url is not None and ("post", url) not in forms:
            forms[("post", url)] = {"method": "post", "action": url, "fields": {}, "page": None}
    return [form for key, form in sorted(forms.items()) if form["action"] != "/auth/logout"]


def check_language(errors: list[str], locale: str, where: str) -> None:
    """Refusal texts are in the user's language: no English defaults for Vietnamese readers, no Vietnamese for
    English readers."""
    joined = " | ".join(errors)
    if locale == "vi":
        assert not ENGLISH_DEFAULTS.search(joined), f"{where}: English message for a Vietnamese reader: {joined}"
        assert VIETNAMESE.search(joined), f"{where}: refusal not in Vietnamese: {joined}"
    else:
        # Vietnamese letters may appear in examples of input ("8 triệu"); Vietnamese sentences may not.
        assert not VIETNAMESE_PHRASES.search(joined), f"{where}: Vietnamese message for an English reader: {joined}"


@pytest.mark.parametrize("role", ROLES)
def test_every_form_survives_generated_input(app, db, factory, role):
    began = time.perf_counter()
    world = World(db, factory)
    user = world.users.get(role)

    def current_locale() -> str:
        if user is None:
            return "vi"
        db.session.expire(user)
        return user.locale or "vi"
    client = app.test_client()
    if user:
        _login(client, user)
    forms = discover(app, client, world.ids)
    assert len(forms) >= 5, forms
    stats = {"forms": len(forms), "examples": 0, "refused": 0, "status": {}}
    timings: list[tuple] = []
    history: list[tuple] = []

    saved = {"state": snapshot(db)}  # the state after the last submission: the next one's "before"

    for form in forms:
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(form_data(form["fields"]))
        def submit(generated):
            values, extra = generated
            data = {}
            for name, value in values.items():
                if value is None:
                    continue
                if isinstance(value, bytes):
                    data[name] = (io.BytesIO(value), "cv.pdf")
                else:
                    data[name] = value
            if extra:
                data.setdefault(extra[0], extra[1])
            logged_in, _ = _session_user(client, take_flashes=True)
            if user and logged_in is None:
                _login(client, user)  # a successful submission ended the session (e.g. a role change)
                saved["state"] = snapshot(db)
            before = saved["state"]
            where = f"{role} {form['method'].upper()} {form['action']} {data!r:.300}"
            if form["method"] == "post":
                response = client.post(form["action"], data=data, content_type=None if not any(
                    isinstance(v, tuple) for v in data.values()) else "multipart/form-data")
            else:
                response = client.get(form["action"], query_string={k: v for k, v in data.items()
                                                                     if not isinstance(v, tuple)})
            status = response.status_code
            history.append((form["method"], form["action"], status))
            stats["examples"] += 1
            stats["status"][status] = stats["status"].get(status, 0) + 1
            assert status < 500, where
            html = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
            page = read(html) if html else None
            refused_flash: list[str] = []
            if status in (302, 303) and urlsplit(response.location).path.startswith("/"):
                # Where a person lands next: its notices (flashes) and the language it is in.
                landing = client.get(urlsplit(response.location).path)
                if landing.status_code == 200 and landing.mimetype == "text/html":
                    page = read(landing.get_data(as_text=True))
                    refused_flash = page.flash_errors
                landing.close()
            refused = status >= 400 or (form["method"] == "post" and status == 200 and page and page.errors) \
                or (status in (302, 303) and refused_flash)
            if refused:
                stats["refused"] += 1
                messages = refused_flash if status in (302, 303) else (page.errors if page else [])
                if response.mimetype == "application/json":
                    messages = [response.get_json()["error"]["message"]]
                if not (status in (401, 302, 303) and not messages):  # else: sent to the login page, which says so
                    assert messages, f"{where}: refused ({status}) without a message"
                    # The user's language is the one the page is in (a fuzzed /lang/en may have switched it).
                    check_language(messages, (page.lang if page and page.lang else current_locale()),
                                   f"{where} after {history[-4:-1]}")
            after = snapshot(db) if form["method"] == "post" else before
            if refused and form["method"] == "post":
                assert after == before, f"{where}: a refused submission changed saved data"
            saved["state"] = after
            if role == "anonymous" and _session_user(client)[0] is not None:
                client.post("/auth/logout")  # a successful registration logged us in: be anonymous again
            response.close()

        started = time.perf_counter()
        submit()
        timings.append((round(time.perf_counter() - started, 2), form["method"], form["action"]))
    stats["seconds"] = round(time.perf_counter() - began, 1)
    print(f"\nfuzz {role}: {stats}; slowest forms (s): {sorted(timings, reverse=True)[:5]}")
    assert stats["examples"] >= len(forms)
