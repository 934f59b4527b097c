"""The API's blueprint and the parts of its OpenAPI description that every operation shares."""
from __future__ import annotations

from flask_smorest import Blueprint

from tracker.api import access

bp = Blueprint("api", __name__, url_prefix="/api/v1",
               description="JSON API of the Wildlife Crime Tracker, version 1.")
access.install(bp)

# Statuses an operation may answer besides its success, by what it does. Every operation is
# documented with exactly these, so that a status outside them is a defect (the schemathesis
# test in tests/api fails on undocumented statuses).
READ_ERRORS = (400, 401, 403, 422, 429)
ONE_INCIDENT = (404,)
WRITE_ERRORS = (400, 401, 403, 409, 415, 422, 429)
ERROR_DESCRIPTIONS = {
    400: "Malformed request: bad JSON, a bad cursor, or a cookie request without its X-CSRFToken header.",
    401: "No valid token or session (a missing, unknown, expired or revoked token).",
    403: "Your role or your access to this incident does not allow it.",
    404: "No such incident.",
    409: "Conflict: a stale version, a client_uuid already used for another body, or a step the "
         "incident's status does not allow.",
    413: "The request or a file is too large.",
    415: "Wrong Content-Type (JSON endpoints take application/json, uploads multipart/form-data).",
    422: "Values not accepted: `errors` holds the message for each field.",
    429: "Rate limit for your token reached; see Retry-After.",
}


def errors(*statuses: int):
    """Document the error responses of an operation (all in the shape of ErrorSchema)."""
    from tracker.api.schemas import ErrorSchema

    def decorator(view):
        for status in sorted(set(statuses), reverse=True):
            view = bp.alt_response(status, schema=ErrorSchema, description=ERROR_DESCRIPTIONS[status])(view)
        return view

    return decorator
