"""The API's JSON, described with marshmallow for the OpenAPI document (the bodies that writes
take are in inputs.py, on the base defined here).

Incoming bodies are parsed with these schemas for their JSON shape only (names and JSON types,
so that `"suspects": "many"` is refused as not a number). Every rule about the values (what is
required, ranges, choices, the time's plausibility, the pair of coordinates...) is the form's
(tracker/incidents/forms.py, tracker/incidents/workflow.py): tracker/api/formdata.py runs those
forms on the body, so the API and the pages can never disagree. Enumerations are read from the
model's own enums, and type messages are translated like every other message.
"""
from __future__ import annotations

import marshmallow as ma
from flask_babel import lazy_gettext as _l

from tracker.incidents.fields import TRADE_FIELDS
from tracker.models import UNITS, DetectionMethod, IncidentStatus, Outcome

F = ma.fields

# Marshmallow's own type messages, in the caller's language (keys are its error kinds).
TYPE_MESSAGES = {
    "required": _l("This field is required."),
    "null": _l("This field cannot be null."),
    "invalid": _l("This value has the wrong type."),
    "invalid_uuid": _l("Not a valid UUID."),
    "invalid_awareness": _l("Give the time with its UTC offset or Z, e.g. 2026-05-01T14:30:00+10:00."),
    "format": _l("Give the time in ISO 8601 with its UTC offset or Z, e.g. 2026-05-01T14:30:00+10:00."),
    "special": _l("Give a finite number."),
    "too_large": _l("This number is too large."),
    "type": _l("This value has the wrong type."),
    "unknown": _l("Unknown field."),
}


NOT_A_CHOICE = _l("Not one of the accepted values.")


class OneOf(ma.validate.OneOf):
    """Marshmallow's choice check with a translated message."""

    def _format_error(self, value) -> str:
        return NOT_A_CHOICE


class ApiSchema(ma.Schema):
    """Base of every schema here: translated type messages, unknown fields refused."""

    error_messages = {"unknown": TYPE_MESSAGES["unknown"], "type": TYPE_MESSAGES["type"]}

    def on_bind_field(self, field_name, field_obj):
        translated = {key: TYPE_MESSAGES[key] for key in field_obj.error_messages if key in TYPE_MESSAGES}
        field_obj.error_messages = {**field_obj.error_messages, **translated}


def code(values, nullable: bool = False, checked: bool = False, **kwargs) -> F.String:
    """A string from a fixed list, documented as an enum. The form checks it, unless `checked`:
    then the schema does (for choices that only the API offers)."""
    enum = [str(getattr(v, "value", v)) for v in values]
    if checked:
        kwargs["validate"] = OneOf(enum)
        return F.String(allow_none=nullable, **kwargs)
    enum += [None] if nullable else []
    return F.String(allow_none=nullable, metadata={"enum": enum, **kwargs.pop("metadata", {})}, **kwargs)


class NumberOrText(F.Field):
    """A JSON number, or a number written as text as people write it ("1,5" with a decimal
    comma): the form reads it, with its own rules and messages."""

    default_error_messages = {"invalid": TYPE_MESSAGES["invalid"]}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise self.make_error("invalid")
        return value


# --- errors ----------------------------------------------------------------------------------

class ErrorSchema(ApiSchema):
    status = F.Integer(required=True, metadata={"description": "The HTTP status."})
    code = F.String(required=True, metadata={"description": "A stable machine-readable reason, e.g. "
                                                            "`invalid`, `version_conflict`, `rate_limited`."})
    error = F.String(metadata={"description": "The HTTP status name."})
    message = F.String(required=True, metadata={"description": "What went wrong, in the caller's language."})
    request_id = F.String(metadata={"description": "The request's id, also sent as `X-Request-ID` and written on "
                                                   "every log line of the request: quote it to the operator."})
    errors = F.Dict(keys=F.String(), values=F.List(F.String()), metadata={
        "description": "Messages per field, in the caller's language. Nested fields are named with dots: "
                       "`items.0.quantity`."})
    current_version = F.Integer(metadata={"description": "On `version_conflict`: the incident's version now."})
    current_status = F.String(metadata={"description": "On `transition_not_possible`: the status now."})


# --- reference data --------------------------------------------------------------------------

NAMES = F.Dict(keys=F.String(), values=F.String(), required=True, metadata={
    "description": "The name in every language of the tracker, by language code."})


class CategorySchema(ApiSchema):
    id = F.Integer(required=True)
    slug = F.String(required=True)
    names = NAMES
    description = F.String(required=True)
    active = F.Boolean(required=True)


class SpeciesSchema(ApiSchema):
    id = F.Integer(required=True)
    scientific_name = F.String(required=True)
    names = NAMES
    group = F.String(required=True)
    cites_appendix = F.String(allow_none=True, required=True)
    iucn_status = F.String(allow_none=True, required=True)
    sensitive = F.Boolean(required=True, metadata={
        "description": "CITES Appendix I or IUCN CR/EN: incidents with it are sensitive."})
    active = F.Boolean(required=True)


class ProductSchema(ApiSchema):
    id = F.Integer(required=True)
    slug = F.String(required=True)
    names = NAMES
    applies_to = F.String(required=True)
    default_unit = F.String(required=True)
    cites_term = F.String(allow_none=True, required=True)
    active = F.Boolean(required=True)


