"""Form helpers shared by every feature.

Every form of the app derives from `Form`, which puts `input_rules.usable_input` in front of
each field's own checks (tests/test_form_fuzz.py checks that every form does).
"""
from __future__ import annotations

import re
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, FieldList, FormField, SelectChoice, SelectField
from wtforms.utils import unset_value
from wtforms.validators import DataRequired, InputRequired, Optional, StopValidation

from tracker.i18n import form_translations
from tracker.input_rules import TOO_LARGE_MESSAGE, usable_input

PRESENCE_CHECKS = (InputRequired, DataRequired, Optional)


class Form(FlaskForm):
    """The base of every form: no control characters, no NaN or infinity, one message a field,
    WTForms' messages in every interface language."""

    class Meta:
        def get_translations(self, form):
            """WTForms' own messages in the page's language, Mongolian included (tracker/i18n.py)."""
            return form_translations

        def bind_field(self, form, unbound_field, options):
            field = super().bind_field(form, unbound_field, options)
            if not isinstance(field, (FieldList, FormField)):  # their rows are forms of their own
                presence = [v for v in field.validators if isinstance(v, PRESENCE_CHECKS)]
                others = [v for v in field.validators if not isinstance(v, PRESENCE_CHECKS)]
                field.validators = [*presence, usable_input, *others]
            return field


class ActionForm(Form):
    """CSRF-only form for POST buttons (logout, deactivate, workflow steps)."""


def choices(pairs, optgroup: str | None = None) -> list[SelectChoice]:
    """WTForms 3.3 choice objects from (value, label) pairs; tuple choices are deprecated."""
    return [SelectChoice(value=str(value), label=str(label), optgroup=optgroup) for value, label in pairs]


class OptionalSelectField(SelectField):
    """A select whose empty choice ("") is stored as NULL."""

    def populate_obj(self, obj, name):
        setattr(obj, name, self.data or None)


# `12,5` or `-0,25`: a decimal comma, as Russian keyboards and habits write it.
DECIMAL_COMMA = re.compile(r"\s*(?P<whole>[-+]?\d+),(?P<fraction>\d+)\s*")
# `1,500` could also be one thousand five hundred with a thousands separator.
THOUSANDS_LOOKALIKE = re.compile(r"[-+]?[1-9]\d{0,2}")


class TypedDecimalField(DecimalField):
    """A decimal as people type it: `1.5`, or `1,5` with a decimal comma. `1,500` is refused
    with a question rather than guessed: it is 1.5 in Russian habit and 1500 in English."""

    def process_formdata(self, valuelist):
        match = DECIMAL_COMMA.fullmatch(valuelist[0]) if valuelist and isinstance(valuelist[0], str) else None
        if match:
            whole, fraction = match["whole"], match["fraction"]
            if len(fraction) == 3 and THOUSANDS_LOOKALIKE.fullmatch(whole):
                self.data = None
                raise ValueError(_l("Is it %(decimal)s or %(whole)s? Write the number with a decimal point and "
                                    "without thousands separators.", decimal=f"{whole}.{fraction}",
                                    whole=whole + fraction))
            valuelist = [f"{whole}.{fraction}"]
        super().process_formdata(valuelist)


class FitsColumn:
    """Refuses a number that its Numeric(precision, scale) column would round or refuse: more
    decimals than the scale (SQLite kept 1e-07 and exports showed 0; PostgreSQL rounded 0.0004
    to 0 and its CHECK failed), or more whole digits than the column has."""

    def __init__(self, column):
        self.places = column.type.scale
        self.limit = Decimal(10) ** (column.type.precision - column.type.scale)

    def __call__(self, form, field):
        value = field.data
        if value is None or field.errors:  # already refused, for a reason of its own
            return
        if abs(value) >= self.limit:
            raise StopValidation(TOO_LARGE_MESSAGE)
        if -value.normalize().as_tuple().exponent > self.places:
            raise StopValidation(_l("Use at most %(places)d digits after the decimal point.", places=self.places))


class CountedFieldList(FieldList):
    """A FieldList that remembers how many rows were sent (`received`), so that a form can
    refuse rows past `max_entries` with a message: WTForms drops them without a word.

    Row numbers are read with str.isdecimal: WTForms' str.isdigit also accepts `²`, which
    int() then refuses (a 500 for `items-²-product`).
    """

    received = 0

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.received = len(set(self._extract_indices(self.name, formdata))) if formdata else 0
        super().process(formdata, data, extra_filters=extra_filters)

    def _extract_indices(self, prefix, formdata):
        offset = len(prefix) + 1
        for key in formdata:
            if key.startswith(prefix):
                index = key[offset:].split(self._field_separator, 1)[0]
                if index.isdecimal():
                    yield int(index)

    @property
    def full(self) -> bool:
        return len(self.entries) >= self.max_entries
