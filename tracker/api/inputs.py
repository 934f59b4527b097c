"""What the API's writes take, and the list's query parameters, described with marshmallow for
the OpenAPI document (the JSON shape only: the forms decide what is accepted, see schemas.py)."""
from __future__ import annotations

import marshmallow as ma

from tracker.api.schemas import ApiSchema, NumberOrText, code
from tracker.incidents.fields import TRADE_FIELDS
from tracker.models import COUNTRIES, CURRENCIES, UNITS, DetectionMethod, IncidentStatus, Outcome

F = ma.fields
TradeFactsIn = ma.Schema.from_dict({name: F.String() for name in TRADE_FIELDS}, name="TradeFactsIn")


class ItemInSchema(ApiSchema):
    product = F.Integer(allow_none=True)
    species = F.Integer(allow_none=True)
    quantity = NumberOrText(allow_none=True, metadata={
        "type": ["number", "string", "null"], "description": "A number, or text such as \"1,5\"."})
    unit = code(UNITS)
    notes = F.String()


class IncidentInSchema(ApiSchema, TradeFactsIn):
    """The facts of an incident. Left out: the form's default (0 suspects, no place...)."""

    category = F.String(metadata={"description": "Category slug (`/reference/categories`)."})
    occurred_at = F.AwareDateTime(format="iso", metadata={
        "description": "ISO 8601 with a UTC offset or Z, to the second; a time without offset is refused."})
    place = F.Integer(allow_none=True)
    lat = F.Float(allow_none=True, allow_nan=False)
    lon = F.Float(allow_none=True, allow_nan=False)
    country = code(COUNTRIES, nullable=True, metadata={
        "description": "Only when neither the place nor the position shows the country."})
    location_text = F.String()
    description = F.String()
    patrol_ref = F.String()
    detection_method = code(DetectionMethod)
    suspects = F.Integer()
    arrests = F.Integer()
    estimated_value = NumberOrText(allow_none=True, metadata={"type": ["number", "string", "null"]})
    currency = code(CURRENCIES, nullable=True)
    items = F.List(F.Nested(ItemInSchema), metadata={"description": "Replaces every item when given."})


class IncidentCreateSchema(IncidentInSchema):
    client_uuid = F.UUID(required=True, metadata={
        "description": "Made by the client once per incident: sending it again records nothing new."})
    status = code([IncidentStatus.DRAFT, IncidentStatus.SUBMITTED], checked=True,
                  load_default=IncidentStatus.SUBMITTED.value,
                  metadata={"description": "`submitted` (default) or `draft`."})


class IncidentPatchSchema(IncidentInSchema):
    version = F.Integer(metadata={"description": "The version you edited (or send If-Match)."})


class StatusChangeSchema(ApiSchema):
    target = code([s for s in IncidentStatus if s is not IncidentStatus.DRAFT], checked=True, required=True)
    version = F.Integer(metadata={"description": "The version you saw (or send If-Match)."})
    reason = F.String(metadata={"description": "Required to reject."})
    outcome = code(Outcome, nullable=True, metadata={"description": "Required to close."})
    penalty = F.String()


class EvidenceUploadSchema(ApiSchema):
    files = F.List(F.Raw(metadata={"type": "string", "format": "binary"}), required=True, metadata={
        "description": "One or more JPEG, PNG or WebP photos or PDF documents."})


# --- query parameters (documentation; tracker/incidents/filters.py FilterForm parses them) ----

class IncidentQuerySchema(ma.Schema):
    q = F.String(metadata={"description": "Reference, description or (where you may read it) location text."})
    category = F.String(metadata={"description": "Category slug."})
    status = F.String(metadata={"enum": [s.value for s in IncidentStatus] + ["open", "verified-or-later"]})
    country = F.String(metadata={"enum": list(COUNTRIES)})
    place = F.Integer(metadata={"description": "A place, or a region with the places in it."})
    species = F.Integer()
    product = F.Integer()
    detection = F.String(metadata={"enum": [d.value for d in DetectionMethod]})
    reporter = F.Integer()
    date_from = F.Date(metadata={"description": "Day of the incident, in the reporting time zone."})
    date_to = F.Date()
    sensitive = F.String(metadata={"enum": ["1"], "description": "`1`: sensitive incidents only."})
    sort = F.String(metadata={"enum": ["occurred", "created"], "description": "Newest first (without updated_since)."})
    bbox = F.String(metadata={"description": "west,south,east,north in degrees: positions as you may see them."})
    updated_since = F.String(metadata={
        "format": "date-time",
        "description": "Incremental pull: incidents changed at or after this instant (ISO 8601 with offset or Z), "
                       "oldest change first. Pass the last page's `next_updated_since` next time."})
    limit = F.Integer(metadata={"minimum": 1, "maximum": 200, "description": "Per page (default 50)."})
    cursor = F.String(metadata={"description": "From `next_cursor`; opaque."})
