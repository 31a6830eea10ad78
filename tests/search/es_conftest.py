"""Fixtures for the Elasticsearch backend tests: an ES-API server, a stoppable proxy in front of it, a fixed data set.

The server is osmem-server (started once per run), or the cluster at ELASTICSEARCH_URL when that is set (with
ELASTICSEARCH_SERVER_MODE). Each test uses its own index prefix and deletes its indices afterwards. Test modules
import what they use from here (tests/search/conftest.py belongs to the database backend's tests).
"""
from __future__ import annotations

import os
import random
import socket
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from jobmarket.models import Employer, Skill, User, Vacancy, VacancySkill, Ward, WorkerProfile
from tests.dbutil import missing_dependency

# The moment every score in these tests is computed for (millisecond precision, as Elasticsearch stores dates).
NOW = datetime(2026, 3, 2, 9, 30, 15, 250000)


@dataclass
class Cluster:
    """Where the ES-API server listens."""

    url: str
    server_mode: str | None


@pytest.fixture(scope="session")
def es_cluster():
    """osmem-server for the whole run, or the cluster named by ELASTICSEARCH_URL."""
    url = os.environ.get("ELASTICSEARCH_URL")
    if url:
        yield Cluster(url, os.environ.get("ELASTICSEARCH_SERVER_MODE") or None)
        return
    try:
        from osmem_server import OsmemServer

        server = OsmemServer.start(japanese=False)
    except Exception as exc:  # noqa: BLE001 - any failure to start means the dependency is missing
        missing_dependency(f"osmem-server could not be started: {exc}")
    try:
        yield Cluster(server.url, "serverless")
    finally:
        server.close()
        for stream in (server.process.stdout, server.process.stdin):
            if stream is not None:
                stream.close()


