"""Writing incidents: one place where an incident, its items, its reference number, its
sensitivity flag and its audit event are changed together, inside the caller's transaction."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from tracker.audit import chain
from tracker.database import dialect_insert
from tracker.extensions import db
from tracker.incidents import fields
from tracker.models import Incident, IncidentItem, IncidentStatus, Place, ReferenceCounter, Species, User, aware, utcnow


@dataclass
class ItemData:
    product_id: int
    species_id: int | None
    quantity: Decimal
    unit: str
    notes: str = ""


def next_reference(year: int) -> str:
    """INC-<year>-<6 digits>, from a per-year counter that only goes up.

    The counter row is updated in the caller's transaction, so concurrent writers queue on it
    (SQLite: BEGIN IMMEDIATE; PostgreSQL: the row lock) and never get the same number.
    """
    stmt = dialect_insert(ReferenceCounter).values(year=year, last_number=1)
    stmt = stmt.on_conflict_do_update(index_elements=[ReferenceCounter.year],
                                      set_={"last_number": ReferenceCounter.last_number + 1})
    number = db.session.execute(stmt.returning(ReferenceCounter.last_number)).scalar_one()
    return f"INC-{year}-{number:06d}"


def is_sensitive(items: list[ItemData]) -> bool:
    species_ids = {item.species_id for item in items if item.species_id}
    if not species_ids:
        return False
    species = db.session.scalars(select(Species).where(Species.id.in_(species_ids)))
    return any(s.is_sensitive for s in species)


def _country_of(place_id: int | None) -> str | None:
    return db.session.scalar(select(Place.country).where(Place.id == place_id)) if place_id else None


def _snapshot(incident: Incident) -> dict:
    facts = {name: getattr(incident, name) for name in fields.AUDITED}
    facts["occurred_at"] = aware(incident.occurred_at)
    facts["items"] = [_item_snapshot(i) for i in incident.items]
    return chain.jsonable(facts)


def _item_snapshot(item) -> dict:
    return {"product_id": item.product_id, "species_id": item.species_id,
            "quantity": str(Decimal(item.quantity).normalize()), "unit": item.unit, "notes": item.notes or ""}


def _set_items(incident: Incident, items: list[ItemData]) -> None:
    incident.items = [IncidentItem(position=n, product_id=i.product_id, species_id=i.species_id,
                                   quantity=i.quantity, unit=i.unit, notes=i.notes) for n, i in enumerate(items)]
    incident.sensitive = is_sensitive(items)


def create_incident(facts: dict, items: list[ItemData], reporter: User, status: IncidentStatus,
                    entered: dict | None = None) -> Incident:
    """Add a new incident with its items and its 'create' audit event (not committed). `entered`
    is the time as typed (local time, zone, offset), kept in the event beside the UTC instant."""
    now = utcnow()
    incident = Incident(ref=next_reference(now.year), reporter_id=reporter.id, unit=reporter.unit,
                        reported_at=now, status=status, **facts)
    incident.country = _country_of(incident.place_id) or facts.get("country")
    _set_items(incident, items)
    db.session.add(incident)
    db.session.flush()
    changes = {"ref": incident.ref, "status": status.value, "after": _snapshot(incident)}
    if entered:
        changes["entered"] = entered
    chain.record("create", reporter, "incident", incident.id, incident.id, changes)
    return incident


def update_incident(incident: Incident, facts: dict, items: list[ItemData], editor: User,
                    entered: dict | None = None) -> dict:
    """Apply an edit; records field-level before/after (and the time as typed, when the time
    changed). Returns the changes ({} if none)."""
    before = _snapshot(incident)
    with db.session.no_autoflush:  # one UPDATE at the end, so the version moves once or not at all
        for name, value in facts.items():
            setattr(incident, name, value)
        incident.country = _country_of(incident.place_id) or incident.country
        if [_item_snapshot(i) for i in incident.items] != [_item_snapshot(i) for i in items]:
            _set_items(incident, items)
        after = _snapshot(incident)
    changes = {key: {"before": before[key], "after": after[key]} for key in after if before[key] != after[key]}
    if entered and "occurred_at" in changes:
        changes["occurred_at"]["entered"] = entered
    if changes:
        incident.updated_at = utcnow()  # the row changes even when only items did: the version moves
        db.session.flush()
        chain.record("edit", editor, "incident", incident.id, incident.id, changes)
    return changes


def occurred_in_future(value: datetime, tolerance_minutes: int = 10) -> bool:
    from datetime import timedelta

    return aware(value) > utcnow() + timedelta(minutes=tolerance_minutes)
