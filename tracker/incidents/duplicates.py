"""Possible duplicates: the same event recorded twice (two patrols, a ranger and an informant).

A hint, never a block: same category, a shared product, within 5 km and 2 days. Hints go through
the visibility layer like the list: only incidents the user may see, and distances between the
positions the user may see (a hint must not place a sensitive incident closer than its cell).
"""
from __future__ import annotations

import math
from datetime import timedelta

from sqlalchemy import and_, exists, or_, select

from tracker.audit import chain
from tracker.extensions import db
from tracker.incidents import visibility
from tracker.incidents.visibility import visible_to
from tracker.models import DuplicateLink, Incident, IncidentItem, User, aware

RADIUS_KM = 5.0
WINDOW = timedelta(days=2)
EARTH_RADIUS_KM = 6371.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def possible_duplicates(incident: Incident, user: User, limit: int = 10) -> list[Incident]:
    """Candidates `user` may see, from a box on the positions they see, then the distance."""
    here = visibility.shown_place(user, incident)
    if here.lat is None or not incident.items:
        return []
    dlat = RADIUS_KM / 111.0
    dlon = RADIUS_KM / (111.0 * max(math.cos(math.radians(here.lat)), 0.01))
    products = {item.product_id for item in incident.items}
    occurred = aware(incident.occurred_at)
    shared_product = exists().where(IncidentItem.incident_id == Incident.id, IncidentItem.product_id.in_(products))
    stmt = visible_to(select(Incident, visibility.lat_sql(user), visibility.lon_sql(user)).where(
        Incident.id != incident.id, Incident.category_id == incident.category_id,
        visibility.in_box(user, here.lon - dlon, here.lat - dlat, here.lon + dlon, here.lat + dlat),
        Incident.occurred_at.between(occurred - WINDOW, occurred + WINDOW), shared_product), user)
    close = [other for other, lat, lon in db.session.execute(stmt.order_by(Incident.occurred_at).limit(limit * 3))
             if distance_km(here.lat, here.lon, lat, lon) <= RADIUS_KM]
    return close[:limit]


def linked_duplicates(incident: Incident, user: User) -> list[Incident]:
    """Incidents marked as records of the same event, as far as `user` may see them."""
    stmt = select(Incident).where(or_(
        Incident.id.in_(select(DuplicateLink.second_id).where(DuplicateLink.first_id == incident.id)),
        Incident.id.in_(select(DuplicateLink.first_id).where(DuplicateLink.second_id == incident.id))))
    return list(db.session.scalars(visible_to(stmt, user).order_by(Incident.id)))


def mark_duplicates(incident: Incident, other: Incident, user: User) -> bool:
    """Link the two (once, in either order); False if they were linked already."""
    first, second = sorted((incident.id, other.id))
    if db.session.scalar(select(DuplicateLink).where(and_(DuplicateLink.first_id == first,
                                                          DuplicateLink.second_id == second))):
        return False
    db.session.add(DuplicateLink(first_id=first, second_id=second, marked_by_id=user.id))
    for this, that in ((incident, other), (other, incident)):
        chain.record("duplicate", user, "incident", this.id, this.id, {"duplicate_of": that.ref})
    return True