class StoppableProxy:
    """A TCP proxy in front of the server: stop() makes it unreachable (connection refused), hang() makes it accept
    and never answer (client timeouts), start() brings it back on the same port. The server keeps its data, as a
    real cluster's disks would."""

    def __init__(self, upstream_url: str):
        from urllib.parse import urlsplit

        parts = urlsplit(upstream_url)
        self.scheme = parts.scheme
        self.upstream = (parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"{self.scheme}://127.0.0.1:{self.port}"
        self.hanging = False
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()

    def start(self) -> None:
        """Listen (again) on the proxy's port."""
        self.hanging = False
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        """Close the port and every open connection."""
        listener, self._listener = self._listener, None
        if listener is not None:
            try:
                listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            listener.close()
        with self._lock:
            for s in list(self._sockets):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()
            self._sockets.clear()

    def hang(self) -> None:
        """Accept connections, open or new, but forward nothing."""
        self.hanging = True

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            with self._lock:
                self._sockets.add(client)
            if self.hanging:
                continue
            try:
                upstream = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._sockets.add(upstream)
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if not self.hanging:  # hanging: swallow the traffic, answer nothing
                    sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


@pytest.fixture
def es_proxy(es_cluster):
    """A stoppable proxy in front of the server, listening."""
    proxy = StoppableProxy(es_cluster.url)
    proxy.start()
    yield proxy
    proxy.stop()


def es_settings(url: str, server_mode: str | None) -> dict:
    """App configuration for an Elasticsearch backend at `url` with a prefix of its own."""
    return {"ELASTICSEARCH_URL": url, "ELASTICSEARCH_SERVER_MODE": server_mode, "ELASTICSEARCH_TIMEOUT": 1.0,
            "ELASTICSEARCH_INDEX_PREFIX": f"jmtest-{uuid.uuid4().hex[:10]}"}


@pytest.fixture
def es_app(make_app, app_config, es_cluster):
    """An app (sharing the test database) with Elasticsearch configured; its indices are deleted afterwards."""
    application = make_app({**app_config, **es_settings(es_cluster.url, es_cluster.server_mode)})
    yield application
    with application.app_context():
        from jobmarket.search import es_backend

        es_backend.delete_all_indices()


@pytest.fixture
def es_db(es_app, db):
    """The database inside the Elasticsearch app's context (the test's tables are the same as `db`'s)."""
    from jobmarket.extensions import db as _db

    with es_app.app_context():
        yield _db


# ----------------------------------------------------------------------------------------------- the fixed data set

VACANCY_TITLES = ["Kế toán tổng hợp", "Kế toán thuế", "Thợ hàn điện", "Thợ hàn ống", "Lập trình viên Python",
                  "Lái xe tải hạng C", "Nhân viên phục vụ nhà hàng", "Đầu bếp món Á", "Thợ điện dân dụng",
                  "Nhân viên kinh doanh", "Nhân viên kho", "Thu ngân siêu thị"]
DESCRIPTIONS = ["Làm việc giờ hành chính, đóng bảo hiểm đầy đủ.", "Ưu tiên người có kinh nghiệm hàn kết cấu thép.",
                "Môi trường trẻ, được đào tạo thêm.", "Lương thỏa thuận theo năng lực, thưởng cuối năm.", ""]
SKILL_SLUGS = ["han-dien", "han-tig", "han-ong", "ket-cau-thep", "dien-dan-dung", "dien-cong-nghiep", "dien-lanh",
               "sua-chua-o-to", "sua-xe-may", "co-khi-che-tao", "bao-tri-may", "doc-ban-ve-co-khi", "han-inox",
               "cat-plasma", "lap-dat-dieu-hoa", "thuy-luc-khi-nen"]


@dataclass
class Dataset:
    """Ids of what build_dataset made."""

    vacancies: list[int] = field(default_factory=list)
    workers: list[int] = field(default_factory=list)
    eligible_vacancies: list[int] = field(default_factory=list)
    eligible_workers: list[int] = field(default_factory=list)
    contacts: list[tuple[str, str, str]] = field(default_factory=list)  # (full_name, phone, email) of every worker


def build_dataset(db, seed: int = 20260302, n_vacancies: int = 70, n_workers: int = 90) -> Dataset:
    """A reproducible mix of eligible and ineligible vacancies and workers, with ties, edge cases and skill weights
    that differ, committed in one transaction (so its outbox entries are drained together)."""
    rng = random.Random(seed)
    session = db.session
    wards = list(session.scalars(select(Ward).order_by(Ward.code)))
    near = [w for w in wards if w.district.name_vi in {"Đống Đa", "Ba Đình", "Cầu Giấy", "Hoàn Kiếm", "Thanh Xuân",
                                                       "Hai Bà Trưng", "Tây Hồ", "Hoàng Mai"}]
    places = near * 3 + wards  # mostly central, some anywhere in the city
    skills = [session.scalar(select(Skill).where(Skill.slug == s)) for s in SKILL_SLUGS]
    for skill in skills:
        skill.weight = round(rng.uniform(1.0, 3.0), 6)
    n = 0

    def user(role: str) -> User:
        nonlocal n
        n += 1
        u = User(email=f"es-{role}-{seed}-{n}@example.vn", password_hash="!", role=role, locale="vi")
        session.add(u)
        return u

    employers = []
    for i in range(4):
        employer = Employer(owner=user("employer"), name=f"Công ty Kiểm Thử {i}", tax_code=f"01{seed % 1000:03d}{i:05d}",
                            ward_code=rng.choice(near).code, sector="Xây dựng", contact_person="Trần Thị Lan",
                            contact_phone=f"08{i:08d}", status="unverified" if i == 3 else "verified")
        session.add(employer)
        employers.append(employer)

    vacancies: list[tuple[Vacancy, bool]] = []
    for i in range(n_vacancies):
        employer = employers[i % 4]
        status = rng.choices(["open", "closed", "draft"], [85, 10, 5])[0]
        wage_min = rng.choice([None, 6, 8, 9, 10, 12, 15])
        wage_max = rng.choice([None, wage_min + 2, wage_min + 5]) if wage_min else rng.choice([None, 11])
        published = NOW - timedelta(days=rng.uniform(0, 150), seconds=rng.randint(0, 86_400))
        published = published.replace(microsecond=0)
        if i % 23 == 5:
            published = NOW + timedelta(days=2)  # scheduled in the future: freshness 1
        ward = rng.choice(places)
        title = rng.choice(VACANCY_TITLES)
        v = Vacancy(employer=employer, title=title, description=rng.choice(DESCRIPTIONS), ward_code=ward.code,
                    wage_min=wage_min * 1_000_000 if wage_min else None,
                    wage_max=wage_max * 1_000_000 if wage_max else None, positions=2,
                    job_type=rng.choice(["full_time", "part_time", "shift"]), status=status,
                    published_at=None if i == 7 else published)
        chosen = rng.sample(skills, rng.randint(1, 6))
        n_required = rng.randint(0, len(chosen)) if i % 9 == 4 else rng.randint(1, len(chosen))
        v.skill_links = [VacancySkill(skill_id=s.id, required=k < n_required) for k, s in enumerate(chosen)]
        session.add(v)
        vacancies.append((v, status == "open" and employer.status == "verified"))
    # Ties: three identical vacancies (same facts), and two identical workers below.
    template = vacancies[0][0]
    for _ in range(3):
        twin = Vacancy(employer=employers[0], title=template.title, description=template.description,
                       ward_code=template.ward_code, wage_min=template.wage_min, wage_max=template.wage_max,
                       positions=1, job_type=template.job_type, status="open", published_at=template.published_at)
        twin.skill_links = [VacancySkill(skill_id=link.skill_id, required=link.required) for link in template.skill_links]
        session.add(twin)
        vacancies.append((twin, True))

    workers: list[tuple[WorkerProfile, bool]] = []
    contacts = []
    for i in range(n_workers):
        u = user("worker")
        hidden, not_seeking, disabled = i % 17 == 3, i % 19 == 4, i % 23 == 6
        u.is_enabled = not disabled
        home = rng.choice(places) if i % 13 != 2 else None
        preferred = rng.sample(places, rng.randint(1, 3)) if rng.random() < 0.4 else []
        full_name, phone, email = f"Nguyễn Thị Kiểm {i}", f"09{seed % 97:02d}{i:06d}", f"kiem{i}-{seed}@lienhe.vn"
        contacts.append((full_name, phone, email))
        active = NOW - timedelta(days=rng.uniform(0, 90), seconds=rng.randint(0, 86_400))
        if i % 29 == 8:
            active = NOW + timedelta(hours=3)
        w = WorkerProfile(user=u, full_name=full_name, phone=phone, contact_email=email, birth_year=1990, sex="female",
                          ward_code=home.code if home else None, anywhere_in_hanoi=not preferred or i % 5 == 0,
                          expected_wage=rng.choice([None, 7, 8, 10, 12, 14, 18]),
                          job_type=rng.choice(["full_time", "part_time"]), is_visible=not hidden,
                          is_seeking=not not_seeking, last_active_at=active.replace(microsecond=0))
        if w.expected_wage:
            w.expected_wage *= 1_000_000
        w.skills = rng.sample(skills, rng.randint(1, 5)) if i % 31 != 9 else []
        w.preferred_wards = preferred
        session.add(w)
        workers.append((w, not (hidden or not_seeking or disabled)))
    twin_of = workers[1][0]
    for _ in range(2):
        u = user("worker")
        twin = WorkerProfile(user=u, full_name="Trần Văn Sinh Đôi", phone="0912000000", contact_email="doi@lienhe.vn",
                             ward_code=twin_of.ward_code, anywhere_in_hanoi=twin_of.anywhere_in_hanoi,
                             expected_wage=twin_of.expected_wage, job_type=twin_of.job_type,
                             last_active_at=twin_of.last_active_at)
        twin.skills = list(twin_of.skills)
        twin.preferred_wards = list(twin_of.preferred_wards)
        session.add(twin)
        workers.append((twin, workers[1][1]))
        contacts.append(("Trần Văn Sinh Đôi", "0912000000", "doi@lienhe.vn"))
    session.commit()
    return Dataset(vacancies=[v.id for v, _ in vacancies], workers=[w.id for w, _ in workers],
                   eligible_vacancies=sorted(v.id for v, ok in vacancies if ok),
                   eligible_workers=sorted(w.id for w, ok in workers if ok), contacts=contacts)


def index_snapshot(kind: str) -> dict[int, tuple[int, dict]]:
    """Every document of a kind in the live index: {id: (version, source)}."""
    from elasticsearch import helpers

    from jobmarket.search import es_backend

    es = es_backend.bulk_client()
    es.indices.refresh(index=es_backend.alias_name(kind))
    return {int(h["_id"]): (h["_version"], h["_source"])
            for h in helpers.scan(es, index=es_backend.alias_name(kind),
                                  query={"query": {"match_all": {}}, "version": True}, size=500)}


def database_snapshot(kind: str) -> dict[int, tuple[int, dict]]:
    """What the index should hold for a kind, built from the database now: {id: (version, document)}."""
    import json

    from jobmarket.search import es_backend

    built = es_backend.documents(kind, es_backend.eligible_ids(kind))
    return {i: (v, json.loads(json.dumps(d))) for i, (v, d) in built.items()}


@pytest.fixture
def es_proxy_app(make_app, app_config, es_cluster, es_proxy):
    """An app whose Elasticsearch is reached through the stoppable proxy; its indices are deleted afterwards."""
    application = make_app({**app_config, **es_settings(es_proxy.url, es_cluster.server_mode)})
    yield application
    if es_proxy.hanging or es_proxy._listener is None:
        es_proxy.stop()
        es_proxy.start()
    with application.app_context():
        from jobmarket.search import es_backend

        es_backend.delete_all_indices()


@pytest.fixture
def es_proxy_db(es_proxy_app, db):
    """The database inside the proxied app's context."""
    from jobmarket.extensions import db as _db

    with es_proxy_app.app_context():
        yield _db
