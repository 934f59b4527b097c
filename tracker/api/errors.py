"""Raising the API's errors: an HTTP status with a stable `code`, a message, per-field messages
and details, rendered as JSON by tracker/errors.py."""
from __future__ import annotations

from werkzeug.exceptions import default_exceptions


def problem(status: int, code: str, message=None, errors: dict | None = None, **details) -> Exception:
    """An HTTPException for `status` carrying the API's payload (raise it)."""
    error = default_exceptions[status]()
    error.data = {"code": code, "message": message, "errors": errors or {}, "details": details}
    return error


def invalid(errors: dict, message=None) -> Exception:
    """422: values not accepted, with the message for each field."""
    return problem(422, "invalid", message, errors)
