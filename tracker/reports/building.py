"""Files built whole (XLSX, PDF: the formats of reports/formats.py with a `build`), made in a
process of their own (tracker/processes.py), whether the browser waits for them or a
background job does.

Writing a workbook cell by cell, or laying out a PDF, is Python work that holds the interpreter
lock of the process it runs in: built in a server worker, a fortnight's XLSX (4-8 s) stalled
every other request of that worker. The child builds the app from the worker's configuration,
reads as the same user in the same language, writes the file at `path` and reports its
progress and its `Tally` through a pipe; the worker stores, serves and audits the file as before.
How many run at once is bounded as before: by the worker's threads (files built while the
browser waits) and by the background jobs' slots (reports/jobs.py).
"""
from __future__ import annotations

import traceback

from flask import current_app
from flask_babel import force_locale
from werkzeug.datastructures import MultiDict

from tracker import processes
from tracker.extensions import db
from tracker.models import User
from tracker.reports.builders import Progress
from tracker.reports.exports import Tally
from tracker.reports.formats import FORMATS, Format


class BuildFailed(RuntimeError):
    """The build's process ended without a file (an error in it, or killed)."""


def build(fmt: Format, args: dict, user: User, locale: str, path: str, progress: Progress | None = None) -> Tally:
    """Build `fmt` over the subject that query arguments `args` name, as `user` in `locale`, into
    `path`; `progress(done[, total])` is called as the child reports. Returns what it wrote."""
    with processes.started(_build_here, (dict(current_app.config), fmt.key, args, user.id, locale, path),
                           f"build-{fmt.key}") as (receiving, child):
        return _outcome(receiving, progress or (lambda *values: None), child)


def _outcome(receiving, progress: Progress, child) -> Tally:
    """Relays the child's progress until its Tally; BuildFailed if it failed or ended without one."""
    while True:
        try:
            kind, *values = receiving.recv()
        except EOFError:
            child.join()
            raise BuildFailed(f"the build's process ended with {child.exitcode}") from None
        if kind == "progress":
            progress(*values)
        elif kind == "failed":
            raise BuildFailed(f"the build failed:\n{values[0]}")
        else:
            return values[0]


def _build_here(config: dict, key: str, args: dict, user_id: int, locale: str, path: str, sending) -> None:
    """In the build's own process: ("progress", done[, total])..., then ("done", tally) or
    ("failed", its traceback) for the worker's log."""
    processes.yield_the_cpu()
    try:
        app = processes.app_from(config)
        with app.test_request_context(method="GET"), force_locale(locale):
            fmt = FORMATS[key]
            tally = fmt.build(path, fmt.report.parse(MultiDict(args)), db.session.get(User, user_id),
                              lambda *values: sending.send(("progress", *values)))
            db.session.rollback()
            db.engine.dispose()
        sending.send(("done", tally))
    except Exception:
        sending.send(("failed", traceback.format_exc()))
    finally:
        sending.close()
