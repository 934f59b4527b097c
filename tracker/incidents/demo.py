"""Synthetic incidents over the reference data, for trying the app and for benchmarks.

Bulk Core inserts (not the ORM row by row) make a million incidents a matter of minutes. The
data is seeded, so the same seed gives the same incidents; every incident gets its 'create'
audit event, so `audit verify` holds on demo data too.
"""
from __future__ import annotations

import math
import random
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import func, insert, select, text

from tracker.audit.chain import event_hash
from tracker.extensions import db
from tracker.incidents import derived
from tracker.incidents.references import format_reference
from tracker.models import (
    GENESIS_HASH,
    AuditEvent,
    AuditHead,
    Category,
    DetectionMethod,
    Incident,
    IncidentItem,
    IncidentStatus,
    Outcome,
    Place,
    PlaceKind,
    Product,
    ReferenceCounter,
    Role,
    Species,
    User,
)

BATCH = 5000
CATEGORY_WEIGHTS = {"poaching": 25, "snaring": 30, "illegal-logging": 15, "illegal-fishing": 14,
                    "plant-harvest": 6, "trafficking": 10}
CATEGORY_PRODUCTS = {
    "poaching": ["carcass", "skin", "meat", "bone", "paw", "antler", "musk-pod", "skull", "claw", "tooth",
                 "gall-bladder", "live", "feathers", "firearm"],
    "snaring": ["snare", "snare", "snare", "carcass", "firearm"],
    "illegal-logging": ["log", "stump", "sawn-timber", "vehicle"],
    "illegal-fishing": ["fish", "net", "caviar", "vehicle"],
    "plant-harvest": ["root", "whole-plant"],
    "trafficking": ["skin", "bone", "paw", "musk-pod", "gall-bladder", "caviar", "root", "log", "sawn-timber",
                    "antler", "claw", "tooth", "live", "meat"],
}
SPECIES_FOR = {"mammal": ["Cervus nippon", "Moschus moschiferus", "Cervus canadensis xanthopygus", "Ursus thibetanus",
                          "Ursus arctos", "Martes zibellina", "Panthera tigris altaica", "Panthera pardus orientalis"],
               "bird": ["Grus japonensis", "Ciconia boyciana"],
               "fish": ["Hucho taimen", "Acipenser schrenckii", "Huso dauricus"],
               "plant": ["Panax ginseng"],
               "tree": ["Pinus koraiensis", "Quercus mongolica", "Fraxinus mandshurica"]}
PRODUCT_GROUP = {"fish": "fish", "caviar": "fish", "feathers": "bird", "root": "plant", "whole-plant": "plant",
                 "log": "tree", "sawn-timber": "tree", "stump": "tree"}
QUANTITY = {"pcs": (1, 12), "kg": (0.5, 60), "g": (20, 900), "m3": (1, 40), "l": (1, 20)}
STATUS_OLD = [(IncidentStatus.CLOSED, 55), (IncidentStatus.VERIFIED, 22), (IncidentStatus.UNDER_INVESTIGATION, 10),
              (IncidentStatus.REJECTED, 5), (IncidentStatus.SUBMITTED, 8)]
STATUS_RECENT = [(IncidentStatus.DRAFT, 6), (IncidentStatus.SUBMITTED, 30), (IncidentStatus.VERIFIED, 32),
                 (IncidentStatus.UNDER_INVESTIGATION, 15), (IncidentStatus.CLOSED, 12), (IncidentStatus.REJECTED, 5)]
DESCRIPTIONS = ["Found during routine patrol.", "Reported by a local resident.",
                "Tracks in fresh snow led to the site.",
                "Camera trap recorded people with a rifle.", "Vehicle stopped at the checkpoint.",
                "Обнаружено в ходе планового патрулирования.", "Сообщение местного жителя.",
                "巡护中发现。", "群众举报。"]

