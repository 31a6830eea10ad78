"""Load test of the real stack: the app under gunicorn on a generated city, driven by a bounded request mix.

    python bench/load.py --backend postgresql --scale 1.0 --seconds 60 --clients 8
    python bench/load.py --backend sqlite --scale 0.05 --seconds 20      # a quick look

Builds its own throwaway database (the matching bench's generator: 100,000 vacancies and 200,000 job seekers at
scale 1.0), starts `gunicorn -w 2 wsgi:app` on a free loopback port, logs in a sample of job seekers, employers
and officers through the real login page (and the token API), then sends a realistic mix from `--clients`
threads with keep-alive connections until `--seconds` have passed or `--max-requests` were sent: anonymous search
with and without text and filters, vacancy pages, the home page, the vacancies API, logged-in job seekers' matches,
applications and applying, employers' candidate lists, applications and moves, officers' statistics. Only
127.0.0.1 is ever contacted. Prints the machine, one line per page kind, and ends with one JSON line: `rps`,
`p50_ms`, `p95_ms`, `p99_ms`, `errors` overall and per kind. An error is a 5xx, a time-out, a refused connection,
or any status the kind does not expect.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from urllib.parse import urlencode

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "bench"))
os.environ.setdefault("JOBMARKET_ENV", "testing")

import match as matchbench  # noqa: E402  (the matching bench's database, generator and helpers)

PASSWORD = "bench-password-2026"
QUERIES = ["kế toán", "ke toan", "thợ hàn", "lái xe", "nhân viên kinh doanh", "bán hàng", "điện", "phục vụ",
           "bảo vệ", "it", "công nhân", "may", "giáo viên", "tiếng anh", "xây dựng", "nấu ăn", "kho", "cskh"]
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def log(message: str) -> None:
    """Progress on stderr, so stdout stays the report."""
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Client:
    """One keep-alive HTTP connection to the app with its own cookies (one browser, one person)."""

    def __init__(self, port: int, timeout: float):
        self.port, self.timeout = port, timeout
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        """Send one request; (status, body bytes). Reconnects once when the server closed the connection."""
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn.close()
                self.conn = None
                if attempt or method != "GET":  # a POST may have been done: never send it twice
                    raise
                continue
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            if response.getheader("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
            return response.status, data
        raise RuntimeError("unreachable")

    def login(self, email: str) -> None:
        """Log in through the real login page (CSRF token included)."""
        status, page = self.request("GET", "/auth/login")
        token = CSRF.search(page.decode())
        form = {"email": email, "password": PASSWORD}
        if token:
            form["csrf_token"] = token.group(1)
        status, _ = self.request("POST", "/auth/login", urlencode(form).encode(),
                                 {"Content-Type": "application/x-www-form-urlencoded"})
        if status not in (302, 303):
            raise RuntimeError(f"login of {email} answered {status}")


def api_token(port: int, email: str) -> str:
    """A bearer token from the token API."""
    client = Client(port, 30)
    status, data = client.request("POST", "/api/v1/auth/token", json.dumps({"email": email, "password": PASSWORD})
                                  .encode(), {"Content-Type": "application/json"})
    if status != 201:
        raise RuntimeError(f"token for {email}: {status} {data[:200]!r}")
    return json.loads(data)["token"]


def build(url: str, instance: str, scale: float, seed: int, n_seekers: int, n_employers: int) -> dict:
    """Generate the city, give a sample of accounts a password, index for search; the people to play."""
    from sqlalchemy import text

    from jobmarket.auth.passwords import hash_password
    from jobmarket.auth.services import create_user
    from jobmarket.extensions import db
    from jobmarket.search import service
    from jobmarket.vocabulary import recompute_skill_weights

    n_vac = max(50, round(matchbench.FULL_VACANCIES * scale))
    n_work = max(100, round(matchbench.FULL_WORKERS * scale))
    app = matchbench.make_app(url, instance)
    rng = random.Random(seed)
    with app.app_context():
        t0 = time.perf_counter()
        with db.engine.begin() as conn:
            counts = matchbench.generate(conn, n_vac, n_work, seed, datetime.utcnow() - timedelta(minutes=5))
        log(f"generated in {time.perf_counter() - t0:.1f}s: {counts}")
        recompute_skill_weights(queue=False)
        db.session.remove()
        t0 = time.perf_counter()
        service.backend_named("database").rebuild()
        kind = db.engine.dialect.name
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE" if kind == "postgresql" else "ANALYZE"))
        log(f"indexed in {time.perf_counter() - t0:.1f}s")
        with db.engine.begin() as conn:
            open_ids = [r[0] for r in conn.execute(text(
                "SELECT v.id FROM vacancies v JOIN employers e ON e.id = v.employer_id "
                "WHERE v.status = 'open' AND e.status = 'verified' ORDER BY v.id"))]
            employers = [tuple(r) for r in conn.execute(text(
                "SELECT e.owner_id, MIN(v.id), u.email FROM employers e JOIN vacancies v ON v.employer_id = e.id "
                "JOIN users u ON u.id = e.owner_id WHERE e.status = 'verified' AND v.status = 'open' "
                "GROUP BY e.owner_id, u.email ORDER BY e.owner_id"))]
            employers = rng.sample(employers, min(n_employers, len(employers)))
            seekers = [tuple(r) for r in conn.execute(text(
                "SELECT u.id, u.email FROM users u JOIN worker_profiles w ON w.user_id = u.id "
                "WHERE w.is_visible AND w.is_seeking AND u.is_enabled ORDER BY u.id"))]
            seekers = rng.sample(seekers, min(n_seekers, len(seekers)))
            own = {}
            for owner, _, _ in employers:
                own[owner] = [r[0] for r in conn.execute(text(
                    "SELECT v.id FROM vacancies v JOIN employers e ON e.id = v.employer_id "
                    "WHERE e.owner_id = :o AND v.status = 'open' ORDER BY v.id"), {"o": owner})]
            hashed = hash_password(PASSWORD)
            ids = [u for u, _ in seekers] + [o for o, _, _ in employers]
            for start in range(0, len(ids), 500):
                conn.execute(text("UPDATE users SET password_hash = :h WHERE id IN (%s)" % ",".join(
                    str(i) for i in ids[start:start + 500])), {"h": hashed})
        officers = []
        for i in range(3):
            email = f"officer{i}@bench.example.vn"
            create_user(email, PASSWORD, "officer")
            officers.append(email)
        db.session.remove()
        db.engine.dispose()
    return {"open_ids": open_ids, "employers": [(e, own[e[0]]) for e in employers], "seekers": seekers,
            "officers": officers, "vacancies": n_vac, "workers": n_work}


def start_gunicorn(url: str, instance: str, port: int, workers: int, worker_class: str, threads: int):
    """gunicorn serving wsgi:app on the bench database; returns the process once /healthz answers."""
    env = dict(os.environ, DATABASE_URL=url, JOBMARKET_ENV="development", SECRET_KEY="bench-secret",
               JOBMARKET_INSTANCE_PATH=instance, UPLOAD_FOLDER=os.path.join(instance, "uploads"))
    env.pop("ELASTICSEARCH_URL", None)
    cmd = [os.path.join(ROOT, ".venv/bin/gunicorn"), "-w", str(workers), "-k", worker_class, "--threads",
           str(threads), "-b", f"127.0.0.1:{port}", "--timeout", "60", "--keep-alive", "30",
           "--log-level", "warning", "wsgi:app"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _ = Client(port, 2).request("GET", "/healthz")
            if status == 200:
                return proc
        except OSError:
            pass
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited during start-up")
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


class Person:
    """Whom one load thread plays: anonymous visits plus one job seeker, one employer and one officer session."""

    def __init__(self, port, timeout, seeker, employer, officer, vacancies, seed):
        self.rng = random.Random(seed)
        self.anon = Client(port, timeout)
        self.vacancies = vacancies
        self.seeker = self.employer = self.officer = None
        if seeker:
            self.seeker = Client(port, timeout)
            self.seeker.login(seeker[1])
            self.seeker_token = api_token(port, seeker[1])
            self.to_apply = [v for v in self.rng.sample(vacancies, min(400, len(vacancies)))]
            self.applied: list[int] = []
        if employer:
            (owner, _first, email), own = employer
            self.employer = Client(port, timeout)
            self.employer.login(email)
            self.employer_token = api_token(port, email)
            self.own = own[:50]
            self.to_move: list[tuple[int, str]] = []
        if officer:
            self.officer = Client(port, timeout)
            self.officer.login(officer)


STEP = {"received": "shortlisted", "shortlisted": "interview", "interview": "rejected"}


def kinds(person: Person) -> list[tuple[str, float, object]]:
    """The request mix: (kind, weight, function returning (client, method, path, body, headers, expected))."""
    rng = person.rng

    def search_plain():
        return person.anon, "GET", "/viec-lam", None, None, (200,)

    def search_text():
        return person.anon, "GET", "/viec-lam?" + urlencode({"q": rng.choice(QUERIES)}), None, None, (200,)

    def search_filtered():
        params = {"q": rng.choice(QUERIES + [""]), "job_type": rng.choice(["full_time", "part_time", ""]),
                  "min_wage": rng.choice(["", "8000000", "12000000"]), "page": rng.choice(["1", "1", "2", "5"])}
        return person.anon, "GET", "/viec-lam?" + urlencode(params), None, None, (200,)

    def vacancy_page():
        return person.anon, "GET", f"/viec-lam/{rng.choice(person.vacancies)}", None, None, (200,)

    def home():
        return person.anon, "GET", "/", None, None, (200,)

    def api_search():
        return person.anon, "GET", "/api/v1/vacancies?" + urlencode({"q": rng.choice(QUERIES)}), None, None, (200,)

    mix = [("search_plain", 14, search_plain), ("search_text", 18, search_text),
           ("search_filtered", 10, search_filtered), ("vacancy_page", 14, vacancy_page), ("home", 10, home),
           ("api_search", 6, api_search)]
    if person.seeker:
        def matches():
            return person.seeker, "GET", "/viec-lam/phu-hop", None, None, (200,)

        def my_applications():
            return person.seeker, "GET", "/nguoi-lao-dong/don-ung-tuyen", None, None, (200,)

        def apply():
            vacancy = person.to_apply.pop() if person.to_apply else rng.choice(person.vacancies)
            return (person.seeker, "POST", f"/api/v1/vacancies/{vacancy}/applications", b"{}",
                    {"Authorization": f"Bearer {person.seeker_token}", "Content-Type": "application/json"},
                    (201,) if person.to_apply else (201, 409))

        mix += [("seeker_matches", 8, matches), ("seeker_applications", 4, my_applications),
                ("seeker_apply", 2, apply)]
    if person.employer:
        def candidates():
            return person.employer, "GET", f"/doanh-nghiep/tin/{rng.choice(person.own)}/ung-vien", None, None, (200,)

        def applications():
            return person.employer, "GET", f"/doanh-nghiep/tin/{rng.choice(person.own)}/ho-so", None, None, (200,)

        mix += [("employer_candidates", 5, candidates), ("employer_applications", 3, applications)]
    if person.officer:
        def statistics():
            return person.officer, "GET", "/can-bo/thong-ke", None, None, (200,)

        mix += [("officer_stats", 2, statistics)]
    return mix


def employer_moves(person: Person, port: int) -> list[tuple[int, str]]:
    """The applications this employer can move (id, status), read from the API."""
    found = []
    client = Client(port, 30)
    for vacancy in person.own[:20]:
        status, data = client.request("GET", f"/api/v1/employer/vacancies/{vacancy}/applications",
                                      headers={"Authorization": f"Bearer {person.employer_token}"})
        if status == 200:
            body = json.loads(data)
            items = body.get("items", body) if isinstance(body, dict) else body
            found += [(a["id"], a["status"]) for a in items if a.get("status") in STEP]
    return found


def drive(people, port, seconds, max_requests, warmup, timeout):
    """Run the threads; per kind, the latencies (ms) and the errors of the timed phase."""
    results: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    samples: dict[str, list[str]] = {}
    lock = threading.Lock()
    sent = [0]
    start = time.monotonic()
    stop_at = start + warmup + seconds

    def worker(person: Person):
        mix = kinds(person)
        if person.employer:
            def move():
                app_id, status = person.to_move.pop()
                nxt = STEP[status]
                if nxt in STEP:
                    person.to_move.insert(0, (app_id, nxt))
                return (person.employer, "POST", f"/api/v1/applications/{app_id}/move",
                        json.dumps({"to_status": nxt, "reason": "bench"}).encode(),
                        {"Authorization": f"Bearer {person.employer_token}", "Content-Type": "application/json"},
                        (200,))
            mix.append(("employer_move", 2, move))
        names = [m[0] for m in mix]
        weights = [m[1] for m in mix]
        calls = {m[0]: m[2] for m in mix}
        first = list(names)  # every kind once first, so even a short run covers the whole mix
        while True:
            now = time.monotonic()
            with lock:
                if now >= stop_at or sent[0] >= max_requests:
                    return
                sent[0] += 1
            kind = first.pop(0) if first else person.rng.choices(names, weights)[0]
            if kind == "employer_move" and not person.to_move:
                kind = "employer_applications"
            client, method, path, body, headers, expected = calls[kind]()
            t0 = time.perf_counter()
            try:
                status, _ = client.request(method, path, body, headers)
                problem = None if status in expected else f"{status} {method} {path}"
            except (OSError, http.client.HTTPException) as exc:
                problem = f"{type(exc).__name__} {method} {path}"
            elapsed = (time.perf_counter() - t0) * 1000
            if time.monotonic() - start < warmup:
                continue
            with lock:
                results.setdefault(kind, []).append(elapsed)
                if problem:
                    errors[kind] = errors.get(kind, 0) + 1
                    samples.setdefault(kind, []).append(problem) if len(samples.get(kind, [])) < 3 else None

    threads = [threading.Thread(target=worker, args=(p,), daemon=True) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=warmup + seconds + timeout + 30)
    return results, errors, samples, min(time.monotonic(), stop_at) - start - warmup


def summarise(results, errors, elapsed) -> dict:
    """rps and percentiles per kind and overall."""
    pct = matchbench.percentile
    report = {}
    every = []
    for kind in sorted(results):
        values = results[kind]
        every += values
        report[kind] = {"n": len(values), "rps": round(len(values) / elapsed, 1), "p50_ms": round(pct(values, 50), 1),
                        "p95_ms": round(pct(values, 95), 1), "p99_ms": round(pct(values, 99), 1),
                        "errors": errors.get(kind, 0)}
    overall = {"n": len(every), "rps": round(len(every) / elapsed, 1), "p50_ms": round(pct(every, 50), 1),
               "p95_ms": round(pct(every, 95), 1), "p99_ms": round(pct(every, 99), 1),
               "errors": sum(errors.values())}
    anon = [v for k in ("search_plain", "search_text", "search_filtered", "api_search") for v in results.get(k, [])]
    overall["anonymous_search_p95_ms"] = round(pct(anon, 95), 1) if anon else None
    return {"overall": overall, "kinds": report}


def main(argv=None) -> int:
    """Build, serve, drive, report."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--seconds", type=float, default=60, help="timed phase (bounded)")
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--max-requests", type=int, default=50_000, help="stop after this many requests")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--worker-class", default="gthread")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--timeout", type=float, default=10, help="client time-out per request (s)")
    parser.add_argument("--keep", action="store_true", help="keep the database (prints its URL)")
    args = parser.parse_args(argv)
    if args.seconds > 900 or args.max_requests > 1_000_000:
        parser.error("the load is bounded: at most 900 s and 1,000,000 requests")

    summary = {"backend": args.backend, "scale": args.scale, "clients": args.clients, "gunicorn_workers": args.workers,
               "worker_class": args.worker_class, "threads": args.threads, "machine": matchbench.machine()}
    log(f"machine: {summary['machine']}")
    with matchbench.throwaway_database(args.backend, keep=args.keep) as url, \
            tempfile.TemporaryDirectory() as instance:
        people_data = build(url, instance, args.scale, args.seed, n_seekers=args.clients * 2,
                            n_employers=args.clients)
        summary.update(vacancies=people_data["vacancies"], workers=people_data["workers"])
        port = free_port()
        proc = start_gunicorn(url, instance, port, args.workers, args.worker_class, args.threads)
        try:
            people = []
            for i in range(args.clients):
                seeker = people_data["seekers"][i] if i < len(people_data["seekers"]) else None
                employer = people_data["employers"][i] if i < len(people_data["employers"]) else None
                officer = people_data["officers"][i % 3] if i % 4 == 0 else None
                people.append(Person(port, args.timeout, seeker, employer, officer, people_data["open_ids"],
                                     args.seed + i))
            # Applications to move: every job seeker applies to two vacancies of the employers being played.
            own = [v for (_e, vs) in people_data["employers"] for v in vs[:5]]
            for person in people:
                if person.seeker:
                    for vacancy in random.Random(person.rng.random()).sample(own, min(2, len(own))):
                        Client(port, 30).request("POST", f"/api/v1/vacancies/{vacancy}/applications", b"{}",
                                                 {"Authorization": f"Bearer {person.seeker_token}",
                                                  "Content-Type": "application/json"})
                        if vacancy in person.to_apply:
                            person.to_apply.remove(vacancy)
            for person in people:
                if person.employer:
                    person.to_move = employer_moves(person, port)
            log(f"serving on 127.0.0.1:{port} with {args.workers} {args.worker_class} workers x {args.threads} "
                f"threads; {args.clients} clients for {args.seconds:.0f} s after {args.warmup:.0f} s warm-up")
            results, errors, samples, elapsed = drive(people, port, args.seconds, args.max_requests, args.warmup,
                                                      args.timeout)
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
    report = summarise(results, errors, elapsed)
    for kind, row in report["kinds"].items():
        log(f"{kind:24s} n={row['n']:6d} rps={row['rps']:7.1f} p50={row['p50_ms']:7.1f} p95={row['p95_ms']:7.1f} "
            f"p99={row['p99_ms']:7.1f} errors={row['errors']}" + (f"  e.g. {samples[kind]}" if kind in samples else ""))
    summary.update(seconds=round(elapsed, 1), **report["overall"], kinds=report["kinds"])
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
