"""Address reading: accuracy on the labelled set (tests/geo/addresses_labelled.csv) and addresses read per second.

    python bench/addresses.py                 # every row, 5 timed rounds
    python bench/addresses.py --rounds 20

No database: the geography index is built from the shipped CSV files (the same index the app builds from its
tables; tests/geo/test_labelled.py checks they agree). Prints the figures per labelled batch (batch 1 was written
while the resolver was built; batch 2 afterwards), the machine, and ends with one JSON line.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def machine() -> dict:
    """What the numbers were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), cpu)
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), "os": platform.platform()}


def main() -> None:
    """Score the set, then time resolve_address over it."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--misses", action="store_true", help="print the rows that missed")
    args = parser.parse_args()
    from jobmarket.geo.evaluate import read_labelled, score
    from jobmarket.geo.index import build_index_from_files
    from jobmarket.geo.resolve import resolve_address, resolve_places

    start = time.perf_counter()
    index = build_index_from_files()
    build_ms = (time.perf_counter() - start) * 1000
    rows = read_labelled()
    print(f"labelled addresses: {len(rows)}; geo index from files: {build_ms:.0f} ms")
    overall = score(rows, index, resolve_address, resolve_places)
    for batch in sorted({r.get("batch", "1") for r in rows}):
        part = score([r for r in rows if r.get("batch", "1") == batch], index, resolve_address, resolve_places)
        print(f"batch {batch}: {json.dumps(part.summary())}")
    summary = overall.summary()
    print(f"all: former district right (answer or choice) {summary['district_accuracy']:.2%} of "
          f"{summary['n_district_known']}; as the answer or default {summary['district_top1']:.2%}; labelled 2025 "
          f"ward first {summary['ward_top1']:.2%} of {summary['n_ward_labelled']}; outside Hanoi "
          f"{summary['outside_accuracy']:.2%} of {summary['n_outside']}; several places "
          f"{summary['multi_place_accuracy']:.2%} of {summary['n_multi']}")
    if args.misses:
        print("\n".join(overall.misses))
    texts = [r["address"] for r in rows]
    for text in texts[:50]:  # warm up
        resolve_address(text, index)
    start = time.perf_counter()
    for _ in range(args.rounds):
        for text in texts:
            resolve_address(text, index)
    elapsed = time.perf_counter() - start
    per_s = args.rounds * len(texts) / elapsed
    info = machine()
    print(f"speed: {per_s:,.0f} addresses/s on one core ({args.rounds} rounds of {len(texts)}, "
          f"{elapsed * 1000 / (args.rounds * len(texts)):.3f} ms each)")
    print(f"machine: {info['cpu']}, {info['cores']} cores, Python {info['python']}, {info['os']}")
    print(json.dumps({"bench": "addresses", "n_addresses": len(rows), **summary, "addresses_per_s": round(per_s),
                      "index_build_ms": round(build_ms), "cpu": info["cpu"], "cores": info["cores"]}))


if __name__ == "__main__":
    main()
