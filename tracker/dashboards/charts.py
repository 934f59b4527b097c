"""Links and chart data for the dashboard pages.

Charts get their data through a data attribute (no inline script under the strict CSP): labels,
values and, for every bar, the link to the incidents behind it.
"""
from __future__ import annotations

from datetime import date

from babel.dates import format_skeleton
from flask import url_for
from flask_babel import get_locale

from tracker.dashboards.summary import Figure, Summary
from tracker.incidents.filters import IncidentFilters
from tracker.reporting_time import month_bounds


def drill_url(f: IncidentFilters, changes: dict | None) -> str | None:
    """The incident list behind a figure: the dashboard's filters with the figure's changes.

    A month becomes its first and last day, within the dashboard's own date range.
    """
    if changes is None:
        return None
    changes = dict(changes)
    if "month" in changes:
        first, last = month_bounds(changes.pop("month"))
        changes["date_from"] = max(first, f.date_from) if f.date_from else first
        changes["date_to"] = min(last, f.date_to) if f.date_to else last
    return url_for("incidents.index", **f.to_args(**changes))


def month_label(key: int, skeleton: str = "yMMM") -> str:
    year, month = divmod(key, 100)
    return format_skeleton(skeleton, date(year, month, 1), locale=str(get_locale() or "en"))


def _chart(figures: list[Figure], f: IncidentFilters, label=lambda figure: figure.label) -> dict:
    return {"labels": [label(figure) for figure in figures], "values": [figure.count for figure in figures],
            "links": [drill_url(f, figure.drill) for figure in figures]}


def chart_data(summary: Summary, f: IncidentFilters) -> dict[str, dict]:
    return {
        "trend": _chart(summary.trend, f, lambda figure: month_label(figure.key)),
        "status": _chart(summary.by_status, f),
        "detection": _chart(summary.by_detection, f),
        "products": _chart(summary.top_products, f),
        "species": _chart(summary.top_species, f),
    }
