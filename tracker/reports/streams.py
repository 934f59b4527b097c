"""The bodies of the streamed formats (incident CSV and GeoJSON, CITES CSV): byte chunks made
as the rows are read, so a download starts at once and memory stays flat at any size. Each keeps
its `Tally` current; the audit event is written with it when the stream ends (provenance.py)."""
from __future__ import annotations

from typing import Iterator

from flask_babel import force_locale, get_locale

from tracker.extensions import db
from tracker.incidents.filters import IncidentFilters
from tracker.incidents.visibility import sees_exact_positions
from tracker.models import User
from tracker.reports.cites import CITES_COLUMNS, CITES_HEADER, CitesSelection, cites_rows
from tracker.reports.columns import formatted, formatters
from tracker.reports.describe import coordinate_policy
from tracker.reports.exports import Tally, csvfile
from tracker.reports.exports.geojson import geojson_chunks
from tracker.reports.exports.pgcopy import postgres_csv
from tracker.reports.exports.sqlitecsv import sqlite_csv
from tracker.reports.rows import RecordBuilder, records

CITES_TEXT = formatters(CITES_COLUMNS)


def incidents_csv(f: IncidentFilters, user: User, tally: Tally, bom: bool = False) -> Iterator[bytes]:
    """Written by the database: PostgreSQL's COPY, SQLite's lines (same cells, tested on both)."""
    write = postgres_csv if db.engine.dialect.name == "postgresql" else sqlite_csv
    return write(f, user, str(get_locale() or "en")[:2], tally, csvfile.csv_header(bom))


def incidents_csv_for_excel(f: IncidentFilters, user: User, tally: Tally) -> Iterator[bytes]:
    """With a UTF-8 byte-order mark, without which Excel reads UTF-8 as a legacy code page."""
    return incidents_csv(f, user, tally, bom=True)


def incidents_geojson(f: IncidentFilters, user: User, tally: Tally) -> Iterator[bytes]:
    return geojson_chunks(records(f, user, RecordBuilder(spreadsheet=False)), tally,
                          coordinate_policy(sees_exact_positions(user)))


def cites_csv(selection: CitesSelection, user: User, tally: Tally) -> Iterator[bytes]:
    def rows():
        with force_locale("en"):  # the Secretariat's language, whatever the interface's
            for row in cites_rows(selection, user):
                tally.rows += 1
                yield formatted(row, CITES_TEXT)

    return csvfile.csv_chunks(CITES_HEADER, rows())
