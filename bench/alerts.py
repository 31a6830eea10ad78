"""Job alerts benchmark: one day of 2,000 new vacancies against 200,000 job seekers with alerts.

    python bench/alerts.py --backend sqlite|postgresql [--scale 1.0] [--seed 2025]

Generates (on a throwaway database, like bench/match.py) 200,000 job seekers each with one alert (half saved
searches of a trade's words with filters, half "vacancies that match me"), 20,000 vacancies already matched and
2,000 new ones published that day; then runs the day as `flask alerts send` does: match every new vacancy against
the alerts (vacancy -> job seekers) and queue the due messages. `day_seconds` is that run. Sending the queued mails
is the worker's job: `mail_per_s` is measured on a sample of them rendered and written as .eml files by one
worker. Ends with one JSON line (see bench/README.md).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "bench"))
os.environ.setdefault("JOBMARKET_ENV", "testing")

from match import (bulk_insert, generate, log, machine, make_app, peak_rss_mib,  # noqa: E402
                   throwaway_database)

FULL_WORKERS = 200_000
FULL_NEW = 2_000
FULL_OLD = 20_000
STOP = {"nhan", "vien", "cong", "tai", "va"}


def make_alerts(conn, n_workers: int, seed: int, now: datetime) -> dict[str, int]:
    """One alert per job seeker: even ids a saved search (two words of a trade's title, and sometimes a district,
    a job type or a minimum wage), odd ids "match me"; one in five weekly."""
    from sqlalchemy import text

    from jobmarket.demo import TITLES
    from jobmarket.notifications.alerts import query_words
    from jobmarket.text import fold_tokens

    rng = random.Random(seed + 7)
    phrases = []
    for titles in TITLES.values():
        for title in titles:
            words = [w for w in fold_tokens(title) if w not in STOP]
            if len(words) >= 2:
                phrases.append(" ".join(words[:2]))
            elif words:
                phrases.append(words[0])
    districts = [r[0] for r in conn.execute(text("SELECT code FROM former_districts"))]
    stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f") if conn.dialect.name == "sqlite" else now - timedelta(days=30)
    rows = []
    for wid in range(1, n_workers + 1):
        weekly = "weekly" if rng.random() < 0.2 else "daily"
        if wid % 2 == 0:
            q = rng.choice(phrases)
            words = query_words(q)
            rows.append((wid, wid, "search", q, " ".join(words), max(words, key=len) if words else None,
                         rng.choice(districts) if rng.random() < 0.3 else None,
                         "full_time" if rng.random() < 0.2 else None,
                         rng.choice([6, 8, 10]) * 1_000_000 if rng.random() < 0.2 else None, weekly, True, stamp))
        else:
            rows.append((wid, wid, "match", "", "", None, None, None, None, weekly, True, stamp))
    bulk_insert(conn, "job_alerts", "id, worker_id, kind, q, words, lead_word, district_code, job_type, min_wage, "
                                    "frequency, is_active, created_at", rows)
    return {"job_alerts": len(rows)}


def run(args) -> dict:
    """Generate, index, run the day, sample the mail worker; return the summary."""
    from sqlalchemy import func, select, text

    from jobmarket.extensions import db
    from jobmarket.models import AlertHit, QueuedJob
    from jobmarket.notifications import alerts, queue, tasks  # noqa: F401
    from jobmarket.search import service

    n_work = max(20, round(FULL_WORKERS * args.scale))
    n_new = max(5, round(FULL_NEW * args.scale))
    n_old = max(10, round(FULL_OLD * args.scale))
    db_kind = args.backend
    now = datetime(2026, 3, 1, 1, 0, 0)
    summary: dict = {"backend": db_kind, "scale": args.scale, "seed": args.seed, "job_seekers": n_work,
                     "new_vacancies": n_new, "old_vacancies": n_old}
    with throwaway_database(db_kind) as url, tempfile.TemporaryDirectory() as instance:
        app = make_app(url, instance)
        app.config.update(REDIS_URL=None, MAIL_SERVER=None, MAIL_FOLDER=os.path.join(instance, "mail"),
                          PUBLIC_URL="https://vieclam.hanoi.gov.vn")
        dispatched: list[int] = []
        queue.dispatch = dispatched.extend  # the day queues the mails; the worker sends them (sampled below)
        with app.app_context():
            t0 = time.perf_counter()
            with db.engine.begin() as conn:
                counts = generate(conn, n_old + n_new, n_work, args.seed, now)
                # the last n_new vacancies are the day's: open, from verified employers, published in the last day
                conn.execute(text("UPDATE vacancies SET status = 'open', published_at = :p WHERE id > :old"),
                             {"p": now - timedelta(hours=12), "old": n_old})
                conn.execute(text("UPDATE employers SET status = 'verified' WHERE id IN "
                                  "(SELECT employer_id FROM vacancies WHERE id > :old)"), {"old": n_old})
                conn.execute(text("INSERT INTO alerted_vacancies (vacancy_id, matched_at) "
                                  "SELECT id, :now FROM vacancies WHERE id <= :old"), {"now": now, "old": n_old})
                counts.update(make_alerts(conn, n_work, args.seed, now))
            log(f"generated in {time.perf_counter() - t0:.1f}s: {counts}")
            from jobmarket.vocabulary import recompute_skill_weights

            recompute_skill_weights(queue=False)
            db.session.remove()
            t0 = time.perf_counter()
            service.backend_named("database").rebuild()
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE" if db_kind == "postgresql" else "ANALYZE"))
            db.session.remove()
            log(f"search tables built in {time.perf_counter() - t0:.1f}s")
            service.now = lambda: now  # scores as of the day's run

            t0 = time.perf_counter()
            matched = alerts.match_new(now)
            match_s = time.perf_counter() - t0
            log(f"matched {matched.vacancies} new vacancies in {match_s:.1f}s: {matched.hits} finds")
            t1 = time.perf_counter()
            messages = alerts.send_due(now)
            send_s = time.perf_counter() - t1
            day_s = time.perf_counter() - t0
            log(f"queued {messages} messages in {send_s:.1f}s; the day took {day_s:.1f}s")
            kept = db.session.scalar(select(func.count(AlertHit.id)))
            once = db.session.scalar(select(func.count()).select_from(
                select(AlertHit.worker_id, AlertHit.vacancy_id).group_by(AlertHit.worker_id, AlertHit.vacancy_id)
                .subquery()))
            sample = dispatched[:args.mail_sample]
            t2 = time.perf_counter()
            outcomes = [queue.run_job(job_id) for job_id in sample]
            mail_s = time.perf_counter() - t2
            done = sum(1 for o in outcomes if o == "done")
            files = len(os.listdir(app.config["MAIL_FOLDER"])) if os.path.isdir(app.config["MAIL_FOLDER"]) else 0
            pending = db.session.scalar(select(func.count(QueuedJob.id)).where(QueuedJob.status == "pending"))
            db.session.remove()
        summary.update(day_seconds=round(day_s, 2), match_seconds=round(match_s, 2), queue_seconds=round(send_s, 2),
                       finds=matched.hits, hits_kept=kept, hits_unique=once == kept, messages=messages,
                       mails_sampled=len(sample), mails_done=done, mail_files=files,
                       mail_per_s=round(done / mail_s, 1) if mail_s and done else None,
                       jobs_pending=pending, peak_rss_mib=round(peak_rss_mib(), 1), machine=machine(),
                       load_average=[round(x, 2) for x in os.getloadavg()])
    return summary


def main(argv=None) -> int:
    """Parse options, run, print the report and the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 200,000 job seekers, 2,000 new vacancies")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--mail-sample", type=int, default=300, help="queued mails sent by one worker, timed")
    args = parser.parse_args(argv)
    summary = run(args)
    m = summary["machine"]
    print(f"machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM, Python {m['python']}")
    print(f"data: {summary['job_seekers']:,} job seekers with alerts, {summary['new_vacancies']:,} new vacancies "
          f"({summary['old_vacancies']:,} older ones already matched), seed {summary['seed']}")
    print(f"day: {summary['day_seconds']} s (matching {summary['match_seconds']} s, queueing "
          f"{summary['messages']:,} messages {summary['queue_seconds']} s); {summary['finds']:,} finds, "
          f"{summary['hits_kept']:,} kept (best 10 a person)")
    print(f"mail worker: {summary['mail_per_s']} messages/s on {summary['mails_sampled']} sampled")
    print(f"load average: {summary['load_average']}; peak RSS {summary['peak_rss_mib']} MiB")
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
