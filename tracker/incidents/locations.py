"""Sensitive locations: exact positions of tigers and leopards help poachers, so users without
the exact-location right see sensitive incidents on a 0.1° grid (about 11 km)."""
from __future__ import annotations

import math

GRID_DEGREES = 0.1


def generalise(value: float | None) -> float | None:
    """The centre of the 0.1° grid cell holding `value`."""
    if value is None:
        return None
    return round(math.floor(value / GRID_DEGREES) * GRID_DEGREES + GRID_DEGREES / 2, 2)


def shown_position(lat: float | None, lon: float | None, sensitive: bool, exact_allowed: bool):
    """(lat, lon, generalised?) as this user may see them."""
    if lat is None or lon is None or not sensitive or exact_allowed:
        return lat, lon, False
    return generalise(lat), generalise(lon), True
