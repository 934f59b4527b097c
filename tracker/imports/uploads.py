"""Import files kept on the server between their dry run and the import, named by their SHA-256.

The confirmation of an import names the SHA-256 of the file its dry run checked, and the import
reads the kept file after checking that its bytes still have that hash: what is imported is
exactly what was checked, never a second upload that might differ. Files live in the store of
the background jobs (tracker/reports/jobs.py), so with an S3 store the import may be confirmed
through another app server than the one that checked it, and are deleted with them after
REPORTS_KEEP_HOURS. They are read from a local copy (the stored file itself for the local store).
"""
from __future__ import annotations

import hashlib
import os
import re
import secrets
from pathlib import Path
from typing import BinaryIO

from tracker.reports import jobs

CHUNK = 1024 * 1024
SHA256 = re.compile(r"[0-9a-f]{64}")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def kept_key(sha256: str) -> str | None:
    """The key of the kept file of this hash (None for something that is not a SHA-256)."""
    return f"import-{sha256}.upload" if SHA256.fullmatch(sha256 or "") else None


def keep(stream: BinaryIO) -> tuple[Path, str, int]:
    """Store an uploaded file by its SHA-256: (a local copy's path, sha256, size)."""
    digest, size = hashlib.sha256(), 0
    partial = jobs.folder() / f"import-{secrets.token_urlsafe(12)}.partial"
    try:
        with partial.open("wb") as out:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        sha256 = digest.hexdigest()
        path = jobs.folder() / kept_key(sha256)
        os.replace(partial, path)
        jobs.store().put_file(kept_key(sha256), path)
    finally:
        partial.unlink(missing_ok=True)
    return path, sha256, size


def still_the_same(sha256: str) -> Path | None:
    """A local copy of the kept file, if it is still there with exactly these bytes."""
    key = kept_key(sha256)
    if key is None:
        return None
    try:
        path = jobs.store().fetch(key, jobs.folder() / key)
    except FileNotFoundError:
        return None
    return path if sha256_of(path) == sha256 else None
