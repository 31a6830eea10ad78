"""A worker's phone and email never reach an employer before the worker applies or accepts an invitation.

Ten workers with unique phone numbers and emails, all visible and matching employer A's vacancy. Every page and API
route an employer can GET is fetched as employer A (every rule of the app, path parameters filled with employer A's
objects and each worker in turn); no phone or email may appear, in any common spelling. Then one worker applies and
another accepts an invitation: only their contact appears, only where an employer handles applications.
"""
from __future__ import annotations

import json
import re
import unicodedata
from urllib.parse import unquote

import pytest
from flask import url_for

from jobmarket.auth.services import issue_token
from jobmarket.models import Employer
from jobmarket.search.es_backend import documents

N = 10
SEPARATOR = r"[\s.\-()]*"


def phone_of(i: int) -> str:
    return f"09870000{i:02d}"


def emails_of(i: int) -> tuple[str, str]:
    """(account email, contact email)."""
    return f"w{i}@privacy.vn", f"lienhe.w{i}@privacy.vn"


def phone_pattern(phone: str) -> re.Pattern:
    """0987000001 as written in any usual way: 098 700 0001, 0987.000.001, +84 987 000 001, (+84) 987000001."""
    digits = SEPARATOR.join(phone[1:])
    return re.compile(rf"(?<!\d)(?:\(?\+?84\)?|0){SEPARATOR}{digits}(?!\d)")


def normalised(text: str) -> str:
    """The text NFC-normalised, percent-decoded and lower-cased, so encoded variants are found too."""
    return unicodedata.normalize("NFC", unquote(text)).lower()


def leaked(text: str, indexes) -> list[int]:
    """The workers (by index) whose phone or email appears in text."""
    text = normalised(text)
    found = []
    for i in indexes:
        if phone_pattern(phone_of(i)).search(text) or any(e in text for e in emails_of(i)):
            found.append(i)
    return found


def test_patterns_find_the_usual_spellings():
    """The detector itself finds formatted and encoded variants (otherwise the checks below prove nothing)."""
    for sample in ("0987000001", "098 700 0001", "0987.000.001", "+84 987 000 001", "(+84) 987-000-001",
                   "W1%40privacy.vn", "LIENHE.W1@PRIVACY.VN", '"phone": "0987000001"'):
        assert leaked(sample, [1]) == [1], sample
    assert leaked("10987000001 and 09870000012", [1]) == []


@pytest.fixture
def seeded(app, db, factory):
    """Employer A with an open vacancy, employer B, ten visible matching workers with unique contacts."""
    employer_a, employer_b = factory.employer(), factory.employer()
    vacancy = factory.vacancy(employer=employer_a, title="Thợ hàn điện", required=("han-dien",))
    draft = factory.vacancy(employer=employer_a, title="Thợ hàn điện ca đêm", required=("han-dien",),
                            status="draft", published_at=None)
    workers = {}
    for i in range(1, N + 1):
        account, contact = emails_of(i)
        workers[i] = factory.worker(email=account, contact_email=contact, phone=phone_of(i), skills=("han-dien",),
                                    is_visible=True, is_seeking=True)
    ids = {i: w.id for i, w in workers.items()}
    users = {i: w.user_id for i, w in workers.items()}
    return {"employer_a": employer_a.id, "employer_b": employer_b.id, "vacancy": vacancy.id, "draft": draft.id,
            "workers": ids, "users": users, "owner_a": employer_a.owner_id, "token_a": issue_token(employer_a.owner)[0]}


def signed_in(app, user_id: int):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["_fresh"] = True
    return client


def employer_views(app, seeded) -> list[str]:
    """Every GET path of the app that takes no parameter or only ones employer A's world can fill."""
    fill = {"vacancy_id": [seeded["vacancy"], seeded["draft"]], "worker_id": list(seeded["workers"].values()),
            "employer_id": [seeded["employer_a"], seeded["employer_b"]], "code": ["vi"],
            "user_id": [seeded["owner_a"]], "name": ["tong-hop", "phuong-xa"], "fmt": ["csv"]}
    paths = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or "GET" not in rule.methods or not set(rule.arguments) <= set(fill):
            continue
        combos = [{}]
        for argument in sorted(rule.arguments):
            combos = [dict(c, **{argument: v}) for c in combos for v in fill[argument]]
        with app.test_request_context():
            paths += [url_for(rule.endpoint, **combo) for combo in combos]
    return sorted(set(paths))


def fetch_all(app, seeded, paths) -> dict[str, str]:
    """Each path as employer A (session for pages, bearer token for the API), decoded to text."""
    client = signed_in(app, seeded["owner_a"])
    pages = {}
    for path in paths:
        headers = {"Authorization": f"Bearer {seeded['token_a']}"} if path.startswith("/api/") else {}
        response = client.get(path, headers=headers)
        pages[path] = response.get_data(as_text=False).decode("utf-8", "replace")
        response.close()
    # the searches an employer might run, with a query
    for extra in ("/api/v1/vacancies?q=han", "/viec-lam?q=han"):
        response = client.get(extra, headers={"Authorization": f"Bearer {seeded['token_a']}"})
        pages[extra] = response.get_data(as_text=True)
        response.close()
    return pages


