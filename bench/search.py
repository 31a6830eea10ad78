"""Search benchmark: vacancies with realistic free text, a fixed list of queries timed through the service and the API.

    python bench/search.py --backend sqlite --scale 1.0 --server gunicorn

Builds a throwaway database (bench/match.py's data builder: 100,000 vacancies and 200,000 workers at scale 1.0),
rewrites every vacancy's title and description with jobmarket/demo_text.py (the styles of real Vietnamese boards),
rebuilds the search tables, then times, single client:
- every query of QUERIES (one to four words, with and without diacritics, English and shorthand, typos, with
  filters, the empty query, page 5) through jobmarket.search.service.search_vacancies;
- the same queries through the HTTP API (GET /api/v1/vacancies), the unfiltered listing page (GET /viec-lam) and
  the home page (GET /), served by gunicorn (one worker, --server gunicorn, the default) or the Flask test client.
Each query is run once to warm up, then --repeat times. Ends with one JSON line (see bench/README.md).
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timedelta
from urllib.parse import urlencode

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import match as matchbench  # noqa: E402  (the shared data builder, database and report helpers)

ROOT = matchbench.ROOT
log, percentile, machine = matchbench.log, matchbench.percentile, matchbench.machine
FULL_VACANCIES = 100_000
WORKERS_PER_VACANCY = 2

# District codes (former districts) and wards used by the filtered queries.
CAU_GIAY, DONG_DA, HOANG_MAI, DONG_ANH, LONG_BIEN = "005", "006", "008", "017", "004"


def _q(kind: str, **params) -> tuple[str, dict]:
    return kind, {k: v for k, v in params.items() if v not in (None, "")}


# The fixed query list: (kind, API parameters). The kinds are reported separately.
QUERIES: list[tuple[str, dict]] = [
    *[_q("one_word", q=w) for w in ("kho", "hàn", "điện", "bếp", "may", "lái", "IT", "spa", "nail", "Excel",
                                    "telesales", "shipper", "marketing", "bảo vệ", "tạp vụ")],
    *[_q("two_words", q=w) for w in ("kế toán", "lái xe", "thợ hàn", "bảo vệ tòa nhà", "kinh doanh", "phục vụ",
                                     "lễ tân", "thủ kho", "điều dưỡng", "giáo viên", "tiếng Nhật", "pha chế",
                                     "thợ điện", "phụ bếp", "công nhân")],
    *[_q("three_four_words", q=w) for w in (
        "nhân viên kinh doanh", "kế toán tổng hợp", "lái xe tải hạng C", "nhân viên bán hàng thời trang",
        "thợ hàn TIG", "lập trình viên Python", "nhân viên chăm sóc khách hàng", "công nhân may công nghiệp",
        "kỹ thuật viên lắp đặt điều hòa", "nhân viên hành chính văn phòng", "giáo viên tiếng Anh",
        "thợ sửa chữa ô tô", "nhân viên giao hàng xe máy", "kế toán thuế MISA", "nhân viên phục vụ nhà hàng")],
    *[_q("no_diacritics", q=w) for w in (
        "ke toan", "lai xe", "tho han", "nhan vien kinh doanh", "bao ve", "dieu duong", "le tan khach san",
        "cong nhan", "thu ngan sieu thi", "tho dien lanh", "ky su kiem thu phan mem", "nhan vien kho")],
    *[_q("english_shorthand", q=w) for w in (
        "accountant", "driver", "sales", "NV KD", "IT helpdesk", "HR", "CSKH", "welder", "receptionist",
        "security", "PG", "part time")],
    *[_q("typo", q=w) for w in ("ke toaan", "nhan vein", "accountnat", "dieu duongg", "marketting", "phien dich")],
    *[_q("filtered", q=w, **f) for w, f in (
        ("kế toán", {"district": CAU_GIAY}), ("lái xe", {"district": DONG_ANH}), ("thợ hàn", {"job_type": "full_time"}),
        ("nhân viên kinh doanh", {"min_wage": "10000000"}), ("bảo vệ", {"district": HOANG_MAI, "job_type": "shift"}),
        ("ke toan", {"district": DONG_DA, "min_wage": "8000000"}), ("phục vụ", {"job_type": "part_time"}),
        ("công nhân", {"district": DONG_ANH, "sort": "newest"}), ("IT", {"min_wage": "15000000", "sort": "wage"}),
        ("kho", {"district": LONG_BIEN}), ("điều dưỡng", {"sort": "newest"}), ("kinh doanh", {"sort": "wage"}))],
    *[_q("empty_filtered", **f) for f in (
        {"district": CAU_GIAY}, {"district": DONG_ANH}, {"job_type": "part_time"}, {"min_wage": "12000000"},
        {"district": HOANG_MAI, "job_type": "full_time"}, {"sort": "wage"}, {"district": DONG_DA, "sort": "wage"},
        {"job_type": "seasonal"})],
    *[_q("page5", q=w, page="5") for w in ("nhân viên", "kế toán", "lái xe", "cong nhan")],
    *[_q("page5", page="5", **f) for f in ({}, {"district": CAU_GIAY})],
    *[_q("empty", **f) for f in ({}, {"sort": "newest"}, {"page": "1"})],
]


def rewrite_text(conn, seed: int) -> int:
    """Replace every vacancy's title and description by board-style text (jobmarket/demo_text.py)."""
    from sqlalchemy import text

    from jobmarket import demo_text
    from jobmarket.demo import TITLES

    category_of = {title: cat for cat, titles in TITLES.items() for title in titles}
    district_of = dict(conn.execute(text(
        "SELECT w.code, d.name_vi FROM wards w JOIN former_districts d ON d.code = w.district_code")).all())
    ward_name = dict(conn.execute(text("SELECT code, name_vi FROM wards")).all())
    rng = random.Random(seed + 7)
    rows = []
    for vid, title, ward, wage_min, wage_max, positions, job_type in conn.execute(text(
            "SELECT id, title, ward_code, wage_min, wage_max, positions, job_type FROM vacancies ORDER BY id")):
        category = category_of.get(title, "office")
        district = district_of.get(ward, "Hà Nội")
        rows.append((vid, demo_text.posting_title(rng, title, district, wage_min, wage_max, positions),
                     demo_text.description(rng, category, title, district, ward_name.get(ward), wage_min, wage_max,
                                           positions, job_type)))
    raw = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        conn.execute(text("CREATE TEMP TABLE bench_text (id integer PRIMARY KEY, title text, description text)"))
        with raw.cursor() as cursor, cursor.copy("COPY bench_text (id, title, description) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        conn.execute(text("UPDATE vacancies v SET title = t.title, description = t.description FROM bench_text t "
                          "WHERE v.id = t.id"))
        conn.execute(text("DROP TABLE bench_text"))
    else:
        cursor = raw.cursor()
        cursor.executemany("UPDATE vacancies SET title = ?, description = ? WHERE id = ?",
                           [(t, d, i) for i, t, d in rows])
        cursor.close()
    return len(rows)


