"""The work queue: jobs are rows written with the change that causes them, run after commit by RQ or in-process.

`enqueue(task, key, payload)` adds a row to `queued_jobs` in the caller's transaction (nothing is sent if it rolls
back). After the commit the job is handed to Redis (RQ) when REDIS_URL is set, or run in this process when it is
not. Redis being down loses nothing: the row stays pending and `dispatch_pending()` (run by the worker in a loop)
hands it over once Redis answers again. A job runs once per delivery key (`key` is unique; a job is claimed by an
UPDATE ... WHERE status = 'pending' before it runs); a failure is retried with backoff and, after
QUEUE_MAX_ATTEMPTS, kept as 'failed' with its error for the admins' page.
"""
from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import timedelta

from flask import current_app
from sqlalchemy import event, or_, select, update
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import QueuedJob
from ..models._common import utcnow

log = logging.getLogger(__name__)
QUEUE_NAME = "jobmarket"
_AFTER_COMMIT = "jobmarket_jobs_after_commit"
BACKOFF_SECONDS = (30, 120, 600, 3600, 6 * 3600)
STALE_RUNNING = timedelta(minutes=15)
LOST_IN_REDIS = timedelta(hours=1)

# Task name -> function(session, payload). A task uses only the session it is given (its own transaction).
TASKS: dict[str, Callable[[Session, dict], None]] = {}


def task(name: str):
    """Register a function as the task `name`."""

    def register(function):
        TASKS[name] = function
        return function

    return register


def enqueue(task_name: str, key: str, payload: dict, session: Session | None = None) -> QueuedJob | None:
    """Add a job to the caller's transaction (db.session, or a task's own session); None when a job with this
    delivery key already exists."""
    session = session if session is not None else db.session
    key = key[:200]
    if session.scalar(select(QueuedJob.id).where(QueuedJob.key == key)) is not None:
        return None
    job = QueuedJob(key=key, task=task_name, payload=json.dumps(payload, ensure_ascii=False, default=str),
                    status="pending", attempts=0, run_after=utcnow())
    session.add(job)
    session.flush()
    register_after_commit(session, [job.id])
    return job


def register_after_commit(session: Session, ids: list[int]) -> None:
    """Hand these jobs over once the session's transaction commits."""
    session.info.setdefault(_AFTER_COMMIT, []).extend(ids)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    """Hand over the jobs this transaction added (never from inside a rolled-back one)."""
    ids = session.info.pop(_AFTER_COMMIT, None)
    if ids:
        try:
            dispatch(ids)
        except Exception:  # the change is committed; the jobs stay pending and the worker picks them up
            log.exception("queue: could not dispatch jobs %s after commit", ids)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    """A rolled-back transaction's jobs were never written: forget them."""
    session.info.pop(_AFTER_COMMIT, None)


def redis_connection(url: str | None = None):
    """A Redis client for REDIS_URL that gives up quickly when the server is down."""
    from redis import Redis

    return Redis.from_url(url or current_app.config["REDIS_URL"], socket_connect_timeout=1, socket_timeout=5)


def rq_queue(connection=None):
    """The RQ queue the worker serves."""
    from rq import Queue

    return Queue(QUEUE_NAME, connection=connection or redis_connection())


def dispatch(ids: list[int]) -> None:
    """Run the jobs now (no REDIS_URL) or hand them to RQ; with Redis down they stay pending."""
    if not current_app.config.get("REDIS_URL"):
        for job_id in ids:
            run_job(job_id)
        return
    from redis.exceptions import RedisError

    try:
        queue = rq_queue()
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            with queue.connection.pipeline() as pipe:
                for job_id in chunk:
                    queue.enqueue_call("jobmarket.notifications.queue.run_queued_job", args=(job_id,),
                                       job_id=f"jm-job-{job_id}-{int(time.time() * 1000)}", result_ttl=3600,
                                       failure_ttl=7 * 24 * 3600, pipeline=pipe)
                pipe.execute()
            _mark_queued(chunk)
    except RedisError as exc:
        log.warning("queue: Redis unavailable (%s); %d job(s) stay pending until it is back", exc, len(ids))


def _mark_queued(ids: list[int]) -> None:
    """Stamp the moment jobs were handed to Redis (a separate short transaction)."""
    with Session(db.engine) as session:
        session.execute(update(QueuedJob).where(QueuedJob.id.in_(ids)).values(queued_at=utcnow()))
        session.commit()


