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

The statement runs in a process of its own (tracker/processes.py) at a lower CPU priority. In the
app's process those per-row Python calls need its one interpreter lock, which every request
needs too: a year's CSV held up the rangers' submissions and the dashboards (p95 1.3-2.5 s under
bench/load.py) and itself took a minute.
"""
from __future__ import annotations

import sqlite3
from typing import Iterator

from flask import current_app
from sqlalchemy import String, cast, func, literal

from tracker import processes
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
    path = db.engine.url.database
    sql, parameters = _compiled(line_statement(f, user, locale))
    busy_timeout = current_app.config["SQLITE_BUSY_TIMEOUT_MS"]
    for chunk in _lines_elsewhere(path, sql, parameters, busy_timeout):
        tally.rows += chunk.count(b"\n")
        yield chunk


def _compiled(statement) -> tuple[str, list]:
    """The statement's SQL and its parameters as the sqlite3 module takes them (each bound value
    through its type's processor, as an execution would send it)."""
    compiled = statement.compile(dialect=db.engine.dialect, compile_kwargs={"render_postcompile": True})
    values, processors = compiled.construct_params(), compiled._bind_processors
    return compiled.string, [processors[name](values[name]) if name in processors else values[name]
                             for name in compiled.positiontup]


def _lines_elsewhere(path: str, sql: str, parameters: list, busy_timeout: int) -> Iterator[bytes]:
    with processes.started(_write_lines, (path, sql, parameters, busy_timeout), "sqlite-csv") as (receiving, child):
        while True:
            try:
                yield receiving.recv_bytes()
            except EOFError:
                break
        child.join()
        if child.exitcode != 0:
            raise RuntimeError(f"the CSV process ended with {child.exitcode}")


def _write_lines(path: str, sql: str, parameters: list, busy_timeout: int, sending) -> None:
    """In the export's own process: the lines in chunks of BATCH through `sending`."""
    from tracker.database import configure_sqlite_connection

    processes.yield_the_cpu()
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        configure_sqlite_connection(connection, busy_timeout)
        _register_formats(connection)
        cursor = connection.execute(sql, parameters)
        while lines := cursor.fetchmany(BATCH):
            sending.send_bytes(("\n".join(line for (line,) in lines) + "\n").encode("utf-8"))
    finally:
        connection.close()
        sending.close()
