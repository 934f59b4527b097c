"""The columns of the incident exports, declared once: name, kind and where each value comes from.

Both ways an export is written read these declarations: Python over a result set (XLSX, GeoJSON,
and CSV on SQLite, tracker/reports/rows.py) and PostgreSQL's COPY (CSV on PostgreSQL,
tracker/reports/exports/pgcopy.py). A value comes either from an SQL expression over incidents
and their items (`sql`, given the exporting user: positions and place descriptions are what that
user may see, tracker/incidents/visibility.py) or from a reference table's row (`ref`: a name,
slug or code, looked up from a small dictionary in Python and joined in SQL).

The names are a public interface (documented in the README, read by people's spreadsheets and
scripts): add new columns at the end of a group, never rename or reorder. `kind` tells the
writers how to store a value: XLSX keeps numbers and dates typed, CSV formats them as text.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from sqlalchemy import Float, String, case, cast, func, literal, type_coerce
from sqlalchemy.sql.elements import ColumnElement

from tracker.extensions import db
from tracker.incidents import visibility
from tracker.incidents.fields import TRADE_FIELDS
from tracker.localtime import date_sql
from tracker.models import Category, Incident, IncidentItem, Place, Product, Species, User

# Values of `coordinate_precision`: as recorded, or moved to the centre of a 0.1 degree cell.
EXACT, GENERALISED = "exact", "0.1deg"


@dataclass(frozen=True)
class Ref:
    """A value from a reference table: `attribute` of the `model` row that `key` points to;
    'name' is the name in the interface language."""

    key: object
    model: type
    attribute: str


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"  # text | code | int | float | money | quantity | datetime | date
    width: int = 14     # XLSX column width, in characters
    sql: Callable[[User], ColumnElement] | None = None
    ref: Ref | None = None


def _plain(column) -> Callable[[User], ColumnElement]:
    return lambda user: column


def _text(column) -> Callable[[User], ColumnElement]:
    return lambda user: func.coalesce(type_coerce(column, String), literal(""))


def _location_text(user: User) -> ColumnElement:
    """The description as the user may read it, or the marker that it is withheld."""
    return case((visibility.text_withheld_sql(user), literal(visibility.WITHHELD)),
                else_=visibility.location_text_sql(user))


def _precision(user: User) -> ColumnElement:
    return case((Incident.lat.is_(None), literal("")), (visibility.generalised_sql(user), literal(GENERALISED)),
                else_=literal(EXACT))


INCIDENT_COLUMNS = (
    Column("incident_ref", "code", 17, _plain(Incident.ref)),
    Column("occurred_at_utc", "datetime", 19, _plain(Incident.occurred_at)),
    Column("occurred_date", "date", 12, lambda user: date_sql(Incident.occurred_at, db.engine.dialect.name)),
    Column("reported_at_utc", "datetime", 19, _plain(Incident.reported_at)),
    Column("category", "code", 16, ref=Ref(Incident.category_id, Category, "slug")),
    Column("category_name", "text", 22, ref=Ref(Incident.category_id, Category, "name")),
    Column("status", "code", 14, _text(Incident.status)),
    Column("detection_method", "code", 16, _text(Incident.detection_method)),
    Column("country", "code", 8, _text(Incident.country)),
    Column("place", "text", 30, ref=Ref(Incident.place_id, Place, "name")),
    Column("location_text", "text", 30, _location_text),
    Column("lat", "float", 10, visibility.lat_sql),
    Column("lon", "float", 10, visibility.lon_sql),
    Column("coordinate_precision", "code", 10, _precision),
    Column("sensitive", "int", 9, lambda user: case((Incident.sensitive.is_(True), 1), else_=0)),
    Column("description", "text", 50, _plain(Incident.description)),
    Column("reporting_unit", "text", 24, _text(Incident.unit)),
    Column("patrol_ref", "text", 14, _plain(Incident.patrol_ref)),
    Column("suspects", "int", 9, _plain(Incident.suspects)),
    Column("arrests", "int", 9, _plain(Incident.arrests)),
    Column("outcome", "code", 18, _text(Incident.outcome)),
    Column("penalty", "text", 24, _plain(Incident.penalty)),
    Column("estimated_value", "money", 14, _plain(cast(Incident.estimated_value, Float))),
    Column("currency", "code", 8, _text(Incident.currency)),
    *(Column(name, "text", 20 if name in ("seizure_reason", "concealment", "disposal") else 16,
             _plain(getattr(Incident, name))) for name in TRADE_FIELDS),
)

ITEM_COLUMNS = (
    Column("item_no", "int", 8, _plain(IncidentItem.position + 1)),
    Column("product", "code", 14, ref=Ref(IncidentItem.product_id, Product, "slug")),
    Column("product_name", "text", 20, ref=Ref(IncidentItem.product_id, Product, "name")),
    Column("cites_term", "code", 10, ref=Ref(IncidentItem.product_id, Product, "cites_term")),
    Column("species_scientific_name", "text", 28, ref=Ref(IncidentItem.species_id, Species, "scientific_name")),
    Column("species_name", "text", 24, ref=Ref(IncidentItem.species_id, Species, "name")),
    Column("cites_appendix", "code", 9, ref=Ref(IncidentItem.species_id, Species, "cites_appendix")),
    Column("quantity", "quantity", 10, _plain(cast(IncidentItem.quantity, Float))),
    Column("quantity_unit", "code", 9, _plain(IncidentItem.unit)),
    Column("item_notes", "text", 30, _plain(IncidentItem.notes)),
)

CSV_HEADER = [c.name for c in INCIDENT_COLUMNS + ITEM_COLUMNS]
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str | None) -> str | None:
    """Spreadsheets run a cell that starts with = + - @ (or a tab or CR before one) as a formula;
    a leading apostrophe keeps it text (OWASP "CSV injection")."""
    return "'" + text if text and text.startswith(FORMULA_TRIGGERS) else text


def restore(text: str) -> str:
    """The text `neutralise` was given, for the import of an export. A text that itself began
    with an apostrophe before one of the triggers cannot be told apart, and loses the apostrophe."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS) else text


def iso_utc(value) -> str:
    return value.isoformat(timespec="seconds") + "Z"


def plain_quantity(value: float) -> str:
    """12.0 -> '12', 0.125 -> '0.125' (three decimals are stored)."""
    return f"{value:.3f}".rstrip("0").rstrip(".")


def plain_float(value: float) -> str:
    """43.0 -> '43', 43.15 -> '43.15': the shortest text that reads back as the same number, as
    PostgreSQL writes it."""
    text = repr(value)
    return text[:-2] if text.endswith(".0") else text


# How a typed cell becomes text in CSV and GeoJSON (kinds not listed are written as they are).
TEXT_FORMATS = {"datetime": iso_utc, "date": lambda d: d.isoformat(), "money": "{:.2f}".format,
                "quantity": plain_quantity, "float": plain_float}


def formatters(columns, kinds=tuple(TEXT_FORMATS)) -> list[tuple[int, object]]:
    """(position, function) of the columns whose kind needs formatting."""
    return [(n, TEXT_FORMATS[c.kind]) for n, c in enumerate(columns) if c.kind in kinds]


def formatted(cells: list, fmts) -> list:
    out = list(cells)
    for n, fmt in fmts:
        if out[n] is not None:
            out[n] = fmt(out[n])
    return out
