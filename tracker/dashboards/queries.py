"""Dashboard numbers, from the rollups where they can answer and counted live where not.

The rollups answer the default view and any mix of month-aligned dates, country or place, or
status (a status together with a country or place is not stored). Everything else is counted
live from the incidents, with the list's own filters and record-level access, by the same
statement that builds the rollups: a species or product filter, a detection method, a date range
that starts or ends inside a month, and rangers' views (their unit's records).
"""
from __future__ import annotations

from datetime import timedelta
from typing import Protocol

from sqlalchemy import BigInteger, cast, func, select

from tracker.dashboards.contributions import DIMENSIONS, contributions
from tracker.dashboards.months import key_of
from tracker.extensions import db
from tracker.incidents.filters import IncidentFilters, status_values
from tracker.incidents.queries import scoped
from tracker.models import (
    ALL_COUNTRIES,
    ALL_PLACES,
    ALL_STATUSES,
    COUNTRIES,
    NO_PLACE,
    IncidentRollup,
    Place,
    Role,
    User,
)

rollups = IncidentRollup.__table__
# Filters that the rollups cannot answer.
LIVE_ONLY = ("species", "product", "detection", "reporter", "q", "sensitive")


class Row(Protocol):
    """A sum per month, dimension and value (database rows, read by attribute)."""

    month: int
    dimension: str
    value: str
    incidents: int
    quantity_milli: int
    arrests: int


def month_window(f: IncidentFilters) -> tuple[int | None, int | None] | None:
    """First and last month of the date filter, or None if it cuts a month."""
    if f.date_from and f.date_from.day != 1:
        return None
    if f.date_to and (f.date_to + timedelta(days=1)).day != 1:
        return None
    return (key_of(f.date_from) if f.date_from else None, key_of(f.date_to) if f.date_to else None)


def _places_within(place_id: int) -> list[int]:
    """The place and the places inside it, as the list's place filter has it."""
    inside = db.session.scalars(select(Place.id).where(Place.parent_id == place_id)).all()
    return [place_id, *inside]


def rollup_clauses(category_ids: list[int], f: IncidentFilters, user: User) -> list | None:
    """WHERE clauses on the rollups that give exactly the filtered numbers, or None."""
    window = month_window(f)
    location = f.country or f.place
    if user.role is Role.RANGER or window is None or any(getattr(f, name) for name in LIVE_ONLY) or (
            f.status and location):
        return None
    first, last = window
    clauses = [rollups.c.category_id.in_(category_ids), rollups.c.dimension.in_(DIMENSIONS)]
    if first:
        clauses.append(rollups.c.month >= first)
    if last:
        clauses.append(rollups.c.month <= last)
    if location:
        countries = [f.country] if f.country else [*COUNTRIES, ""]
        places = _places_within(f.place) if f.place else [*db.session.scalars(select(Place.id)), NO_PLACE]
        clauses += [rollups.c.status == ALL_STATUSES, rollups.c.country.in_(countries),
                    rollups.c.place_id.in_(places)]
    else:
        statuses = status_values(f.status) if f.status else (ALL_STATUSES,)
        clauses += [rollups.c.status.in_(statuses), rollups.c.country == ALL_COUNTRIES,
                    rollups.c.place_id == ALL_PLACES]
    return clauses


def _summed(source, *keys):
    return select(*keys, *(cast(func.sum(source.c[name]), BigInteger).label(name)
                           for name in ("incidents", "quantity_milli", "arrests"))).group_by(*keys)


def dashboard_rows(category_id: int, f: IncidentFilters, user: User) -> tuple[list[Row], bool]:
    """Sums per month, dimension and value for one category; True if read from the rollups."""
    clauses = rollup_clauses([category_id], f, user)
    if clauses is not None:
        stmt = _summed(rollups, rollups.c.month, rollups.c.dimension, rollups.c.value).where(*clauses)
    else:
        live = contributions(db.engine.dialect.name, lambda s: scoped(s, f, user),
                             fine=False).subquery()
        stmt = _summed(live, live.c.month, live.c.dimension, live.c.value)
    return db.session.execute(stmt).all(), clauses is not None


def status_rows(category_ids: list[int], f: IncidentFilters, user: User, by_month: bool = True) -> list[tuple]:
    """(category id, month or 0, status, incidents) over all the categories, for the overview."""
    clauses = rollup_clauses(category_ids, f, user)
    if clauses is not None:
        source, clauses = rollups, [*clauses, rollups.c.dimension == "status"]
    else:
        source = contributions(db.engine.dialect.name, lambda s: scoped(s, f, user),
                               dimensions=("status",), fine=False).subquery()
    keys = [source.c.category_id, source.c.month, source.c.value] if by_month else [source.c.category_id,
                                                                                   source.c.value]
    stmt = _summed(source, *keys).where(source.c.category_id.in_(category_ids), *(clauses or ()))
    return [(row.category_id, row.month if by_month else 0, row.value, row.incidents)
            for row in db.session.execute(stmt)]
