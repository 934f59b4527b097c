"""GeoJSON (RFC 7946): a FeatureCollection streamed feature by feature, one feature per incident
with [longitude, latitude] in WGS 84, the CSV's incident columns as properties and its item
columns under `items`. An incident without coordinates has `"geometry": null`."""
from __future__ import annotations

import json
from typing import Iterator

from tracker.reports.columns import INCIDENT_COLUMNS, ITEM_COLUMNS, formatted, formatters
from tracker.reports.exports import Tally

CHUNK = 64 * 1024
INCIDENT_NAMES = [c.name for c in INCIDENT_COLUMNS]
ITEM_NAMES = [c.name for c in ITEM_COLUMNS]
DATE_FORMATS = formatters(INCIDENT_COLUMNS, kinds=("datetime", "date"))
LAT, LON = INCIDENT_NAMES.index("lat"), INCIDENT_NAMES.index("lon")


def feature(incident: list, items: list[list]) -> dict:
    lat, lon = incident[LAT], incident[LON]
    properties = dict(zip(INCIDENT_NAMES, formatted(incident, DATE_FORMATS), strict=False))
    properties["items"] = [dict(zip(ITEM_NAMES, item, strict=False)) for item in items]
    geometry = {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
    return {"type": "Feature", "id": incident[0], "geometry": geometry, "properties": properties}


def _grouped(records) -> Iterator[tuple[list, list[list]]]:
    last, items = None, []
    for incident, item in records:
        if incident is not last:
            if last is not None:
                yield last, items
            last, items = incident, []
        if item is not None:
            items.append(item)
    if last is not None:
        yield last, items


def geojson_chunks(records, tally: Tally, coordinate_policy: str) -> Iterator[bytes]:
    """`coordinate_policy` is a top-level member saying whether sensitive points were generalised
    (each feature also carries `coordinate_precision`)."""
    yield ('{"type":"FeatureCollection","coordinate_policy":%s,"features":[\n'
           % json.dumps(coordinate_policy, ensure_ascii=False)).encode("utf-8")
    parts, size, separator = [], 0, ""
    for incident, items in _grouped(records):
        text = separator + json.dumps(feature(incident, items), ensure_ascii=False, separators=(",", ":"))
        separator = ",\n"
        parts.append(text)
        size += len(text)
        tally.incidents += 1
        tally.items += len(items)
        tally.rows += 1
        if size > CHUNK:
            yield "".join(parts).encode("utf-8")
            parts, size = [], 0
    parts.append("\n]}\n")
    yield "".join(parts).encode("utf-8")
