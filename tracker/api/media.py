"""What the API's writes accept: JSON bodies, and multipart uploads of files (415 otherwise)."""
from __future__ import annotations

from functools import wraps

from flask import request
from flask_babel import lazy_gettext as _l

from tracker.api.errors import problem


def _requires(mimetype: str, message):
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if request.mimetype != mimetype:
                raise problem(415, "unsupported_media_type", message)
            return view(*args, **kwargs)

        return wrapped

    return decorator


json_body = _requires("application/json", _l("Send the body as JSON (Content-Type: application/json)."))
multipart_body = _requires("multipart/form-data", _l("Send the files as multipart/form-data, in the field `files`."))
