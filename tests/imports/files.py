"""Import files made by hand, in the export's columns, from one valid row changed column by column."""
from __future__ import annotations

import csv
import io

from tracker.reports.columns import CSV_HEADER, INCIDENT_COLUMNS

VALID = {
    "incident_ref": "INC-2025-000001", "occurred_at_utc": "2025-03-14T23:30:00Z", "occurred_date": "2025-03-15",
    "reported_at_utc": "2025-03-15T02:00:00Z", "category": "poaching", "category_name": "Poaching",
    "status": "verified", "detection_method": "patrol", "country": "RU",
    "place": "Land of the Leopard National Park", "location_text": "Near the ford", "lat": "43.1", "lon": "131.45",
    "coordinate_precision": "exact", "sensitive": "1", "description": "Snare line with a dead tiger",
    "reporting_unit": "Leopard team", "patrol_ref": "P-1", "suspects": "1", "arrests": "0", "outcome": "",
    "penalty": "", "estimated_value": "", "currency": "", "seizure_reason": "", "transport_mode": "",
    "concealment": "", "origin_country": "", "transit_countries": "", "destination_country": "",
    "offender_nationalities": "", "disposal": "", "item_no": "1", "product": "paw", "product_name": "Paws",
    "cites_term": "FOO", "species_scientific_name": "Panthera tigris altaica", "species_name": "Amur tiger",
    "cites_appendix": "I", "quantity": "2", "quantity_unit": "pcs", "item_notes": ""}
INCIDENT_NAMES = [c.name for c in INCIDENT_COLUMNS]


def row(number: int, **changes) -> dict:
    """The valid row as incident INC-2025-<number>, with some cells changed."""
    return VALID | {"incident_ref": f"INC-2025-{number:06d}"} | changes


def csv_file(rows: list[dict], header: list[str] = CSV_HEADER, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for cells in rows:
        writer.writerow([cells.get(name, "") for name in header])
    return buffer.getvalue().encode(encoding)
