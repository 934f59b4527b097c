"""Readable before/after values for the incident page's history (the audit trail stores ids)."""
from __future__ import annotations

from datetime import datetime

from tracker.extensions import db
from tracker.incidents.blueprint import bp
from tracker.labels import COUNTRY_LABELS, DETECTION_LABELS, UNIT_LABELS, label
from tracker.localtime import format_instant
from tracker.models import Category, DetectionMethod, Place, Product, Species
from tracker.templating import quantity

REFERENCE_FIELDS = {"category_id": Category, "place_id": Place}


@bp.app_template_global("change_value")
def change_value(field: str, value) -> str:
    if value in (None, "", []):
        return "—"
    if field in REFERENCE_FIELDS:
        row = db.session.get(REFERENCE_FIELDS[field], value)
        return row.name if row else str(value)
    if field in ("country", "stated_country"):
        return label(COUNTRY_LABELS, value)
    if field == "occurred_at":
        return format_instant(datetime.fromisoformat(value), with_zone=True)
    if field == "detection_method":
        return label(DETECTION_LABELS, DetectionMethod(value))
    if field == "items":
        return "; ".join(_item_text(item) for item in value)
    return str(value)


def _item_text(item: dict) -> str:
    product = db.session.get(Product, item["product_id"])
    species = db.session.get(Species, item["species_id"]) if item.get("species_id") else None
    name = product.name if product else item["product_id"]
    text = f"{name} {quantity(item['quantity'])} {label(UNIT_LABELS, item['unit'])}"
    return f"{text} ({species.name})" if species else text