DETECTION_WEIGHTS = [(DetectionMethod.PATROL.value, 50), (DetectionMethod.CAMERA_TRAP.value, 12),
                     (DetectionMethod.INFORMANT.value, 12), (DetectionMethod.CHECKPOINT.value, 12),
                     (DetectionMethod.MARKET_INSPECTION.value, 6), (DetectionMethod.ONLINE_MONITORING.value, 5),
                     (DetectionMethod.OTHER.value, 3)]


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=False)
    return rng.choices(values, weights=weights)[0]


def demo_reporters() -> list[User]:
    """One demo ranger per protected area (unit '<area> rangers'); they cannot sign in."""
    reporters = []
    areas = db.session.scalars(select(Place).where(Place.kind == PlaceKind.PROTECTED_AREA).order_by(Place.id)).all()
    for n, area in enumerate(areas, 1):
        username = f"demo-ranger-{n:02d}"
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None:
            user = User(username=username, display_name=f"Demo ranger {n}", role=Role.RANGER,
                        unit=f"{area.name_en} rangers", active=False, password_hash="!disabled")
            db.session.add(user)
        reporters.append(user)
    db.session.flush()
    return reporters


def _random_items(rng: random.Random, category_slug: str, products: dict, species: dict, incident_id: int,
                  first_id: int) -> tuple[list[dict], bool]:
    """1-3 item rows for one incident, and whether one of them makes it sensitive."""
    rows, sensitive = [], False
    for position in range(rng.choice((1, 1, 1, 2, 2, 3))):
        product = products.get(rng.choice(CATEGORY_PRODUCTS.get(category_slug, ["carcass"])))
        if product is None:
            continue
        group = PRODUCT_GROUP.get(product.slug, "mammal" if product.applies_to.value == "animal" else None)
        sp = None
        if group and rng.random() < 0.9:
            sp = species.get(rng.choice(SPECIES_FOR[group]))
        sensitive = sensitive or bool(sp and sp.is_sensitive)
        low, high = QUANTITY[product.default_unit]
        quantity = Decimal(str(round(rng.uniform(low, high), 1 if product.default_unit != "pcs" else 0) or 1))
        rows.append({"id": first_id + len(rows), "incident_id": incident_id, "position": position,
                     "product_id": product.id, "species_id": sp.id if sp else None, "quantity": quantity,
                     "unit": product.default_unit, "notes": ""})
    return rows, sensitive


