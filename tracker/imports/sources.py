"""Reading an import file into incidents with their item rows, as text cells, in file order.

The formats are the export's (tracker/reports/columns.py names the columns): the incident CSV,
one row per item with the incident's columns repeated (the rows of one incident are consecutive),
and the XLSX workbook with the sheets `incidents` and `items` (items linked by `incident_ref`, in
the order of the incidents sheet, as the export writes them).

The kind of a file is judged by its bytes, never by its name: a zip holding an Excel workbook is
XLSX; text without NUL bytes is CSV, which must be UTF-8 (a byte-order mark is allowed). Both are
read as they stream (the CSV line by line, the workbook in openpyxl's read-only mode), so memory
stays flat at any size. XLSX cells come typed and are turned into the text the CSV export writes
for their column, so one reader of text checks both formats.
"""
from __future__ import annotations

import csv
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Iterator

from flask_babel import gettext as _
from openpyxl import load_workbook

from tracker.reports.columns import INCIDENT_COLUMNS, ITEM_COLUMNS, iso_utc, plain_float
from tracker.reports.rows import utc_naive

Problem = tuple[str, str, str]  # where (CSV line, or sheet!row), column, reason

INCIDENT_NAMES = [c.name for c in INCIDENT_COLUMNS]
ITEM_NAMES = [c.name for c in ITEM_COLUMNS]
KINDS = {c.name: c.kind for c in INCIDENT_COLUMNS + ITEM_COLUMNS}
REQUIRED = ("incident_ref", "occurred_at_utc", "category", "status", "detection_method")
# Items are read when a file names their product; their quantity is then needed too.
ITEM_MARKERS = ("product", "product_name")
ITEM_REQUIRED = ("quantity",)
HEAD_BYTES = 8192
# openpyxl holds a workbook's shared strings in memory; the export writes none (inline strings).
MAX_SHARED_STRINGS_BYTES = 256 * 1024 * 1024


class Unreadable(Exception):
    """The file cannot be read on; its problems say why (and where)."""

    def __init__(self, *problems: Problem):
        super().__init__(problems[0][2] if problems else "")
        self.problems = list(problems)


@dataclass
class Row:
    where: str
    cells: dict[str, str]


@dataclass
class SourceIncident:
    row: Row                                   # the incident's columns (and any extra column)
    items: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Source:
    kind: str                                  # csv | xlsx
    columns: list[str]                         # of the incident rows, as the file names them
    ignored: list[str]                         # columns the import does not read
    incidents: Iterator[SourceIncident]
    progress: Callable[[], tuple[int, int]]    # (done, total) in bytes or rows
    missing: list[Problem] = field(default_factory=list)  # columns needed but missing (check_header)


def kind_of(path: Path) -> str:
    """'csv' or 'xlsx', judged by content; Unreadable for anything else."""
    with path.open("rb") as f:
        head = f.read(HEAD_BYTES)
    if not head:
        raise Unreadable(("1", "", _("The file is empty.")))
    if head.startswith(b"PK\x03\x04"):
        if not zipfile.is_zipfile(path) or "xl/workbook.xml" not in _members(path):
            raise Unreadable(("", "", _("This is a zip archive, not an Excel workbook. Upload a CSV or XLSX file.")))
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise Unreadable(("", "", _("Excel 97–2003 workbooks (.xls) are not read. Save the file as .xlsx or as "
                                    "“CSV UTF-8” and upload it again.")))
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Unreadable(("1", "", _("The file is UTF-16 text. Save it as “CSV UTF-8” and upload it again.")))
    if b"\x00" in head:
        raise Unreadable(("", "", _("This is not a CSV or XLSX file.")))
    return "csv"


def _members(path: Path) -> dict[str, zipfile.ZipInfo]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: info for info in archive.infolist()}


def open_source(path: Path, key: str) -> Source:
    return (read_xlsx if kind_of(path) == "xlsx" else read_csv)(path, key)


# --- columns ---------------------------------------------------------------------------------

def check_header(names: list[str], key: str, where: str) -> tuple[list[str], list[Problem]]:
    """The columns the import does not read, and the columns it needs that are missing.

    A missing column is reported once, here, and the rows are still checked for every other
    column, so the report shows all that is wrong at once; the file cannot be imported. Without
    `incident_ref` or the key, or with a column twice, the rows cannot be told apart or read:
    Unreadable."""
    fatal = [(where, name, _("This column appears more than once.")) for name in sorted(set(names))
             if names.count(name) > 1]
    if "incident_ref" not in names:
        fatal.append((where, "incident_ref", _("This column is missing.")))
    if key not in names:
        if key != "incident_ref":
            fatal.append((where, key, _("The key column chosen is not in the file.")))
    elif key in ITEM_NAMES:
        fatal.append((where, key, _("The key must be a column of the incident, not of its items.")))
    if fatal:
        raise Unreadable(*fatal)
    missing = [(where, name, _("This column is missing.")) for name in REQUIRED if name not in names]
    if any(name in names for name in ITEM_MARKERS):
        missing += [(where, name, _("This column is missing: the file lists items.")) for name in ITEM_REQUIRED
                    if name not in names]
    return [name for name in names if name not in KINDS and name != key], missing


