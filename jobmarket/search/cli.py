"""`flask --app jobmarket search ...`: drain the outbox, rebuild an index behind its alias, compare index and database."""
from __future__ import annotations

import json

import click
from flask import Flask
from flask.cli import AppGroup

search_cli = AppGroup("search", help="The search index (Elasticsearch): drain, reindex, status.")


@search_cli.command("drain")
@click.option("--batch-size", default=500, show_default=True, help="Outbox entries per bulk request.")
def drain_command(batch_size: int) -> None:
    """Send every pending outbox entry to the index (retrying failed ones); clears them when search is off."""
    from . import es_backend
    from .outbox import drain

    result = drain(batch_size=batch_size)
    if not es_backend.enabled():
        click.echo(f"ELASTICSEARCH_URL is not set: {result.cleared} outbox entries cleared.")
        return
    click.echo(f"synced {result.synced}, failed {result.failed}")
    if result.error:
        raise click.ClickException(f"some entries are kept for the next drain: {result.error}")


@search_cli.command("reindex")
@click.option("--kind", type=click.Choice(["all", "vacancies", "workers"]), default="all", show_default=True)
@click.option("--batch-size", default=500, show_default=True, help="Documents per bulk request.")
@click.option("--progress/--no-progress", default=True, show_default=True, help="Show a progress bar.")
def reindex_command(kind: str, batch_size: int, progress: bool) -> None:
    """Build new indices from the database and swap the aliases to them atomically; old indices are removed."""
    from . import es_backend

    if not es_backend.enabled():
        raise click.ClickException("ELASTICSEARCH_URL is not set: there is no index to rebuild.")
    for each in (es_backend.KINDS if kind == "all" else (kind,)):
        try:
            done = es_backend.reindex(each, progress=progress, batch_size=batch_size)
        except es_backend.EsUnavailable as exc:
            raise click.ClickException(f"reindex {each} failed, the alias still points to the old index: {exc}")
        removed = ", ".join(done["removed"]) or "none"
        click.echo(f"{each}: {done['documents']} documents in {done['index']} (old indices removed: {removed}; "
                   f"caught up {done['caught_up']})")


@search_cli.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def status_command(as_json: bool) -> None:
    """Index document counts against the database's eligible rows, and the outbox lag (exit 1: unreachable)."""
    from . import es_backend

    info = es_backend.status()
    if as_json:
        click.echo(json.dumps(info, sort_keys=True))
        return
    click.echo(f"elasticsearch: {info['elasticsearch']}")
    for kind, entry in info["kinds"].items():
        index = "-" if entry["index"] is None else entry["index"]
        flag = "" if entry["index"] is None or entry["index"] == entry["database"] else "  (differs)"
        live = ", ".join(entry.get("live") or []) or "-"
        click.echo(f"{kind}: index {index} / database {entry['database']}  [{entry['alias']} -> {live}]{flag}")
    outbox = info["outbox"]
    click.echo(f"outbox: {outbox['pending']} pending ({outbox['failing']} failing), "
               f"oldest {outbox['oldest_age_s']:.0f} s")
    if info["elasticsearch"].startswith("unreachable"):
        click.get_current_context().exit(1)  # for monitoring: the index cannot be checked


def register(app: Flask) -> None:
    """Attach the `search` command group."""
    app.cli.add_command(search_cli)
