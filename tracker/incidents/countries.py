"""Which of the tracker's countries a position lies in, from the bundled country outlines.

The outlines are the ones the offline maps draw (world-atlas 1:50M, rounded to 0.001°), so the
answer matches what a ranger sees on the map; near a border river it is as good as that drawing
(Blagoveshchensk and Heihe, 4 km apart across the Amur, come out right). Plain Python: SQLite
here cannot load SpatiaLite, and an incident needs one lookup when it is written.
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from tracker.models import COUNTRIES

OUTLINE_FILE = Path(__file__).resolve().parent.parent / "static" / "vendor" / "outline" / "region-countries.geojson"
# The outlined countries by ISO 3166 numeric code (the features' ids); those in COUNTRIES count.
ISO_NUMERIC = {643: "RU", 156: "CN", 496: "MN", 408: "KP", 410: "KR", 392: "JP", 398: "KZ"}

Ring = list[tuple[float, float]]


def _inside_rings(rings: list[Ring], x: float, y: float) -> bool:
    """Even-odd ray casting over the outer ring and its holes together: a point in a hole crosses
    the hole's edges as well, so it comes out outside."""
    inside = False
    for ring in rings:
        x1, y1 = ring[-1]
        for x2, y2 in ring:
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
            x1, y1 = x2, y2
    return inside


class _Polygon:
    def __init__(self, rings: list[list[list[float]]]):
        self.rings = [[(float(x), float(y)) for x, y in ring] for ring in rings]
        xs = [x for x, _ in self.rings[0]]
        ys = [y for _, y in self.rings[0]]
        self.box = (min(xs), min(ys), max(xs), max(ys))

    def contains(self, x: float, y: float) -> bool:
        west, south, east, north = self.box
        return west <= x <= east and south <= y <= north and _inside_rings(self.rings, x, y)


class Outlines:
    """Country polygons from a GeoJSON FeatureCollection (Polygon or MultiPolygon features)."""

    def __init__(self, collection: dict):
        self.polygons: list[tuple[str, _Polygon]] = []
        for feature in collection["features"]:
            code = ISO_NUMERIC.get(feature.get("id"))
            if code not in COUNTRIES:
                continue
            geometry = feature["geometry"]
            parts = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
            self.polygons += [(code, _Polygon(rings)) for rings in parts]

    def country_at(self, lat: float, lon: float) -> str | None:
        """The country whose outline holds the point, or None (at sea, or in another country)."""
        return next((code for code, polygon in self.polygons if polygon.contains(lon, lat)), None)


@cache
def bundled() -> Outlines:
    """Read once per process (about 10,000 points)."""
    return Outlines(json.loads(OUTLINE_FILE.read_text(encoding="utf-8")))


def country_at(lat: float, lon: float) -> str | None:
    return bundled().country_at(lat, lon)