def index_documents(seeded) -> str:
    """The search documents of every seeded worker, as JSON text."""
    docs = documents("workers", seeded["workers"].values())
    assert set(docs) == set(seeded["workers"].values()), "every seeded worker is eligible and indexed"
    return json.dumps(docs, ensure_ascii=False)


def assert_nothing_leaks(app, seeded, paths, allowed: dict[int, set[str]]):
    """No contact of any worker appears anywhere, except worker i on the paths in allowed[i]."""
    pages = fetch_all(app, seeded, paths)
    problems = []
    for path, text in pages.items():
        for i in leaked(text, range(1, N + 1)):
            if path not in allowed.get(i, set()):
                problems.append(f"worker {i}'s contact on {path}")
    assert problems == [], "\n".join(problems)
    return pages


def test_no_contact_before_an_application_or_invitation(app, db, seeded):
    """Before anything, no employer-facing page or API shows any phone or email; nor the index or statistics."""
    paths = employer_views(app, seeded)
    must_cover = [f"/doanh-nghiep/tin/{seeded['vacancy']}/ho-so", "/doanh-nghiep/",
                  f"/doanh-nghiep/ung-vien/{seeded['workers'][1]}",
                  f"/api/v1/employer/vacancies/{seeded['vacancy']}/applications"]
    optional = [f"/doanh-nghiep/tin/{seeded['vacancy']}/ung-vien", f"/api/v1/vacancies/{seeded['vacancy']}/candidates",
                "/viec-lam", "/api/v1/stats/summary"]
    missing = [p for p in must_cover if p not in paths]
    assert missing == []
    covered_later = [p for p in optional if p in paths]
    pages = assert_nothing_leaks(app, seeded, paths, {})
    # The pages really show the workers (so "no phone" is not just "no content").
    assert "Nguyễn Văn" in pages[f"/doanh-nghiep/ung-vien/{seeded['workers'][1]}"]
    if f"/doanh-nghiep/tin/{seeded['vacancy']}/ung-vien" in covered_later:
        assert "N. V." in pages[f"/doanh-nghiep/tin/{seeded['vacancy']}/ung-vien"]  # initials before contact
    assert leaked(index_documents(seeded), range(1, N + 1)) == []


def test_contact_appears_only_after_applying_or_accepting(app, db, seeded):
    """Worker 1 applies, worker 2 accepts an invitation: their contact shows on the applications page and their
    profile page for employer A, still nowhere for the eight others, and never in the index."""
    vacancy, workers = seeded["vacancy"], seeded["workers"]
    worker_1 = signed_in(app, seeded["users"][1])
    assert worker_1.post(f"/nguoi-lao-dong/ung-tuyen/{vacancy}", data={"note": "Tôi có 3 năm kinh nghiệm."}) \
        .status_code == 302
    employer = signed_in(app, seeded["owner_a"])
    assert employer.post(f"/doanh-nghiep/tin/{vacancy}/moi/{workers[2]}", data={"message": "Mời bạn."}) \
        .status_code == 302
    worker_2 = signed_in(app, seeded["users"][2])
    invitations = worker_2.get("/api/v1/me/invitations").get_json()["items"]
    assert len(invitations) == 1
    # Before accepting, the invited worker's contact is still hidden.
    assert leaked(employer.get(f"/doanh-nghiep/ung-vien/{workers[2]}").get_data(as_text=True), [2]) == []
    assert worker_2.post(f"/nguoi-lao-dong/loi-moi/{invitations[0]['id']}/nhan-loi").status_code == 302

    paths = employer_views(app, seeded)
    applications = f"/doanh-nghiep/tin/{vacancy}/ho-so"
    api_applications = f"/api/v1/employer/vacancies/{vacancy}/applications"
    # The right is the employer's (any of its vacancies): its candidate lists may now show the contact too.
    candidates = {f"/doanh-nghiep/tin/{v}/ung-vien" for v in (vacancy, seeded["draft"])} | \
        {f"/api/v1/vacancies/{v}/candidates" for v in (vacancy, seeded["draft"])}
    allowed = {i: {applications, api_applications, f"/doanh-nghiep/ung-vien/{workers[i]}"} | candidates
               for i in (1, 2)}
    pages = assert_nothing_leaks(app, seeded, paths, allowed)
    for i in (1, 2):
        for path in allowed[i] & set(pages):
            assert leaked(pages[path], [i]) == [i], f"worker {i}'s contact should show on {path}"
    assert leaked(index_documents(seeded), range(1, N + 1)) == []

    # Employer B gained nothing from the application to employer A.
    other = signed_in(app, db.session.get(Employer, seeded["employer_b"]).owner_id)
    for i in (1, 2):
        assert leaked(other.get(f"/doanh-nghiep/ung-vien/{workers[i]}").get_data(as_text=True), [i]) == []


def test_statistics_never_show_contacts(app, db, seeded):
    """The open statistics API (anonymous) shows no contact, once some applications exist."""
    stats = [r.rule for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1/stats/")]
    assert len(stats) >= 8, stats
    worker_1 = signed_in(app, seeded["users"][1])
    worker_1.post(f"/nguoi-lao-dong/ung-tuyen/{seeded['vacancy']}", data={"note": ""})
    client = app.test_client()
    for path in stats:
        text = client.get(path).get_data(as_text=True)
        assert leaked(text, range(1, N + 1)) == [], path
