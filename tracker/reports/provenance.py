"""Every export leaves an audit event (who, which format, which filters, how many rows, whether
coordinates were generalised) and a line in the `tracker.audit` log.

A streamed export knows its row count only when the stream ends, so the event is written then,
in a transaction of its own on a short-lived worker thread: the request's transaction is still
reading, and outside a GET request SQLite takes the write lock at BEGIN (tracker/database.py),
which is what keeps a read-then-write of the audit chain from failing under concurrent writers.
"""
from __future__ import annotations

import logging
import threading
from typing import Iterator

from flask import Flask, current_app

from tracker.audit import chain
from tracker.extensions import db
from tracker.models import User
from tracker.reports.exports import Tally

audit_log = logging.getLogger("tracker.audit")


def _write(app: Flask, user_id: int, changes: dict) -> None:
    with app.app_context():
        user = db.session.get(User, user_id)
        chain.record("export", user, "report", None, None, changes)
        db.session.commit()


def record_export(user: User, fmt: str, filters: dict, tally: Tally, generalised: bool, complete: bool = True) -> None:
    """Write the audit event now (committed), whatever transaction the caller is in. `rows` are
    the rows of the file (CSV rows, CITES rows, GeoJSON features, incidents in a PDF)."""
    changes = {"format": fmt, "filters": filters, "rows": tally.rows, "generalised": generalised}
    if not complete:
        changes["complete"] = False  # the download was interrupted after `rows` rows
    app, errors = current_app._get_current_object(), []
    user_id, username = user.id, user.username  # read here: the session belongs to this thread

    def run():
        try:
            _write(app, user_id, changes)
        except Exception as error:  # handed to the caller's thread below
            errors.append(error)

    worker = threading.Thread(target=run, name="audit-export")
    worker.start()
    worker.join()
    audit_log.info("export user=%r format=%s rows=%d generalised=%s complete=%s filters=%r", username, fmt,
                   tally.rows, generalised, complete, filters)
    if errors:
        raise errors[0]


def recorded(chunks: Iterator[bytes], tally: Tally, user: User, fmt: str, filters: dict,
             generalised: bool) -> Iterator[bytes]:
    """Pass a stream through and record the export when it ends, also when the client goes away
    half-way (then with the rows sent so far and `complete: false`)."""
    complete = False
    try:
        yield from chunks
        complete = True
    finally:
        record_export(user, fmt, filters, tally, generalised, complete)
