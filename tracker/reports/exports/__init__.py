"""Writers of the export formats. Each takes records from `reports.rows` (or CITES rows) and a
`Tally` that it keeps current, so the caller knows the counts when the stream ends."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Tally:
    rows: int = 0
    incidents: int = 0
    items: int = 0
