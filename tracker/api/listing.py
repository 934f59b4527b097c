"""Pages of incidents for the API: the list's filters, keyset cursors, and incremental pulls.

Two orders:

- **Newest first** (`sort=occurred|created`, as the list page): for browsing.
- **Incremental pull** (`updated_since=T`): incidents whose `updated_at` is at or after T, oldest
  change first, in (updated_at, id) order.

Every page ends with a cursor when there is more: the last row's (sort value, id), opaque to
clients (base64 of JSON). The next page starts strictly after that row in the same order, so
incidents that share a timestamp are neither skipped nor repeated between pages, and a page
deep in the list costs what the first one does (one index range).

The rule of incremental pulls, which `next_updated_since` carries out for the client:
`updated_at` is stamped by the server when a change is made, but becomes visible only when its
transaction commits, and servers' clocks differ a little; so a change can appear *behind* a
cursor that has already passed its timestamp. Each pull therefore hands back, on its last page,
a starting point API_SYNC_MARGIN_SECONDS before the moment the pull began (kept in the cursor
from the first page), and `updated_since` is inclusive: the next pull repeats the last minutes'
changes (clients upsert by `ref`) and never misses one, including one made at the same instant
as the cursor.
"""
from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from tracker.extensions import db
from tracker.incidents import visibility
from tracker.incidents.filters import IncidentFilters
from tracker.incidents.queries import SORT_COLUMNS, scoped, seek
from tracker.input_rules import fits_integer
from tracker.models import Incident, User, aware, utcnow

API_LIST_OPTIONS = (joinedload(Incident.category), selectinload(Incident.items))
UPDATED = "updated"


class BadCursor(ValueError):
    pass


@dataclass(frozen=True)
class Position:
    order: str                    # occurred | created | updated
    value: datetime
    incident_id: int
    watermark: datetime | None    # incremental pulls: where the next pull starts


def encode(position: Position) -> str:
    raw = {"o": position.order, "v": aware(position.value).isoformat(), "i": position.incident_id}
    if position.watermark is not None:
        raw["w"] = position.watermark.isoformat()
    return base64.urlsafe_b64encode(json.dumps(raw, separators=(",", ":")).encode()).decode().rstrip("=")


def decode(cursor: str, order: str) -> Position:
    """The position in a cursor made for `order`; BadCursor for anything else."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        position = Position(raw["o"], aware(datetime.fromisoformat(raw["v"])), int(raw["i"]),
                            aware(datetime.fromisoformat(raw["w"])) if "w" in raw else None)
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeDecodeError, AttributeError, OverflowError):
        raise BadCursor(cursor) from None
    if position.order != order or (order == UPDATED) != (position.watermark is not None) or not fits_integer(
            position.incident_id):
        raise BadCursor(cursor)
    return position


@dataclass
class ApiPage:
    rows: list[Incident]
    next_cursor: str | None
    next_updated_since: datetime | None


def incidents_page(f: IncidentFilters, user: User, cursor: str | None, limit: int,
                   updated_since: datetime | None = None, bbox=None) -> ApiPage:
    """One page for `user`. Raises BadCursor for a cursor not made by this listing."""
    order = UPDATED if updated_since is not None else f.sort if f.sort in SORT_COLUMNS else "occurred"
    position = decode(cursor, order) if cursor else None
    stmt = scoped(select(Incident), f, user)
    if bbox is not None:
        stmt = stmt.where(Incident.lat.is_not(None), Incident.lon.is_not(None), visibility.in_box(user, *bbox))
    if order == UPDATED:
        column = Incident.updated_at
        if position is None:
            stmt = stmt.where(column >= updated_since)
        # else the cursor's row was at or after updated_since, and the keyset starts after it. Both
        # conditions together would be right too, but SQLite then seeks the index from
        # updated_since and filters its way to the cursor (250 ms half-way through a million).
        watermark = position.watermark if position else (
            utcnow() - timedelta(seconds=current_app.config["API_SYNC_MARGIN_SECONDS"]))
    else:
        column, watermark = SORT_COLUMNS[order], None
    after = (position.value, position.incident_id) if position else None
    stmt = seek(stmt, column, after, ascending=order == UPDATED).options(*API_LIST_OPTIONS).limit(limit + 1)
    rows = list(db.session.scalars(stmt))
    more = len(rows) > limit
    rows = rows[:limit]
    if more:
        last = rows[-1]
        return ApiPage(rows, encode(Position(order, getattr(last, column.key), last.id, watermark)), None)
    return ApiPage(rows, None, max(watermark, updated_since) if watermark is not None else None)
