"""What each incident adds to the dashboards, as one SQL statement.

Every dashboard number is a sum of these contributions, whether it is read from the rollups or
counted live, and the rollups are rebuilt and kept current from the very same statement, so the
two paths cannot drift apart. A row is (category, status, country, place, dimension, month,
value) with the number of incidents, the quantity in thousandths and the arrests.

"By product" counts incidents having that product, not item rows: an incident with two bags of
bones counts once, and its quantities add up per unit of measure, never across units.
"""
from __future__ import annotations

from typing import Callable

from sqlalchemy import BigInteger, Select, String, cast, func, literal_column, select, union_all
from sqlalchemy.sql.elements import ColumnElement

from tracker.localtime import month_sql
from tracker.models import NO_PLACE, Incident, IncidentItem

Restrict = Callable[[Select], Select]
KEY_NAMES = ("category_id", "status", "country", "place_id", "dimension", "month", "value")
AMOUNT_NAMES = ("incidents", "quantity_milli", "arrests")
# Dimensions with one value per incident; the rest have one per distinct item value.
INCIDENT_DIMENSIONS = ("status", "place", "country", "detection")
ITEM_DIMENSIONS = ("product", "product_unit", "species", "species_unit")
DIMENSIONS = INCIDENT_DIMENSIONS + ITEM_DIMENSIONS
# Constants are literal SQL: PostgreSQL matches a grouped expression to the selected one only
# if they are written the same, which two bound parameters are not.
ZERO = cast(literal_column("0"), BigInteger)


def _text(column) -> ColumnElement[str]:
    return cast(column, String(40))


def scoped_incidents(dialect_name: str, restrict: Restrict):
    """The incidents concerned, read once (a materialised CTE): the incidents table is wide, and
    every dimension would otherwise fetch the same rows again."""
    stmt = select(
        Incident.id, Incident.category_id, _text(Incident.status).label("status"),
        func.coalesce(Incident.country, literal_column("''")).label("country"),
        func.coalesce(Incident.place_id, literal_column(str(NO_PLACE))).label("place_id"),
        month_sql(Incident.occurred_at, dialect_name).label("month"),
        _text(Incident.detection_method).label("detection"), Incident.arrests)
    return restrict(stmt).cte("scoped").prefix_with("MATERIALIZED")


def contributions(dialect_name: str, restrict: Restrict = lambda stmt: stmt, dimensions=DIMENSIONS,
                  fine: bool = True) -> Select:
    """UNION ALL of one grouped SELECT per dimension; `restrict` adds WHERE clauses on incidents
    (the list's filters, a user's scope, or a set of ids). Fine rows carry the status, country and
    place too (for the rollups); coarse ones only the category and month (a live dashboard)."""
    scoped = scoped_incidents(dialect_name, restrict)
    key_names = [name for name in KEY_NAMES if fine or name in ("category_id", "dimension", "month", "value")]
    item = IncidentItem.__table__.c
    items = select(scoped, item.product_id, item.species_id, item.unit,
                   cast(func.round(item.quantity * literal_column("1000")), BigInteger).label("milli")) \
        .join_from(scoped, IncidentItem.__table__, item.incident_id == scoped.c.id) \
        .cte("scoped_items").prefix_with("MATERIALIZED")
    by_unit = literal_column("':'", String) + items.c.unit
    values = {
        "status": scoped.c.status, "place": _text(scoped.c.place_id), "country": scoped.c.country,
        "detection": scoped.c.detection, "product": _text(items.c.product_id),
        "product_unit": _text(items.c.product_id) + by_unit, "species": _text(items.c.species_id),
        "species_unit": _text(items.c.species_id) + by_unit,
    }
    parts = []
    for dimension in dimensions:
        per_item = dimension in ITEM_DIMENSIONS
        source = items if per_item else scoped
        named = {name: source.c[name] for name in key_names if name in source.c}
        grouped = [*named.values(), values[dimension]]
        named.update(
            dimension=literal_column(f"'{dimension}'", String(20)), value=values[dimension],
            incidents=func.count(source.c.id.distinct()) if per_item else func.count(source.c.id),
            quantity_milli=cast(func.sum(items.c.milli), BigInteger) if dimension.endswith("_unit") else ZERO,
            arrests=cast(func.sum(scoped.c.arrests), BigInteger) if dimension == "status" else ZERO)
        stmt = select(*(named[name].label(name) for name in (*key_names, *AMOUNT_NAMES)))
        if dimension.startswith("species"):
            stmt = stmt.where(items.c.species_id.is_not(None))
        parts.append(stmt.group_by(*grouped))
    return union_all(*parts)
