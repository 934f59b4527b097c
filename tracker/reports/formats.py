"""Every export format, in one registry: the reports page lists it, the routes serve it, the
background-build rule sizes it and the audit event names it from here.

A new format is a writer (a module in `exports/`, called from `streams.py` or `builders.py`)
plus one entry in `FORMATS`. The paths are a public interface (README, people's scripts): keep
them. Two formats may share a path when fixed query arguments tell them apart (CSV for Excel is
`/reports/incidents.csv?bom=1`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from flask import abort
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from tracker.incidents.filters import FilterForm, IncidentFilters
from tracker.incidents.visibility import sees_exact_positions
from tracker.models import User
from tracker.reports import builders, streams
from tracker.reports.blueprint import stamp
from tracker.reports.cites import CitesSelection, cites_counts
from tracker.reports.forms import report_years
from tracker.reports.rows import Counts, export_counts

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def incident_filters(args: MultiDict) -> IncidentFilters:
    """The same filters, parsed the same way, as the incident list."""
    return FilterForm(args).filters()


def cites_selection(args: MultiDict) -> CitesSelection:
    """The year (CITES came into force in 1975) and the list's filters; a missing or unknown
    year is refused (400) rather than silently replaced."""
    year = args.get("year", type=int)
    if year is None or not 1975 <= year <= report_years()[0]:
        abort(400)
    return CitesSelection(year, incident_filters(args))


@dataclass(frozen=True)
class Report:
    """What a group of formats exports: its subject, read from the query string, and the counts
    the reports page announces and the background rule measures."""
    parse: Callable[[MultiDict], object]          # query arguments -> subject (with .to_args())
    counts: Callable[[object, User], Counts]


INCIDENTS = Report(incident_filters, export_counts)
CITES = Report(cites_selection, cites_counts)


@dataclass(frozen=True)
class Format:
    key: str                    # on the page (`?format=`) and as a background job's kind
    name: str                   # short, on buttons ("Download CSV")
    label: str                  # one line on the reports page
    report: Report
    path: str                   # under /reports: a public interface
    endpoint: str               # of `path` in the reports blueprint
    mimetype: str
    filename: Callable[[object], str]
    audit: str                  # `format` of the audit event
    coordinates: bool           # holds positions (generalised for users without the exact-location right)
    stream: Callable | None = None                 # (subject, user, tally) -> bytes chunks, sent as read
    build: Callable | None = None                  # (path, subject, user, progress) -> Tally, built whole
    size: Callable[[Counts], int] | None = None    # what REPORTS_SYNC_MAX_ROWS is compared with
    query: dict[str, str] = field(default_factory=dict)  # fixed arguments of its links

    @property
    def streams(self) -> bool:
        return self.stream is not None

    def in_background(self, counts: Counts, limit: int) -> bool:
        """Built whole and too large to build while the browser waits."""
        return self.build is not None and self.size(counts) > limit

    def generalised_for(self, user: User) -> bool:
        """Whether the file moves sensitive positions to their grid cell, for the audit event."""
        return self.coordinates and not sees_exact_positions(user)


def _cites_name(selection: CitesSelection, extension: str) -> str:
    country = f"-{selection.filters.country}" if selection.filters.country else ""
    return f"cites-aitr-{selection.year}{country}.{extension}"


FORMATS = {fmt.key: fmt for fmt in (
    Format("csv", "CSV", _l("CSV: one row per item"), INCIDENTS, "/incidents.csv", "incidents_csv_download",
           "text/csv", lambda f: f"incidents-{stamp()}.csv", "csv", True, stream=streams.incidents_csv),
    Format("csv-excel", _l("CSV for Excel"), _l("CSV for Excel (UTF-8 with byte-order mark)"), INCIDENTS,
           "/incidents.csv", "incidents_csv_download", "text/csv", lambda f: f"incidents-{stamp()}.csv", "csv", True,
           stream=streams.incidents_csv_for_excel, query={"bom": "1"}),
    Format("xlsx", "XLSX", _l("Excel workbook (XLSX): incidents and items sheets"), INCIDENTS, "/incidents.xlsx",
           "incidents_xlsx", XLSX, lambda f: f"incidents-{stamp()}.xlsx", "xlsx", True,
           build=builders.incidents_xlsx, size=lambda counts: counts.rows),
    Format("geojson", "GeoJSON", _l("GeoJSON: one point per incident, for GIS"), INCIDENTS, "/incidents.geojson",
           "incidents_geojson", "application/geo+json", lambda f: f"incidents-{stamp()}.geojson", "geojson", True,
           stream=streams.incidents_geojson),
    Format("pdf", "PDF", _l("PDF: management summary"), INCIDENTS, "/summary.pdf", "summary_pdf", "application/pdf",
           lambda f: f"summary-{stamp()}.pdf", "pdf", False, build=builders.summary_pdf,
           size=lambda counts: counts.incidents),
    Format("cites-xlsx", "XLSX", _l("CITES report as an Excel workbook, with an about sheet"), CITES,
           "/cites-aitr.xlsx", "cites_xlsx", XLSX, lambda s: _cites_name(s, "xlsx"), "cites-aitr-xlsx", False,
           build=builders.cites_xlsx, size=lambda counts: counts.rows),
    Format("cites-csv", "CSV", _l("CITES report as CSV"), CITES, "/cites-aitr.csv", "cites_csv", "text/csv",
           lambda s: _cites_name(s, "csv"), "cites-aitr-csv", False, stream=streams.cites_csv),
)}


def of(report: Report) -> list[Format]:
    return [fmt for fmt in FORMATS.values() if fmt.report is report]


def routes() -> dict[str, str]:
    """Endpoint -> path, one route per path."""
    return {fmt.endpoint: fmt.path for fmt in FORMATS.values()}


def requested(endpoint: str, args: MultiDict) -> Format:
    """The format a request names: by its route, then by the most fixed arguments it carries."""
    candidates = [fmt for fmt in FORMATS.values() if fmt.endpoint == endpoint
                  and all(args.get(key) == value for key, value in fmt.query.items())]
    return max(candidates, key=lambda fmt: len(fmt.query))
