"""The work queue: after commit only, one delivery per key, RQ on a real Redis, and nothing lost while it is down."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from jobmarket.models import Notification, QueuedJob

REDIS = "redis://127.0.0.1:6379/3"


@pytest.fixture
def redis_db3():
    """Redis database 3 (this feature's), emptied before and after."""
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown

    from ..dbutil import missing_dependency

    connection = Redis.from_url(REDIS, socket_connect_timeout=1)
    try:
        connection.flushdb()
    except RedisDown as exc:
        missing_dependency(f"Redis is not reachable at {REDIS}: {exc}")
    yield connection
    connection.flushdb()


def test_a_rolled_back_change_sends_nothing(app, db, factory, mailbox):
    from jobmarket.notifications import notify

    user = factory.user("worker", email="khong-gui@example.vn")
    notify(user, "employer_verified", name="Công ty A")
    db.session.rollback()
    assert db.session.scalar(select(func.count(QueuedJob.id))) == 0
    assert db.session.scalar(select(func.count(Notification.id))) == 0
    db.session.commit()
    assert mailbox.messages == []


def test_one_delivery_per_key(app, db, factory, mailbox):
    from jobmarket.notifications import notify
    from jobmarket.notifications.queue import run_job

    user = factory.user("employer", email="mot-lan@example.vn")
    notify(user, "employer_verified", key="verified:once", name="Công ty B")
    notify(user, "employer_verified", key="verified:once", name="Công ty B")
    db.session.commit()
    assert len(mailbox.wait(1)) == 1
    job = db.session.scalar(select(QueuedJob))
    assert job.status == "done"
    assert run_job(job.id) == "skipped"  # a second delivery of the same job does nothing
    assert len(mailbox.messages) == 1 and mailbox.messages[0]["X-Delivery-Key"] == "verified:once"


def test_with_redis_down_the_request_succeeds_and_the_mail_goes_when_it_is_back(app_config, make_app, factory, db,
                                                                             mailbox, redis_db3):
    from rq import SimpleWorker

    from jobmarket.notifications.queue import dispatch_pending, redis_connection, rq_queue

    factory.user("worker", email="redis@example.vn")
    down = make_app({**app_config, "REDIS_URL": "redis://127.0.0.1:1/3"})  # nothing listens on port 1
    assert down.test_client().post("/auth/quen-mat-khau", data={"email": "redis@example.vn"}).status_code == 200
    job = db.session.scalar(select(QueuedJob))
    assert job.status == "pending" and job.queued_at is None and job.attempts == 0
    assert mailbox.messages == []
    up = make_app({**app_config, "REDIS_URL": REDIS})
    with up.app_context():
        assert dispatch_pending() == 1  # what the worker does on every round
        connection = redis_connection()
        assert rq_queue(connection).count == 1
        assert mailbox.messages == []  # queued in Redis, not yet run
        SimpleWorker([rq_queue(connection)], connection=connection).work(burst=True)
    assert mailbox.wait(1)[0]["To"] == "redis@example.vn"
    db.session.expire_all()
    assert db.session.get(QueuedJob, job.id).status == "done"


def test_the_worker_command_runs_what_redis_holds(app_config, make_app, factory, db, mailbox, redis_db3):
    from jobmarket.notifications import notify

    application = make_app({**app_config, "REDIS_URL": REDIS})
    user = factory.user("employer", email="worker-cli@example.vn", locale="en")
    with application.app_context():
        from jobmarket.extensions import db as app_db

        notify(app_db.session.get(type(user), user.id), "vacancy_taken_down", title="Thợ hàn", reason="Sai thông tin")
        app_db.session.commit()
        assert app_db.session.scalar(select(QueuedJob.queued_at)) is not None  # handed to Redis after commit
    assert mailbox.messages == []
    with application.app_context():  # the command runs in the current app context (this app's REDIS_URL)
        result = application.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    message = mailbox.wait(1)[0]
    assert message["Subject"] == "Vacancy taken down: Thợ hàn"
    assert "Reason: Sai thông tin" in message.get_body(preferencelist=("plain",)).get_content()
