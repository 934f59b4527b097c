"""Background builds of XLSX and PDF files too large to make while the browser waits, and of
bulk imports (tracker/imports), which check and write large files the same way.

A job is a thread in the worker process that started it (no new servers); an export's thread
waits for the file's build in a process of its own (reports/building.py), an import's does the
work itself. Its status is a small JSON file (`<id>.json`) in the exports store
(tracker/filestore) next to the file it builds, so any worker process, and with an S3 store any
app server, can show the progress and serve the download. Only the user who started a job may
see it; files are deleted after REPORTS_KEEP_HOURS. A job whose process ended before it finished
(killed, or a restarted server) is reported as failed and can be started again: at once when
the process ran on this machine, otherwise once its status has stopped moving for STALE_SECONDS.
"""
from __future__ import annotations

import json
import logging
import os
import re
import secrets
import socket
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from flask import Flask, abort, current_app
from flask_babel import force_locale

from tracker import filestore
from tracker.extensions import db
from tracker.models import User

log = logging.getLogger(__name__)
JOB_ID = re.compile(r"[A-Za-z0-9_-]{22}")
STALE_SECONDS = 300
SAVE_EVERY_SECONDS = 1.0
# Builds share two cores with the web requests: at most two run at once per process.
_slots = threading.BoundedSemaphore(2)


@dataclass
class Job:
    id: str
    owner_id: int
    kind: str                 # a key of formats.FORMATS that builds, or an import step
    args: dict
    locale: str
    filename: str             # the download's name
    total: int = 0
    done: int = 0
    state: str = "queued"     # queued | running | done | failed
    created_at: float = field(default_factory=time.time)
    updated_at: float = field(default_factory=time.time)
    result: dict = field(default_factory=dict)  # what on_done reports besides the file (an import's counts)
    worker: str = ""          # "<host>:<pid>" of the process running the job

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    @property
    def interrupted(self) -> bool:
        return not self.finished and (time.time() - self.updated_at > STALE_SECONDS or not _worker_alive(self.worker))

    @property
    def percent(self) -> int:
        return 100 if self.state == "done" else min(99, int(100 * self.done / self.total)) if self.total else 0


def _this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _worker_alive(worker: str) -> bool:
    """False when `worker` ran on this machine and its process is gone; True if unknown."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdecimal():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by another user
        return True
    return True


def folder() -> Path:
    """The local folder where files are built (and, with the local store, kept)."""
    path = Path(current_app.config["REPORTS_DIR"])
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def store() -> filestore.FileStore:
    return filestore.exports()


def file_key(job: Job) -> str:
    return f"{job.id}{Path(job.filename).suffix}"


def send(job: Job, **options):
    """The finished file of `job` as a download, or 404 if it is not (or no longer) there."""
    if job.state != "done":
        abort(404)
    try:
        return filestore.send(store(), file_key(job), as_attachment=True, download_name=job.filename, max_age=0,
                              **options)
    except FileNotFoundError:
        abort(404)


def save(job: Job) -> None:
    job.updated_at = time.time()
    store().put_bytes(f"{job.id}.json", json.dumps(asdict(job)).encode())  # whole or nothing


def load(job_id: str) -> Job | None:
    if not JOB_ID.fullmatch(job_id):
        return None
    try:
        return Job(**json.loads(store().read_bytes(f"{job_id}.json")))
    except filestore.StoreUnavailable:
        raise
    except (OSError, ValueError, TypeError):
        return None


def cleanup() -> None:
    """Delete statuses and files older than REPORTS_KEEP_HOURS, in the store and (for a remote
    store) among the files built on this machine."""
    limit = time.time() - current_app.config["REPORTS_KEEP_HOURS"] * 3600
    for stored in store().listing():
        if stored.modified < limit:
            store().delete(stored.key)
    if store().local_path("") is None:
        for path in folder().iterdir():
            try:
                if path.stat().st_mtime < limit:
                    path.unlink()
            except FileNotFoundError:
                pass  # removed by another process meanwhile


Builder = Callable[[str, Job, User, Callable], object]


def start(kind: str, args: dict, owner: User, locale: str, filename: str, total: int, build: Builder,
          on_done: Callable[[Job, User, object], None], writes: bool = False, wait: bool = False) -> Job:
    """Save a queued job and start its thread; `build(path, job, user, progress)` writes the file,
    `on_done(job, user, result)` runs after it (in the job's thread, with an app context).
    `writes`: the build writes to the database, so on SQLite its transaction takes the write lock
    at BEGIN, as a POST's does. `wait`: run it now, in this request (a small input)."""
    cleanup()
    job = Job(id=secrets.token_urlsafe(16), owner_id=owner.id, kind=kind, args=args, locale=locale,
              filename=filename, total=total, worker=_this_worker())
    save(job)
    if wait:
        _execute(job, owner, build, on_done)
        return job
    app = current_app._get_current_object()
    threading.Thread(target=_run, args=(app, job, build, on_done, writes), name=f"report-{job.id}",
                     daemon=True).start()
    return job


def _run(app: Flask, job: Job, build: Builder, on_done, writes: bool) -> None:
    """The build runs in a request context of its own: a GET one when it only reads, since outside
    GET requests tracker/database.py begins SQLite transactions IMMEDIATE, which would hold the
    write lock (and block every writer) for the whole build."""
    method = "POST" if writes else "GET"
    with _slots, app.test_request_context(f"/reports/jobs/{job.id}", method=method), force_locale(job.locale):
        _execute(job, db.session.get(User, job.owner_id), build, on_done)


def _execute(job: Job, user: User, build: Builder, on_done) -> None:
    partial = folder() / f"{file_key(job)}.partial"
    last_save = 0.0

    def progress(done: int, total: int | None = None) -> None:
        nonlocal last_save
        job.done, job.total = done, total or job.total
        if time.monotonic() - last_save >= SAVE_EVERY_SECONDS:
            last_save = time.monotonic()
            save(job)

    try:
        job.state = "running"
        save(job)
        result = build(str(partial), job, user, progress)
        store().put_file(file_key(job), partial)
        db.session.rollback()  # end the read transaction before the audit write
        on_done(job, user, result)
        job.state, job.done = "done", job.total
    except Exception:
        log.exception("report job %s (%s) failed", job.id, job.kind)
        db.session.rollback()
        partial.unlink(missing_ok=True)
        job.state = "failed"
    save(job)
