"""The dashboards blueprint; registering it also installs the rollup upkeep and its command."""
from __future__ import annotations

import time

import click
from flask import Blueprint

from tracker.dashboards import rollups
from tracker.extensions import db

bp = Blueprint("dashboards", __name__, url_prefix="/dashboards", cli_group="rollups")
bp.record_once(lambda state: rollups.install())


@bp.cli.command("rebuild")
def rebuild_command():
    """Recount the dashboard rollups from the incidents (after bulk loads or a restore)."""
    started = time.monotonic()
    rows = rollups.rebuild(db.session)
    db.session.commit()
    click.echo(f"Rebuilt {rows:,} rollup rows in {time.monotonic() - started:.1f} s.")
