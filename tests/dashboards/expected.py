"""An independent recount of a dashboard in plain Python over ORM rows, for the tests: it shares
no SQL, no filter code and no month arithmetic with the app (zoneinfo does the months)."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.extensions import db
from tracker.models import Incident, Place, PlaceKind, Role, User, aware

ZONE = ZoneInfo("Asia/Vladivostok")
OPEN = {"draft", "submitted", "verified", "under_investigation"}
VERIFIED = {"verified", "under_investigation", "closed"}
GROUPS = {"open": OPEN, "verified-or-later": VERIFIED}


def local_day(incident: Incident) -> date:
    return aware(incident.occurred_at).astimezone(ZONE).date()


def month_of(incident: Incident) -> int:
    day = local_day(incident)
    return day.year * 100 + day.month


def matching(user: User, category_id: int | None = None, status=None, country=None, place=None, species=None,
             date_from=None, date_to=None) -> list[Incident]:
    places = {p.id: p for p in db.session.scalars(select(Place))}
    statuses = GROUPS.get(status, {status})
    result = []
    for incident in db.session.scalars(select(Incident).options(selectinload(Incident.items))):
        checks = [
            category_id is None or incident.category_id == category_id,
            status is None or incident.status.value in statuses,
            country is None or incident.country == country,
            place is None or incident.place_id == place or (
                incident.place_id is not None and places[incident.place_id].parent_id == place),
            species is None or any(item.species_id == species for item in incident.items),
            date_from is None or local_day(incident) >= date_from,
            date_to is None or local_day(incident) <= date_to,
            user.role is not Role.RANGER or incident.unit == user.unit,
        ]
        if all(checks):
            result.append(incident)
    return result


def figures(incidents: list[Incident]) -> dict:
    """Every number of a category dashboard over these incidents."""
    places = {p.id: p for p in db.session.scalars(select(Place))}
    areas, regions = Counter(), Counter()
    products, species = Counter(), Counter()
    quantities, product_units, species_units = defaultdict(Decimal), defaultdict(Decimal), defaultdict(Decimal)
    for incident in incidents:
        place = places.get(incident.place_id)
        if place is not None and place.kind is PlaceKind.PROTECTED_AREA:
            areas[place.id] += 1
            regions[place.parent_id or 0] += 1
        else:
            regions[place.id if place else 0] += 1
        products.update({item.product_id for item in incident.items})
        species.update({item.species_id for item in incident.items if item.species_id})
        for item in incident.items:
            quantities[item.unit] += Decimal(item.quantity)
            product_units[(item.product_id, item.unit)] += Decimal(item.quantity)
            if item.species_id:
                species_units[(item.species_id, item.unit)] += Decimal(item.quantity)
    return {
        "incidents": len(incidents),
        "arrests": sum(i.arrests for i in incidents),
        "verified": sum(i.status.value in VERIFIED for i in incidents),
        "quantities": dict(quantities),
        "trend": Counter(month_of(i) for i in incidents),
        "status": Counter(i.status.value for i in incidents),
        "detection": Counter(i.detection_method.value for i in incidents),
        "country": Counter(i.country or "" for i in incidents),
        "protected_area": areas, "region": regions, "products": products, "species": species,
        "product_units": dict(product_units), "species_units": dict(species_units),
    }
