"""The dashboard map's payload: the incidents inside the visible box, as points while there are
at most MAX_POINTS of them, else counted on a grid by the database.

Sensitive incidents are generalised here, on the server, for users without the exact-location
right: their points move to the centre of their 0.1° cell, and grid cells are never finer than
0.1° and are drawn at their centre. The box is a range on (lat, lon), which that index answers.
"""
from __future__ import annotations

import math

from sqlalchemy import Float, Integer, Select, cast, func, literal_column, select

from tracker.extensions import db
from tracker.incidents.filters import IncidentFilters
from tracker.incidents.locations import GRID_DEGREES, shown_position
from tracker.incidents.queries import apply_filters, visible_to
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
    stmt = visible_to(apply_filters(select(*columns), f), user)
    stmt = stmt.where(Incident.lat.is_not(None), Incident.lon.is_not(None))
    if bbox:
        west, south, east, north = bbox
        stmt = stmt.where(Incident.lat.between(south, north), Incident.lon.between(west, east))
    return stmt


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
    if db.session.scalar(select(func.count()).select_from(capped)) <= MAX_POINTS:
        rows = db.session.execute(_located(f, user, bbox, Incident.id, Incident.ref, Incident.lat, Incident.lon,
                                           Incident.sensitive)).all()
        points = []
        for incident_id, ref, lat, lon, sensitive in rows:
            lat, lon, generalised = shown_position(lat, lon, sensitive, user.may_see_exact_locations)
            points.append([round(lat, 5), round(lon, 5), incident_id, ref, generalised])
        return {"mode": "points", "points": points}
    size = max(cell_size(bbox), GRID_DEGREES)
    degrees = literal_column(repr(size), Float)  # literal: PostgreSQL must see the same grouped expression
    row_index, column_index = _floor(Incident.lat / degrees), _floor(Incident.lon / degrees)
    grid = _located(f, user, bbox, row_index, column_index, func.count()).group_by(row_index, column_index)
    cells = [[round((i + 0.5) * size, 5), round((j + 0.5) * size, 5), count]
             for i, j, count in db.session.execute(grid)]
    return {"mode": "grid", "cell": size, "cells": cells, "total": sum(cell[2] for cell in cells)}
