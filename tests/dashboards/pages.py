"""Reading a dashboard page as a user's browser gets it: its counted links and chart data."""
from __future__ import annotations

import json
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

from werkzeug.datastructures import MultiDict


class DashboardPage(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.links: list[tuple[str, int]] = []     # (href, the count it shows)
        self.charts: dict[str, dict] = {}          # figure id -> {"labels", "values", "links"}
        self.ids: dict[str, dict] = {}
        self._figure = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids[attrs["id"]] = attrs
        if tag == "figure":
            self._figure = attrs.get("id")
        if tag == "a" and "data-count" in attrs:
            self.links.append((attrs["href"], int(attrs["data-count"])))
        if tag == "canvas" and "data-chart" in attrs:
            self.charts[self._figure] = json.loads(attrs["data-chart"])

    def chart_links(self) -> list[tuple[str, int]]:
        return [(link, value) for chart in self.charts.values()
                for link, value in zip(chart["links"], chart["values"], strict=True) if link]

    def chart_values(self, figure_id: str) -> dict[str, int]:
        chart = self.charts[figure_id]
        return dict(zip(chart["labels"], chart["values"], strict=False))


def list_args(href: str) -> MultiDict:
    """The query string of a link to the incident list."""
    parts = urlsplit(href)
    assert parts.path == "/incidents", href
    return MultiDict([(key, value) for key, values in parse_qs(parts.query).items() for value in values])
