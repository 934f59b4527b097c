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


@bp.cli.command("repair-times")
@click.option("--apply", "apply_", is_flag=True, help="Correct the times (default: only list them).")
def repair_times_command(apply_):
    """Correct incident times stored wrong by the incident form before the time-zone fix."""
    from tracker.incidents.time_repair import apply_repairs, find_repairs

    repairs, unclear = find_repairs()
    for r in repairs:
        click.echo(f"{r.ref}: {r.before:%Y-%m-%d %H:%M}Z -> {r.after:%Y-%m-%d %H:%M}Z "
                   f"({r.local:%Y-%m-%d %H:%M} {r.zone})")
    for ref in unclear:
        click.echo(f"{ref}: changed since by other means; check it by hand", err=True)
    if apply_:
        apply_repairs(repairs)
        db.session.commit()
        click.echo(f"Corrected {len(repairs)} incident times (audit events 'time_corrected').")
    else:
        click.echo(f"{len(repairs)} incident times to correct; run again with --apply to correct them.")
