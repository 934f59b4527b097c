"""The dashboard map's payload: the incidents inside the visible box, as points while there are
at most MAX_POINTS of them, else counted on a grid by the database.

Everything here works on the positions the user may see (tracker/incidents/visibility.py): for a
user without the exact-location right, a sensitive incident *is* at the centre of its 0.1° cell
for the box, the points and the grid alike, so no box, however small, tells more than the cell.
Grid cells are never finer than 0.1° and are drawn at their centre.
"""
from __future__ import annotations

import math

from sqlalchemy import Float, Integer, Select, cast, func, literal_column, select

from tracker.extensions import db
from tracker.incidents import visibility
from tracker.incidents.filters import IncidentFilters
from tracker.incidents.queries import scoped
from tracker.models import Incident, User

MAX_POINTS = 5000
CELLS_ACROSS = 48
NICE_CELLS = (0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0)


def parse_bbox(text: str | None) -> tuple[float, float, float, float] | None:
    """'west,south,east,north' in degrees, clamped to the globe; None if absent or malformed."""
    try:
        west, south, east, north = (float(part) for part in (text or "").split(","))
    except ValueError:
        return None
    if not all(math.isfinite(v) for v in (west, south, east, north)) or west >= east or south >= north:
        return None
    return max(west, -180.0), max(south, -90.0), min(east, 180.0), min(north, 90.0)


def cell_size(bbox: tuple[float, float, float, float] | None) -> float:
    width = (bbox[2] - bbox[0]) if bbox else 360.0
    wanted = width / CELLS_ACROSS
    return next((size for size in NICE_CELLS if size >= wanted), NICE_CELLS[-1])


def _located(f: IncidentFilters, user: User, bbox, *columns) -> Select:
    stmt = scoped(select(*columns), f, user).where(Incident.lat.is_not(None), Incident.lon.is_not(None))
    return stmt.where(visibility.in_box(user, *bbox)) if bbox else stmt


def _floor(expression):
    """floor() without SQLite's optional math functions."""
    if db.engine.dialect.name == "postgresql":
        return cast(func.floor(expression), Integer)
    truncated = cast(expression, Integer)
    return truncated - cast(expression < truncated, Integer)


def map_payload(f: IncidentFilters, user: User, bbox) -> dict:
    # Counting up to the limit first reads the index only (no column outside it is named);
    # fetching points means visiting rows.
    capped = _located(f, user, bbox, literal_column("1")).limit(MAX_POINTS + 1).subquery()
    lat, lon = visibility.lat_sql(user), visibility.lon_sql(user)
    if db.session.scalar(select(func.count()).select_from(capped)) <= MAX_POINTS:
        rows = db.session.execute(_located(f, user, bbox, Incident.id, Incident.ref, lat, lon,
                                           visibility.generalised_sql(user))).all()
        return {"mode": "points", "points": [[round(y, 5), round(x, 5), incident_id, ref, bool(generalised)]
                                             for incident_id, ref, y, x, generalised in rows]}
    size = max(cell_size(bbox), visibility.CELL_DEGREES)
    degrees = literal_column(repr(size), Float)  # literal: PostgreSQL must see the same grouped expression
    row_index, column_index = _floor(lat / degrees), _floor(lon / degrees)
    grid = _located(f, user, bbox, row_index, column_index, func.count()).group_by(row_index, column_index)
    cells = [[round((i + 0.5) * size, 5), round((j + 0.5) * size, 5), count]
             for i, j, count in db.session.execute(grid)]
    return {"mode": "grid", "cell": size, "cells": cells, "total": sum(cell[2] for cell in cells)}