def service_call(app, params: dict):
    """The VacancyQuery the search page builds from these parameters, and a function running it."""
    from flask import request

    from jobmarket.search import service
    from jobmarket.search.forms import VacancySearchForm

    with app.test_request_context("/viec-lam", query_string=params):
        form = VacancySearchForm(request.args, default_origin=None, locale="vi")
        if not form.validate():
            raise SystemExit(f"the search form refuses {params}: {form.errors}")
        query = form.to_query(worker_id=None)
    return query, (lambda: service.search_vacancies(query))


class Client:
    """Single-client HTTP: a kept-alive connection to gunicorn, or the Flask test client."""

    def __init__(self, mode: str, app=None, port: int | None = None):
        self.mode, self.app, self.port = mode, app, port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120) if mode == "gunicorn" else None
        self.test_client = app.test_client() if mode == "testclient" else None

    def get(self, path: str) -> tuple[int, bytes]:
        """GET path; (status, body)."""
        if self.test_client is not None:
            response = self.test_client.get(path)
            return response.status_code, response.get_data()
        self.conn.request("GET", path, headers={"Accept-Language": "vi"})
        response = self.conn.getresponse()
        return response.status, response.read()


def free_port() -> int:
    """A TCP port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(url: str, instance: str) -> tuple[subprocess.Popen, int]:
    """gunicorn serving wsgi:app on the bench database, one worker; waits until it answers."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "JOBMARKET_ENV": "production", "SECRET_KEY": "bench-only",
           "JOBMARKET_INSTANCE_PATH": instance, "RATELIMIT_ENABLED": "0", "ELASTICSEARCH_URL": "",
           "PYTHONPATH": ROOT}
    env.pop("REDIS_URL", None)
    process = subprocess.Popen([os.path.join(ROOT, ".venv/bin/gunicorn"), "-w", "1", "-b", f"127.0.0.1:{port}",
                                "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return process, port
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("gunicorn did not start")


def timed(call, repeat: int) -> list[float]:
    """Milliseconds of repeat runs after one warm-up run."""
    call()
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        call()
        out.append((time.perf_counter() - t) * 1000)
    return out


def run(args) -> dict:
    """Build the data, time the queries; return the summary."""
    from sqlalchemy import text

    from jobmarket.extensions import db
    from jobmarket.models._common import utcnow
    from jobmarket.search import service

    n_vac = max(50, round(FULL_VACANCIES * args.scale))
    n_work = n_vac * WORKERS_PER_VACANCY
    summary: dict = {"backend": args.backend, "scale": args.scale, "seed": args.seed, "vacancies": n_vac,
                     "workers": n_work, "queries": len(QUERIES), "repeat": args.repeat, "server": args.server}
    now = utcnow().replace(microsecond=0) - timedelta(minutes=5)
    with matchbench.throwaway_database(args.backend, keep=args.keep) as url, \
            tempfile.TemporaryDirectory() as instance:
        log(f"database: {args.backend} ({url if args.keep else 'throwaway'})")
        app = matchbench.make_app(url, instance)
        with app.app_context():
            t0 = time.perf_counter()
            with db.engine.begin() as conn:
                counts = matchbench.generate(conn, n_vac, n_work, args.seed, now)
                rewritten = rewrite_text(conn, args.seed)
            log(f"generated in {time.perf_counter() - t0:.1f}s: {counts}, {rewritten} texts rewritten")
            from jobmarket.vocabulary import recompute_skill_weights

            recompute_skill_weights(queue=False)
            db.session.remove()
            t0 = time.perf_counter()
            service.backend_named("database").rebuild()
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE" if args.backend == "postgresql" else "ANALYZE"))
            summary["index_seconds"] = round(time.perf_counter() - t0, 1)
            log(f"search tables rebuilt in {summary['index_seconds']} s")
            db.session.remove()

            by_kind: dict[str, list[float]] = defaultdict(list)
            totals: dict[str, int] = {}
            for kind, params in QUERIES:
                query, call = service_call(app, params)
                page = call()
                totals[json.dumps(params, ensure_ascii=False)] = page.total
                by_kind[kind].extend(timed(call, args.repeat))
                db.session.remove()
            service_all = [x for values in by_kind.values() for x in values]
            summary["service_p50_ms"] = round(percentile(service_all, 50), 2)
            summary["service_p95_ms"] = round(percentile(service_all, 95), 2)
            for kind, values in by_kind.items():
                summary[f"service_{kind}_p95_ms"] = round(percentile(values, 95), 2)
            summary["zero_result_queries"] = sorted(k for k, v in totals.items() if v == 0)
            db.engine.dispose()

        process = None
        if args.server == "gunicorn":
            process, port = start_gunicorn(url, instance)
            client = Client("gunicorn", port=port)
        else:
            client = Client("testclient", app=app)
        try:
            api_kind: dict[str, list[float]] = defaultdict(list)
            for kind, params in QUERIES:
                path = "/api/v1/vacancies?" + urlencode(params)

                def get(path=path):
                    status, body = client.get(path)
                    if status != 200:
                        raise SystemExit(f"GET {path}: HTTP {status} {body[:300]!r}")

                api_kind[kind].extend(timed(get, args.repeat))
            api_all = [x for values in api_kind.values() for x in values]
            summary["api_p50_ms"] = round(percentile(api_all, 50), 2)
            summary["api_p95_ms"] = round(percentile(api_all, 95), 2)
            for kind, values in api_kind.items():
                summary[f"api_{kind}_p95_ms"] = round(percentile(values, 95), 2)
            pages = {"unfiltered": "/viec-lam", "home": "/"}
            for label, path in pages.items():
                def get(path=path):
                    status, body = client.get(path)
                    if status != 200:
                        raise SystemExit(f"GET {path}: HTTP {status}")

                values = timed(get, args.page_requests)
                summary[f"{label}_p50_ms"] = round(percentile(values, 50), 2)
                summary[f"{label}_p95_ms"] = round(percentile(values, 95), 2)
        finally:
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
            with app.app_context():
                db.engine.dispose()
    summary["load_average"] = [round(x, 2) for x in os.getloadavg()]
    summary["machine"] = machine()
    return summary


def main(argv=None) -> int:
    """Parse options, run, print the report and the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 100,000 vacancies, 200,000 workers")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each query after one warm-up run")
    parser.add_argument("--page-requests", type=int, default=60, help="timed requests of the listing and home page")
    parser.add_argument("--server", choices=["gunicorn", "testclient"], default="gunicorn")
    parser.add_argument("--keep", action="store_true", help="keep the database (its URL is printed)")
    args = parser.parse_args(argv)
    summary = run(args)
    m = summary["machine"]
    print(f"machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM, Python {m['python']}")
    print(f"data: {summary['vacancies']:,} vacancies, {summary['workers']:,} workers (seed {summary['seed']}), "
          f"{summary['queries']} queries x {summary['repeat']}")
    kinds = sorted({k for k, _ in QUERIES})
    print(f"{'kind':20s} {'service p95':>12s} {'API p95':>10s}")
    for kind in kinds:
        print(f"{kind:20s} {summary[f'service_{kind}_p95_ms']:>10.2f}ms {summary[f'api_{kind}_p95_ms']:>8.2f}ms")
    print(f"all queries: service p50 {summary['service_p50_ms']} ms, p95 {summary['service_p95_ms']} ms; "
          f"API ({summary['server']}) p50 {summary['api_p50_ms']} ms, p95 {summary['api_p95_ms']} ms")
    print(f"unfiltered listing /viec-lam: p50 {summary['unfiltered_p50_ms']} ms, p95 {summary['unfiltered_p95_ms']} ms;"
          f" home page: p50 {summary['home_p50_ms']} ms, p95 {summary['home_p95_ms']} ms")
    if summary["zero_result_queries"]:
        print(f"queries with no result: {', '.join(summary['zero_result_queries'])}")
    print(f"load average during the run: {summary['load_average']}")
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
