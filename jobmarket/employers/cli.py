"""`flask vacancies import FILE --employer TAXCODE`: the bulk import of the pages, from the command line."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

vacancies_cli = AppGroup("vacancies", help="Vacancies: bulk import.")


@vacancies_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--employer", "tax_code", required=True, help="Tax code of the business the drafts belong to.")
@click.option("--dry-run", is_flag=True, help="Read and report every row; create nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON lines (one per row).")
def import_command(file: Path, tax_code: str, dry_run: bool, as_json: bool) -> None:
    """Read FILE (CSV, XLSX or JSON lines), report every row, and create the rows that can be created as drafts."""
    from tqdm import tqdm

    from . import importing
    from .services import ServiceError

    employer = importing.employer_by_tax_code(tax_code)
    if employer is None:
        raise click.ClickException(f"Không có doanh nghiệp nào với mã số thuế {tax_code}.")
    try:
        raw = importing.parse_file(file.name, file.read_bytes())
    except importing.ImportFileError as exc:
        raise click.ClickException(exc.message) from None
    with tqdm(total=len(raw), desc="Đọc các dòng", unit="dòng", file=sys.stderr, disable=None) as bar:
        rows = importing.read_rows(raw, progress=bar.update)
    for row in rows:
        if as_json:
            click.echo(json.dumps(row.to_json(), ensure_ascii=False))
        elif row.status != "ok":
            click.echo(f"Dòng {row.number} ({row.data.title}): {' '.join(row.reasons())}")
    ok = sum(1 for r in rows if r.status == "ok")
    if dry_run:
        click.echo(f"{ok}/{len(rows)} dòng tạo được tin nháp (chạy thử: chưa tạo gì).", err=as_json)
        return
    try:
        created = importing.create_drafts(employer, rows)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Đã tạo {len(created)} tin nháp cho {employer.name}; {len(rows) - len(created)} dòng không tạo "
               f"được.", err=as_json)


def register(app: Flask) -> None:
    """Attach the command group."""
    app.cli.add_command(vacancies_cli)
