"""The facts of an incident that people type, declared once: their names (the model's attribute,
the form field and the key in the audit trail are the same), their labels, and which group they
belong to. The form, the audit trail's field-level changes, the incident page, the history and the
exports (tracker/reports/columns.py) read them from here."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Fact:
    name: str
    label: object
    trade: bool = False  # a seizure detail of the CITES annual illegal trade report


FACTS = (
    Fact("category_id", _l("Category")),
    Fact("occurred_at", _l("When it happened")),
    Fact("place_id", _l("Place")),
    Fact("country", _l("Country")),
    Fact("lat", _l("Latitude")),
    Fact("lon", _l("Longitude")),
    Fact("location_text", _l("Location description")),
    Fact("description", _l("What happened")),
    Fact("patrol_ref", _l("Patrol reference")),
    Fact("detection_method", _l("How it was detected")),
    Fact("suspects", _l("Suspects")),
    Fact("arrests", _l("Arrests")),
    Fact("estimated_value", _l("Estimated value")),
    Fact("currency", _l("Currency")),
    Fact("seizure_reason", _l("Reason for seizure"), trade=True),
    Fact("transport_mode", _l("Mode of transport"), trade=True),
    Fact("concealment", _l("Method of concealment"), trade=True),
    Fact("origin_country", _l("Country of origin"), trade=True),
    Fact("transit_countries", _l("Countries of transit"), trade=True),
    Fact("destination_country", _l("Country of destination"), trade=True),
    Fact("offender_nationalities", _l("Nationality of offenders"), trade=True),
    Fact("disposal", _l("Disposal of specimens"), trade=True),
)
BY_NAME = {fact.name: fact for fact in FACTS}
# Compared field by field for the audit trail's before/after (items are compared as a whole).
AUDITED = tuple(fact.name for fact in FACTS)
TRADE_FIELDS = tuple(fact.name for fact in FACTS if fact.trade)
LABELS = {**{fact.name: fact.label for fact in FACTS}, "items": _l("Items")}


def label(name: str):
    return BY_NAME[name].label
