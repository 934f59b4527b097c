"""Incidents as the API shows them to one user: positions and location descriptions pass through
tracker/incidents/visibility.py exactly as on the pages (a sensitive incident's position as the
centre of its 0.1° cell and its location description withheld for users without the
exact-location right; photo positions likewise).

The values are already those of the JSON that tracker/api/schemas.py documents (decimals and
UUIDs as text), so that views send them as they are: a marshmallow pass over a page of fifty
incidents cost more than reading them. The schemathesis test holds the two together.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from flask import jsonify
from sqlalchemy import select

from tracker.extensions import db
from tracker.incidents import visibility
from tracker.incidents.fields import TRADE_FIELDS
from tracker.models import AuditEvent, Evidence, Incident, User, aware
from tracker.reports.columns import EXACT, GENERALISED


def send(payload, status: int = 200, headers: dict | None = None):
    """The view's answer as JSON, as it is (the operation's schema documents it)."""
    return jsonify(payload), status, headers or {}


def instant(value: datetime | None) -> str | None:
    """UTC, ISO 8601 with Z."""
    return None if value is None else aware(value).isoformat().replace("+00:00", "Z")


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def incident(item: Incident, user: User) -> dict:
    place = visibility.shown_place(user, item)
    located = place.lat is not None and place.lon is not None
    return {
        "ref": item.ref, "client_uuid": str(item.client_uuid), "version": item.version, "status": item.status.value,
        "category": item.category.slug, "occurred_at": instant(item.occurred_at),
        "reported_at": instant(item.reported_at), "created_at": instant(item.created_at),
        "updated_at": instant(item.updated_at), "reporter_id": item.reporter_id, "unit": item.unit,
        "place": item.place_id, "country": item.country, "lat": place.lat, "lon": place.lon,
        "coordinate_precision": (GENERALISED if place.generalised else EXACT) if located else None,
        "location_text": place.location_text, "location_text_withheld": place.text_withheld,
        "sensitive": bool(item.sensitive), "description": item.description, "patrol_ref": item.patrol_ref,
        "detection_method": item.detection_method.value, "suspects": item.suspects, "arrests": item.arrests,
        "estimated_value": _decimal(item.estimated_value), "currency": item.currency,
        "outcome": item.outcome.value if item.outcome else None, "penalty": item.penalty,
        "rejection_reason": item.rejection_reason,
        **{name: getattr(item, name) for name in TRADE_FIELDS},
        "items": [{"product": i.product_id, "species": i.species_id, "quantity": _decimal(i.quantity),
                   "unit": i.unit, "notes": i.notes} for i in item.items],
    }


def incident_detail(item: Incident, user: User) -> dict:
    """An incident with its evidence (metadata only) and the steps of its workflow."""
    return {**incident(item, user), "evidence": [evidence(e, item, user) for e in item.evidence],
            "status_history": status_history(item)}


def evidence(row: Evidence, item: Incident, user: User) -> dict:
    shown = visibility.shown(user, item.sensitive, row.gps_lat, row.gps_lon)
    return {"id": row.id, "name": row.original_name, "content_type": row.content_type, "size": row.size,
            "sha256": row.sha256, "uploaded_at": instant(row.uploaded_at), "uploaded_by": row.uploaded_by.display_name,
            "taken_at": instant(row.taken_at), "lat": shown.lat, "lon": shown.lon}


def status_history(item: Incident) -> list[dict]:
    """From the audit trail: the status it was recorded with, then every workflow step."""
    rows = db.session.execute(
        select(AuditEvent.occurred_at, AuditEvent.action, AuditEvent.changes, User.display_name)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.incident_id == item.id, AuditEvent.action.in_(("create", "status")))
        .order_by(AuditEvent.id)).all()
    steps = []
    for at, action, changes, name in rows:
        changes = changes or {}
        if action == "create":
            step = {"from": None, "to": changes.get("status", "")}
        else:
            step = {"from": changes.get("from"), "to": changes.get("to", "")}
            step.update({key: changes[key] for key in ("reason", "outcome", "penalty") if changes.get(key)})
        steps.append({"at": instant(at), "by": name or "system", **step})
    return steps
