"""CSV: UTF-8 (optionally with a byte-order mark, which Excel needs to read UTF-8), a header row,
RFC 4180 quoting, lines ending in LF, streamed in chunks of about 64 KB so memory stays flat at
any size."""
from __future__ import annotations

import csv
import io
from typing import Iterable, Iterator

from tracker.reports.columns import CSV_HEADER, INCIDENT_COLUMNS, ITEM_COLUMNS, formatted, formatters
from tracker.reports.exports import Tally

CHUNK = 64 * 1024
LINE_END = "\n"  # as PostgreSQL's COPY writes it (exports/pgcopy.py)


def _writer(buffer: io.StringIO, end: str = LINE_END):
    """Every text cell in quotes: with LF line ends a lone CR would otherwise stay unquoted, and
    a reader that breaks lines at CR would see a row the data never had."""
    return csv.writer(buffer, lineterminator=end, quoting=csv.QUOTE_NONNUMERIC)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def header_line(names: list[str], bom: bool = False) -> bytes:
    """The header row (after a UTF-8 byte-order mark, which Excel needs to read UTF-8)."""
    buffer = io.StringIO("\ufeff" if bom else "")
    buffer.seek(0, io.SEEK_END)
    csv.writer(buffer, lineterminator=LINE_END).writerow(names)
    return buffer.getvalue().encode("utf-8")


def csv_header(bom: bool = False) -> bytes:
    return header_line(CSV_HEADER, bom)


def csv_chunks(header: list[str], rows: Iterable[list], bom: bool = False) -> Iterator[bytes]:
    """The header at once (the download starts), then the rows in chunks."""
    yield header_line(header, bom)
    buffer = io.StringIO()
    writer = _writer(buffer)
    for row in rows:
        writer.writerow(row)
        if buffer.tell() > CHUNK:
            yield _drain(buffer).encode("utf-8")
    yield _drain(buffer).encode("utf-8")


def incidents_csv(records, tally: Tally, bom: bool = False) -> Iterator[bytes]:
    """One row per item with its incident's columns repeated; an incident without items gives one
    row with empty item columns.

    An incident's columns are quoted once into a text fragment (ending in a comma) that every
    row of its items starts with: the CSV writer is the costliest step per row.
    """
    incident_fmt = formatters(INCIDENT_COLUMNS)
    (quantity_at, quantity_fmt), = formatters(ITEM_COLUMNS)
    no_item = [""] * len(ITEM_COLUMNS)
    yield csv_header(bom)
    buffer, head_buffer = io.StringIO(), io.StringIO()
    writer, head_writer = _writer(buffer), _writer(head_buffer, end=",")
    last, head = None, ""
    for incident, item in records:
        if incident is not last:
            head_writer.writerow(formatted(incident, incident_fmt))
            last, head = incident, _drain(head_buffer)
            tally.incidents += 1
        buffer.write(head)
        if item is None:
            writer.writerow(no_item)
        else:
            item = item.copy()
            item[quantity_at] = quantity_fmt(item[quantity_at])
            writer.writerow(item)
            tally.items += 1
        tally.rows += 1
        if buffer.tell() > CHUNK:
            yield _drain(buffer).encode("utf-8")
    yield _drain(buffer).encode("utf-8")
