"""`flask text read`: read job texts in bulk, JSON lines in, one JSON line out per input."""
from __future__ import annotations

import json
import sys

import click
from flask import Flask
from flask.cli import AppGroup

text_cli = AppGroup("text", help="Read job text: skills, occupation, wage, experience and ward.")


def _field(value) -> str | None:
    """A text field of an input line: strings as they are, numbers as text, anything else ignored."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


@text_cli.command("read")
@click.option("--record", is_flag=True, help="Count requirement phrases that matched no skill, for administrators.")
def text_read(record: bool) -> None:
    """Read JSON lines {"title", "description", "address"} (any may be missing) from standard input and write one
    JSON line per input line; a line that is not a JSON object gets {"error": ...} so outputs stay aligned."""
    from . import get_snapshot, read_text
    from .services import record_unmatched

    snapshot = get_snapshot()
    pending = []
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError("not an object")
        except ValueError as exc:
            click.echo(json.dumps({"error": f"line {number}: {exc}"}, ensure_ascii=False))
            continue
        reading = read_text(_field(item.get("title")), _field(item.get("description")), _field(item.get("address")),
                            snapshot=snapshot)
        click.echo(json.dumps(reading.to_json(), ensure_ascii=False, sort_keys=False))
        if record and reading.unmatched:
            pending.append((reading.unmatched, _field(item.get("description")) or ""))
    if record and pending:
        record_unmatched(pending)


def register(app: Flask) -> None:
    """Attach the text command group."""
    app.cli.add_command(text_cli)
