"""Removing stored files that no incident ever took (`flask --app wsgi evidence sweep`).

Files are stored as soon as they are uploaded, before the incident form is saved. A ranger who
abandons the form leaves photos behind that belong to no record and that nobody can open; once
their tokens have expired (24 hours) nothing can attach them any more. Run this daily, e.g.
from cron. A file is judged by its newest copy on disk (original or thumbnail), and storing the
same bytes again refreshes it, so a file that is being staged right now is never taken.
"""
from __future__ import annotations

import time
from pathlib import Path

import click
from flask import Blueprint
from sqlalchemy import select

from tracker.evidence import storage
from tracker.evidence.uploads import TOKEN_MAX_AGE
from tracker.extensions import db
from tracker.models import Evidence

BATCH = 500


def _group(path: Path) -> str:
    """Copies of one file (original, thumbnail) share the hash before the first dot; an
    unfinished write (`.part`) stands alone."""
    return path.name if path.suffix == ".part" else path.name.split(".", 1)[0]


def _unattached(paths: list[Path]) -> list[Path]:
    """The paths whose SHA-256 no Evidence row has."""
    by_hash: dict[str, list[Path]] = {}
    for path in paths:
        by_hash.setdefault(_group(path), []).append(path)
    hashes, attached = list(by_hash), set()
    for start in range(0, len(hashes), BATCH):
        chunk = hashes[start:start + BATCH]
        attached.update(db.session.scalars(select(Evidence.sha256).where(Evidence.sha256.in_(chunk)).distinct()))
    return [path for digest, group in by_hash.items() if digest not in attached for path in group]


def _old_groups(folder: Path, cutoff: float) -> list[Path]:
    """Files in one folder whose every copy is older than `cutoff`."""
    newest: dict[str, float] = {}
    files = [p for p in folder.iterdir() if p.is_file()]
    for path in files:
        newest[_group(path)] = max(newest.get(_group(path), 0.0), path.stat().st_mtime)
    return [p for p in files if newest[_group(p)] < cutoff]


def sweep(min_age_hours: float) -> int:
    """Delete files older than `min_age_hours` that no incident has; returns how many."""
    cutoff = time.time() - max(min_age_hours * 3600, TOKEN_MAX_AGE)
    removed = 0
    root = storage.root()
    for folder in sorted(root.glob("[0-9a-f][0-9a-f]/[0-9a-f][0-9a-f]")) + [root / "tmp"]:
        if not folder.is_dir():
            continue
        old = _old_groups(folder, cutoff)
        leftovers = [p for p in old if p.suffix == ".part"]
        for path in leftovers + _unattached([p for p in old if p.suffix != ".part"]):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def register(bp: Blueprint) -> None:
    @bp.cli.command("sweep")
    @click.option("--hours", default=48.0, show_default=True,
                  help="Only files older than this (never less than the 24 hours a staged upload lives).")
    def sweep_command(hours: float):
        """Delete stored evidence files that no incident has (abandoned uploads)."""
        click.echo(f"Removed {sweep(hours)} unattached evidence files.")
