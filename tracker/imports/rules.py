"""The incident form's own rules, applied to one imported value at a time.

An import must accept and refuse what the incident form does. Rather than restate the form's
checks, this module runs the validators the form declares (IncidentForm, ItemForm), the base
form's input rules (input_rules.usable_input) and the form's cross-field checks
(`validate_arrests`, `validate_lon`, ...) on stand-ins for the fields they read (`Value`). A rule
changed in the form is changed here with it. Each function returns the value as it is stored,
or raises `Refused` with the form's message.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import lru_cache
from types import SimpleNamespace

from flask_wtf.i18n import translations
from wtforms.validators import StopValidation, ValidationError

from tracker.forms import PRESENCE_CHECKS, decimal_text
from tracker.incidents.forms import CoordinateField, IncidentForm, ItemForm
from tracker.input_rules import usable_input


class Refused(ValueError):
    """A value the form would refuse, with its message and the file column it belongs to."""

    def __init__(self, message, column: str = ""):
        super().__init__(str(message))
        self.message, self.column = str(message), column


class Value:
    """What WTForms validators read of a field: its data, what was sent, its errors; a
    coordinate's axis and parsed value. Messages come from WTForms' catalogs, as for a form."""

    def __init__(self, data=None, text: str = "", axis: str | None = None):
        self.data, self.raw_data, self.errors = data, [text], []
        self.axis, self.value = axis, None

    def gettext(self, string: str) -> str:
        return translations.gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return translations.ngettext(singular, plural, n)


def declared(form_class, name: str) -> list:
    """The checks a form runs on a field's value: the base form's input rules, then the validators
    the field declares, without the presence checks (an empty cell is read as no value)."""
    field = getattr(form_class, name)
    return [usable_input, *(v for v in field.kwargs.get("validators", ()) if not isinstance(v, PRESENCE_CHECKS))]


def _run(checks, value: Value, column: str, form=None) -> None:
    for check in checks:
        try:
            check(form, value)
        except (ValidationError, StopValidation) as error:
            raise Refused(error.args[0] if error.args and error.args[0] else "", column) from None


def _read_coordinate(form, field: Value) -> None:
    CoordinateField.pre_validate(field, form)  # sets field.value


SUSPECTS, ARRESTS = declared(IncidentForm, "suspects"), declared(IncidentForm, "arrests")
VALUE, QUANTITY = declared(IncidentForm, "estimated_value"), declared(ItemForm, "quantity")


# WTForms' own messages, from its own catalog (as its fields give them).
wtforms_message = translations.gettext


def whole_number(text: str, column: str) -> int:
    """As IntegerField reads it."""
    try:
        return int(text)
    except ValueError:
        raise Refused(wtforms_message("Not a valid integer value."), column) from None


def decimal(text: str, column: str) -> Decimal:
    """As TypedDecimalField reads it (a decimal comma understood)."""
    try:
        return Decimal(decimal_text(text))
    except InvalidOperation:
        raise Refused(wtforms_message("Not a valid decimal value."), column) from None
    except ValueError as error:  # 1,500: which one is meant?
        raise Refused(error.args[0], column) from None


# The checks below depend on their text alone: a file repeats the same few values, which are then
# checked once (refusals are not kept, their message being in the reader's language).
@lru_cache(maxsize=4096)
def counts(suspects_text: str, arrests_text: str) -> tuple[int, int]:
    """Suspects and arrests (0 when empty), each in its range, and no more arrests than suspects."""
    suspects = Value(whole_number(suspects_text or "0", "suspects"), suspects_text)
    _run(SUSPECTS, suspects, "suspects")
    arrests = Value(whole_number(arrests_text or "0", "arrests"), arrests_text)
    _run([*ARRESTS, IncidentForm.validate_arrests], arrests, "arrests", SimpleNamespace(suspects=suspects))
    return suspects.data, arrests.data


@lru_cache(maxsize=4096)
def estimated_value(value_text: str, currency: str | None) -> Decimal | None:
    """The value (None when empty) and, with one, a currency."""
    if not value_text:
        return None
    value = Value(decimal(value_text, "estimated_value"), value_text)
    _run(VALUE, value, "estimated_value")
    _run([IncidentForm.validate_currency], Value(currency), "currency", SimpleNamespace(estimated_value=value))
    return value.data


@lru_cache(maxsize=4096)
def quantity(text: str) -> Decimal:
    value = Value(decimal(text, "quantity"), text)
    _run([*QUANTITY, ItemForm.validate_quantity], value, "quantity")
    return value.data


def position(lat_text: str, lon_text: str) -> tuple[float | None, float | None]:
    """Latitude and longitude as the form reads them (decimal degrees or degrees, minutes,
    seconds), both or neither, never 0°, 0°."""
    lat, lon = Value(lat_text, lat_text, axis="lat"), Value(lon_text, lon_text, axis="lon")
    for part in (lat, lon):
        _run([_read_coordinate], part, part.axis)
    _run([IncidentForm.validate_lon], lon, "lon", SimpleNamespace(lat=lat))
    return lat.value, lon.value
