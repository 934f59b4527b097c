"""XLSX through XlsxWriter in constant-memory mode: each row goes to a temporary file as soon as
the next one starts, so a million rows take as little memory as ten.

Every text cell is written with `write_string` (never guessed: a string starting with `=` would
otherwise become a formula), numbers as numbers, dates as Excel dates. Past Excel's limit of
1,048,576 rows a sheet continues as "<name> 2", "<name> 3"...
"""
from __future__ import annotations

from typing import Callable

from xlsxwriter import Workbook

from tracker.reports.columns import INCIDENT_COLUMNS, ITEM_COLUMNS, Column
from tracker.reports.exports import Tally

EXCEL_MAX_ROWS = 1_048_576
OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
           "strings_to_numbers": False}
NUMBER_FORMATS = {"datetime": "yyyy-mm-dd hh:mm:ss", "date": "yyyy-mm-dd", "money": "#,##0.00", "quantity": "0.###"}


def open_workbook(path: str, tmpdir: str) -> Workbook:
    return Workbook(path, {**OPTIONS, "tmpdir": tmpdir})


class SheetWriter:
    """Rows into a sheet with a bold, frozen header, an autofilter and fitting widths."""

    def __init__(self, workbook: Workbook, name: str, columns: tuple[Column, ...], max_rows: int = EXCEL_MAX_ROWS):
        self.workbook, self.name, self.columns, self.max_rows = workbook, name, columns, max_rows
        self.header = workbook.add_format({"bold": True, "bg_color": "#E8F0EB", "bottom": 1})
        self.formats = {kind: workbook.add_format({"num_format": fmt}) for kind, fmt in NUMBER_FORMATS.items()}
        self.sheets = 0
        self._new_sheet()

    def _new_sheet(self) -> None:
        self.sheets += 1
        self.sheet = self.workbook.add_worksheet(self.name if self.sheets == 1 else f"{self.name} {self.sheets}")
        self.sheet.freeze_panes(1, 0)
        for n, column in enumerate(self.columns):
            self.sheet.set_column(n, n, column.width)
            self.sheet.write_string(0, n, column.name, self.header)
        self.writers = [self._writer(c) for c in self.columns]
        self.row = 1

    def _writer(self, column: Column) -> Callable:
        sheet, fmt = self.sheet, self.formats.get(column.kind)
        if column.kind in ("text", "code"):
            return sheet.write_string
        if column.kind in ("datetime", "date"):
            return lambda row, col, value: sheet.write_datetime(row, col, value, fmt)
        return lambda row, col, value: sheet.write_number(row, col, value, fmt)

    def add(self, cells: list) -> None:
        if self.row >= self.max_rows:
            self._finish_sheet()
            self._new_sheet()
        row = self.row
        for col, (value, write) in enumerate(zip(cells, self.writers, strict=False)):
            if value is not None and value != "":
                write(row, col, value)
        self.row += 1

    def _finish_sheet(self) -> None:
        self.sheet.autofilter(0, 0, self.row - 1, len(self.columns) - 1)

    def close(self) -> None:
        self._finish_sheet()


ITEM_SHEET_COLUMNS = (Column("incident_ref", "code", 17), *ITEM_COLUMNS)


def write_incidents(workbook: Workbook, records, tally: Tally, progress: Callable[[int], None] | None = None,
                    max_rows: int = EXCEL_MAX_ROWS) -> None:
    """Sheets "incidents" (one row each) and "items" (one row per item, with the incident's ref)."""
    incidents = SheetWriter(workbook, "incidents", INCIDENT_COLUMNS, max_rows)
    items = SheetWriter(workbook, "items", ITEM_SHEET_COLUMNS, max_rows)
    last = None
    for incident, item in records:
        if incident is not last:
            last = incident
            incidents.add(incident)
            tally.incidents += 1
        if item is not None:
            items.add([incident[0], *item])
            tally.items += 1
        tally.rows += 1
        if progress and tally.rows % 5000 == 0:
            progress(tally.rows)
    incidents.close()
    items.close()


def write_about(workbook: Workbook, lines: list[tuple[str, str]]) -> None:
    """The provenance sheet: who exported what, when, with which filters and counts."""
    sheet = workbook.add_worksheet("about")
    bold = workbook.add_format({"bold": True})
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 80)
    for row, (label, value) in enumerate(lines):
        sheet.write_string(row, 0, label, bold)
        sheet.write_string(row, 1, value)
