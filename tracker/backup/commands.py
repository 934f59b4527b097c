"""The two commands (see tracker/backup/__init__.py)."""
from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import func, select

from tracker.backup import database
from tracker.backup.database import BackupFailed
from tracker.evidence import storage
from tracker.extensions import db
from tracker.models import AuditEvent, Incident

MANIFEST, FILES = "manifest.json", "evidence"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _counts() -> dict:
    return {"incidents": db.session.scalar(select(func.count()).select_from(Incident)),
            "audit_events": db.session.scalar(select(func.count()).select_from(AuditEvent))}


def backup(dest: Path) -> dict:
    if dest.exists() and any(dest.iterdir()):
        raise BackupFailed(f"{dest} is not empty: back up into a new folder")
    dest.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}
    with database.dump(dest) as snapshot:
        for key, sha256, has_thumbnail in snapshot.evidence:
            keys = [key, storage.thumbnail_key(key)] if has_thumbnail else [key]
            for name in keys:
                if name in files:
                    continue
                data = storage.store().read_bytes(storage.checked(name) if name == key else name)
                if name == key and _sha256(data) != sha256:
                    raise BackupFailed(f"evidence file {key} does not have its recorded SHA-256: it was changed")
                target = dest / FILES / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                files[name] = _sha256(target.read_bytes())  # as written, read back
                if files[name] != _sha256(data):
                    raise BackupFailed(f"the copy of {name} differs from the stored file")
    manifest = {"format": 1, "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "database": database.kind(), **snapshot.counts, "evidence_rows": len(snapshot.evidence),
                "files": files}
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def _checked_files(src: Path, manifest: dict) -> dict[str, bytes]:
    """Every file of the backup, read and checked against the manifest before anything changes."""
    files = {}
    for name, sha256 in manifest["files"].items():
        path = src / FILES / name
        if not path.is_file():
            raise BackupFailed(f"{path} is missing from the backup")
        data = path.read_bytes()
        if _sha256(data) != sha256:
            raise BackupFailed(f"{path} does not have the SHA-256 of the manifest: the backup is damaged")
        files[name] = data
    return files


def restore(src: Path, force: bool) -> dict:
    manifest_file = src / MANIFEST
    if not manifest_file.is_file():
        raise BackupFailed(f"{manifest_file} not found: not a backup folder")
    manifest = json.loads(manifest_file.read_text())
    if manifest["database"] != database.kind():
        raise BackupFailed(f"this is a backup of a {manifest['database']} database, not {database.kind()}")
    if not force and db.session.scalar(select(func.count()).select_from(Incident)):
        raise BackupFailed("this database holds incidents: restore into an empty one, or pass --force to replace them")
    files = _checked_files(src, manifest)
    database.load(src)
    store = storage.store()
    for name, data in files.items():
        store.put_bytes(name, data)
        if _sha256(store.read_bytes(name)) != manifest["files"][name]:
            raise BackupFailed(f"{name} differs in the store after the restore")
    counts = _counts()
    if counts["incidents"] != manifest["incidents"]:
        raise BackupFailed(f"{counts['incidents']} incidents restored, the backup holds {manifest['incidents']}")
    return {**manifest, **counts}


@click.command("backup")
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(dest: Path):
    """Copy the database and every evidence file it names into the new folder DEST."""
    try:
        manifest = backup(dest)
    except (BackupFailed, OSError) as error:
        click.echo(f"Backup FAILED: {error}", err=True)
        sys.exit(1)
    click.echo(f"Backed up {manifest['incidents']:,} incidents, {manifest['audit_events']:,} audit events and "
               f"{len(manifest['files']):,} evidence files ({manifest['database']}) into {dest}.")


@click.command("restore")
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already holds incidents.")
@with_appcontext
def restore_command(src: Path, force: bool):
    """Put back the database and evidence files of the backup folder SRC (checked first)."""
    try:
        result = restore(src, force)
    except (BackupFailed, OSError) as error:
        click.echo(f"Restore FAILED: {error}", err=True)
        sys.exit(1)
    click.echo(f"Restored {result['incidents']:,} incidents, {result['audit_events']:,} audit events and "
               f"{len(result['files']):,} evidence files from {src}. Check it with: flask audit verify")


def register(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
