"""Background builds of XLSX and PDF files too large to make while the browser waits, and of
bulk imports (tracker/imports), which check and write large files the same way.

A job is a thread in the worker process that started it (no new servers). Its status lives in
REPORTS_DIR/<id>.json next to the file it builds, so any worker process on the machine can show
the progress and serve the download. Only the user who started a job may see it; files are
deleted after REPORTS_KEEP_HOURS. A job whose status stopped moving (its process ended) is
reported as interrupted.
"""
from __future__ import annotations

import json
import logging
import os
import re
import secrets
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from flask import Flask, current_app
from flask_babel import force_locale

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

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    @property
    def interrupted(self) -> bool:
        return not self.finished and time.time() - self.updated_at > STALE_SECONDS

    @property
    def percent(self) -> int:
        return 100 if self.state == "done" else min(99, int(100 * self.done / self.total)) if self.total else 0


def folder() -> Path:
    path = Path(current_app.config["REPORTS_DIR"])
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def file_path(job: Job) -> Path:
    return folder() / f"{job.id}{Path(job.filename).suffix}"


def save(job: Job) -> None:
    job.updated_at = time.time()
    target = folder() / f"{job.id}.json"
    temporary = target.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(asdict(job)))
    os.replace(temporary, target)  # readers never see half a status


def load(job_id: str) -> Job | None:
    if not JOB_ID.fullmatch(job_id):
        return None
    try:
        return Job(**json.loads((folder() / f"{job_id}.json").read_text()))
    except (OSError, ValueError, TypeError):
        return None


def cleanup() -> None:
    """Delete statuses and files older than REPORTS_KEEP_HOURS."""
    limit = time.time() - current_app.config["REPORTS_KEEP_HOURS"] * 3600
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
              filename=filename, total=total)
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
    target = file_path(job)
    partial = target.with_name(target.name + ".partial")
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
        os.replace(partial, target)
        db.session.rollback()  # end the read transaction before the audit write
        on_done(job, user, result)
        job.state, job.done = "done", job.total
    except Exception:
        log.exception("report job %s (%s) failed", job.id, job.kind)
        db.session.rollback()
        partial.unlink(missing_ok=True)
        job.state = "failed"
    save(job)
