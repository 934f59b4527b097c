"""The CITES annual illegal trade report: one row per seizure and species/specimen, for one year
(1 January to 31 December in the reporting time zone).

`CITES_COLUMNS` is the whole mapping from our records to the Secretariat's columns, in order:
when the Secretariat's template changes, this list is the one place to follow it. Values are in
English (the report goes to the Secretariat, whatever the interface language).

Which rows belong (also in the README and the XLSX about-sheet): items whose species is listed
in a CITES Appendix, of seizures (`tracker.incidents.seizures`, in any category) that a
coordinator has verified (verified, under investigation or closed), within the list's filters:
an agency spanning several Parties reports per Party with `country`.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Callable, Iterator

from flask_babel import gettext as _
from sqlalchemy import Float, Select, String, cast, distinct, func, select, type_coerce

from tracker.extensions import db
from tracker.incidents import visibility
from tracker.incidents.filters import IncidentFilters
from tracker.incidents.queries import scoped
from tracker.incidents.seizures import is_seizure
from tracker.labels import COUNTRY_LABELS, DETECTION_LABELS, OUTCOME_LABELS, label
from tracker.localtime import local_date, start_of_day_utc
from tracker.models import VERIFIED_STATUSES, Incident, IncidentItem, Place, Product, Species, User
from tracker.reports.columns import neutralise
from tracker.reports.rows import Counts

CITES_UNITS = {"pcs": ""}  # a number of specimens has no unit in CITES reports


@dataclass(frozen=True)
class CitesColumn:
    """A column of the Secretariat's template: how a report row fills it (kinds and widths as for
    the incident exports, tracker/reports/columns.py)."""

    name: str
    kind: str
    width: int
    value: Callable


def _joined(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def _location(r) -> str:
    text = visibility.WITHHELD if r.text_withheld else r.location_text
    return _joined(r.place_name, label(COUNTRY_LABELS, r.country) if r.country else "", text)


def _value(r) -> str:
    return f"{r.estimated_value:.2f} {r.currency or ''}".strip() if r.estimated_value is not None else ""


def _additional(r) -> str:
    shared = f"estimated value is for the whole seizure ({r.seizure_rows} rows)" if r.seizure_rows > 1 and \
        r.estimated_value is not None else ""
    return _joined(f"Tracker reference {r.ref}", shared, r.notes)


CITES_COLUMNS = (
    CitesColumn("Date of seizure", "date", 12, lambda r: r.seizure_date),
    CitesColumn("Species (scientific name)", "text", 28, lambda r: r.scientific_name),
    CitesColumn("CITES Appendix", "code", 9, lambda r: r.cites_appendix),
    CitesColumn("Description of specimen", "text", 14, lambda r: r.cites_term or r.product_name),
    CitesColumn("Quantity", "quantity", 10, lambda r: r.quantity),
    CitesColumn("Unit", "code", 8, lambda r: CITES_UNITS.get(r.unit, r.unit)),
    CitesColumn("Reason for seizure", "text", 22, lambda r: r.seizure_reason),
    CitesColumn("Location of seizure", "text", 36, _location),
    CitesColumn("Detection method", "text", 18, lambda r: label(DETECTION_LABELS, r.detection_method)),
    CitesColumn("Mode of transport", "text", 16, lambda r: r.transport_mode),
    CitesColumn("Method of concealment", "text", 20, lambda r: r.concealment),
    CitesColumn("Country of origin", "text", 14, lambda r: r.origin_country),
    CitesColumn("Countries of transit", "text", 16, lambda r: r.transit_countries),
    CitesColumn("Country of destination", "text", 14, lambda r: r.destination_country),
    CitesColumn("Nationality of offenders", "text", 16, lambda r: r.offender_nationalities),
    CitesColumn("Legal or administrative action and penalty", "text", 30,
                lambda r: _joined(label(OUTCOME_LABELS, r.outcome) if r.outcome else "", r.penalty)),
    CitesColumn("Disposal of specimens", "text", 20, lambda r: r.disposal),
    CitesColumn("Estimated value", "text", 16, _value),
    CitesColumn("Additional information", "text", 40, _additional),
)
CITES_HEADER = [c.name for c in CITES_COLUMNS]


@dataclass(frozen=True)
class CitesSelection:
    """A report: the year, and the list's filters within it (the list's order does not apply)."""
    year: int
    filters: IncidentFilters = IncidentFilters()

    def __post_init__(self):
        # The report's order is fixed (oldest seizure first): a list sort is dropped here, once,
        # so it shows in no link, about sheet or audit event.
        object.__setattr__(self, "filters", replace(self.filters, sort="occurred"))

    def to_args(self) -> dict[str, str]:
        """Query-string arguments: for links, background jobs and the audit event."""
        return {"year": str(self.year), **self.filters.to_args()}


def cites_stmt(selection: CitesSelection, user: User) -> Select:
    """The report's rows, oldest seizure first."""
    year = selection.year
    stmt = (
        select(Incident.ref, Incident.occurred_at, Incident.country,
               visibility.location_text_sql(user).label("location_text"),
               visibility.text_withheld_sql(user).label("text_withheld"),
               type_coerce(Incident.detection_method, String).label("detection_method"), Incident.seizure_reason,
               Incident.transport_mode, Incident.concealment, Incident.origin_country, Incident.transit_countries,
               Incident.destination_country, Incident.offender_nationalities,
               type_coerce(Incident.outcome, String).label("outcome"), Incident.penalty, Incident.disposal,
               cast(Incident.estimated_value, Float).label("estimated_value"), Incident.currency,
               Place.name_en.label("place_name"), Species.scientific_name, Species.cites_appendix,
               Product.name_en.label("product_name"), Product.cites_term,
               cast(IncidentItem.quantity, Float).label("quantity"), IncidentItem.unit, IncidentItem.notes,
               func.count().over(partition_by=Incident.id).label("seizure_rows"))
        .join(IncidentItem, IncidentItem.incident_id == Incident.id)
        .join(Species, Species.id == IncidentItem.species_id)
        .join(Product, Product.id == IncidentItem.product_id)
        .outerjoin(Place, Place.id == Incident.place_id)
        .where(Species.cites_appendix.in_(("I", "II", "III")), Incident.status.in_(VERIFIED_STATUSES),
               is_seizure(), Incident.occurred_at >= start_of_day_utc(date(year, 1, 1)),
               Incident.occurred_at < start_of_day_utc(date(year + 1, 1, 1)))
    )
    return scoped(stmt, selection.filters, user).order_by(
        Incident.occurred_at, Incident.id, IncidentItem.position, IncidentItem.id)