# --- CSV -------------------------------------------------------------------------------------

class _Lines:
    """The file's lines decoded as UTF-8, one at a time, counting bytes for the progress bar.

    A line that is not UTF-8 (a file saved in another encoding) is noted with its number and read
    on with the bad bytes replaced, so that every such line, and every other problem of the file,
    is reported at once; the row it belongs to is not imported (`take_bad`)."""

    def __init__(self, path: Path):
        self.path, self.size, self.done = path, path.stat().st_size, 0
        self.bad: list[Problem] = []

    def __iter__(self) -> Iterator[str]:
        with self.path.open("rb") as binary:
            for number, raw in enumerate(binary, 1):
                self.done += len(raw)
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as error:
                    self.bad.append((str(number), "", _(
                        "This line is not UTF-8 text (byte 0x%(byte)02X): the file was saved in another encoding. "
                        "Save it as “CSV UTF-8” and upload it again.", byte=raw[error.start])))
                    text = raw.decode("utf-8", errors="replace")
                yield text.removeprefix("\ufeff") if number == 1 else text

    def take_bad(self) -> list[Problem]:
        """The encoding problems of the lines read so far (each handed out once)."""
        bad, self.bad = self.bad, []
        return bad


def read_csv(path: Path, key: str) -> Source:
    lines = _Lines(path)
    reader = csv.reader(iter(lines))
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise Unreadable(("1", "", str(error))) from None
    if header is None:
        raise Unreadable(("1", "", _("The file is empty.")))
    header_problems = lines.take_bad()
    ignored, missing = check_header(header, key, "1")
    grouping = _CsvGrouping(reader, header, lines)
    return Source("csv", [name for name, _n in grouping.head_at], ignored, grouping.incidents(),
                  lambda: (lines.done, lines.size), header_problems + missing)


class _CsvGrouping:
    """Consecutive rows of one `incident_ref` make one incident, whose columns they all repeat."""

    def __init__(self, reader, header: list[str], lines: _Lines):
        self.reader, self.width, self.lines = reader, len(header), lines
        self.item_at = [(name, header.index(name)) for name in ITEM_NAMES if name in header]
        self.head_at = [(name, n) for n, name in enumerate(header) if name not in ITEM_NAMES]
        self.ref_at = header.index("incident_ref")

    def rows(self) -> Iterator[tuple[str, list[str], list[Problem]]]:
        """(line where the row starts, cells, encoding problems of its lines) of the rows that are
        not blank."""
        start = 2
        try:
            for cells in self.reader:
                where, start = str(start), self.reader.line_num + 1
                bad = self.lines.take_bad()
                if bad or any(cell.strip() for cell in cells):
                    yield where, cells, bad
        except csv.Error as error:
            raise Unreadable((str(start), "", _("This line cannot be read as CSV: %(reason)s",
                                                reason=str(error)))) from None

    def incidents(self) -> Iterator[SourceIncident]:
        current, head = None, None
        for where, cells, bad in self.rows():
            if len(cells) != self.width:
                yield SourceIncident(Row(where, {}), problems=bad or [(where, "", _(
                    "This line has %(cells)d cells, the header %(columns)d.", cells=len(cells), columns=self.width))])
                continue
            ref, row_head = cells[self.ref_at], [cells[n] for _name, n in self.head_at]
            if current is None or not ref or ref != current.row.cells["incident_ref"]:
                if current is not None:
                    yield current
                current, head = SourceIncident(Row(where, dict(zip((n for n, _i in self.head_at), row_head,
                                                                   strict=True)))), row_head
            elif row_head != head:
                differing = next(name for (name, _n), a, b in zip(self.head_at, row_head, head, strict=True) if a != b)
                current.problems.append((where, differing, _(
                    "The incident's columns must repeat those of line %(line)s, its first row.",
                    line=current.row.where)))
            current.problems += bad
            item = {name: cells[n] for name, n in self.item_at}
            if any(value.strip() for value in item.values()):
                current.items.append(Row(where, item))
        if current is not None:
            yield current


# --- XLSX ------------------------------------------------------------------------------------

