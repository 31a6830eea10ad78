"""Latency of the job seeker's lookups: address resolution, ward search, skill and ward type-ahead over HTTP.

    python bench/typeahead.py                          # SQLite file in a temporary folder
    python bench/typeahead.py --database postgresql://postgres@127.0.0.1:5432/test_bench_lookup

The database is migrated and loaded with the reference data first (PostgreSQL: it must exist and be empty or
already migrated). Prints median and 95th percentile per operation, in milliseconds.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ADDRESSES = ["phường Dịch Vọng Hậu", "số 12 Trần Thái Tông, Cầu Giấy", "Phường Láng", "lang thuong, dong da",
             "Cầu Giấy", "Quang Trung", "12 Trần Thái Tông Dịch Vọng Hậu Cầu Giấy Hà Nội", "xyz qwerty",
             "P. Dịch Vọng Hậu, Q. Cầu Giấy", "xã Yên Viên, Gia Lâm"]
QUERIES = ["han", "dien", "ke toan", "lai xe", "tho han", "excel", "welding", "d", "ban hang", "nau an"]
WARD_QUERIES = ["dich vong hau", "cau giay", "lang", "ha dong", "dong anh", "p dich", "van mieu", "yen", "o cho", "x"]


def timed(fn, inputs, rounds: int) -> tuple[float, float]:
    """Median and p95 of fn over inputs, in ms."""
    samples = []
    for _ in range(rounds):
        for item in inputs:
            start = time.perf_counter()
            fn(item)
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    """Set up the database, warm the caches, time each operation."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default=None)
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    os.environ.setdefault("JOBMARKET_ENV", "testing")
    tmp = tempfile.mkdtemp()
    url = args.database or f"sqlite:///{tmp}/bench.sqlite3"
    from flask_migrate import upgrade

    from jobmarket import create_app
    from jobmarket.geo import resolve_address, search_wards
    from jobmarket.lookup.services import suggest_skills
    from jobmarket.refdata.loader import load_all

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False, "UPLOAD_FOLDER": tmp})
    with app.app_context():
        upgrade(revision="heads")
        load_all()
        start = time.perf_counter()
        from jobmarket.geo import get_index

        get_index()
        print(f"database: {url.split('@')[-1]}")
        print(f"geo index build (first call): {(time.perf_counter() - start) * 1000:.1f} ms")
        for name, fn, inputs in (("resolve_address", resolve_address, ADDRESSES),
                                 ("search_wards", search_wards, WARD_QUERIES),
                                 ("suggest_skills (SQL + ranking)", suggest_skills, QUERIES)):
            median, p95 = timed(fn, inputs, args.rounds)
            print(f"{name:34s} median {median:6.2f} ms   p95 {p95:6.2f} ms")
    client = app.test_client()
    for name, path, inputs in (("GET /goi-y/ky-nang", "/goi-y/ky-nang?q=", QUERIES),
                               ("GET /goi-y/phuong", "/goi-y/phuong?q=", WARD_QUERIES)):
        median, p95 = timed(lambda q: client.get(path + q), inputs, args.rounds)
        print(f"{name:34s} median {median:6.2f} ms   p95 {p95:6.2f} ms")


if __name__ == "__main__":
    main()
