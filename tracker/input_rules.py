"""What no input to the tracker may carry, checked once for every form field and every URL.

- Control characters other than tab and line breaks. PostgreSQL refuses NUL in text, so a NUL
  that reached a query was a 500 on every form and filter; the others are invisible in a court
  record and cannot be written into an XLSX export.
- Numbers that are not finite (NaN, infinity). No column holds them, and comparing a Decimal NaN
  raises instead of answering.
- Whole numbers outside the INTEGER range of ids and counts: PostgreSQL refuses them as query
  parameters and SQLite's driver overflows past 64 bits.

Forms refuse such input next to the field: `tracker.forms.Form` runs `usable_input` before each
field's own checks. A URL whose path carries a control character names no record: 404.
"""
from __future__ import annotations

import math
import re
from decimal import Decimal

from flask import Flask, abort
from flask_babel import lazy_gettext as _l
from wtforms.validators import StopValidation

# Unicode category Cc (C0, DEL and C1) without tab, line feed and carriage return.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_MESSAGE = _l("This text contains invisible control characters, which are not accepted. They have been "
                     "removed: check the text and try again.")
NOT_FINITE_MESSAGE = _l("Enter a number such as 12 or 1.5.")
TOO_LARGE_MESSAGE = _l("This number is too large.")
INTEGER_LIMIT = 2**31 - 1  # SQL INTEGER, the type of every id and count column


def has_control_characters(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None


def is_finite(number: Decimal | float) -> bool:
    return number.is_finite() if isinstance(number, Decimal) else math.isfinite(number)


def fits_integer(number: int) -> bool:
    return -INTEGER_LIMIT - 1 <= number <= INTEGER_LIMIT


def integer_id(text: str | None) -> int | None:
    """A row id from a request argument, or None if it cannot be one."""
    try:
        number = int(text or "")
    except ValueError:
        return None
    return number if fits_integer(number) else None


def usable_input(form, field) -> None:
    """A validator that stops a field's checks at the first reason to refuse, so the user reads
    one right message and no later check meets a value it cannot handle.

    Runs after the presence check (which explains an empty field better) and before the
    field's own checks. Control characters are looked for in what was sent, since they also
    make a number or a coordinate unreadable; the form is shown again without them, so that
    saving again works. A value that could not be converted already has its message ("Not a
    valid decimal value."): a range check would add a wrong one ("too large").
    """
    sent = [v for v in (field.raw_data or []) if isinstance(v, str)]
    if any(has_control_characters(v) for v in sent) or (isinstance(field.data, str)
                                                        and has_control_characters(field.data)):
        field.raw_data = [CONTROL_CHARACTERS.sub("", v) if isinstance(v, str) else v for v in field.raw_data or []]
        if isinstance(field.data, str):
            field.data = CONTROL_CHARACTERS.sub("", field.data)
        field.errors[:] = []
        raise StopValidation(CONTROL_MESSAGE)
    if field.errors:
        raise StopValidation()
    if isinstance(field.data, (Decimal, float)) and not is_finite(field.data):
        raise StopValidation(NOT_FINITE_MESSAGE)
    if isinstance(field.data, int) and not isinstance(field.data, bool) and not fits_integer(field.data):
        raise StopValidation(TOO_LARGE_MESSAGE)


def register(app: Flask) -> None:
    @app.url_value_preprocessor
    def refuse_control_characters_in_paths(_endpoint, values):
        """`/dashboards/%00` names no category (and was a 500 on PostgreSQL)."""
        if values and any(isinstance(v, str) and has_control_characters(v) for v in values.values()):
            abort(404)
