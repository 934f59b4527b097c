"""Where evidence files and export/import job files live: one interface, two backends.

- `local` (the default): folders on this machine (EVIDENCE_DIR, REPORTS_DIR), as before.
- `s3`: an S3-compatible bucket (STORAGE_BACKEND=s3, S3_BUCKET, S3_PREFIX, S3_ENDPOINT_URL and
  the standard AWS_* credentials), so that several app servers share the same files: an export
  built on one server can be downloaded through another.

Callers never build paths: they name a key (evidence: `ab/cd/<sha256>.jpg`, made by
tracker/evidence/storage.py from the file's hash; jobs: `<job id>.xlsx`) in one of two areas,
`evidence()` or `exports()`. Access checks stay in the views; a store only keeps bytes.
Every failure of the store (disk full, read-only folder, unreachable or missing bucket) is an
OSError, so callers handle the local and the remote store the same way.
"""
from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, send_file
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import ServiceUnavailable

from tracker.filestore.base import FileStore, Stored, StoreUnavailable
from tracker.filestore.local import LocalStore

__all__ = ["FileStore", "Stored", "StoreUnavailable", "evidence", "exports", "send", "for_app", "register"]
BACKENDS = ("local", "s3")
UNAVAILABLE = _l("The file store cannot be reached just now. Nothing was lost; please try again in a few minutes.")


def for_app(app: Flask, area: str) -> FileStore:
    """The store of `area` ("evidence" or "exports") for this app, made once per app."""
    stores = app.extensions.setdefault("filestores", {})
    if area not in stores:
        stores[area] = _make(app.config, area)
    return stores[area]


def _make(config, area: str) -> FileStore:
    backend = config.get("STORAGE_BACKEND", "local")
    # Files being received or built are written here first, on this machine: for the local store
    # on the same file system as the stored files, so that keeping one is a rename.
    folder = Path(config["EVIDENCE_DIR"] if area == "evidence" else config["REPORTS_DIR"])
    scratch = folder / "tmp" if area == "evidence" else folder
    if backend == "local":
        return LocalStore(folder, scratch)
    if backend == "s3":
        from tracker.filestore.s3 import S3Store  # boto3 is imported only where it is used

        return S3Store(bucket=config["S3_BUCKET"], prefix=f"{config.get('S3_PREFIX', '')}{area}/",
                       endpoint_url=config.get("S3_ENDPOINT_URL") or None, scratch=scratch)
    raise RuntimeError(f"STORAGE_BACKEND must be one of {BACKENDS}, not {backend!r}")


def evidence() -> FileStore:
    return for_app(current_app, "evidence")


def exports() -> FileStore:
    return for_app(current_app, "exports")


def send(store: FileStore, key: str, **options):
    """A response with the stored file (Flask's send_file options), read from the store as it is
    sent; FileNotFoundError if the store has no such file."""
    path = store.local_path(key)
    if path is not None:
        if not path.is_file():
            raise FileNotFoundError(key)
        return send_file(path, **options)
    return send_file(store.open(key), **options)


def register(app: Flask) -> None:
    """A store that cannot be reached is a 503 with a plain message (JSON under /api/), never a
    traceback; the error itself goes to the log."""
    from tracker.errors import render_error

    def unavailable(error: StoreUnavailable):
        app.logger.error("file store unavailable: %s", error)
        unavailable_error = ServiceUnavailable()
        unavailable_error.data = {"message": str(UNAVAILABLE)}
        return render_error(unavailable_error)

    app.register_error_handler(StoreUnavailable, unavailable)
