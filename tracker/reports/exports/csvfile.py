"""CSV: UTF-8 (optionally with a byte-order mark, which Excel needs to read UTF-8), a header row,
RFC 4180 quoting, streamed in chunks of about 64 KB so memory stays flat at any size."""
from __future__ import annotations

import csv
import io
from typing import Iterable, Iterator

from tracker.reports.columns import CSV_HEADER, INCIDENT_COLUMNS, ITEM_COLUMNS, formatted, formatters
from tracker.reports.exports import Tally

CHUNK = 64 * 1024


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def csv_chunks(header: list[str], rows: Iterable[list], bom: bool = False) -> Iterator[bytes]:
    """The header at once (the download starts), then the rows in chunks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield (("\ufeff" if bom else "") + _drain(buffer)).encode("utf-8")
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
    buffer, head_buffer = io.StringIO(), io.StringIO()
    writer, head_writer = csv.writer(buffer), csv.writer(head_buffer, lineterminator=",")
    writer.writerow(CSV_HEADER)
    yield (("\ufeff" if bom else "") + _drain(buffer)).encode("utf-8")
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
