"""The columns of the incident exports, in one place.

The names are a public interface (documented in the README, read by people's spreadsheets and
scripts): add new columns at the end of a group, never rename or reorder. `kind` tells the
writers how to store a value: XLSX keeps numbers and dates typed, CSV formats them as text.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"  # text | code | int | float | money | quantity | datetime | date
    width: int = 14     # XLSX column width, in characters


INCIDENT_COLUMNS = (
    Column("incident_ref", "code", 17),
    Column("occurred_at_utc", "datetime", 19),
    Column("occurred_date", "date", 12),
    Column("reported_at_utc", "datetime", 19),
    Column("category", "code", 16),
    Column("category_name", "text", 22),
    Column("status", "code", 14),
    Column("detection_method", "code", 16),
    Column("country", "code", 8),
    Column("place", "text", 30),
    Column("location_text", "text", 30),
    Column("lat", "float", 10),
    Column("lon", "float", 10),
    Column("coordinate_precision", "code", 10),
    Column("sensitive", "int", 9),
    Column("description", "text", 50),
    Column("reporting_unit", "text", 24),
    Column("patrol_ref", "text", 14),
    Column("suspects", "int", 9),
    Column("arrests", "int", 9),
    Column("outcome", "code", 18),
    Column("penalty", "text", 24),
    Column("estimated_value", "money", 14),
    Column("currency", "code", 8),
    Column("seizure_reason", "text", 20),
    Column("transport_mode", "text", 16),
    Column("concealment", "text", 20),
    Column("origin_country", "text", 14),
    Column("transit_countries", "text", 16),
    Column("destination_country", "text", 14),
    Column("offender_nationalities", "text", 16),
    Column("disposal", "text", 20),
)

ITEM_COLUMNS = (
    Column("item_no", "int", 8),
    Column("product", "code", 14),
    Column("product_name", "text", 20),
    Column("cites_term", "code", 10),
    Column("species_scientific_name", "text", 28),
    Column("species_name", "text", 24),
    Column("cites_appendix", "code", 9),
    Column("quantity", "quantity", 10),
    Column("quantity_unit", "code", 9),
    Column("item_notes", "text", 30),
)

CSV_HEADER = [c.name for c in INCIDENT_COLUMNS + ITEM_COLUMNS]
# Values of `coordinate_precision`: as recorded, or moved to the centre of a 0.1 degree cell.
EXACT, GENERALISED = "exact", "0.1deg"

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Spreadsheets run a cell that starts with = + - @ (or a tab or CR before one) as a formula;
    a leading apostrophe keeps it text (OWASP "CSV injection")."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def as_is(text: str) -> str:
    return text


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
