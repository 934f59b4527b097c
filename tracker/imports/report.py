"""What an import found and did: its counts (`Summary`), and its problems, written to a CSV file
as they are found (the report people download) with the first ones kept for the page.

An error stops the file from being imported; a note only says something the user should know
(a column that is not read, a reference that is taken here and will be replaced).
"""
from __future__ import annotations

import csv
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tracker.reports.columns import neutralise

REPORT_HEADER = ["line", "column", "reason", "severity"]
ERROR, NOTE = "error", "note"
KEPT_FOR_PAGE = 100


@dataclass
class Summary:
    sha256: str
    file: str                  # the name it was uploaded with
    format: str                # csv | xlsx
    key: str                   # the key column
    incidents: int = 0         # incidents in the file
    items: int = 0
    new: int = 0               # incidents created (or, in a dry run, that would be)
    new_items: int = 0
    skipped: int = 0           # imported before (same key): nothing new
    kept_references: int = 0   # incidents keeping the file's INC-… reference
    new_references: int = 0    # incidents given a reference of this tracker
    errors: int = 0
    notes: int = 0
    written: bool = False
    first_problems: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)

    def audited(self) -> dict:
        """The import's one audit event: the file, the key and the counts."""
        return {name: value for name, value in self.as_dict().items()
                if name not in ("errors", "notes", "written", "first_problems")}


class ProblemLog:
    """Problems into the report file (formula-like text neutralised for spreadsheets)."""

    def __init__(self, path: Path | str, summary: Summary):
        self.summary = summary
        self.file = open(path, "w", encoding="utf-8", newline="")
        self.writer = csv.writer(self.file, lineterminator="\n")
        self.writer.writerow(REPORT_HEADER)

    def add(self, where: str, column: str, reason: str, severity: str = ERROR) -> None:
        if severity == ERROR:
            self.summary.errors += 1
        else:
            self.summary.notes += 1
        if len(self.summary.first_problems) < KEPT_FOR_PAGE:
            self.summary.first_problems.append([where, column, reason, severity])
        self.writer.writerow([neutralise(str(cell)) for cell in (where, column, reason, severity)])

    def close(self) -> None:
        self.file.close()

    def __enter__(self) -> ProblemLog:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
