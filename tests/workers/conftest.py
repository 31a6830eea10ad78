"""Fixtures for the job seeker's journey: logged-in clients per role, invitations, and real PDF bytes."""
from __future__ import annotations

import re
import zlib

import pytest
from flask import g, request_started

from jobmarket.models import Invitation

from ..factories import PASSWORD


def make_pdf(text: str = "CV Nguyen Van A", padding: int = 0) -> bytes:
    """A small, well-formed one-page PDF (header, objects, xref table, trailer, %%EOF), optionally padded with a
    compressed-looking stream so its size can be pushed past a limit."""
    content = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    if padding:
        blob = zlib.compress(bytes(range(256)) * (padding // 256 + 1), 0)[:padding]
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(blob) + blob + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PNG_BYTES = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
             b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\xbd\xfa\x00\x00\x00\x00IEND\xaeB`\x82")


def login(client, user, password: str = PASSWORD):
    """Log a user in through the real login page."""
    response = client.post("/auth/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.data[:500]
    return response


def flashes(html: str) -> list[str]:
    """The flash messages on a page."""
    return re.findall(r'<p class="flash[^"]*">(.*?)</p>', html, re.S)


def field_errors(html: str) -> dict[str, str]:
    """Field id -> its error text, as the form macros render them."""
    return {m.group(1): m.group(2).strip() for m in re.finditer(r'<p class="error" id="([\w-]+)-error" role="alert">'
                                                                 r'(.*?)</p>', html, re.S)}


@pytest.fixture(autouse=True)
def one_user_per_client(app):
    """The `db` fixture keeps one app context open for the whole test, so every request shares its `g`, where
    flask-login caches the logged-in user: forget that at each request, or all clients would act as the first."""
    def forget(sender, **extra):
        g.pop("_login_user", None)

    request_started.connect(forget, app)
    yield
    request_started.disconnect(forget, app)


@pytest.fixture
def worker_user(factory):
    """A job seeker account without a profile yet."""
    return factory.user("worker", email="nld@example.vn")


@pytest.fixture
def worker_client(app, worker_user):
    """A test client logged in as worker_user."""
    client = app.test_client()
    login(client, worker_user)
    return client


@pytest.fixture
def profile(factory, worker_user):
    """worker_user's profile: a welder in Phường Ba Đình."""
    return factory.worker(user=worker_user, skills=("han-dien",), full_name="Nguyễn Văn Hàn", phone="0912345678",
                          contact_email="han@example.vn")


@pytest.fixture
def invite(db):
    """Make an invitation from a vacancy's employer to a worker."""
    def _invite(vacancy, worker, message: str = "Mời bạn ứng tuyển.") -> Invitation:
        invitation = Invitation(vacancy_id=vacancy.id, worker_id=worker.id, message=message)
        db.session.add(invitation)
        db.session.commit()
        return invitation
    return _invite


@pytest.fixture
def client_for(app):
    """A new client logged in as the given user."""
    def _client(user):
        client = app.test_client()
        login(client, user)
        return client
    return _client
