"""The incident CSV on SQLite, written by the database: a statement whose one column is the CSV
line of each row, joined by Python into chunks as the cursor hands them over.

SQLite has no COPY, but one printf() per row writes the line far faster than a Python loop formats
cells: over HTTP the Python writer gave about a quarter of `sqlite3 -csv`'s rate. The lines are exactly what
Python's csv writer (QUOTE_NONNUMERIC, as csvfile.py writes every other CSV) made of the same
cells: text in double quotes with quotes doubled, integers bare, and NULL (a missing value, the
item cells of an incident without items) as an empty quoted text, "".

SQLite's own float-to-text gives 15 significant digits, and its printf is not correctly rounded,
so the numbers that columns.TEXT_FORMATS formats (positions, money, quantities) are formatted by
those very Python functions, registered on the connection as SQL functions: one rule, called by
the database.
"""
from __future__ import annotations

from typing import Iterator

from sqlalchemy import String, cast, func, literal

from tracker.extensions import db
from tracker.incidents.filters import IncidentFilters
from tracker.models import User
from tracker.reports.columns import TEXT_FORMATS, Column
from tracker.reports.exports import Tally
from tracker.reports.exports.sqltext import COLUMNS, cells, neutralised, text_statement

BATCH = 500  # lines per chunk: about 200 KB
PYTHON_FORMATS = ("float", "money", "quantity")  # formatted by columns.TEXT_FORMATS, see above


def _sql_function(kind: str) -> str:
    return f"export_{kind}"


def _null_safe(fmt):
    return lambda value: None if value is None else fmt(value)


def _register_formats(dbapi_connection) -> None:
    for kind in PYTHON_FORMATS:
        dbapi_connection.create_function(_sql_function(kind), 1, _null_safe(TEXT_FORMATS[kind]), deterministic=True)


def _iso_utc(stored):
    """SQL twin of columns.iso_utc over SQLite's stored text ('2025-03-14 23:30:00.000000')."""
    return func.replace(func.substr(stored, 1, 19, type_=String), " ", "T", type_=String) + literal("Z")


# Each cell's text, before quoting (kinds not listed: as they are).
KIND_TEXT = {
    "text": neutralised,
    "int": lambda value: cast(value, String),
    "datetime": _iso_utc,
    **{kind: (lambda value, kind=kind: getattr(func, _sql_function(kind))(value, type_=String))
       for kind in PYTHON_FORMATS},
}
# How csv.writer writes a cell: in double quotes with quotes doubled (printf's %w), or a bare
# integer; NULL as "" either way.
QUOTED, BARE = '"%w"', "%s"


def _as_text(column: Column, value):
    return KIND_TEXT.get(column.kind, lambda same: same)(value)


def line_statement(f: IncidentFilters, user: User, locale: str):
    """One column: each row's CSV line (without its line end), in export_stmt's order. One printf
    writes the line into one buffer (joining ~40 cells with || copies the growing line each time)."""
    columns, joins = cells(user, locale, _as_text)
    formats = [BARE if column.kind == "int" else QUOTED for column in COLUMNS]
    arguments = [func.coalesce(cell, literal('""' if fmt == BARE else ""))
                 for cell, fmt in zip(columns, formats, strict=True)]
    line = func.printf(",".join(formats), *arguments, type_=String)
    return text_statement(f, user, [line.label("line")], joins)


def sqlite_csv(f: IncidentFilters, user: User, locale: str, tally: Tally, header: bytes) -> Iterator[bytes]:
    """`header` at once, then the lines in chunks of BATCH; `tally.rows` counts the lines sent."""
    yield header
    connection = db.session.connection()
    _register_formats(connection.connection.driver_connection)
    result = connection.execution_options(yield_per=BATCH).execute(line_statement(f, user, locale))
    try:
        for lines in result.scalars().partitions():
            tally.rows += len(lines)
            lines.append("")
            yield "\n".join(lines).encode("utf-8")
    finally:
        result.close()
