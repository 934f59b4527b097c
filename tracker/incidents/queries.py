"""Statements over incidents. They return `Select`s, so the list paginates, the exports stream
and the dashboards aggregate the very same filtered set."""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import Select, func, literal, or_, select, tuple_
from sqlalchemy.orm import joinedload, selectinload

from tracker.extensions import db
from tracker.incidents import visibility
from tracker.incidents.filters import IncidentFilters, status_values
from tracker.incidents.visibility import visible_to
from tracker.input_rules import fits_integer
from tracker.localtime import start_of_day_utc
from tracker.models import Category, Incident, IncidentItem, Place, User, aware

# What a row of an incident list shows (category, place, items by product), loaded up front.
LIST_OPTIONS = (joinedload(Incident.category), joinedload(Incident.place),
                selectinload(Incident.items).joinedload(IncidentItem.product))
SORT_COLUMNS = {"occurred": Incident.occurred_at, "created": Incident.created_at}


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def scoped(stmt: Select, f: IncidentFilters, user: User) -> Select:
    """The incidents of `stmt` that match `f` and that `user` may see. Every list, count, dashboard
    figure, map and export goes through here, so they all hold the same incidents, and filters
    work only on what the user may see (tracker/incidents/visibility.py)."""
    return visible_to(stmt.where(*_clauses(f, user)), user)


def _clauses(f: IncidentFilters, user: User) -> list:
    """The WHERE clauses of `f` over incidents."""
    clauses = []
    if f.category:
        clauses.append(Incident.category_id == select(Category.id).where(Category.slug == f.category)
                       .scalar_subquery())
    if f.status:
        clauses.append(Incident.status.in_(status_values(f.status)))
    if f.place:
        clauses.append(Incident.place_id.in_(select(Place.id).where(or_(Place.id == f.place,
                                                                       Place.parent_id == f.place))))
    simple = {"country": Incident.country, "detection": Incident.detection_method, "reporter": Incident.reporter_id}
    clauses += [column == getattr(f, name) for name, column in simple.items() if getattr(f, name)]
    if f.sensitive:
        clauses.append(Incident.sensitive.is_(True))
    if f.date_from:
        clauses.append(Incident.occurred_at >= start_of_day_utc(f.date_from))
    if f.date_to:
        clauses.append(Incident.occurred_at < start_of_day_utc(f.date_to + timedelta(days=1)))
    if f.species or f.product:
        clauses.append(_has_item(f))
    if f.q:
        pattern = f"%{escape_like(f.q)}%"
        clauses.append(or_(*(column.ilike(pattern, escape="\\") for column in (
            Incident.ref, Incident.description, visibility.location_text_sql(user)))))
    return clauses


def _has_item(f: IncidentFilters):
    """An item of the filtered species and/or product. Correlated to incidents explicitly: in a
    statement that also selects from incident_items (the exports), auto-correlation would
    otherwise take both tables away and leave the subquery with no FROM clause."""
    item = [IncidentItem.incident_id == Incident.id]
    if f.species:
        item.append(IncidentItem.species_id == f.species)
    if f.product:
        item.append(IncidentItem.product_id == f.product)
    return select(IncidentItem.id).where(*item).correlate(Incident).exists()


def incidents_stmt(f: IncidentFilters, user: User) -> Select:
    """Incidents matching `f` that `user` may see, newest first (by the chosen sort)."""
    column = SORT_COLUMNS.get(f.sort, Incident.occurred_at)
    return scoped(select(Incident), f, user).order_by(column.desc(), Incident.id.desc())


def count_incidents(f: IncidentFilters, user: User) -> int:
    return db.session.scalar(scoped(select(func.count(Incident.id)), f, user))


@dataclass
class Page:
    rows: list
    next_cursor: str | None
    prev_cursor: str | None


def encode_cursor(sort_value: datetime, incident_id: int, direction: str) -> str:
    raw = json.dumps([aware(sort_value).astimezone(timezone.utc).isoformat(), incident_id, direction])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None):
    """(datetime, id, 'next'|'prev') or None for a missing or malformed cursor (also one whose id
    no database integer holds: the drivers refuse it as a parameter)."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, incident_id, direction = json.loads(raw)
        if direction not in ("next", "prev") or not fits_integer(int(incident_id)):
            return None
        return aware(datetime.fromisoformat(value)).astimezone(timezone.utc), int(incident_id), direction
    except (ValueError, TypeError):
        return None


def seek(stmt: Select, column, after: tuple[datetime, int] | None, ascending: bool) -> Select:
    """`stmt` over incidents in (column, id) order, from just after the row at `after`: the keyset
    that makes a page deep in a list as fast as the first (the column's (value, id) index is walked).
    """
    if after is not None:
        # A row-value comparison, unlike the equivalent OR, lets both databases seek the
        # (date, id) index instead of scanning it.
        key, bound = tuple_(column, Incident.id), tuple_(literal(after[0], column.type), literal(after[1]))
        stmt = stmt.where(key > bound if ascending else key < bound)
    return stmt.order_by(*((column.asc(), Incident.id.asc()) if ascending else (column.desc(), Incident.id.desc())))


def keyset_page(f: IncidentFilters, user: User, cursor: str | None, per_page: int = 50) -> Page:
    """One page of the list by keyset: as fast deep in the list as on the first page.

    A `next` cursor is the last row of the page before; a `prev` cursor the first row of the
    page after (walked backwards and reversed).
    """
    column = SORT_COLUMNS.get(f.sort, Incident.occurred_at)
    position = decode_cursor(cursor)
    backwards = position is not None and position[2] == "prev"
    stmt = seek(scoped(select(Incident), f, user), column, position[:2] if position else None, ascending=backwards)
    rows = list(db.session.scalars(stmt.options(*LIST_OPTIONS).limit(per_page + 1)))
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()
    sort_attr = "occurred_at" if column is Incident.occurred_at else "created_at"
    has_next = (more and not backwards) or backwards
    has_prev = (position is not None and not backwards) or (backwards and more)
    next_cursor = encode_cursor(getattr(rows[-1], sort_attr), rows[-1].id, "next") if rows and has_next else None
    prev_cursor = encode_cursor(getattr(rows[0], sort_attr), rows[0].id, "prev") if rows and has_prev else None
    return Page(rows, next_cursor, prev_cursor)
