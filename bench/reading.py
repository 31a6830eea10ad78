"""Reader benchmark: accuracy of jobmarket.reading on the labelled sets, and texts read per second on one core.

    python bench/reading.py [--repeat 20]

Builds a throwaway SQLite database (real migrations, reference data loaded) so vocabulary and geography come from
the database exactly as in the app, then scores:
  skills      precision / recall / F1 over (field, exact span, Vietnamese label) on tests/reading/postings.txt
              (development set, reviewed against the reader's output) and postings_heldout.txt (labelled blind)
  occupation  top-1 / top-3 accuracy (VSCO 2020 unit group) on the same postings
  wage        exact (min, max) on tests/reading/wages.tsv and the postings that label a wage
  experience  exact years on tests/reading/experience.tsv and the postings that label it
  address     over tests/geo/addresses_labelled.csv when it exists (from the address branch): the share of addresses
              whose former district is known that resolve to a ward of that district or offer a choice containing one
  speed       texts (title + description + address) read per second, one process, after a warm-up
Ends with one JSON line (see bench/README.md).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("JOBMARKET_ENV", "testing")
SETS = ROOT / "tests" / "reading"
ADDRESSES = ROOT / "tests" / "geo" / "addresses_labelled.csv"


def log(message: str) -> None:
    """Progress on stderr, so stdout stays the report."""
    print(message, file=sys.stderr, flush=True)


def machine() -> dict:
    """CPU model, cores, RAM and Python version."""
    model = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo") as fh:
            model = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), model)
        with open("/proc/meminfo") as fh:
            ram = int(next(ln for ln in fh if ln.startswith("MemTotal")).split()[1]) / 1024 / 1024
    except (OSError, StopIteration):
        ram = 0.0
    return {"cpu": model, "cores": os.cpu_count(), "ram_gib": round(ram, 1), "python": platform.python_version()}


def address_accuracy(index, resolve) -> dict | None:
    """Share of labelled addresses with a known former district that land in it (a ward, or a choice holding one)."""
    if not ADDRESSES.exists():
        return None
    in_district: dict[str, set[str]] = {}
    for old in index.old_wards.values():
        in_district.setdefault(old.district_code, set()).update(old.successors)
    for ward in index.wards.values():
        in_district.setdefault(ward.district_code, set()).add(ward.code)
    total = right = exact_total = exact_right = 0
    with open(ADDRESSES, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            district = (row.get("former_district_code") or "").strip()
            if not district or (row.get("outside_hanoi") or "").lower() == "true":
                continue
            resolution = resolve(row["address"])
            codes = {c.code for c in resolution.candidates}
            total += 1
            right += bool(codes & in_district.get(district, set()))
            expected = {c for c in (row.get("expected_ward_codes") or "").split(";") if c}
            if expected:
                exact_total += 1
                exact_right += bool(codes & expected)
    return {"n": total, "accuracy": round(right / total, 4) if total else 0.0,
            "n_with_wards": exact_total, "ward_accuracy": round(exact_right / exact_total, 4) if exact_total else 0.0}


def main() -> None:
    """Run the benchmark and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20, help="passes over the postings for the speed figure")
    args = parser.parse_args()

    from flask_migrate import upgrade

    from jobmarket import create_app
    from jobmarket.extensions import db
    from jobmarket.geo.index import get_index
    from jobmarket.geo.resolve import resolve_address
    from jobmarket.reading import get_snapshot, read_with
    from jobmarket.reading.evaluation import load_pairs, load_postings, reading_skill_set, skill_scores
    from jobmarket.reading.facts import DEFAULT_USD_VND, read_experience, read_wage
    from jobmarket.refdata.loader import load_all

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3", "TESTING": True,
                          "ENV_NAME": "testing", "SECRET_KEY": "bench", "UPLOAD_FOLDER": f"{tmp}/uploads"})
        with app.app_context():
            log("migrating and loading reference data ...")
            upgrade(revision="heads")
            load_all()
            snapshot, index = get_snapshot(), get_index()

            def resolve(text):
                return resolve_address(text, index)

            postings = load_postings(SETS / "postings.txt")
            heldout = load_postings(SETS / "postings_heldout.txt")
            wages = load_pairs(SETS / "wages.tsv")
            experience = load_pairs(SETS / "experience.tsv")

            def score(items):
                """Skills, occupation and wage figures over a list of labelled postings."""
                got = [read_with(snapshot, p.title, p.description, p.address, resolve) for p in items]
                sk = skill_scores([{tuple(x) for x in p.skills} for p in items], [reading_skill_set(r) for r in got])
                t1 = sum([c for c, _ in r.occupation_top3][:1] == [p.occupation] for p, r in zip(items, got))
                t3 = sum(p.occupation in [c for c, _ in r.occupation_top3] for p, r in zip(items, got))
                return got, sk, t1 / len(items), t3 / len(items)

            readings, skills, top1, top3 = score(postings)
            _, held_skills, held_top1, held_top3 = score(heldout)
            every = postings + heldout
            readings_all = readings + [read_with(snapshot, p.title, p.description, p.address, resolve) for p in heldout]

            wage_right = sum((w.minimum, w.maximum) == (None if lo == "none" else int(lo), None if hi == "none" else int(hi))
                             for t, lo, hi in wages for w in [read_wage(t, DEFAULT_USD_VND)])
            wage_labelled = [(p, r) for p, r in zip(every, readings_all) if p.wage is not None]
            wage_right += sum((r.wage_min, r.wage_max) == p.wage for p, r in wage_labelled)
            wage_n = len(wages) + len(wage_labelled)

            exp_right = sum(read_experience(t)[0] == (None if y == "none" else float(y)) for t, y in experience)
            exp_labelled = [(p, r) for p, r in zip(every, readings_all) if p.experience_labelled]
            exp_right += sum(r.experience_years == p.experience for p, r in exp_labelled)
            exp_n = len(experience) + len(exp_labelled)

            address = address_accuracy(index, resolve)

            log(f"speed: {args.repeat} passes over {len(postings)} postings ...")
            for p in postings[:20]:
                read_with(snapshot, p.title, p.description, p.address or "Cầu Giấy, Hà Nội", resolve)
            texts = [(p.title, p.description, p.address or "Phường Cầu Giấy, Hà Nội") for p in postings]
            start_wall, start_cpu = time.perf_counter(), time.process_time()
            for _ in range(args.repeat):
                for title, description, addr in texts:
                    read_with(snapshot, title, description, addr, resolve)
            wall, cpu = time.perf_counter() - start_wall, time.process_time() - start_cpu
            n_texts = args.repeat * len(texts)
            db.engine.dispose()

    result = {
        "bench": "reading",
        "postings": len(postings), "heldout_postings": len(heldout), "wage_lines": len(wages),
        "experience_lines": len(experience), "texts_total": len(every) + len(wages) + len(experience),
        "skill_gold": skills["gold"], "skill_found": skills["found"],
        "skill_precision": skills["precision"], "skill_recall": skills["recall"], "skill_f1": skills["f1"],
        "occupation_top1": round(top1, 4), "occupation_top3": round(top3, 4),
        "heldout_skill_gold": held_skills["gold"], "heldout_skill_precision": held_skills["precision"],
        "heldout_skill_recall": held_skills["recall"], "heldout_skill_f1": held_skills["f1"],
        "heldout_occupation_top1": round(held_top1, 4), "heldout_occupation_top3": round(held_top3, 4),
        "wage_n": wage_n, "wage_accuracy": round(wage_right / wage_n, 4),
        "experience_n": exp_n, "experience_accuracy": round(exp_right / exp_n, 4),
        "address_n": address["n"] if address else 0,
        "address_accuracy": address["accuracy"] if address else None,
        "address_ward_accuracy": address["ward_accuracy"] if address else None,
        "texts_per_s": round(n_texts / wall, 1), "texts_per_cpu_s": round(n_texts / cpu, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    m = machine()
    print(f"machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM, Python {m['python']}")
    print(f"labelled: {result['postings']} development postings ({result['skill_gold']} skill mentions), "
          f"{result['heldout_postings']} held-out postings ({result['heldout_skill_gold']}), "
          f"{result['wage_lines']} wage lines, {result['experience_lines']} experience lines")
    for name, prefix in (("development", ""), ("held-out", "heldout_")):
        print(f"{name}: skills (exact span and label) precision {result[prefix + 'skill_precision']:.3f}, "
              f"recall {result[prefix + 'skill_recall']:.3f}, F1 {result[prefix + 'skill_f1']:.3f}; "
              f"occupation top-1 {result[prefix + 'occupation_top1']:.3f}, top-3 {result[prefix + 'occupation_top3']:.3f}")
    print(f"wage: {result['wage_accuracy']:.3f} of {wage_n}; experience: {result['experience_accuracy']:.3f} of {exp_n}")
    if address:
        print(f"address: {address['accuracy']:.3f} of {address['n']} in the right former district; "
              f"{address['ward_accuracy']:.3f} of {address['n_with_wards']} with an expected ward")
    else:
        print(f"address: {ADDRESSES.relative_to(ROOT)} not present (it lands from the address branch)")
    print(f"speed: {result['texts_per_s']} texts/s wall, {result['texts_per_cpu_s']} per CPU second "
          f"({n_texts} texts, one process)")
    result["machine"] = m
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
