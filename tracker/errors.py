"""One renderer for every HTTP error: JSON for the API, a page for people, never a traceback.

The JSON is `{"status", "code", "error", "message", "request_id", "errors"?}`: `code` is a stable
reason for programs, `message` is for people in their language, `request_id` finds the request's
log lines, and `errors` holds messages per field (from
the API's forms, or from parsing the JSON body), named with dots for nested fields. A view adds
them, and any further detail (the current version of a record...), by raising with `data`.
"""
from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from tracker.extensions import db
from tracker.ops.requestlog import request_id

MESSAGES = {
    400: _l("The request could not be understood. If you were filling in a form, it may have "
            "expired: go back, reload the page and try again."),
    401: _l("Sign in first, or send a valid API token."),
    403: _l("You do not have permission to open this page."),
    404: _l("This page does not exist, or the record has been removed."),
    405: _l("This action is not available here."),
    409: _l("Someone else changed this record in the meantime."),
    413: _l("The upload is too large."),
    415: _l("This type of content is not accepted here."),
    422: _l("Some values are not accepted; see the message for each field."),
    429: _l("Too many attempts. Wait a minute and try again."),
    500: _l("Something went wrong on our side. Nothing was saved; please try again."),
    503: _l("The database cannot be reached at the moment. Nothing was saved; please try again in a minute."),
}
CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
         409: "conflict", 413: "too_large", 415: "unsupported_media_type", 422: "invalid", 429: "rate_limited",
         500: "server_error", 503: "unavailable"}
PASSED_HEADERS = {"retry-after", "allow", "www-authenticate"}


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
    # A view's own message (error.data["message"], e.g. the file store's) before the status's.
    message = (getattr(error, "data", None) or {}).get("message") or MESSAGES.get(code, error.description)
    if wants_json():
        response = jsonify(json_payload(error, code, message))
    else:
        response = render_template("errors/error.html", code=code, message=message)
    return response, code, _passed_headers(error)


def json_payload(error: HTTPException, code: int, message) -> dict:
    data = getattr(error, "data", None) or {}
    reason = data.get("code") or ("csrf_failed" if isinstance(error, CSRFError) else CODES.get(code, "error"))
    payload = {"status": code, "code": reason, "error": error.name, "message": str(data.get("message") or message),
               "request_id": request_id()}
    errors = field_messages(data.get("errors") or _unlocated(data.get("messages") or {}))
    if errors:
        payload["errors"] = errors
    payload.update(data.get("details") or {})
    return payload


def field_messages(errors, prefix: str = "") -> dict[str, list[str]]:
    """{"items.0.quantity": ["..."]} from nested messages (dicts, lists of dicts, lists of strings)."""
    if isinstance(errors, dict):
        flat: dict[str, list[str]] = {}
        for key, value in errors.items():
            name = "" if key == "_schema" else str(key)
            for path, messages in field_messages(value, f"{prefix}.{name}".strip(".") if name else prefix).items():
                flat.setdefault(path, []).extend(messages)
        return flat
    if isinstance(errors, (list, tuple)):
        flat = {}
        for index, value in enumerate(errors):
            if isinstance(value, (dict, list, tuple)):
                nested = field_messages(value, f"{prefix}.{index}" if isinstance(value, dict) else prefix)
                for path, messages in nested.items():
                    flat.setdefault(path, []).extend(messages)
            elif value:
                flat.setdefault(prefix or "_request", []).append(str(value))
        return flat
    return {prefix or "_request": [str(errors)]} if errors else {}


def _unlocated(messages: dict) -> dict:
    """webargs files its messages by where it found them ({"json": {"field": [...]}}); callers
    only need the field names (a message about the body as a whole has none)."""
    fields: dict = {}
    for inner in messages.values():
        fields.update(inner if isinstance(inner, dict) else {"_request": inner})
    return fields


def _passed_headers(error: HTTPException) -> dict:
    headers = dict(error.get_headers()) if hasattr(error, "get_headers") else {}
    headers.update((getattr(error, "data", None) or {}).get("headers") or {})
    return {k: v for k, v in headers.items() if k.lower() in PASSED_HEADERS}


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(Exception, _log_and_render)


def _log_and_render(error: Exception):
    current_app.logger.exception("Unhandled error on %s %r", request.method, request.path)
    return render_error(error)
