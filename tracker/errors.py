"""One renderer for every HTTP error: JSON for the API, a page for people, never a traceback."""
from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError

from tracker.extensions import db

MESSAGES = {
    400: _l("The request could not be understood. If you were filling in a form, it may have "
            "expired: go back, reload the page and try again."),
    403: _l("You do not have permission to open this page."),
    404: _l("This page does not exist, or the record has been removed."),
    405: _l("This action is not available here."),
    409: _l("Someone else changed this record in the meantime."),
    413: _l("The upload is too large."),
    429: _l("Too many attempts. Wait a minute and try again."),
    500: _l("Something went wrong on our side. Nothing was saved; please try again."),
}


def wants_json() -> bool:
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json"
    )


def render_error(error: Exception):
    if not isinstance(error, HTTPException):
        error = InternalServerError(original_exception=error)
    code = error.code or 500
    if code >= 500:
        db.session.rollback()
    message = MESSAGES.get(code, error.description)
    if wants_json():
        response = jsonify(error=error.name, status=code, message=str(message))
    else:
        response = render_template("errors/error.html", code=code, message=message)
    return response, code, _retry_headers(error)


def _retry_headers(error: HTTPException) -> dict:
    headers = dict(error.get_headers()) if hasattr(error, "get_headers") else {}
    return {k: v for k, v in headers.items() if k.lower() in {"retry-after", "allow"}}


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(Exception, _log_and_render)


def _log_and_render(error: Exception):
    current_app.logger.exception("Unhandled error on %s %r", request.method, request.path)
    return render_error(error)
