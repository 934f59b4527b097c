"""The database away (PostgreSQL restarting, a network cut, SQLite locked past its busy timeout):
a 503 page, or JSON under /api/, that says to try again, never a traceback and never a 500.

Nothing was saved: the request's transaction did not commit (a commit that fails raises here
too, and its transaction is rolled back). The engine's pre-ping replaces the dropped
connections once the database is back, so the app recovers without a restart. The session's
end after the answer rolls back on a connection the restart may have dropped meanwhile: that
connection is given up, not turned into a 500 after the answer was decided.
"""
from __future__ import annotations

import logging

from flask import Flask, g
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from werkzeug.exceptions import ServiceUnavailable

from tracker.extensions import db, login_manager

RETRY_AFTER_SECONDS = 30

log = logging.getLogger("tracker.ops")


def database_unavailable(error: DBAPIError):
    """Render the 503 without touching the database again: the page's menu asks for the
    signed-in user, which is loaded from the database, so the page is drawn as for a visitor."""
    from tracker.errors import render_error

    first_line = str(error.orig).strip().splitlines()[0] if error.orig is not None else ""
    log.warning("database unavailable: %s: %s", type(error.orig).__name__, first_line[:200])
    g._login_user = login_manager.anonymous_user()
    return render_error(ServiceUnavailable(retry_after=RETRY_AFTER_SECONDS))


def end_session(_error=None) -> None:
    """Flask-SQLAlchemy's own teardown, tolerant of a connection the database dropped."""
    try:
        db.session.remove()
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
        log.warning("database connection lost at the end of a request: %s", str(error.orig).splitlines()[0][:200])
        db.session.registry.clear()


def register(app: Flask) -> None:
    app.register_error_handler(OperationalError, database_unavailable)
    app.register_error_handler(InterfaceError, database_unavailable)


def register_session_end(app: Flask) -> None:
    """After db.init_app: teardowns run last registered first, so this one ends the session
    before Flask-SQLAlchemy's (which then finds nothing left to close)."""
    app.teardown_appcontext(end_session)
