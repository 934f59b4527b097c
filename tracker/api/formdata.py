"""The API's JSON run through the pages' own forms, so that both apply the same rules with the
same messages (in the caller's language): the body becomes the form data a browser would send.

- Numbers are written out in full (1e-07 as 0.0000001), null as an empty field.
- `occurred_at` is an instant (ISO 8601 with an offset, parsed by the schema); it reaches the
  form as the wall clock of the user's zone *with* the offset at that instant, so the form's
  zone rules find exactly that instant and never have to guess (a repeated hour is no question).
  An instant outside the years a zone can hold reaches the form as written, and the form's own
  range checks refuse it.
- `items` become the form's numbered item rows.
- A POST starts from the untouched form (what its fields hold before anyone types).
- A PATCH starts from what the edit form shows for the stored incident and changes only the
  fields the body names.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from werkzeug.datastructures import MultiDict
from wtforms import Field, FieldList, FormField

from tracker import localtime
from tracker.incidents.editing import FormValues
from tracker.incidents.forms import IncidentForm, ItemForm
from tracker.models import Incident

NOT_POSTED = ("SubmitField", "FileField", "MultipleFileField", "CSRFTokenField")
HANDLED_APART = ("items", "occurred_at", "client_uuid", "status", "version")


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (float, Decimal)):
        return format(Decimal(str(value)), "f")
    return str(value)


def time_fields(instant: datetime) -> dict[str, str]:
    try:
        wall, offset = localtime.to_wall(instant, localtime.user_zone())
    except OverflowError:
        return {"occurred_at": instant.replace(tzinfo=None).isoformat(timespec="seconds"), "occurred_offset": ""}
    return {"occurred_at": wall.isoformat(timespec="seconds"), "occurred_offset": localtime.format_offset(offset)}


def item_rows(items: list[dict], blank: dict[str, str]) -> dict[str, str]:
    """The numbered item rows of `items`; a field an item leaves out is sent blank, as a
    browser sends an untouched control."""
    return {f"items-{n}-{name}": as_text(item.get(name, value)) for n, item in enumerate(items)
            for name, value in blank.items()}


def blank_form() -> dict[str, str]:
    """What a browser sends for a new, untouched incident form: 0 suspects and arrests, no place,
    no currency..., and one empty item row."""
    data = posted_back(IncidentForm(formdata=None, meta={"csrf": False}, reference_lists=False))
    return {k: v for k, v in data.items() if k not in ("client_uuid", "version")}


def blank_item() -> dict[str, str]:
    """What a browser sends for an untouched item row (the item form alone: no reference lists
    are read for it)."""
    return posted_back(ItemForm(formdata=None, meta={"csrf": False}))


def posted_back(form) -> dict[str, str]:
    """What a browser sends back for `form` as it is shown (every field, unchanged)."""
    data = {}
    for field in _fields(form):
        if field.type in NOT_POSTED:
            continue
        value = field._value() if field.type not in ("SelectField", "OptionalSelectField", "RadioField") else field.data
        data[field.name] = as_text(value)
    return data


def _fields(form):
    for field in form:
        if isinstance(field, FieldList):
            for entry in field:
                yield from (_fields(entry.form) if isinstance(entry, FormField) else [entry])
        elif isinstance(field, FormField):
            yield from _fields(field.form)
        elif isinstance(field, Field):
            yield field


def stored(incident: Incident) -> dict[str, str]:
    """The edit form's data for the stored incident (time to the second, with its offset)."""
    form = IncidentForm(formdata=None, obj=FormValues(incident), meta={"csrf": False})
    form.show_time(incident.occurred_at)
    return posted_back(form)


def incident_form(body: dict, start: dict[str, str]) -> IncidentForm:
    """The incident form for a parsed JSON body over `start` (defaults, or the stored incident)."""
    data = dict(start)
    data.update({name: as_text(value) for name, value in body.items() if name not in HANDLED_APART})
    if "occurred_at" in body:
        data.update(time_fields(body["occurred_at"]))
    if "items" in body:
        data = {k: v for k, v in data.items() if not k.startswith("items-")} | item_rows(body["items"] or [],
                                                                                         blank_item())
    if "client_uuid" in body:
        data["client_uuid"] = str(body["client_uuid"])
    form = IncidentForm(formdata=MultiDict(data), meta={"csrf": False})
    form.validate()
    return form


def form_errors(form) -> dict:
    """The form's messages under the API's field names (the time's helper fields are the time)."""
    errors = dict(form.errors)
    for helper in ("occurred_offset", "occurred_fold"):
        if helper in errors:
            errors.setdefault("occurred_at", []).extend(errors.pop(helper))
    return errors
