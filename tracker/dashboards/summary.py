"""A category dashboard's numbers, added up from the rows of queries.dashboard_rows().

Each figure carries the filter changes that turn the dashboard's filters into the list of the
incidents behind it ("drill-down"), so that the list's count equals the figure.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from tracker.dashboards.months import month_range
from tracker.dashboards.queries import Row
from tracker.incidents.filters import IncidentFilters, status_values
from tracker.models import VERIFIED_STATUSES, IncidentStatus, Place, PlaceKind

TOP = 10
VERIFIED = {s.value for s in VERIFIED_STATUSES}


@dataclass
class Figure:
    """A labelled number; `drill` holds the filter changes for its list, None if it has none."""

    key: object
    label: str
    count: int | Decimal
    drill: dict | None
    incidents: int = 0


@dataclass
class Summary:
    incidents: int = 0
    arrests: int = 0
    verified: Figure | None = None
    quantities: list[Figure] = field(default_factory=list)
    trend: list[Figure] = field(default_factory=list)
    by_status: list[Figure] = field(default_factory=list)
    by_detection: list[Figure] = field(default_factory=list)
    by_country: list[Figure] = field(default_factory=list)
    by_protected_area: list[Figure] = field(default_factory=list)
    by_region: list[Figure] = field(default_factory=list)
    top_products: list[Figure] = field(default_factory=list)
    top_species: list[Figure] = field(default_factory=list)
    products_by_unit: dict[str, list[Figure]] = field(default_factory=dict)
    species_by_unit: dict[str, list[Figure]] = field(default_factory=dict)

    @property
    def verified_share(self) -> float | None:
        return self.verified.count / self.incidents if self.incidents and self.verified else None


@dataclass
class Names:
    """Labels of stored codes and reference rows, in the user's language."""

    status: dict
    detection: dict
    country: dict
    products: dict
    species: dict
    places: dict[int, Place]
    unit: dict


def _totals(rows: list[Row]) -> tuple[dict[str, dict[str, list[int]]], dict[int, int], int]:
    """One pass over the rows: [incidents, quantity] per dimension and value, incidents per
    month, and arrests."""
    totals: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    monthly: dict[int, int] = defaultdict(int)
    arrests = 0
    for month, dimension, value, incidents, quantity_milli, row_arrests in rows:
        sums = totals[dimension][value]
        sums[0] += incidents
        sums[1] += quantity_milli
        if dimension == "status":
            monthly[month] += incidents
            arrests += row_arrests
    return totals, monthly, arrests


def _ranked(totals: dict[str, list[int]], label, drill, limit: int | None = None) -> list[Figure]:
    figures = [Figure(value, label(value), counts[0], drill(value)) for value, counts in totals.items() if counts[0]]
    figures.sort(key=lambda f: (-f.count, f.label))
    return figures[:limit] if limit else figures


def _by_unit(totals: dict, dimension: str, label) -> dict[str, list[Figure]]:
    """Top items by quantity, separately for every unit of measure. Each also shows how many
    incidents have that item at all (in any unit): the list its link leads to."""
    incidents = totals[dimension]
    grouped: dict[str, list[Figure]] = defaultdict(list)
    for value, (_, milli) in totals[f"{dimension}_unit"].items():
        ref, unit = value.split(":", 1)
        grouped[unit].append(Figure(ref, label(ref), Decimal(milli) / 1000, {dimension: int(ref)},
                                    incidents[ref][0]))
    return {unit: sorted(figures, key=lambda f: (-f.count, f.label))[:TOP] for unit, figures in sorted(grouped.items())}


def _narrower_place(place_id: int, f: IncidentFilters, places: dict[int, Place]) -> int:
    """The place to filter on for a row of the place breakdowns: the row's own place, unless the
    dashboard is already filtered to a place inside it."""
    if f.place and f.place != place_id and places.get(f.place) and places[f.place].parent_id == place_id:
        return f.place
    return place_id


def _verified(by_status: dict[str, list[int]], f: IncidentFilters) -> Figure:
    count = sum(counts[0] for status, counts in by_status.items() if status in VERIFIED)
    selected = set(status_values(f.status)) if f.status else None
    if selected is None:
        drill = {"status": "verified-or-later"}
    elif selected <= VERIFIED or not selected & VERIFIED:
        drill = {}  # the filtered incidents are all verified, or none is
    else:
        drill = None
    return Figure("verified", "", count, drill)


def summarise(rows: list[Row], f: IncidentFilters, window: tuple[int | None, int | None], names: Names) -> Summary:
    """Every figure of a category dashboard; `window` is the first and last month of the trend
    (None: as far as there are incidents)."""
    summary = Summary()
    totals, monthly, summary.arrests = _totals(rows)
    by_status = totals["status"]
    summary.incidents = sum(counts[0] for counts in by_status.values())
    summary.verified = _verified(by_status, f)
    summary.by_status = [Figure(s.value, names.status[s], by_status.get(s.value, [0])[0], {"status": s.value})
                         for s in IncidentStatus if not f.status or s.value in status_values(f.status)]

    first, last = window
    first, last = first or min(monthly, default=None), last or max(monthly, default=None)
    if first and last:
        summary.trend = [Figure(month, str(month), monthly.get(month, 0), {"month": month})
                         for month in month_range(first, last)]

    summary.by_detection = _ranked(totals["detection"], lambda v: names.detection.get(v, v),
                                   lambda v: {"detection": v})
    summary.by_country = _ranked(totals["country"], lambda v: names.country.get(v, v),
                                 lambda v: {"country": v} if v else None)
    _places(summary, totals["place"], f, names)
    summary.top_products = _ranked(totals["product"], lambda v: names.products.get(v, v),
                                   lambda v: {"product": int(v)}, TOP)
    summary.top_species = _ranked(totals["species"], lambda v: names.species.get(v, v),
                                  lambda v: {"species": int(v)}, TOP)
    summary.products_by_unit = _by_unit(totals, "product", lambda v: names.products.get(v, v))
    summary.species_by_unit = _by_unit(totals, "species", lambda v: names.species.get(v, v))
    per_unit: dict[str, Decimal] = defaultdict(Decimal)
    for value, (_, milli) in totals["product_unit"].items():
        per_unit[value.split(":", 1)[1]] += Decimal(milli) / 1000
    summary.quantities = [Figure(unit, names.unit.get(unit, unit), amount, {}) for unit, amount in
                          sorted(per_unit.items())]
    return summary


def _places(summary: Summary, by_place: dict[str, list[int]], f: IncidentFilters, names: Names) -> None:
    areas: dict[int, int] = defaultdict(int)
    regions: dict[int, int] = defaultdict(int)
    for value, (count, _) in by_place.items():
        place = names.places.get(int(value))
        if place is None:
            regions[0] += count  # no place given
        elif place.kind is PlaceKind.PROTECTED_AREA:
            areas[place.id] += count
            regions[place.parent_id or 0] += count
        else:
            regions[place.id] += count

    def figure(place_id: int, count: int) -> Figure:
        place = names.places.get(place_id)
        drill = {"place": _narrower_place(place_id, f, names.places)} if place else None
        return Figure(place_id, place.name if place else "", count, drill)

    summary.by_protected_area = sorted((figure(p, n) for p, n in areas.items() if n), key=lambda x: (-x.count, x.label))
    summary.by_region = sorted((figure(p, n) for p, n in regions.items() if n), key=lambda x: (-x.count, x.label))
