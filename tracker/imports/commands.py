"""`flask --app wsgi import FILE`: the same dry run and import as /admin/import, for an operator."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click
from sqlalchemy import select

from tracker.extensions import db
from tracker.imports.blueprint import IMPORTERS, bp
from tracker.imports.importer import import_file
from tracker.imports.uploads import sha256_of
from tracker.models import User

SHOWN = 20


@bp.cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--user", "username", required=True,
              help="The manager or administrator recorded as importing, and as reporter of the incidents.")
@click.option("--key", default="incident_ref", show_default=True, help="The column that identifies an incident.")
@click.option("--apply", "apply_", is_flag=True, help="Import (all or nothing) if no row has a problem; "
              "without it, only check.")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), help="Write every problem to this CSV.")
def import_command(path: Path, username: str, key: str, apply_: bool, report: Path | None):
    """Check an incident CSV or XLSX (as the export writes it) row by row; with --apply, import it."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None or user.role not in IMPORTERS or not user.active:
        raise click.ClickException(f"{username!r} is not an active manager or administrator")
    with tempfile.TemporaryDirectory() as scratch:
        summary = import_file(path, path.name, key, user, apply_, report or Path(scratch) / "report.csv",
                              sha256_of(path), progress=lambda done, total: click.echo(
                                  f"  {done:,} of {total:,}", err=True))
    for where, column, reason, severity in summary.first_problems[:SHOWN]:
        click.echo(f"{severity}: {where} {column}: {reason}")
    if summary.errors + summary.notes > SHOWN:
        click.echo(f"... {summary.errors + summary.notes - SHOWN:,} more" + (f" in {report}" if report else
                                                                              " (--report FILE lists them all)"))
    click.echo(f"{summary.file} ({summary.format}, SHA-256 {summary.sha256}): {summary.incidents:,} incidents, "
               f"{summary.items:,} items; {summary.skipped:,} imported before; {summary.errors:,} problems.")
    verb = "Imported" if summary.written else "Would import"
    click.echo(f"{verb} {summary.new:,} incidents with {summary.new_items:,} items ({summary.kept_references:,} "
               f"keep their reference, {summary.new_references:,} get a new one).")
    if summary.errors:
        click.echo("Nothing was imported." if apply_ else "Correct the file and check it again.", err=True)
        sys.exit(1)
    if not apply_ and summary.new:
        click.echo("Run again with --apply to import.")
