"""The rows of the incident exports: one column `Select` over incidents and their items, read
through a server-side cursor, turned into typed cells in the order of `columns.py`.

Columns, not ORM entities (an entity per row costs 5-12x), and reference names from small
dictionaries rather than joins. The statement's shape depends only on which filters are set,
so SQLAlchemy's statement cache serves every export after the first.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Iterator

from sqlalchemy import Float, Select, String, cast, func, select, type_coerce

from tracker.extensions import db
from tracker.incidents.filters import IncidentFilters
from tracker.incidents.locations import generalise
from tracker.incidents.queries import SORT_COLUMNS, apply_filters, count_incidents, visible_to
from tracker.localtime import local_date
from tracker.models import Category, Incident, IncidentItem, Place, Product, Species, User
from tracker.reports.columns import EXACT, GENERALISED, as_is, neutralise

TRADE_FIELDS = (Incident.seizure_reason, Incident.transport_mode, Incident.concealment, Incident.origin_country,
                Incident.transit_countries, Incident.destination_country, Incident.offender_nationalities,
                Incident.disposal)
SELECTED = (
    Incident.id, Incident.ref, Incident.occurred_at, Incident.reported_at, Incident.category_id,
    type_coerce(Incident.status, String), type_coerce(Incident.detection_method, String), Incident.country,
    Incident.place_id, Incident.location_text, Incident.lat, Incident.lon, Incident.sensitive, Incident.description,
    Incident.unit, Incident.patrol_ref, Incident.suspects, Incident.arrests, type_coerce(Incident.outcome, String),
    Incident.penalty, cast(Incident.estimated_value, Float), Incident.currency, *TRADE_FIELDS,
    IncidentItem.id, IncidentItem.position, IncidentItem.product_id, IncidentItem.species_id,
    cast(IncidentItem.quantity, Float), IncidentItem.unit, IncidentItem.notes,
)
BATCH = 2000


def _joined(*columns) -> Select:
    return select(*columns).select_from(Incident).outerjoin(IncidentItem, IncidentItem.incident_id == Incident.id)


def export_stmt(f: IncidentFilters, user: User, columns=SELECTED) -> Select:
    """One row per item (or per incident without items), in the list's order, items in order."""
    column = SORT_COLUMNS.get(f.sort, Incident.occurred_at)
    stmt = visible_to(apply_filters(_joined(*columns), f), user)
    return stmt.order_by(column.desc(), Incident.id.desc(), IncidentItem.position, IncidentItem.id)


@dataclass(frozen=True)
class Counts:
    incidents: int
    items: int
    rows: int  # CSV rows: one per item, plus one per incident without items


def export_counts(f: IncidentFilters, user: User) -> Counts:
    rows, items = db.session.execute(visible_to(apply_filters(
        _joined(func.count(), func.count(IncidentItem.id)), f), user)).one()
    return Counts(count_incidents(f, user), items, rows)


def utc_naive(value: datetime) -> datetime:
    """SQLite gives naive UTC datetimes, PostgreSQL aware ones: both become naive UTC."""
    return value.astimezone(timezone.utc).replace(tzinfo=None) if value.tzinfo else value


class RecordBuilder:
    """Turns result rows into (incident cells, item cells or None); `spreadsheet` neutralises
    text against formula injection, `exact` keeps sensitive coordinates as recorded."""

    def __init__(self, exact: bool, spreadsheet: bool):
        clean: Callable[[str], str] = neutralise if spreadsheet else as_is
        self.exact, self.clean = exact, clean
        self.categories = {c.id: (c.slug, clean(c.name)) for c in db.session.scalars(select(Category))}
        self.places = {p.id: clean(p.name) for p in db.session.scalars(select(Place))}
        self.products = {p.id: (p.slug, clean(p.name), p.cites_term or "") for p in db.session.scalars(select(Product))}
        self.species = {s.id: (clean(s.scientific_name), clean(s.name), s.cites_appendix or "")
                        for s in db.session.scalars(select(Species))}
        self.generalised_rows = 0

    def incident(self, row) -> list:
        (_id, ref, occurred, reported, category_id, status, detection, country, place_id, location_text, lat, lon,
         sensitive, description, unit, patrol_ref, suspects, arrests, outcome, penalty, value, currency) = row[:22]
        clean = self.clean
        occurred = utc_naive(occurred)
        precision = ""
        if lat is not None and lon is not None:
            precision = EXACT
            if sensitive and not self.exact:
                lat, lon, precision = generalise(lat), generalise(lon), GENERALISED
                self.generalised_rows += 1
        category = self.categories.get(category_id, ("", ""))
        return [ref, occurred, local_date(occurred), utc_naive(reported), category[0], category[1], status,
                detection, country or "", self.places.get(place_id, ""), location_text and clean(location_text),
                lat, lon, precision, int(bool(sensitive)), description and clean(description), unit and clean(unit),
                patrol_ref and clean(patrol_ref), suspects, arrests, outcome or "", penalty and clean(penalty), value,
                currency or "", *[v and clean(v) for v in row[22:30]]]

    def item(self, row) -> list | None:
        item_id, position, product_id, species_id, quantity, unit, notes = row[30:]
        if item_id is None:
            return None
        product = self.products.get(product_id, ("", "", ""))
        species = self.species.get(species_id, ("", "", ""))
        return [position + 1, *product, *species, quantity, unit, notes and self.clean(notes)]


def records(f: IncidentFilters, user: User, builder: RecordBuilder) -> Iterator[tuple[list, list | None]]:
    """(incident cells, item cells) per row; consecutive items share one incident list."""
    connection = db.session.connection().execution_options(yield_per=BATCH)  # Core rows: no ORM loading
    result = connection.execute(export_stmt(f, user))
    try:
        last_id, incident = None, None
        for partition in result.partitions():  # rows made a batch at a time, not one fetch per row
            for row in partition:
                if row[0] != last_id:
                    last_id, incident = row[0], builder.incident(row)
                yield incident, builder.item(row)
    finally:
        result.close()

