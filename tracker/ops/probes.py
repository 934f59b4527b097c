"""Whether the services the app needs answer: the database, the rate-limit store and the evidence
and export store. `/readyz` and `flask check-config` ask the same questions.

Each probe returns None when all is well, or one line saying what failed, for the log and the
operator (never for the public: /readyz says only which service failed).
"""
from __future__ import annotations

from flask import current_app
from sqlalchemy import text

from tracker.extensions import db, limiter


def database_problem() -> str | None:
    """A fresh connection and SELECT 1 (the pool's pre-ping replaces a connection dropped since)."""
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # any failure means "unreachable"; say which
        return f"database unreachable: {_first_line(error)}"
    return None


def uses_shared_limits() -> bool:
    return not current_app.config["RATELIMIT_STORAGE_URI"].startswith("memory://")


def rate_limit_store_problem() -> str | None:
    """A ping of the limiter's storage (Redis), when the limits are not kept in memory."""
    if not uses_shared_limits():
        return None
    try:
        answered = limiter.storage.check()
    except Exception as error:  # a storage that raises instead of answering False
        return f"rate-limit store unreachable: {_first_line(error)}"
    where = _redacted(current_app.config["RATELIMIT_STORAGE_URI"])
    return None if answered else f"rate-limit store unreachable: {where} does not answer"


def storage_problem() -> str | None:
    """The evidence and export stores (local folders or a bucket) can be written and read: each
    store's own check (tracker/filestore), so /readyz and check-config ask what uploads will do."""
    from tracker import filestore

    for area in ("evidence", "exports"):
        try:
            filestore.for_app(current_app, area).check()
        except RuntimeError as error:  # an unknown STORAGE_BACKEND
            return str(error)
        except OSError as error:
            return f"{area} store unreachable: {_first_line(error)}"
    return None


def _redacted(uri: str) -> str:
    """A storage URI without its password."""
    scheme, _, rest = uri.partition("://")
    return f"{scheme}://{rest.rpartition('@')[2]}"


def _first_line(error: Exception) -> str:
    cause = getattr(error, "orig", None) or error
    lines = str(cause).strip().splitlines()
    return f"{type(cause).__name__}: {lines[0][:200] if lines else ''}"
