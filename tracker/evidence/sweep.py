"""Removing stored files that no incident ever took (`flask --app wsgi evidence sweep`).

Files are stored as soon as they are uploaded, before the incident form is saved. A ranger who
abandons the form leaves photos behind that belong to no record and that nobody can open; once
their tokens have expired (24 hours) nothing can attach them any more. Run this daily, e.g.
from cron (on one server only when they share an S3 store). A file is judged by its newest copy
in the store (original or thumbnail), and storing the same bytes again refreshes it, so a file
that is being staged right now is never taken.
"""
from __future__ import annotations

import contextlib
import time
from pathlib import Path

import click
from flask import Blueprint
from sqlalchemy import select

from tracker.evidence import storage
from tracker.evidence.uploads import TOKEN_MAX_AGE
from tracker.extensions import db
from tracker.filestore import Stored
from tracker.models import Evidence

BATCH = 500


def _group(name: str) -> str:
    """Copies of one file (original, thumbnail) share the hash before the first dot; an
    unfinished write (`.part`) stands alone."""
    return name if name.endswith(".part") else name.rsplit("/", 1)[-1].split(".", 1)[0]


def _unattached(keys: list[str]) -> list[str]:
    """The keys whose SHA-256 no Evidence row has."""
    by_hash: dict[str, list[str]] = {}
    for key in keys:
        by_hash.setdefault(_group(key), []).append(key)
    hashes, attached = list(by_hash), set()
    for start in range(0, len(hashes), BATCH):
        chunk = hashes[start:start + BATCH]
        attached.update(db.session.scalars(select(Evidence.sha256).where(Evidence.sha256.in_(chunk)).distinct()))
    return [key for digest, group in by_hash.items() if digest not in attached for key in group]


def _old_groups(files: list[Stored], cutoff: float) -> list[str]:
    """Keys of the files whose every copy is older than `cutoff`."""
    newest: dict[str, float] = {}
    for stored in files:
        newest[_group(stored.key)] = max(newest.get(_group(stored.key), 0.0), stored.modified)
    return [stored.key for stored in files if newest[_group(stored.key)] < cutoff]


def _leftover_parts(folder: Path, cutoff: float) -> int:
    """Temporary files of uploads that never finished (a killed worker), on this machine."""
    removed = 0
    for path in folder.glob("*.part") if folder.is_dir() else ():
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
    return removed


def sweep(min_age_hours: float) -> int:
    """Delete files older than `min_age_hours` that no incident has; returns how many."""
    cutoff = time.time() - max(min_age_hours * 3600, TOKEN_MAX_AGE)
    store = storage.store()
    files = [stored for stored in store.listing() if storage.KEY.fullmatch(_original(stored.key))]
    removed = _leftover_parts(store.scratch, cutoff)
    for key in _unattached(_old_groups(files, cutoff)):
        store.delete(key)
        removed += 1
    return removed


def _original(key: str) -> str:
    """The key of the original file that `key` is a copy of (itself for an original)."""
    return key.replace(storage.THUMBNAIL_SUFFIX, ".jpg") if key.endswith(storage.THUMBNAIL_SUFFIX) else key


def register(bp: Blueprint) -> None:
    @bp.cli.command("sweep")
    @click.option("--hours", default=48.0, show_default=True,
                  help="Only files older than this (never less than the 24 hours a staged upload lives).")
    def sweep_command(hours: float):
        """Delete stored evidence files that no incident has (abandoned uploads)."""
        click.echo(f"Removed {sweep(hours)} unattached evidence files.")
