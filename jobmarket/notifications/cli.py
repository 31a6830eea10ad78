"""Commands: `worker` (the queue), `alerts send` (the daily job alerts), `notifications digest` and `drain`."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

alerts_cli = AppGroup("alerts", help="Job alerts.")
notifications_cli = AppGroup("notifications", help="Notifications and the work queue.")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run what is due, then stop (for cron or tests).")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between rounds.")
@with_appcontext
def worker(burst: bool, interval: float) -> None:
    """Run queued jobs: from Redis with RQ when REDIS_URL is set, else from the database; jobs left pending while
    Redis was down are handed over as soon as it answers."""
    from . import tasks  # noqa: F401  (registers the tasks)
    from .queue import work

    work(burst=burst, interval=interval, echo=click.echo)


@alerts_cli.command("send")
@click.option("--now", "now_text", default=None, help="Run as of this UTC moment (ISO 8601).")
def alerts_send(now_text: str | None) -> None:
    """Match new vacancies against every job alert, then queue the due messages (cron: once a day)."""
    from datetime import datetime

    from tqdm import tqdm

    from . import alerts, tasks  # noqa: F401

    now = datetime.fromisoformat(now_text) if now_text else None
    new = len(alerts.new_vacancies())
    with tqdm(total=new, desc="matching new vacancies", unit="vacancy", disable=None) as bar:
        report = alerts.match_new(now, progress=bar.update)
    with tqdm(desc="queueing messages", unit="message", disable=None) as bar:
        report.messages = alerts.send_due(now, progress=bar.update)
    click.echo(f"vacancies matched: {report.vacancies}, new hits: {report.hits}, messages queued: {report.messages}")


@notifications_cli.command("digest")
def notifications_digest() -> None:
    """Send the employers' daily digests of new applications (cron: once a day)."""
    from . import tasks  # noqa: F401
    from .digests import send_application_digests

    click.echo(f"digests queued: {send_application_digests()}")


@notifications_cli.command("drain")
def notifications_drain() -> None:
    """Hand every due pending job over now (to Redis, or run them here)."""
    from . import tasks  # noqa: F401
    from .queue import dispatch_pending

    click.echo(f"jobs handed over: {dispatch_pending()}")


def register(app: Flask) -> None:
    """Attach the commands."""
    app.cli.add_command(worker)
    app.cli.add_command(alerts_cli)
    app.cli.add_command(notifications_cli)
