"""Links and chart data for the dashboard pages.

Charts get their data through a data attribute (no inline script under the strict CSP): labels,
values and, for every bar, the link to the incidents behind it.
"""
from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from babel.dates import format_skeleton
from flask import url_for
from flask_babel import get_locale

from tracker.dashboards.months import month_bounds
from tracker.dashboards.summary import Figure, Summary
from tracker.incidents.filters import IncidentFilters


class Drill:
    """Links to the incident list behind each figure: the dashboard's filters with the figure's
    changes. A month becomes its first and last day, within the dashboard's own date range.

    A page has a hundred of these links, so the filters are turned into arguments once.
    """

    def __init__(self, f: IncidentFilters):
        self.filters, self.args, self.path = f, f.to_args(), url_for("incidents.index")

    def __call__(self, changes: dict | None) -> str | None:
        if changes is None:
            return None
        f, changes = self.filters, dict(changes)
        if "month" in changes:
            first, last = month_bounds(changes.pop("month"))
            changes["date_from"] = max(first, f.date_from) if f.date_from else first
            changes["date_to"] = min(last, f.date_to) if f.date_to else last
        args = self.args | {key: value.isoformat() if isinstance(value, date) else str(value)
                            for key, value in changes.items()}
        return f"{self.path}?{urlencode(args)}" if args else self.path


def month_label(key: int, skeleton: str = "yMMM") -> str:
    year, month = divmod(key, 100)
    return format_skeleton(skeleton, date(year, month, 1), locale=str(get_locale() or "en"))


def _chart(figures: list[Figure], drill: Drill, label=lambda figure: figure.label) -> dict:
    return {"labels": [label(figure) for figure in figures], "values": [figure.count for figure in figures],
            "links": [drill(figure.drill) for figure in figures]}


def chart_data(summary: Summary, drill: Drill) -> dict[str, dict]:
    return {
        "trend": _chart(summary.trend, drill, lambda figure: month_label(figure.key)),
        "status": _chart(summary.by_status, drill),
        "detection": _chart(summary.by_detection, drill),
        "products": _chart(summary.top_products, drill),
        "species": _chart(summary.top_species, drill),
    }