class PlaceSchema(ApiSchema):
    id = F.Integer(required=True)
    names = NAMES
    kind = F.String(required=True)
    country = F.String(required=True)
    parent_id = F.Integer(allow_none=True, required=True)
    lat = F.Float(allow_none=True, required=True)
    lon = F.Float(allow_none=True, required=True)
    active = F.Boolean(required=True)


# --- incidents, as read ----------------------------------------------------------------------

class ItemSchema(ApiSchema):
    product = F.Integer(required=True, metadata={"description": "Product id (`/reference/products`)."})
    species = F.Integer(allow_none=True, required=True, metadata={"description": "Species id, or null."})
    quantity = F.Decimal(required=True, as_string=True, metadata={
        "type": "string", "format": "decimal", "description": "Decimal, as a string (three decimals)."})
    unit = code(UNITS, required=True)
    notes = F.String(required=True)


# The CITES trade fields, named once in tracker/incidents/fields.py.
TradeFacts = ma.Schema.from_dict({name: F.String(required=True) for name in TRADE_FIELDS}, name="TradeFacts")


class IncidentSchema(ApiSchema, TradeFacts):
    ref = F.String(required=True, metadata={"description": "The public reference, e.g. INC-2026-000123."})
    client_uuid = F.UUID(required=True)
    version = F.Integer(required=True, metadata={"description": "Give it back to PATCH (or as If-Match)."})
    status = code(IncidentStatus, required=True)
    category = F.String(required=True, metadata={"description": "Category slug."})
    occurred_at = F.String(required=True, metadata={"format": "date-time", "description": "UTC, ISO 8601."})
    reported_at = F.String(required=True, metadata={"format": "date-time"})
    created_at = F.String(required=True, metadata={"format": "date-time"})
    updated_at = F.String(required=True, metadata={
        "format": "date-time", "description": "Moves with every change of facts, items or status."})
    reporter_id = F.Integer(required=True)
    unit = F.String(allow_none=True, required=True, metadata={"description": "The reporter's unit when recorded."})
    place = F.Integer(allow_none=True, required=True, metadata={"description": "Place id, or null."})
    country = F.String(allow_none=True, required=True)
    lat = F.Float(allow_none=True, required=True)
    lon = F.Float(allow_none=True, required=True)
    coordinate_precision = F.String(allow_none=True, required=True, metadata={
        "enum": ["exact", "0.1deg", None],
        "description": "`0.1deg`: a sensitive incident's position, shown to you as the centre of its 0.1° cell."})
    location_text = F.String(required=True, metadata={"description": "Empty when withheld."})
    location_text_withheld = F.Boolean(required=True, metadata={
        "description": "The location description of a sensitive incident, withheld from you."})
    sensitive = F.Boolean(required=True)
    description = F.String(required=True)
    patrol_ref = F.String(required=True)
    detection_method = code(DetectionMethod, required=True)
    suspects = F.Integer(required=True)
    arrests = F.Integer(required=True)
    estimated_value = F.Decimal(allow_none=True, as_string=True, required=True, metadata={
        "type": ["string", "null"], "format": "decimal"})
    currency = F.String(allow_none=True, required=True)
    outcome = code(Outcome, nullable=True, required=True)
    penalty = F.String(required=True)
    rejection_reason = F.String(required=True)
    items = F.List(F.Nested(ItemSchema), required=True)


class EvidenceSchema(ApiSchema):
    id = F.Integer(required=True)
    name = F.String(required=True)
    content_type = F.String(required=True)
    size = F.Integer(required=True)
    sha256 = F.String(required=True)
    uploaded_at = F.String(required=True, metadata={"format": "date-time"})
    uploaded_by = F.String(required=True)
    taken_at = F.String(allow_none=True, required=True, metadata={"format": "date-time"})
    lat = F.Float(allow_none=True, required=True, metadata={"description": "Where the photo says it was taken, "
                                                                           "generalised like the incident's."})
    lon = F.Float(allow_none=True, required=True)


class StatusStepSchema(ApiSchema):
    at = F.String(required=True, metadata={"format": "date-time"})
    by = F.String(required=True)
    status_from = F.String(allow_none=True, required=True, data_key="from")
    status_to = F.String(required=True, data_key="to")
    reason = F.String()
    outcome = F.String()
    penalty = F.String()


class IncidentDetailSchema(IncidentSchema):
    evidence = F.List(F.Nested(EvidenceSchema), required=True)
    status_history = F.List(F.Nested(StatusStepSchema), required=True)


class IncidentPageSchema(ApiSchema):
    items = F.List(F.Nested(IncidentSchema), required=True)
    next = F.String(allow_none=True, required=True, metadata={"description": "URL of the next page, or null."})
    next_cursor = F.String(allow_none=True, required=True)
    next_updated_since = F.String(allow_none=True, required=True, metadata={
        "format": "date-time",
        "description": "Incremental pulls only, on the last page: `updated_since` for your next pull."})


class EvidenceListSchema(ApiSchema):
    evidence = F.List(F.Nested(EvidenceSchema), required=True, metadata={"description": "All of the incident's."})
    added = F.List(F.Integer(), required=True, metadata={"description": "Ids of the files this request added."})