# Characters XML cannot hold (a CR, other control characters) are written into workbooks as
# `_xHHHH_`, and an underscore before such text as `_x005F_`; openpyxl hands them on as they are.
OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def cell_text(value, kind: str | None) -> str:
    """A typed cell as the CSV export writes its column (columns.TEXT_FORMATS); dates and times
    are naive UTC, as the export writes them, and kept to the second."""
    if value is None:
        return ""
    if isinstance(value, str):
        return OOXML_ESCAPE.sub(lambda match: chr(int(match[1], 16)), value) if "_x" in value else value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return value.date().isoformat() if kind == "date" else iso_utc(utc_naive(value))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return plain_float(value)
    return str(value)


def _sheets(book, name: str) -> list:
    """`name`, then the sheets the export continues it in past Excel's row limit (`name 2`, ...)."""
    numbered = {1 if title == name else int(title.rsplit(" ", 1)[1]): title for title in book.sheetnames
                if title == name or re.fullmatch(rf"{re.escape(name)} \d+", title)}
    return [book[numbered[n]] for n in sorted(numbered)]


class _SheetRows:
    """The rows of a sheet and its continuations as text cells by column name, and a count of
    rows read for the progress bar."""

    def __init__(self, sheets: list, counter: list[int]):
        self.sheets, self.counter = sheets, counter
        first = next(sheets[0].iter_rows(max_row=1, values_only=True), ()) if sheets else ()
        self.header = [cell_text(v, None).strip() for v in first]
        while self.header and not self.header[-1]:
            self.header.pop()

    def __iter__(self) -> Iterator[Row]:
        width = len(self.header)
        kinds = [KINDS.get(name) for name in self.header]
        for sheet in self.sheets:
            rows = sheet.iter_rows(values_only=True)
            header = [cell_text(v, None).strip() for v in next(rows, ())][:width]
            if header != self.header:
                raise Unreadable((f"{sheet.title}!1", "", _("This sheet's header differs from the first sheet's.")))
            for number, values in enumerate(rows, 2):
                self.counter[0] += 1
                values = (tuple(values) + (None,) * width)[:width]
                if any(v is not None and str(v).strip() for v in values):
                    yield Row(f"{sheet.title}!{number}", {name: cell_text(v, kind) for name, v, kind
                                                          in zip(self.header, values, kinds, strict=True)})


def read_xlsx(path: Path, key: str) -> Source:
    shared = _members(path).get("xl/sharedStrings.xml")
    if shared is not None and shared.file_size > MAX_SHARED_STRINGS_BYTES:
        raise Unreadable(("", "", _("The workbook's text is too large to read. Save it as “CSV UTF-8” instead.")))
    handle = path.open("rb")  # a file, not a name: openpyxl would refuse a name without .xlsx
    try:
        book = load_workbook(handle, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged workbook
        handle.close()
        raise Unreadable(("", "", _("The workbook cannot be read: it is damaged or not an Excel workbook."))) from None
    try:
        return _workbook_source(book, key, handle)
    except Unreadable:
        book.close()
        handle.close()
        raise


def _workbook_source(book, key: str, handle) -> Source:
    counter = [0]
    incident_sheets, item_sheets = _sheets(book, "incidents"), _sheets(book, "items")
    if not incident_sheets:
        raise Unreadable(("", "", _("The workbook has no sheet named “incidents”, as the export writes it.")))
    incidents_rows, item_rows = _SheetRows(incident_sheets, counter), _SheetRows(item_sheets, counter)
    ignored, missing = check_header(incidents_rows.header + [n for n in item_rows.header if n in ITEM_NAMES], key,
                                    f"{incident_sheets[0].title}!1")
    if item_sheets and "incident_ref" not in item_rows.header:
        raise Unreadable((f"{item_sheets[0].title}!1", "incident_ref", _("This column is missing.")))
    total = sum(sheet.max_row or 0 for sheet in incident_sheets + item_sheets)

    def incidents() -> Iterator[SourceIncident]:
        items = iter(item_rows) if item_sheets else iter(())
        pending = next(items, None)
        try:
            for row in incidents_rows:
                incident = SourceIncident(row)
                ref = row.cells.get("incident_ref", "")
                while ref and pending is not None and pending.cells.get("incident_ref") == ref:
                    incident.items.append(Row(pending.where, {n: pending.cells[n] for n in ITEM_NAMES
                                                             if n in pending.cells}))
                    pending = next(items, None)
                yield incident
            while pending is not None:
                yield SourceIncident(Row(pending.where, {}), problems=[(pending.where, "incident_ref", _(
                    "No incident of this reference comes at this point of the incidents sheet: items must follow "
                    "the order of the incidents sheet, as the export writes them."))])
                pending = next(items, None)
        finally:
            book.close()
            handle.close()

    return Source("xlsx", incidents_rows.header, ignored, incidents(), lambda: (counter[0], total), missing)
