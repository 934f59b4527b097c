"""Filters and globals every template may use: labels for stored codes, numbers and dates in
the user's language."""
from __future__ import annotations

from decimal import Decimal

from flask import Flask
from flask_babel import format_decimal, format_number, format_percent
from flask_babel import lazy_gettext as _l

from tracker import localtime
from tracker.incidents import fields, seizures, visibility
from tracker.labels import (
    COUNTRY_LABELS,
    DETECTION_LABELS,
    OUTCOME_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    UNIT_LABELS,
    label,
)
from tracker.models import DetectionMethod, IncidentStatus, Outcome, utcnow

AUDIT_ACTIONS = {
    "create": _l("recorded"), "edit": _l("edited"), "status": _l("changed the status"),
    "evidence_upload": _l("added evidence"), "evidence_download": _l("downloaded evidence"),
    "duplicate": _l("marked a duplicate"), "delete": _l("deleted"), "export": _l("exported"),
    "time_corrected": _l("corrected the time"),
}


def quantity(value) -> str:
    """12.500 -> '12.5' (in the user's number format), never scientific notation."""
    if value is None:
        return ""
    number = Decimal(value).normalize()
    return format_decimal(number, format="#,##0.###")


def filesize(size: int) -> str:
    if size < 1024:
        return f"{format_decimal(size)} B"
    if size < 1024 * 1024:
        return f"{format_decimal(round(size / 1024))} KB"
    return f"{format_decimal(size / 1024 / 1024, format='#,##0.0')} MB"


def money(value, currency: str | None) -> str:
    return f"{format_decimal(value, format='#,##0.##')} {currency or ''}".strip()


def _enum_label(mapping, enum_class):
    def lookup(code):
        try:
            return label(mapping, enum_class(code))
        except ValueError:
            return str(code or "")
    return lookup


def register(app: Flask) -> None:
    app.add_template_filter(quantity, "quantity")
    app.add_template_filter(filesize, "filesize")
    app.add_template_filter(money, "money")
    # Dates and times read one way in every language (tracker/localtime.py).
    app.add_template_filter(localtime.format_instant, "when")
    app.add_template_filter(lambda value: localtime.format_instant(value, with_zone=True), "when_zoned")
    app.add_template_filter(localtime.format_day, "day")
    app.add_template_filter(lambda value: localtime.format_day(value, "long"), "long_day")
    helpers = {
        "role_label": lambda role: label(ROLE_LABELS, role),
        "status_label": _enum_label(STATUS_LABELS, IncidentStatus),
        "detection_label": _enum_label(DETECTION_LABELS, DetectionMethod),
        "outcome_label": _enum_label(OUTCOME_LABELS, Outcome),
        "unit_label": lambda unit: label(UNIT_LABELS, unit),
        "country_label": lambda code: label(COUNTRY_LABELS, code),
        "field_label": lambda name: label(fields.LABELS, name),
        "trade_fields": fields.TRADE_FIELDS,
        "seizure_category": seizures.SEIZURE_CATEGORY,  # the incident form opens its seizure details for it
        "sees_exact_positions": visibility.sees_exact_positions,
        "audit_action_label": lambda action: label(AUDIT_ACTIONS, action),
        "number": format_number,
        "percent": lambda ratio: format_percent(ratio, "#,##0.#%"),
        "now_utc": utcnow,
        "zone_name": localtime.zone_name,
        "zone_label": localtime.zone_label,
    }
    for name, helper in helpers.items():
        app.add_template_global(helper, name)
