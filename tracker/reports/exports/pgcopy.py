"""The incident CSV on PostgreSQL, written by the database: `COPY (SELECT ...) TO STDOUT` of a
statement whose columns are the CSV's cells as text, streamed through as it arrives.

Formatting a row in Python costs more than PostgreSQL takes to produce it (COPY dumps about four
times as many rows a second as any Python loop over a cursor), so the cells are SQL text made from
the declared columns (sqltext.py); SQLite writes its lines the same way (sqlitecsv.py). The tests
run on both databases and expect the same cells.

A COPY is not a cursor, so the planner would sort the whole export before sending its first row
(3.5 s at a million incidents). Disabling sorts and hash and merge joins for this one transaction
makes it walk the (occurred_at, id) index instead: the first rows leave within milliseconds, for
about a third more total time.
"""
from __future__ import annotations

from typing import Iterator

from sqlalchemy import DateTime, Numeric, String, cast, func

from tracker.extensions import db
from tracker.incidents.filters import IncidentFilters
from tracker.models import User
from tracker.reports.columns import Column
from tracker.reports.exports import Tally
from tracker.reports.exports.sqltext import COLUMNS, cells, neutralised, text_statement

CHUNK = 64 * 1024
# ISO dates whatever the server's DateStyle; the plan that streams (see above); and no JIT, whose
# compiling of the ~40 expressions would hold back the first rows by half a second.
SETTINGS = ("SET LOCAL DateStyle = 'ISO, YMD'", "SET LOCAL enable_sort = off", "SET LOCAL enable_hashjoin = off",
            "SET LOCAL enable_mergejoin = off", "SET LOCAL jit = off")


def _iso_utc(instant):
    """2025-03-14T23:30:00Z, as columns.iso_utc (a cast to text is much cheaper than to_char)."""
    utc = func.timezone("UTC", instant, type_=DateTime)
    return func.replace(cast(func.date_trunc("second", utc), String), " ", "T") + "Z"


# SQL twins of columns.TEXT_FORMATS and of the neutralising of text (kinds not listed: as they
# are; COPY writes floats as their shortest exact text, as columns.plain_float does).
KIND_TEXT = {"datetime": _iso_utc, "text": neutralised, "money": lambda value: cast(value, Numeric(14, 2)),
             "quantity": lambda value: func.trim_scale(cast(value, Numeric(14, 3)))}


def _as_text(column: Column, value):
    return KIND_TEXT.get(column.kind, lambda same: same)(value)


def copy_statement(f: IncidentFilters, user: User, locale: str):
    """The CSV's cells as text, in the declared order, over export_stmt's rows."""
    columns, joins = cells(user, locale, _as_text)
    labelled = [cell.label(column.name) for cell, column in zip(columns, COLUMNS, strict=True)]
    return text_statement(f, user, labelled, joins)


def postgres_csv(f: IncidentFilters, user: User, locale: str, tally: Tally, header: bytes) -> Iterator[bytes]:
    """`header` at once, then the database's CSV in chunks of about 64 KB. `tally.rows` counts
    lines sent, and is the database's row count once the COPY has finished."""
    yield header
    compiled = copy_statement(f, user, locale).compile(
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

