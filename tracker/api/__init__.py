"""JSON API v1 (`/api/v1`) with its OpenAPI 3.1 document, built with flask-smorest on the app.

Views call the same layers as the pages: record-level access and generalised positions
(tracker/incidents/visibility.py), the list's filters (queries.scoped), the forms' validation
(tracker/api/formdata.py), the service layer for writes, the evidence checks. Authentication,
CSRF for cookie requests and rate limits per token are in access.py; errors are JSON
(tracker/errors.py).
"""
from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from tracker.api.schemas import ErrorSchema

SPEC = {
    "title": "Wildlife Crime Tracker API",
    "version": "1",
    "openapi_version": "3.1.0",
    "info": {"description": "Incidents, reference data and evidence. Authenticate with a personal API token "
                            "(`Authorization: Bearer wct_...`, made under My account); see the README's API "
                            "section for pagination, incremental pulls, idempotent writes and errors."},
    "servers": [{"url": "/"}],
    "components": {"securitySchemes": {
        "token": {"type": "http", "scheme": "bearer", "description": "A personal API token (My account)."},
        "session": {"type": "apiKey", "in": "cookie", "name": "session",
                    "description": "The browser's session; writes also need the X-CSRFToken header."}}},
    "security": [{"token": []}, {"session": []}],
}


class TrackerApi(Api):
    # Errors are rendered by tracker/errors.py in this shape; no catch-all "default" response,
    # so that a status an operation does not document is a defect.
    ERROR_SCHEMA = ErrorSchema
    DEFAULT_ERROR_RESPONSE_NAME = None


def register(app: Flask) -> None:
    """Register the API's blueprints and build its document. Must run before tracker.errors
    registers the app's error renderer: smorest installs one of its own, which that replaces."""
    from tracker.api import evidence, incidents, reference, writes  # noqa: F401  (routes)
    from tracker.api.blueprint import bp
    from tracker.api.docs import bp as docs_bp

    api = TrackerApi(app, spec_kwargs=SPEC)
    api.register_blueprint(bp)
    app.register_blueprint(docs_bp)
    app.extensions["tracker.api"] = api
