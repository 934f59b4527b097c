"""Synthetic incidents over the reference data, for trying the app and for benchmarks.

Bulk Core inserts (not the ORM row by row) make a million incidents a matter of minutes. The
data is seeded, so the same seed gives the same incidents; every incident gets its 'create'
audit event, so `audit verify` holds on demo data too.

It is what every new user sees first, so it has to be believable (demo_vocabulary.py): products
that fit the category, species that fit the product and live in the place's country, a way of
detection that fits both, a position in the place's country (checked once per place against the
bundled outlines, not per incident, which keeps a million incidents fast), a ranger of that
place, and what they wrote in the language of that country.
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
from tracker.incidents.countries import country_at
from tracker.incidents.demo_vocabulary import (
    CATEGORY_DETECTION,
    CATEGORY_PRODUCTS,
    CATEGORY_WEIGHTS,
    CURRENCIES,
    DESCRIPTIONS,
    NOT_DETECTED_BY,
    PRODUCT_SPECIES,
    REJECTION_REASONS,
    SPECIES_COUNTRIES,
)
from tracker.incidents.references import format_reference
from tracker.models import (
    COUNTRIES,
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
QUANTITY = {"pcs": (1, 12), "kg": (0.5, 60), "g": (20, 900), "m3": (1, 40), "l": (1, 20)}
STATUS_OLD = [(IncidentStatus.CLOSED, 55), (IncidentStatus.VERIFIED, 22), (IncidentStatus.UNDER_INVESTIGATION, 10),
              (IncidentStatus.REJECTED, 5), (IncidentStatus.SUBMITTED, 8)]
STATUS_RECENT = [(IncidentStatus.DRAFT, 6), (IncidentStatus.SUBMITTED, 30), (IncidentStatus.VERIFIED, 32),
                 (IncidentStatus.UNDER_INVESTIGATION, 15), (IncidentStatus.CLOSED, 12), (IncidentStatus.REJECTED, 5)]
SPREAD = (0.25, 0.3)           # degrees of latitude and longitude around a place's centre (one sigma)
JITTER = 0.005                 # degrees around a checked position (about 500 m)
MAX_POSITIONS = 128            # checked positions per place


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


class Setting:
    """What the generator draws from, worked out once: per place its country's checked positions,
    its rangers and its language; per category and country the products that fit; per product
    and country the species that live there. Drawing an incident is then lookups only."""

    def __init__(self, rng: random.Random, count: int, places: list[Place], reporters: list[User],
                 products: dict[str, Product], species: dict[str, Species]):
        self.products, self.species = products, species
        self.candidates = {(slug, country): self.species_of(slug, country)
                           for slug in products for country in COUNTRIES}
        per_place = max(4, min(MAX_POSITIONS, count // (2 * len(places)) + 1))
        self.positions = {place.id: _positions(rng, place, per_place) for place in places}
        self.reporters = {place.id: _rangers_of(place, places, reporters) for place in places}
        self.kinds = {(category, country): self._fitting(slugs, country)
                      for category, slugs in CATEGORY_PRODUCTS.items() for country in COUNTRIES}

    def _fitting(self, slugs: list[str], country: str) -> list[str]:
        """The products of the list that exist and, where they come from a species, from one
        living in the country (no caviar in Mongolia)."""
        known = [slug for slug in slugs if slug in self.products]
        return [slug for slug in known if slug not in PRODUCT_SPECIES or self.species_of(slug, country)] or known

    def species_of(self, product_slug: str, country: str) -> list[Species]:
        return [self.species[name] for name in PRODUCT_SPECIES.get(product_slug, ())
                if name in self.species and country in SPECIES_COUNTRIES.get(name, COUNTRIES)]


def _positions(rng: random.Random, place: Place, wanted: int) -> list[tuple[float, float]]:
    """Positions around the place's centre that lie in its country by the bundled outlines (not
    at sea, not across a border); the centre itself if none is found."""
    centre = (place.lat or 45.0, place.lon or 133.0)
    found = []
    for _ in range(wanted * 8):
        lat, lon = centre[0] + rng.gauss(0, SPREAD[0]), centre[1] + rng.gauss(0, SPREAD[1])
        if country_at(lat, lon) == place.country:
            found.append((lat, lon))
            if len(found) == wanted:
                break
    return found or [centre]


def _rangers_of(place: Place, places: list[Place], reporters: list[User]) -> list[User]:
    """Who records an incident at the place: the area's own rangers; in a region, the rangers of
    the areas inside it, else of the areas of its country."""
    by_unit = {r.unit: r for r in reporters}
    areas = [p for p in places if p.kind == PlaceKind.PROTECTED_AREA]
    for candidates in ([place] if place.kind == PlaceKind.PROTECTED_AREA else [],
                       [a for a in areas if a.parent_id == place.id],
                       [a for a in areas if a.country == place.country]):
        rangers = [by_unit[f"{a.name_en} rangers"] for a in candidates if f"{a.name_en} rangers" in by_unit]
        if rangers:
            return rangers
    return reporters


def _random_items(rng: random.Random, setting: Setting, category_slug: str, country: str, incident_id: int,
                  first_id: int) -> tuple[list[dict], bool]:
    """1-3 item rows for one incident, and whether one of them makes it sensitive."""
    rows, sensitive = [], False
    kinds = setting.kinds.get((category_slug, country)) or ["carcass"]
    chosen = {rng.choice(kinds) for _ in range(rng.choice((1, 1, 1, 2, 2, 3)))}  # a product once
    for slug in sorted(chosen):
        product = setting.products.get(slug)
        if product is None:
            continue
        candidates = setting.candidates[product.slug, country]
        sp = rng.choice(candidates) if candidates and rng.random() < 0.9 else None
        sensitive = sensitive or bool(sp and sp.is_sensitive)
        low, high = QUANTITY[product.default_unit]
        quantity = Decimal(str(round(rng.uniform(low, high), 1 if product.default_unit != "pcs" else 0) or 1))
        rows.append({"id": first_id + len(rows), "incident_id": incident_id, "position": len(rows),
                     "product_id": product.id, "species_id": sp.id if sp else None, "quantity": quantity,
                     "unit": product.default_unit, "notes": ""})
    return rows, sensitive


def _detection(rng: random.Random, category_slug: str, items: list[dict], slug_of: dict[int, str]) -> DetectionMethod:
    """A way the category's incidents come to light that also fits every product found."""
    excluded = set().union(*(NOT_DETECTED_BY.get(slug_of[row["product_id"]], set()) for row in items))
    pairs = [(method, weight) for method, weight in CATEGORY_DETECTION.get(category_slug, [(DetectionMethod.PATROL, 1)])
             if method not in excluded]
    return _weighted(rng, pairs) if pairs else DetectionMethod.PATROL


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
    setting = Setting(rng, count, places, reporters, products, species)
    slug_of_product = {p.id: p.slug for p in products.values()}
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
        reporter = rng.choice(setting.reporters[place.id])
        statuses = STATUS_OLD if age > 365 * 86400 else STATUS_RECENT
        status = _weighted(rng, statuses)
        year = reported.year
        counters[year] = counters.get(year, 0) + 1
        incident_id = next_id + n
        new_items, sensitive = _random_items(rng, setting, category.slug, place.country, incident_id, next_item_id)
        items.extend(new_items)
        next_item_id += len(new_items)
        detection = _detection(rng, category.slug, new_items, slug_of_product)
        lat, lon = rng.choice(setting.positions[place.id])
        suspects = rng.choice((0, 0, 0, 1, 1, 2, 3))
        closed = status == IncidentStatus.CLOSED
        language = place.country if place.country in DESCRIPTIONS else "RU"
        incidents.append({
            "id": incident_id, "ref": format_reference(year, counters[year]),
            "client_uuid": uuid.UUID(int=rng.getrandbits(128), version=4), "category_id": category.id,
            "occurred_at": occurred, "reported_at": reported, "reporter_id": reporter.id, "unit": reporter.unit,
            "place_id": place.id, "country": derived.country_rule(place.country, lat, lon, None),
            "lat": round(lat + rng.uniform(-JITTER, JITTER), 5), "lon": round(lon + rng.uniform(-JITTER, JITTER), 5),
            "location_text": "", "description": rng.choice(DESCRIPTIONS[language][detection]), "status": status.value,
            "patrol_ref": f"P-{year}-{rng.randint(1, 999):03d}", "detection_method": detection.value,
            "suspects": suspects, "arrests": rng.randint(0, suspects),
            "estimated_value": Decimal(rng.randrange(0, 500000, 500)) if rng.random() < 0.4 else None,
            "currency": CURRENCIES.get(place.country, "USD"),
            "outcome": rng.choice(list(Outcome)).value if closed else None, "penalty": "",
            "rejection_reason": REJECTION_REASONS[language] if status == IncidentStatus.REJECTED else "",
            "sensitive": sensitive, "seizure_reason": "", "transport_mode": "", "concealment": "",
            "origin_country": "", "transit_countries": "", "destination_country": "", "offender_nationalities": "",
            "disposal": "", "created_at": reported, "updated_at": reported, "version": 1,
        })
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
