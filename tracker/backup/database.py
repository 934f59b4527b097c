"""Copying the database out and back: SQLite's online backup API, PostgreSQL's pg_dump/pg_restore."""
from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from sqlalchemy import text
from sqlalchemy.engine import make_url

from tracker.extensions import db

SQLITE_FILE, PG_FILE = "database.sqlite3", "database.pgdump"
EVIDENCE_ROWS = "SELECT storage_key, sha256, has_thumbnail FROM evidence ORDER BY id"
COUNTS = {"incidents": "SELECT count(*) FROM incidents", "audit_events": "SELECT count(*) FROM audit_events"}


class BackupFailed(Exception):
    pass


@dataclass
class Snapshot:
    """What the copy of the database holds: its evidence rows (key, sha256, has_thumbnail) and counts."""

    evidence: list[tuple[str, str, bool]]
    counts: dict[str, int]


def kind() -> str:
    return db.engine.dialect.name


def _sqlite_path() -> str:
    path = make_url(db.engine.url).database
    if not path or path == ":memory:":
        raise BackupFailed("an in-memory SQLite database cannot be backed up")
    return path


def _pg_program(name: str) -> str:
    """pg_dump/pg_restore: on the PATH, else the newest of Debian's cluster binaries."""
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)),
                                       None)
    if not found:
        raise BackupFailed(f"{name} not found: install the PostgreSQL client (Debian: postgresql-client)")
    return found


def _pg_args() -> tuple[list[str], dict]:
    url = make_url(db.engine.url)
    host, port = url.query.get("host") or url.host, url.query.get("port") or url.port
    args = [*(["-h", str(host)] if host else []), *(["-p", str(port)] if port else []),
            *(["-U", url.username] if url.username else []), "-d", url.database]
    env = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}
    return args, env


def _run(command: list[str], env: dict | None = None) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupFailed(f"{Path(command[0]).name} failed: {result.stderr.strip()[-2000:]}")


@contextmanager
def dump(folder: Path) -> Iterator[Snapshot]:
    """Write the database into `folder`; yields what exactly that copy holds."""
    db.session.remove()
    if kind() == "sqlite":
        target = folder / SQLITE_FILE
        with sqlite3.connect(_sqlite_path()) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        with sqlite3.connect(target) as copy:
            yield Snapshot([(k, s, bool(t)) for k, s, t in copy.execute(EVIDENCE_ROWS)],
                           {name: copy.execute(sql).fetchone()[0] for name, sql in COUNTS.items()})
        return
    if kind() != "postgresql":
        raise BackupFailed(f"cannot back up a {kind()} database")
    args, env = _pg_args()
    with db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
        snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
        snapshot_of = Snapshot([(k, s, bool(t)) for k, s, t in connection.execute(text(EVIDENCE_ROWS))],
                               {name: connection.scalar(text(sql)) for name, sql in COUNTS.items()})
        _run([_pg_program("pg_dump"), "-Fc", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
              "-f", str(folder / PG_FILE), *args], env)
        connection.rollback()  # read only
    yield snapshot_of


def load(folder: Path) -> None:
    """Replace the database's contents with the copy in `folder`."""
    db.session.remove()
    db.engine.dispose()
    if kind() == "sqlite":
        source_file = folder / SQLITE_FILE
        if not source_file.is_file():
            raise BackupFailed(f"{source_file} is missing: this backup is not of a SQLite database")
        with sqlite3.connect(source_file) as source, sqlite3.connect(_sqlite_path()) as target:
            source.backup(target)
        return
    dump_file = folder / PG_FILE
    if not dump_file.is_file():
        raise BackupFailed(f"{dump_file} is missing: this backup is not of a PostgreSQL database")
    args, env = _pg_args()
    _run([_pg_program("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--single-transaction", *args, str(dump_file)], env)
