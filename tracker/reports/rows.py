"""The rows of the incident exports: one column `Select` over incidents and their items, read
through a server-side cursor, turned into typed cells as `columns.py` declares them.

Columns, not ORM entities (an entity per row costs 5-12x), and reference names from small
dictionaries rather than joins. The statement's shape depends only on which filters are set and
whether the user sees exact positions, so SQLAlchemy's statement cache serves every export after
the first.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Callable, Iterator

from sqlalchemy import Select, func, select

from tracker.extensions import db
from tracker.incidents.filters import IncidentFilters
from tracker.incidents.queries import SORT_COLUMNS, count_incidents, scoped
from tracker.models import Incident, IncidentItem, User
from tracker.reports.columns import INCIDENT_COLUMNS, ITEM_COLUMNS, Column, Ref, neutralise

BATCH = 2000
KEYS = 2  # the incident's and the item's id come first in every row


def _joined(*columns) -> Select:
    return select(*columns).select_from(Incident).outerjoin(IncidentItem, IncidentItem.incident_id == Incident.id)


def _read(column: Column, user: User):
    """What a row holds for a column: its value, or the key of its reference row."""
    return (column.ref.key if column.ref else column.sql(user)).label(column.name)


def export_stmt(f: IncidentFilters, user: User, columns=None) -> Select:
    """One row per item (or per incident without items), in the list's order, items in order:
    by default the ids, then every declared column as `user` may see it."""
    if columns is None:
        columns = [Incident.id, IncidentItem.id, *(_read(c, user) for c in INCIDENT_COLUMNS + ITEM_COLUMNS)]
    sort = SORT_COLUMNS.get(f.sort, Incident.occurred_at)
    return scoped(_joined(*columns), f, user).order_by(sort.desc(), Incident.id.desc(), IncidentItem.position,
                                                        IncidentItem.id)


@dataclass(frozen=True)
class Counts:
    incidents: int
    items: int
    rows: int  # CSV rows: one per item, plus one per incident without items


def export_counts(f: IncidentFilters, user: User) -> Counts:
    rows, items = db.session.execute(scoped(_joined(func.count(), func.count(IncidentItem.id)), f, user)).one()
    return Counts(count_incidents(f, user), items, rows)


def utc_naive(value: datetime) -> datetime:
    """SQLite gives naive UTC datetimes, PostgreSQL aware ones: both become naive UTC."""
    return value.astimezone(timezone.utc).replace(tzinfo=None) if value.tzinfo else value


class RecordBuilder:
    """Turns result rows into (incident cells, item cells or None); `spreadsheet` neutralises
    text against formula injection."""

    def __init__(self, spreadsheet: bool):
        self.clean: Callable[[str], str] | None = neutralise if spreadsheet else None
        self.tables: dict[tuple, dict] = {}
        first_item = KEYS + len(INCIDENT_COLUMNS)
        self.incident_slice, self.incident_plan = slice(KEYS, first_item), self._plan(INCIDENT_COLUMNS)
        self.item_slice, self.item_plan = slice(first_item, None), self._plan(ITEM_COLUMNS)

    def _plan(self, columns) -> list[tuple[int, Callable]]:
        """(position among the columns, conversion) for the columns whose value needs one: the
        rest are taken from the row as they are (a slice, the costliest step otherwise)."""
        plan = ((n, self._conversion(column)) for n, column in enumerate(columns))
        return [(n, convert) for n, convert in plan if convert is not None]

    def _conversion(self, column: Column) -> Callable | None:
        if column.ref:
            return self._table(column.ref, self.clean if column.kind == "text" else None).__getitem__
        return {"text": self.clean, "datetime": utc_naive,
                "date": lambda text: date.fromisoformat(text) if text else None}.get(column.kind)

    def _table(self, ref: Ref, clean) -> dict:
        """A reference table's values by id, made once per export ('' for no row)."""
        key = (ref.model, ref.attribute, clean)
        if key not in self.tables:
            values = {row.id: getattr(row, ref.attribute) or "" for row in db.session.scalars(select(ref.model))}
            self.tables[key] = _Lookup({k: clean(v) for k, v in values.items()} if clean else values)
        return self.tables[key]

    def incident(self, row) -> list:
        return self._cells(row[self.incident_slice], self.incident_plan)

    def item(self, row) -> list | None:
        return None if row[1] is None else self._cells(row[self.item_slice], self.item_plan)

    @staticmethod
    def _cells(values, plan) -> list:
        cells = list(values)
        for n, convert in plan:
            cells[n] = convert(cells[n])
        return cells


class _Lookup(dict):
    def __missing__(self, key) -> str:
        return ""


def records(f: IncidentFilters, user: User, builder: RecordBuilder) -> Iterator[tuple[list, list | None]]:
    """(incident cells, item cells) per row; consecutive items share one incident list."""
    connection = db.session.connection().execution_options(yield_per=BATCH)  # Core rows: no ORM loading
    result = connection.execute(export_stmt(f, user))
    try:
        last_id, incident = None, None
        for partition in result.partitions():  # rows made a batch at a time, not one fetch per row
            for row in partition:
                if row[0] != last_id:
                    last_id, incident = row[0], builder.incident(row)
                yield incident, builder.item(row)
    finally:
        result.close()
