"""Public references of incidents, `INC-<year>-<number>` (six digits at least), in one place.

The number comes from a per-year counter that only goes up, so a reference is never given twice,
even after a delete. The tracker gives the next number of the year it records an incident in
(services.create_incident). A bulk import (tracker/imports) keeps a reference of this form from
its file when no incident has it, and moves that year's counter past the kept number first
(`raise_counter`), so the tracker never gives it later; the file's other incidents take numbers
from the counter in blocks (`reserve`).

The counter rows are written in the caller's transaction, so concurrent writers queue on them
(SQLite: BEGIN IMMEDIATE; PostgreSQL: the row lock) and never get the same number.
"""
from __future__ import annotations

import re

from sqlalchemy import case

from tracker.database import dialect_insert
from tracker.extensions import db
from tracker.models import ReferenceCounter

PATTERN = re.compile(r"INC-(?P<year>\d{4})-(?P<number>\d{6,9})")


def format_reference(year: int, number: int) -> str:
    return f"INC-{year}-{number:06d}"


def parse_reference(text: str) -> tuple[int, int] | None:
    """(year, number) of a reference of the tracker's form, else None."""
    match = PATTERN.fullmatch(text)
    if match is None or format_reference(int(match["year"]), int(match["number"])) != text:
        return None  # INC-2024-0000001 is not what the tracker would write for number 1
    return int(match["year"]), int(match["number"])


def reserve(year: int, count: int = 1) -> list[str]:
    """The next `count` references of `year`, in order."""
    stmt = dialect_insert(ReferenceCounter).values(year=year, last_number=count)
    stmt = stmt.on_conflict_do_update(index_elements=[ReferenceCounter.year],
                                      set_={"last_number": ReferenceCounter.last_number + count})
    last = db.session.execute(stmt.returning(ReferenceCounter.last_number)).scalar_one()
    return [format_reference(year, number) for number in range(last - count + 1, last + 1)]


def next_reference(year: int) -> str:
    return reserve(year)[0]


def raise_counter(year: int, number: int) -> None:
    """Make `number` of `year` (and every number below it) one the counter never gives."""
    stmt = dialect_insert(ReferenceCounter).values(year=year, last_number=number)
    stmt = stmt.on_conflict_do_update(index_elements=[ReferenceCounter.year], set_={"last_number": case(
        (stmt.excluded.last_number > ReferenceCounter.last_number, stmt.excluded.last_number),
        else_=ReferenceCounter.last_number)})
    db.session.execute(stmt)