class _Row:
    """A result row plus the seizure date in the reporting zone, for the column functions."""

    def __init__(self, row):
        self._row, self.seizure_date = row, local_date(row.occurred_at)

    def __getattr__(self, name):
        return getattr(self._row, name)


def cites_rows(selection: CitesSelection, user: User) -> Iterator[list]:
    """Typed cells in the order of CITES_COLUMNS, text neutralised against formula injection."""
    result = db.session.connection().execution_options(yield_per=1000).execute(cites_stmt(selection, user))
    try:
        for row in result:
            wrapped = _Row(row)
            yield [_cell(column, column.value(wrapped)) for column in CITES_COLUMNS]
    finally:
        result.close()


def _cell(column: CitesColumn, value):
    if column.kind == "text":
        return neutralise(value or "")
    return value


def cites_counts(selection: CitesSelection, user: User) -> Counts:
    """Rows (one per item), and the seizures they come from."""
    rows = cites_stmt(selection, user).order_by(None).subquery()
    count, seizures = db.session.execute(select(func.count(), func.count(distinct(rows.c.ref)))).one()
    return Counts(incidents=seizures, items=count, rows=count)


def cites_rows_rule() -> str:
    """Which rows belong, in words (with `seizure_rule()`, on the reports page and the about-sheet)."""
    return _("Items of CITES-listed species (Appendix I, II or III) in seizures verified by a coordinator "
             "(verified, under investigation or closed), within the filters.")
