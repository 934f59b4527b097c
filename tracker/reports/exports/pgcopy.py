"""The incident CSV on PostgreSQL, written by the database: `COPY (SELECT ...) TO STDOUT` of a
statement whose columns are the CSV's cells as text, streamed through as it arrives.

Formatting a row in Python costs more than PostgreSQL takes to produce it (COPY dumps about four
times as many rows a second as any Python loop over a cursor), so on PostgreSQL the SQL twins of
`RecordBuilder` and `incidents_csv` below do the work; on SQLite, which has no COPY, Python does.
The tests run on both databases and expect the same cells.

A COPY is not a cursor, so the planner would sort the whole export before sending its first row
(3.5 s at a million incidents). Disabling sorts and hash and merge joins for this one transaction
makes it walk the (occurred_at, id) index instead: the first rows leave within milliseconds, for
about a third more total time.
"""
from __future__ import annotations

from typing import Iterator

from sqlalchemy import DateTime, Float, Numeric, String, and_, case, cast, func, literal, select, type_coerce

from tracker.extensions import db
from tracker.incidents.filters import IncidentFilters
from tracker.localtime import date_sql
from tracker.models import Category, Incident, IncidentItem, Place, Product, Species, User
from tracker.reports.columns import CSV_HEADER, EXACT, FORMULA_TRIGGERS, GENERALISED
from tracker.reports.exports import Tally
from tracker.reports.rows import TRADE_FIELDS, export_stmt

CHUNK = 64 * 1024
# ISO dates whatever the server's DateStyle; the plan that streams (see above); and no JIT, whose
# compiling of the ~40 expressions would hold back the first rows by half a second.
SETTINGS = ("SET LOCAL DateStyle = 'ISO, YMD'", "SET LOCAL enable_sort = off", "SET LOCAL enable_hashjoin = off",
            "SET LOCAL enable_mergejoin = off", "SET LOCAL jit = off")
TRIGGER_CODES = [ord(c) for c in FORMULA_TRIGGERS]


def _clean(text):
    """SQL twin of columns.neutralise (ascii() of the first character: cheaper than a substring)."""
    return case((func.ascii(text).in_(TRIGGER_CODES), literal("'") + text), else_=text)


def _name(model, locale: str):
    """SQL twin of LocalizedNameMixin.name."""
    column = getattr(model, f"name_{locale}", None)
    return model.name_en if column is None or locale == "en" else func.coalesce(func.nullif(column, ""), model.name_en)


def _utc(instant):
    return func.timezone("UTC", instant, type_=DateTime)


def _iso_utc(instant):
    """2025-03-14T23:30:00Z, as columns.iso_utc (a cast to text is much cheaper than to_char)."""
    return func.replace(cast(func.date_trunc("second", _utc(instant)), String), " ", "T") + "Z"


def _grid(degrees):
    """SQL twin of incidents.locations.generalise."""
    return cast(func.round(cast(func.floor(degrees / 0.1) * 0.1 + 0.05, Numeric), 2), Float)


def _references(locale: str):
    """The reference tables with their names already localised and neutralised: done once per
    reference row rather than once per exported row."""
    return tuple(select(model.id, *extra, _clean(_name(model, locale)).label("name")).subquery()
                 for model, extra in ((Category, [Category.slug]), (Place, []),
                                      (Product, [Product.slug, Product.cites_term]),
                                      (Species, [_clean(Species.scientific_name).label("scientific_name"),
                                                 Species.cites_appendix])))


def copy_statement(f: IncidentFilters, user: User, exact: bool, locale: str):
    """The CSV's cells as text, in CSV_HEADER's order, over export_stmt's rows."""
    category, place, product, species = _references(locale)
    located = and_(Incident.lat.is_not(None), Incident.lon.is_not(None))
    hidden = and_(located, Incident.sensitive.is_(True)) if not exact else literal(False)
    cells = [
        Incident.ref, _iso_utc(Incident.occurred_at),
        date_sql(Incident.occurred_at, "postgresql"), _iso_utc(Incident.reported_at),
        category.c.slug, category.c.name, type_coerce(Incident.status, String),
        type_coerce(Incident.detection_method, String), func.coalesce(Incident.country, ""), place.c.name,
        _clean(Incident.location_text), case((hidden, _grid(Incident.lat)), else_=Incident.lat),
        case((hidden, _grid(Incident.lon)), else_=Incident.lon),
        case((~located, ""), (hidden, GENERALISED), else_=EXACT),
        case((Incident.sensitive.is_(True), "1"), else_="0"), _clean(Incident.description),
        _clean(func.coalesce(Incident.unit, "")), _clean(Incident.patrol_ref), Incident.suspects, Incident.arrests,
        func.coalesce(type_coerce(Incident.outcome, String), ""), _clean(Incident.penalty), Incident.estimated_value,
        func.coalesce(Incident.currency, ""), *[_clean(field) for field in TRADE_FIELDS],
        IncidentItem.position + 1, product.c.slug, product.c.name, product.c.cites_term, species.c.scientific_name,
        species.c.name, species.c.cites_appendix, func.trim_scale(IncidentItem.quantity), IncidentItem.unit,
        _clean(IncidentItem.notes),
    ]
    stmt = export_stmt(f, user, [cell.label(name) for cell, name in zip(cells, CSV_HEADER, strict=True)])
    return (stmt.join(category, category.c.id == Incident.category_id)
            .outerjoin(place, place.c.id == Incident.place_id)
            .outerjoin(product, product.c.id == IncidentItem.product_id)
            .outerjoin(species, species.c.id == IncidentItem.species_id))


def postgres_csv(f: IncidentFilters, user: User, exact: bool, locale: str, tally: Tally,
                 header: bytes) -> Iterator[bytes]:
    """`header` at once, then the database's CSV in chunks of about 64 KB. `tally.rows` counts
    lines sent, and is the database's row count once the COPY has finished."""
    yield header
    compiled = copy_statement(f, user, exact, locale).compile(
        dialect=db.engine.dialect, compile_kwargs={"render_postcompile": True})
    connection = db.session.connection()
    for setting in SETTINGS:
        connection.exec_driver_sql(setting)
    with connection.connection.driver_connection.cursor() as cursor:
        # Values are bound by psycopg (client-side: COPY takes no server-side parameters).
        with cursor.copy(f"COPY ({compiled}) TO STDOUT WITH (FORMAT csv)", compiled.params) as copy:
            buffer = bytearray()
            for data in copy:
                buffer += data
                if len(buffer) > CHUNK:
                    tally.rows += buffer.count(b"\n")
                    yield bytes(buffer)
                    buffer.clear()
        tally.rows += buffer.count(b"\n")
        yield bytes(buffer)
        tally.rows = cursor.rowcount

