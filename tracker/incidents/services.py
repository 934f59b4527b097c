"""Writing incidents: one place where an incident, its items, its reference number, its derived
facts (sensitivity, country) and its audit event are changed together, inside the caller's
transaction."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tracker.audit import chain
from tracker.extensions import db
from tracker.incidents import derived, fields
from tracker.incidents.references import next_reference
from tracker.models import Incident, IncidentItem, IncidentStatus, User, aware, utcnow


@dataclass
class ItemData:
    product_id: int
    species_id: int | None
    quantity: Decimal
    unit: str
    notes: str = ""


def _check_facts(facts: dict) -> None:
    """Derived facts are never given: a caller's value would be overwritten, or be wrong."""
    given = {"country", "sensitive"} & facts.keys()
    if given:
        raise ValueError(f"{', '.join(sorted(given))} derived by tracker.incidents.derived; give stated_country")


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


def create_incident(facts: dict, items: list[ItemData], reporter: User, status: IncidentStatus,
                    entered: dict | None = None) -> Incident:
    """Add a new incident with its items and its 'create' audit event (not committed). `entered`
    is the time as typed (local time, zone, offset), kept in the event beside the UTC instant."""
    _check_facts(facts)
    now = utcnow()
    incident = Incident(ref=next_reference(now.year), reporter_id=reporter.id, unit=reporter.unit,
                        reported_at=now, status=status, **facts)
    derived.derive(incident, [i.species_id for i in items])
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
    _check_facts(facts)
    before = _snapshot(incident)
    with db.session.no_autoflush:  # one UPDATE at the end, so the version moves once or not at all
        for name, value in facts.items():
            setattr(incident, name, value)
        derived.derive(incident, [i.species_id for i in items])
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