def generate(count: int, seed: int = 1, now: datetime | None = None, progress=None) -> int:
    """Insert `count` incidents with 1-3 items each and their audit events; returns the count."""
    rng = random.Random(seed)
    now = now or datetime.now(timezone.utc)
    categories = {c.slug: c for c in db.session.scalars(select(Category))}
    products = {p.slug: p for p in db.session.scalars(select(Product))}
    species = {s.scientific_name: s for s in db.session.scalars(select(Species))}
    places = db.session.scalars(select(Place).order_by(Place.id)).all()
    if not categories or not places:
        raise LookupError("load the reference data first (flask --app wsgi seed-reference)")
    reporters = demo_reporters()
    by_unit = {r.unit: r for r in reporters}
    place_weights = [(p, 8 if p.kind == PlaceKind.PROTECTED_AREA else 2) for p in places]
    category_pairs = [(categories[slug], w) for slug, w in CATEGORY_WEIGHTS.items() if slug in categories]

    next_id = (db.session.scalar(select(func.max(Incident.id))) or 0) + 1
    next_item_id = (db.session.scalar(select(func.max(IncidentItem.id))) or 0) + 1
    head = db.session.get(AuditHead, 1) or AuditHead(id=1, last_event_id=0, last_hash=GENESIS_HASH)
    db.session.add(head)
    counters = {c.year: c.last_number for c in db.session.scalars(select(ReferenceCounter))}
    event_id, prev_hash = head.last_event_id, head.last_hash
    span = 10 * 365 * 86400
    incidents, items, events = [], [], []

    def flush():
        if incidents:
            db.session.execute(insert(Incident.__table__), incidents)
            db.session.execute(insert(IncidentItem.__table__), items)
            db.session.execute(insert(AuditEvent.__table__), events)
            incidents.clear(), items.clear(), events.clear()

    for n in range(count):
        # More incidents in recent years: age drawn with a density falling towards the past.
        age = span * (1 - math.sqrt(rng.random()))
        occurred = (now - timedelta(seconds=age)).replace(microsecond=0)
        reported = occurred + timedelta(hours=rng.randint(1, 72))
        if reported > now:
            reported = now
        category = _weighted(rng, category_pairs)
        place = _weighted(rng, place_weights)
        reporter = by_unit.get(f"{place.name_en} rangers") or rng.choice(reporters)
        statuses = STATUS_OLD if age > 365 * 86400 else STATUS_RECENT
        status = _weighted(rng, statuses)
        year = reported.year
        counters[year] = counters.get(year, 0) + 1
        incident_id = next_id + n
        new_items, sensitive = _random_items(rng, category.slug, products, species, incident_id, next_item_id)
        items.extend(new_items)
        next_item_id += len(new_items)
        suspects = rng.choice((0, 0, 0, 1, 1, 2, 3))
        closed = status == IncidentStatus.CLOSED
        incidents.append({
            "id": incident_id, "ref": format_reference(year, counters[year]),
            "client_uuid": uuid.UUID(int=rng.getrandbits(128), version=4), "category_id": category.id,
            "occurred_at": occurred, "reported_at": reported, "reporter_id": reporter.id, "unit": reporter.unit,
            "place_id": place.id, "country": None,
            "lat": round((place.lat or 45) + rng.gauss(0, 0.25), 5),
            "lon": round((place.lon or 133) + rng.gauss(0, 0.3), 5),
            "location_text": "", "description": rng.choice(DESCRIPTIONS), "status": status.value,
            "patrol_ref": f"P-{year}-{rng.randint(1, 999):03d}",
            "detection_method": _weighted(rng, DETECTION_WEIGHTS),
            "suspects": suspects, "arrests": rng.randint(0, suspects),
            "estimated_value": Decimal(rng.randrange(0, 500000, 500)) if rng.random() < 0.4 else None,
            "currency": "RUB" if place.country == "RU" else ("CNY" if place.country == "CN" else "MNT"),
            "outcome": rng.choice(list(Outcome)).value if closed else None, "penalty": "",
            "rejection_reason": "Duplicate report" if status == IncidentStatus.REJECTED else "",
            "sensitive": sensitive, "seizure_reason": "", "transport_mode": "", "concealment": "",
            "origin_country": "", "transit_countries": "", "destination_country": "", "offender_nationalities": "",
            "disposal": "", "created_at": reported, "updated_at": reported, "version": 1,
        })
        row = incidents[-1]
        row["country"] = derived.country_rule(place.country, row["lat"], row["lon"], None)
        event_id += 1
        changes = {"ref": incidents[-1]["ref"], "status": status.value, "source": "demo"}
        digest = event_hash(event_id, reported, reporter.id, reporter.username, "create", "incident", incident_id,
                            incident_id, changes, prev_hash)
        events.append({"id": event_id, "occurred_at": reported, "actor_id": reporter.id,
                       "actor_name": reporter.username, "action": "create", "entity_type": "incident",
                       "entity_id": incident_id, "incident_id": incident_id, "changes": changes,
                       "prev_hash": prev_hash, "hash": digest})
        prev_hash = digest
        if len(incidents) >= BATCH:
            flush()
            if progress:
                progress(n + 1)
    flush()
    head.last_event_id, head.last_hash = event_id, prev_hash
    for year, last in counters.items():
        row = db.session.get(ReferenceCounter, year)
        if row is None:
            db.session.add(ReferenceCounter(year=year, last_number=last))
        else:
            row.last_number = last
    db.session.flush()
    _advance_sequences()
    return count


def _advance_sequences() -> None:
    """PostgreSQL sequences do not see explicit ids; move them past the inserted rows."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in ("incidents", "incident_items", "audit_events"):
        db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                f"GREATEST((SELECT MAX(id) FROM {table}), 1))"))
