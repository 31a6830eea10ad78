"""Faults survived: the app under gunicorn and load while PostgreSQL restarts, Redis stops, or a worker is killed.

    python bench/faults.py postgres-restart [--scale 0.02] [--seconds 30]
    python bench/faults.py redis-stop
    python bench/faults.py worker-kill
    python bench/faults.py all

Every scenario runs on servers of its own, so nothing else on the machine is disturbed: a private PostgreSQL
cluster (initdb in a temporary folder, on a free loopback port) that this script stops and starts, a private
redis-server, and gunicorn with 2 workers. A bounded mix of requests (search, vacancy pages, matches, applying
through the API, logins) runs from 6 client threads while the fault happens. Afterwards the database is checked:
every application the app answered 201 for is there (data lost must be 0), nothing is half-written
(`flask stats recount --check` equal to a recount), and the app serves again by itself. Each scenario prints one
JSON line: `requests`, `failed` (answers the scenario does not allow: a 500, or a 503 outside the outage),
`unavailable_503` (clear refusals while the dependency was down), `hung` (no answer within the client time-out),
`cut` (connections cut by a killed worker), `data_lost`, `consistent`, `recovered_after_s`.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
sys.path.insert(0, ROOT)
os.environ.setdefault("JOBMARKET_ENV", "testing")

import load  # noqa: E402  (the load bench's city, gunicorn and clients)

PG_BIN = next((os.path.join("/usr/lib/postgresql", v, "bin") for v in sorted(os.listdir("/usr/lib/postgresql"))
               if os.path.exists(os.path.join("/usr/lib/postgresql", v, "bin", "initdb"))), None) \
    if os.path.isdir("/usr/lib/postgresql") else None
TIMEOUT = 10.0


def log(message: str) -> None:
    """Progress on stderr."""
    print(message, file=sys.stderr, flush=True)


def as_postgres(*cmd: str) -> subprocess.CompletedProcess:
    """Run a PostgreSQL server tool as the postgres user (initdb and pg_ctl refuse root)."""
    prefix = [] if os.geteuid() != 0 else ["runuser", "-u", "postgres", "--"]
    return subprocess.run(prefix + list(cmd), check=True, capture_output=True, text=True)


class PrivateCluster:
    """A PostgreSQL cluster of this script's own on a free loopback port, which it may stop and start."""

    def __init__(self):
        if PG_BIN is None:
            raise SystemExit("PostgreSQL server binaries not found under /usr/lib/postgresql")
        # Not under TMPDIR: the postgres user must reach it (pytest's temporary folders are private to root).
        self.dir = tempfile.mkdtemp(prefix="jm-faults-pg-", dir="/tmp")
        os.chmod(self.dir, 0o777)
        self.data = os.path.join(self.dir, "data")
        self.port = load.free_port()
        as_postgres(os.path.join(PG_BIN, "initdb"), "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8",
                    "--locale", "C.UTF-8")
        self.start()
        subprocess.run([os.path.join(PG_BIN, "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                        "jobmarket"], check=True)
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/jobmarket"

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        as_postgres(os.path.join(PG_BIN, "pg_ctl"), "-D", self.data, "-l", os.path.join(self.dir, "log"), "-w",
                    "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off", "start")

    def stop(self) -> None:
        """Stop the server at once (fast shutdown: open connections are cut, open transactions roll back)."""
        as_postgres(os.path.join(PG_BIN, "pg_ctl"), "-D", self.data, "-m", "fast", "-w", "stop")

    def close(self) -> None:
        """Stop (if running) and remove the cluster."""
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


class PrivateRedis:
    """A redis-server of this script's own on a free loopback port."""

    def __init__(self):
        self.port = load.free_port()
        self.proc = None
        self.start()

    def start(self) -> None:
        """Start it and wait for PONG."""
        self.proc = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import redis

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if redis.Redis(port=self.port, socket_timeout=0.5).ping():
                    return
            except redis.RedisError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        """Kill it."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@contextmanager
def served_city(url: str, scale: float, seed: int, extra_env: dict | None = None, clients: int = 6):
    """Build the city on `url`, start gunicorn on it, log the people in; yields (port, people, gunicorn process)."""
    instance = tempfile.mkdtemp(prefix="jm-faults-")
    data = load.build(url, instance, scale, seed, n_seekers=clients, n_employers=clients)
    port = load.free_port()
    saved = dict(os.environ)
    os.environ.update(extra_env or {})
    try:
        proc = load.start_gunicorn(url, instance, port, 2, "gthread", 4)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    try:
        people = [load.Person(port, TIMEOUT, data["seekers"][i], None, None, data["open_ids"], seed + i)
                  for i in range(clients)]
        yield port, people, proc, data
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        shutil.rmtree(instance, ignore_errors=True)


def traffic(people, seconds: float, logins: list[str] | None = None):
    """Run the mix for `seconds` from one thread per person; every answer as (t, kind, status or error, ms)."""
    records = []
    lock = threading.Lock()
    start = time.monotonic()
    applied: list[tuple[int, int]] = []  # (user id, vacancy id) answered 201

    def run(person: load.Person):
        rng = person.rng
        while time.monotonic() - start < seconds:
            kind = rng.choices(["search", "vacancy", "matches", "apply", "login"], [30, 25, 15, 20,
                                                                                 10 if logins else 0])[0]
            headers, body, method = None, None, "GET"
            client = person.anon
            if kind == "search":
                path = "/viec-lam?q=" + rng.choice(["ke+toan", "th%E1%BB%A3+h%C3%A0n", "lai+xe", "bao+ve"])
            elif kind == "vacancy":
                path = f"/viec-lam/{rng.choice(person.vacancies)}"
            elif kind == "matches":
                client, path = person.seeker, "/viec-lam/phu-hop"
            elif kind == "apply":
                if not person.to_apply:
                    continue
                vacancy = person.to_apply.pop()
                method, path, body = "POST", f"/api/v1/vacancies/{vacancy}/applications", b"{}"
                headers = {"Authorization": f"Bearer {person.seeker_token}", "Content-Type": "application/json"}
            else:
                client = load.Client(person.anon.port, TIMEOUT)
                form = {"email": rng.choice(logins), "password": rng.choice([load.PASSWORD, "wrong-password-1"])}
                try:
                    _status, page = client.request("GET", "/auth/login")
                    token = load.CSRF.search(page.decode())
                    form["csrf_token"] = token.group(1) if token else ""
                except (OSError, http.client.HTTPException):
                    pass
                from urllib.parse import urlencode

                method, path, body = "POST", "/auth/login", urlencode(form).encode()
                headers = {"Content-Type": "application/x-www-form-urlencoded"}
            t0 = time.perf_counter()
            try:
                status, _ = client.request(method, path, body, headers)
            except TimeoutError:
                status = "hung"
            except (OSError, http.client.HTTPException):
                status = "cut"
            elapsed = (time.perf_counter() - t0) * 1000
            with lock:
                records.append((time.monotonic() - start, kind, status, elapsed))
                if kind == "apply" and status == 201:
                    applied.append((person.seeker_user, vacancy))

    threads = [threading.Thread(target=run, args=(p,), daemon=True) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + TIMEOUT * 3)
    return records, applied


ALLOWED = {"search": {200}, "vacancy": {200}, "matches": {200}, "apply": {201}, "login": {200, 302, 303, 401, 429}}


def tally(records, outage: tuple[float, float] | None, name: str, extra: dict) -> dict:
    """Count what the clients saw; in the outage window a 503 (or a cut connection) is the designed answer."""
    out = {"fault": name, "requests": len(records), "failed": 0, "unavailable_503": 0, "hung": 0, "cut": 0}
    first_ok_after = None
    failures: dict[str, int] = {}
    for t, kind, status, ms in records:
        in_outage = outage is not None and outage[0] <= t <= outage[1]
        if status == "hung" or (isinstance(status, int) and ms > TIMEOUT * 1000):
            out["hung"] += 1
        elif status == "cut":
            out["cut"] += 1
            if not in_outage:
                out["failed"] += 1
        elif status == 503 and in_outage:
            out["unavailable_503"] += 1
        elif status not in ALLOWED[kind]:
            out["failed"] += 1
            key = f"{kind} {status} at {t:.1f}s"
            failures[key] = failures.get(key, 0) + 1
        elif outage is not None and t > outage[1] and first_ok_after is None:
            first_ok_after = t
    if outage is not None:
        out["recovered_after_s"] = round(first_ok_after - outage[1], 2) if first_ok_after else None
    out.update(extra)
    if failures:
        log(f"{name}: answers not allowed: {sorted(failures.items())[:20]}")
    return out


def check_database(url: str, applied: list[tuple[int, int]]) -> dict:
    """Data lost (applications answered 201 and missing) and consistency of the kept figures."""
    from sqlalchemy import create_engine, text

    from jobmarket.config import normalise_database_url

    engine = create_engine(normalise_database_url(url))
    with engine.connect() as conn:
        rows = {(u, v) for u, v in conn.execute(text(
            "SELECT w.user_id, a.vacancy_id FROM applications a JOIN worker_profiles w ON w.id = a.worker_id"))}
    engine.dispose()
    lost = sum(1 for pair in applied if pair not in rows)
    env = dict(os.environ, DATABASE_URL=url, JOBMARKET_ENV="testing")
    check = subprocess.run([os.path.join(ROOT, ".venv/bin/flask"), "--app", "jobmarket", "stats", "recount",
                            "--check"], cwd=ROOT, env=env, capture_output=True, text=True)
    return {"applied_201": len(applied), "data_lost": lost, "consistent": check.returncode == 0}


def seekers_users(people, data):
    """Remember which user each played job seeker is."""
    for person, (user_id, _email) in zip(people, data["seekers"]):
        person.seeker_user = user_id


def postgres_restart(args) -> dict:
    """Stop PostgreSQL mid-traffic for a few seconds, start it again; the pool must recover by itself."""
    cluster = PrivateCluster()
    try:
        with served_city(cluster.url, args.scale, args.seed) as (port, people, proc, data):
            seekers_users(people, data)
            result = {}

            def fault():
                time.sleep(args.seconds / 3)
                result["down"] = time.monotonic()
                cluster.stop()
                log("PostgreSQL stopped")
                time.sleep(args.down)
                cluster.start()
                result["up"] = time.monotonic()
                log("PostgreSQL started again")

            t = threading.Thread(target=fault)
            start = time.monotonic()
            t.start()
            records, applied = traffic(people, args.seconds)
            t.join()
            outage = (result["down"] - start - 0.5, result["up"] - start + 1.0)
            extra = {"down_seconds": round(result["up"] - result["down"], 2)}
            extra.update(check_database(cluster.url, applied))
            status, _ = load.Client(port, TIMEOUT).request("GET", "/viec-lam?q=ke+toan")
            extra["serves_after"] = status == 200
            return tally(records, outage, "postgres-restart", extra)
    finally:
        cluster.close()


def redis_stop(args) -> dict:
    """Kill Redis (login throttling's storage) mid-traffic: logins and pages still answer, no 500."""
    redis_server = PrivateRedis()
    try:
        with load_db(args) as url:
            env = {"RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{redis_server.port}/0",
                   "REDIS_URL": f"redis://127.0.0.1:{redis_server.port}/1"}
            with served_city(url, args.scale, args.seed, env) as (port, people, proc, data):
                seekers_users(people, data)
                logins = [email for _u, email in data["seekers"]]
                result = {}

                def fault():
                    time.sleep(args.seconds / 3)
                    result["down"] = time.monotonic()
                    redis_server.stop()
                    log("Redis stopped")
                    time.sleep(args.down)
                    redis_server.start()
                    result["up"] = time.monotonic()
                    log("Redis started again")

                t = threading.Thread(target=fault)
                start = time.monotonic()
                t.start()
                records, applied = traffic(people, args.seconds, logins)
                t.join()
                extra = {"down_seconds": round(result["up"] - result["down"], 2)}
                extra.update(check_database(url, applied))
                # No outage window: with Redis down the designed answers are the ordinary ones.
                return tally(records, None, "redis-stop", extra)
    finally:
        redis_server.stop()


@contextmanager
def load_db(args):
    """A throwaway database on the machine's PostgreSQL (the fault is elsewhere)."""
    import match as matchbench

    with matchbench.throwaway_database("postgresql") as url:
        yield url


def worker_kill(args) -> dict:
    """SIGKILL a gunicorn worker every couple of seconds mid-traffic: in-flight transactions roll back."""
    import psutil

    with load_db(args) as url:
        with served_city(url, args.scale, args.seed) as (port, people, proc, data):
            seekers_users(people, data)
            kills = []

            def fault():
                rng = random.Random(args.seed)
                end = time.monotonic() + args.seconds - 3
                while time.monotonic() < end:
                    time.sleep(rng.uniform(2.0, 4.0))
                    workers = psutil.Process(proc.pid).children()
                    if len(workers) == 2:  # one at a time: the other keeps serving while gunicorn boots a new one
                        victim = rng.choice(workers)
                        victim.send_signal(signal.SIGKILL)
                        kills.append(victim.pid)

            t = threading.Thread(target=fault)
            t.start()
            records, applied = traffic(people, args.seconds)
            t.join()
            extra = {"workers_killed": len(kills)}
            extra.update(check_database(url, applied))
            status, _ = load.Client(port, TIMEOUT).request("GET", "/viec-lam")
            extra["serves_after"] = status == 200
            out = tally(records, None, "worker-kill", extra)
            # A killed worker cuts the connections it was serving (or gunicorn answers 502/503 for them): those
            # are the designed failures here, counted as cut, not failed, as long as no data is lost.
            out["failed"] -= out["cut"]
            return out


SCENARIOS = {"postgres-restart": postgres_restart, "redis-stop": redis_stop, "worker-kill": worker_kill}


def main(argv=None) -> int:
    """Run the named scenarios; one JSON line each."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario", choices=[*SCENARIOS, "all"])
    parser.add_argument("--scale", type=float, default=0.02)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--seconds", type=float, default=30, help="traffic per scenario (bounded: at most 300)")
    parser.add_argument("--down", type=float, default=5, help="seconds the dependency stays down")
    args = parser.parse_args(argv)
    if args.seconds > 300:
        parser.error("at most 300 s per scenario")
    log(f"machine: {load.matchbench.machine()}")
    names = list(SCENARIOS) if args.scenario == "all" else [args.scenario]
    ok = True
    for name in names:
        out = SCENARIOS[name](args)
        ok &= out["data_lost"] == 0 and out["consistent"] and out["failed"] == 0 and out["hung"] == 0
        print(json.dumps(out), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
