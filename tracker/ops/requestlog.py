"""A request id on every log line, in the response header and on the error page; one line per
request with its route, status, duration and user.

The id is the proxy's `X-Request-ID` when that looks like an id (so one request can be followed
from the proxy's log into the app's), else a new random one. Lines are key=value after the time,
level and logger, so they stay readable with grep and parse in a log shipper. The request's line
names the route's rule (`/incidents/<int:incident_id>`), not the path, so no value from a URL
(an export job's token) reaches the log; the query string is never logged.
"""
from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, g, has_request_context, request
from sqlalchemy import inspect as sa_inspect

HEADER = "X-Request-ID"
SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
LOG_FORMAT = "%(asctime)s level=%(levelname)s logger=%(name)s request_id=%(request_id)s user=%(user)s %(message)s"
# A load balancer asks these every few seconds: their lines only at DEBUG.
QUIET_ENDPOINTS = frozenset({"health.healthz", "health.readyz", "static"})

request_log = logging.getLogger("tracker.request")


def request_id() -> str | None:
    """This request's id (None outside a request)."""
    if not has_request_context():
        return None
    if "request_id" not in g:
        incoming = request.headers.get(HEADER, "")
        g.request_id = incoming if SANE_ID.fullmatch(incoming) else uuid.uuid4().hex
    return g.request_id


def user_id() -> int | None:
    """The id of the user this request signed in, read without a query: a log line must not
    touch the database, which may be what just failed."""
    user = g.get("_login_user") if has_request_context() else None
    state = sa_inspect(user, raiseerr=False) if user is not None else None
    return state.identity[0] if state is not None and state.identity else None


class RequestContext(logging.Filter):
    """Adds `request_id` and `user` to every record ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id() or "-"
        record.user = user_id() or "-"
        return True


def handler() -> logging.Handler:
    """The stderr handler of the app's loggers, with the request's fields on every line."""
    stream = logging.StreamHandler()
    stream.addFilter(RequestContext())
    stream.setFormatter(logging.Formatter(LOG_FORMAT))
    return stream


def register(app: Flask) -> None:
    @app.before_request
    def start_clock():
        g.request_started = time.perf_counter()
        request_id()

    @app.after_request
    def log_request(response):
        response.headers[HEADER] = request_id()
        started = g.get("request_started")
        duration = f"{(time.perf_counter() - started) * 1000:.1f}" if started else "-"
        level = logging.DEBUG if request.endpoint in QUIET_ENDPOINTS else logging.INFO
        # For a streamed export this is the time to its first byte.
        request_log.log(level, "request method=%s route=%s status=%d duration_ms=%s", request.method,
                        request.url_rule.rule if request.url_rule else "-", response.status_code, duration)
        return response

    @app.context_processor
    def request_id_context():
        return {"request_id": request_id}
