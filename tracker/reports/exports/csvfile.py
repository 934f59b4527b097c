"""CSV: UTF-8 (optionally with a byte-order mark, which Excel needs to read UTF-8), a header row,
RFC 4180 quoting, lines ending in LF, streamed in chunks of about 64 KB so memory stays flat at
any size."""
from __future__ import annotations

import csv
import io
from typing import Iterable, Iterator

from tracker.reports.columns import CSV_HEADER

CHUNK = 64 * 1024
LINE_END = "\n"  # as PostgreSQL's COPY writes it (exports/pgcopy.py)


def _writer(buffer: io.StringIO):
    """Every text cell in quotes: with LF line ends a lone CR would otherwise stay unquoted, and
    a reader that breaks lines at CR would see a row the data never had."""
    return csv.writer(buffer, lineterminator=LINE_END, quoting=csv.QUOTE_NONNUMERIC)


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
