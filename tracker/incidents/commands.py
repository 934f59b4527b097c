"""`flask --app wsgi incidents ...`: maintenance of stored incidents."""
from __future__ import annotations

import click

from tracker.extensions import db
from tracker.incidents import derived
from tracker.incidents.blueprint import bp


@bp.cli.command("recompute-derived")
def recompute_derived_command():
    """Recompute every incident's sensitivity and country by today's rules, reference data and
    outlines (after upgrading a database written by an older version); the dashboards follow."""
    result = derived.recompute_all()
    db.session.commit()
    click.echo(f"Derived facts recomputed: {len(result.changed):,} incidents changed "
               f"(sensitivity {len(result.sensitive):,}, country {len(result.country):,}).")