def run_queued_job(job_id: int) -> str:
    """The function RQ runs: `run_job` inside the worker's app context (see cli.worker)."""
    return run_job(job_id)


def run_job(job_id: int) -> str:
    """Claim and run one job: 'done', 'retry', 'failed', or 'skipped' (already done, running, or unknown)."""
    max_attempts = int(current_app.config["QUEUE_MAX_ATTEMPTS"])
    with Session(db.engine, expire_on_commit=False) as session:
        claimed = session.execute(update(QueuedJob).where(QueuedJob.id == job_id, QueuedJob.status == "pending")
                                  .values(status="running", attempts=QueuedJob.attempts + 1,
                                          run_after=utcnow())).rowcount
        session.commit()
        if not claimed:
            return "skipped"
        job = session.get(QueuedJob, job_id)
        try:
            TASKS[job.task](session, json.loads(job.payload))
            session.flush()
        except Exception as exc:  # noqa: BLE001 - any failure is recorded on the job, never raised to a request
            session.rollback()
            job = session.get(QueuedJob, job_id)
            job.last_error = f"{type(exc).__name__}: {exc}"[:4000]
            job.queued_at = None
            if job.attempts >= max_attempts:
                job.status = "failed"
                log.error("queue: job %s (%s) failed for good after %d attempts: %s", job.id, job.key, job.attempts,
                          job.last_error)
            else:
                job.status = "pending"
                job.run_after = utcnow() + timedelta(seconds=backoff(job.attempts))
                log.warning("queue: job %s (%s) failed (attempt %d), retried at %s: %s", job.id, job.key,
                            job.attempts, job.run_after, job.last_error)
            session.commit()
            return job.status == "failed" and "failed" or "retry"
        job.status, job.done_at, job.last_error = "done", utcnow(), None
        session.commit()
        return "done"


def backoff(attempts: int) -> int:
    """Seconds before the next attempt after `attempts` failures."""
    return BACKOFF_SECONDS[min(attempts, len(BACKOFF_SECONDS)) - 1]


def due_jobs(now=None) -> list[int]:
    """Pending jobs whose time has come and that are not (or no longer believed) in Redis; running jobs whose
    worker died are released first."""
    now = now or utcnow()
    with Session(db.engine) as session:
        session.execute(update(QueuedJob).where(QueuedJob.status == "running",
                                                QueuedJob.run_after < now - STALE_RUNNING).values(status="pending"))
        session.commit()
        return list(session.scalars(select(QueuedJob.id).where(
            QueuedJob.status == "pending", QueuedJob.run_after <= now,
            or_(QueuedJob.queued_at.is_(None), QueuedJob.queued_at < now - LOST_IN_REDIS)).order_by(QueuedJob.id)))


def dispatch_pending(now=None) -> int:
    """Hand every due pending job over (to Redis, or run them here); returns how many."""
    ids = due_jobs(now)
    if ids:
        dispatch(ids)
    return len(ids)


def retry_failed(job_id: int) -> bool:
    """An admin sends a failed job again (one more round of attempts)."""
    with Session(db.engine) as session:
        done = session.execute(update(QueuedJob).where(QueuedJob.id == job_id, QueuedJob.status == "failed")
                               .values(status="pending", attempts=0, run_after=utcnow(), queued_at=None)).rowcount
        session.commit()
    if done:
        dispatch([job_id])
    return bool(done)


def work(burst: bool = False, interval: float = 2.0, echo=print) -> None:
    """The worker loop: hand due jobs over, then let RQ run what is queued (or run them here without Redis)."""
    redis_url = current_app.config.get("REDIS_URL")
    while True:
        try:
            handed = dispatch_pending()
            if redis_url:
                from rq import SimpleWorker

                connection = redis_connection()
                SimpleWorker([rq_queue(connection)], connection=connection).work(burst=True, logging_level="WARNING")
            elif handed:
                echo(f"ran {handed} job(s)")
        except Exception as exc:  # Redis down: wait and try again, nothing is lost
            from redis.exceptions import RedisError

            if not isinstance(exc, RedisError):
                raise
            echo(f"Redis unavailable ({exc}); retrying in {interval:g}s")
        if burst:
            return
        time.sleep(interval)
