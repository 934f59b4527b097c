"""Form helpers shared by every feature."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField


class ActionForm(FlaskForm):
    """CSRF-only form for POST buttons (logout, deactivate, workflow steps)."""


def choices(pairs, optgroup: str | None = None) -> list[SelectChoice]:
    """WTForms 3.3 choice objects from (value, label) pairs; tuple choices are deprecated."""
    return [SelectChoice(value=str(value), label=str(label), optgroup=optgroup) for value, label in pairs]


class OptionalSelectField(SelectField):
    """A select whose empty choice ("") is stored as NULL."""

    def populate_obj(self, obj, name):
        setattr(obj, name, self.data or None)
