from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from tracker.extensions import db
from tracker.incidents.services import create_incident
from tracker.models import Category, DetectionMethod, IncidentStatus, User


def _category_id() -> int:
    category_id = db.session.scalar(select(Category.id).where(Category.slug == "poaching"))
    if category_id is None:
        category = Category(slug="poaching", name_en="Poaching")
        db.session.add(category)
        db.session.flush()
        category_id = category.id
    return category_id


def new_incident(app, reporter_id: int, status: IncidentStatus = IncidentStatus.SUBMITTED,
                 sensitive: bool = False) -> int:
    with app.app_context():
        facts = {"category_id": _category_id(), "occurred_at": datetime(2026, 11, 20, 5, tzinfo=timezone.utc),
                 "detection_method": DetectionMethod.PATROL, "lat": 43.1, "lon": 131.4}
        incident = create_incident(facts, [], db.session.get(User, reporter_id), status)
        incident.sensitive = sensitive
        db.session.commit()
        return incident.id


@pytest.fixture
def make_incident(app):
    """make_incident(reporter_id, status=submitted, sensitive=False) -> incident id."""

    def make(reporter_id: int, status: IncidentStatus = IncidentStatus.SUBMITTED, sensitive: bool = False) -> int:
        return new_incident(app, reporter_id, status, sensitive)

    return make
