"""Helpers to make incidents in tests through the real service layer."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import select

from tracker.extensions import db
from tracker.incidents.services import ItemData, create_incident
from tracker.models import Category, DetectionMethod, IncidentStatus, Place, Product, Species, User
from tracker.reference.seed import seed_reference


def seed(app) -> None:
    with app.app_context():
        seed_reference(db.session)
        db.session.commit()


def ids(model, key, *values):
    column = getattr(model, key)
    rows = dict(db.session.execute(select(column, model.id).where(column.in_(values))).all())
    return [rows[v] for v in values]


def category_id(slug: str) -> int:
    return ids(Category, "slug", slug)[0]


def product_id(slug: str) -> int:
    return ids(Product, "slug", slug)[0]


def species_id(name: str) -> int:
    return ids(Species, "scientific_name", name)[0]


def place_id(name: str) -> int:
    return ids(Place, "name_en", name)[0]


def make_incident(reporter_id: int, category="poaching", status=IncidentStatus.SUBMITTED, items=None,
                  occurred_at=None, entered=None, **facts):
    """Create and commit an incident (needs an app context and seeded reference data)."""
    reporter = db.session.get(User, reporter_id)
    items = items if items is not None else [("paw", "Panthera tigris altaica", "2", "pcs")]
    data = [ItemData(product_id=product_id(p), species_id=species_id(s) if s else None, quantity=Decimal(q), unit=u)
            for p, s, q, u in items]
    values = {"category_id": category_id(category),
              "occurred_at": occurred_at or datetime.now(timezone.utc) - timedelta(days=1),
              "detection_method": DetectionMethod.PATROL, "place_id": place_id("Land of the Leopard National Park"),
              "lat": 43.1, "lon": 131.45, **facts}
    incident = create_incident(values, data, reporter, status, entered=entered)
    db.session.commit()
    return incident
