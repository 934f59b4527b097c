"""`flask backup DEST` and `flask restore SRC`: the database and the evidence files, together.

A backup is a folder:
- `database.sqlite3` (SQLite's online backup API: a consistent copy while the app runs) or
  `database.pgdump` (PostgreSQL's `pg_dump -Fc`, from the cluster binaries on the machine);
- `evidence/<key>`: every evidence file (and thumbnail) that the copied database names, read from
  the evidence store (local folder or S3) and checked against its SHA-256 after the copy;
- `manifest.json`: what was copied, each file's SHA-256, and the counts to compare after a restore.

Database and files agree because the files are chosen from the copy of the database, not from
the store: evidence files are named by their content and never changed, so every file a copied
row names is in the store when it is copied. On PostgreSQL the dump and that list come from one
exported snapshot. A restore checks every file against the manifest before it changes anything.
"""
from __future__ import annotations

from tracker.backup.commands import register

__all__ = ["register"]
