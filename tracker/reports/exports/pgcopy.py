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

from sqlalchemy import DateTime, Numeric, String, case, cast, func, literal, select

from tracker.extensions import db
from tracker.incidents.filters import IncidentFilters
from tracker.models import User
from tracker.reports.columns import FORMULA_TRIGGERS, INCIDENT_COLUMNS, ITEM_COLUMNS, Column
from tracker.reports.exports import Tally
from tracker.reports.rows import export_stmt

CHUNK = 64 * 1024
# ISO dates whatever the server's DateStyle; the plan that streams (see above); and no JIT, whose
# compiling of the ~40 expressions would hold back the first rows by half a second.
SETTINGS = ("SET LOCAL DateStyle = 'ISO, YMD'", "SET LOCAL enable_sort = off", "SET LOCAL enable_hashjoin = off",
            "SET LOCAL enable_mergejoin = off", "SET LOCAL jit = off")
TRIGGER_CODES = [ord(c) for c in FORMULA_TRIGGERS]
COLUMNS = INCIDENT_COLUMNS + ITEM_COLUMNS


def _clean(text):
    """SQL twin of columns.neutralise (ascii() of the first character: cheaper than a substring)."""
    return case((func.ascii(text).in_(TRIGGER_CODES), literal("'") + text), else_=text)


def _name(model, locale: str):
    """SQL twin of LocalizedNameMixin.name."""
    column = getattr(model, f"name_{locale}", None)
    return model.name_en if column is None or locale == "en" else func.coalesce(func.nullif(column, ""), model.name_en)


def _iso_utc(instant):
    """2025-03-14T23:30:00Z, as columns.iso_utc (a cast to text is much cheaper than to_char)."""
    utc = func.timezone("UTC", instant, type_=DateTime)
    return func.replace(cast(func.date_trunc("second", utc), String), " ", "T") + "Z"


# SQL twins of columns.TEXT_FORMATS and of the neutralising of text (kinds not listed: as they are).
KIND_TEXT = {"datetime": _iso_utc, "text": _clean, "money": lambda value: cast(value, Numeric(14, 2)),
             "quantity": lambda value: func.trim_scale(cast(value, Numeric(14, 3)))}


def _references(locale: str) -> dict:
    """Per reference table, a subquery of the values the columns name, already localised and
    neutralised: done once per reference row rather than once per exported row."""
    wanted: dict[type, list[Column]] = {}
    for column in COLUMNS:
        if column.ref:
            wanted.setdefault(column.ref.model, []).append(column)

    def value(column: Column):
        model, attribute = column.ref.model, column.ref.attribute
        text = _name(model, locale) if attribute == "name" else getattr(model, attribute)
        return (_clean(text) if column.kind == "text" else text).label(column.name)

    return {model: select(model.id, *(value(c) for c in columns)).subquery()
            for model, columns in wanted.items()}


def copy_statement(f: IncidentFilters, user: User, locale: str):
    """The CSV's cells as text, in the declared order, over export_stmt's rows."""
    references = _references(locale)
    keys = {}
    cells = []
    for column in COLUMNS:
        if column.ref:
            keys[column.ref.model] = column.ref.key
            cell = references[column.ref.model].c[column.name]
        else:
            cell = KIND_TEXT.get(column.kind, lambda value: value)(column.sql(user))
        cells.append(cell.label(column.name))
    stmt = export_stmt(f, user, cells)
    for model, subquery in references.items():
        stmt = stmt.outerjoin(subquery, subquery.c.id == keys[model])
    return stmt


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

