"""Command-line interface: reference data, demo data, accounts, and each area's own command groups."""
from __future__ import annotations

import importlib

import click
from flask import Flask
from flask.cli import AppGroup

refdata_cli = AppGroup("refdata", help="Reference data (wards, districts, occupations, skills).")
users_cli = AppGroup("users", help="Accounts.")
stats_cli = AppGroup("stats", help="Labour office statistics.")


@refdata_cli.command("load")
def refdata_load() -> None:
    """Load or refresh every reference table (idempotent)."""
    from .refdata.loader import load_all

    for table, count in load_all().items():
        click.echo(f"{table}: {count}")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--password", required=True)
@click.option("--role", type=click.Choice(["worker", "employer", "officer", "admin"]), required=True)
def users_create(email: str, password: str, role: str) -> None:
    """Create an account of any role (officers and admins are made this way)."""
    from .auth.services import AccountError, create_user

    try:
        user = create_user(email, password, role)
    except AccountError as exc:
        raise click.ClickException(exc.message)
    click.echo(f"created {user.role} {user.email} (id {user.id})")


@click.command("seed-demo")
@click.option("--workers", default=200, show_default=True, help="How many job seekers to create.")
@click.option("--vacancies", default=80, show_default=True, help="How many vacancies to create.")
@click.option("--seed", default=2025, show_default=True, help="Random seed (same seed, same data).")
@click.option("--if-empty", is_flag=True, help="Do nothing when demo accounts already exist.")
def seed_demo(workers: int, vacancies: int, seed: int, if_empty: bool) -> None:
    """Make realistic Hanoi demo data and the three demo accounts."""
    from .demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_exists, generate

    if if_empty and demo_exists():
        click.echo("Demo data already present; nothing to do.")
    else:
        counts = generate(workers=workers, vacancies=vacancies, seed=seed, progress=True)
        click.echo(", ".join(f"{k}: {v}" for k, v in counts.items()))
    click.echo("Demo accounts (password '%s', demo only):" % DEMO_PASSWORD)
    for role, email in DEMO_ACCOUNTS.items():
        click.echo(f"  {role:9s} {email}")


@stats_cli.command("recount")
@click.option("--check", is_flag=True, help="Only compare the kept figures with a recount; exit 1 if they differ.")
def stats_recount(check: bool) -> None:
    """Rebuild the kept figures of current job seekers and open positions (stats_counts), the monthly flows
    (stats_flows) and the copies of migration 0010 (applications, worker_skills) from the base tables. The database
    triggers keep them exact; this is for a restore made with triggers disabled."""
    from .extensions import db
    from .models import stats_summary

    connection = db.session.connection()
    wrong = stats_summary.differences(connection)
    stale = stats_summary.stale_copies(connection)
    if check:
        for key, (kept, fresh) in sorted(wrong.items()):
            click.echo(f"{'/'.join(k for k in key if k)}: kept {kept}, recounted {fresh}")
        click.echo(f"{len(wrong)} figures differ")
        for table, n in stale.items():
            click.echo(f"{table}: {n} rows with stale copies")
        raise SystemExit(1 if wrong or any(stale.values()) else 0)
    stats_summary.recount(connection)
    stats_summary.recount_flows(connection)
    stats_summary.copy_all(connection)
    db.session.commit()
    click.echo(f"{len(stats_summary.counted(db.session.connection()))} figures recounted ({len(wrong)} were wrong); "
               f"copies written again ({sum(stale.values())} were stale)")


def register(app: Flask) -> None:
    """Attach every command group to the app."""
    app.cli.add_command(refdata_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(stats_cli)
    app.cli.add_command(seed_demo)
    for module_name in ("search.cli", "jobs", "reading.cli", "notifications.cli", "employers.cli"):
        try:
            module = importlib.import_module(f".{module_name}", __package__)
        except ModuleNotFoundError as exc:  # an area not built yet
            if exc.name and exc.name.startswith(f"{__package__}.{module_name.split('.')[0]}"):
                continue
            raise
        module.register(app)
