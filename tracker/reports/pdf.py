"""The PDF management report, rendered by WeasyPrint from templates/reports/summary_pdf.html.

WeasyPrint fetches whatever a document links to (stylesheets, images, attachments), and a
`file://` or intranet URL in a PDF is a way to leak files. `StaticFilesOnly` resolves nothing
but files inside the app's static folder, under a base URL that cannot be reached
(`.invalid` is reserved), and refuses every other URL without opening it.
"""
from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app
from flask_babel import get_locale
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from tracker.models import User, utcnow
from tracker.reports.chart import monthly_chart
from tracker.reports.describe import describe_filters
from tracker.reports.summary import Summary

BASE_URL = "https://tracker.invalid/"
STATIC_PREFIX = "/static/"


class BlockedURL(ValueError):
    """A URL outside the app's static files; WeasyPrint logs it and renders without it."""


class StaticFilesOnly(URLFetcher):
    def __init__(self, static_folder: str):
        super().__init__()
        self.root = Path(static_folder).resolve()

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) != ("https", "tracker.invalid") or not parts.path.startswith(STATIC_PREFIX):
            raise BlockedURL(f"not one of the app's static files: {url!r}")
        path = (self.root / unquote(parts.path[len(STATIC_PREFIX):])).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise BlockedURL(f"no such static file: {url!r}")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})


def render_html(summary: Summary, filters, user: User) -> str:
    """The report's HTML (rendered straight from the Jinja environment: it also runs in a
    background job, where there is no request for context processors to look at)."""
    template = current_app.jinja_env.get_template("reports/summary_pdf.html")
    return template.render(s=summary, chart=monthly_chart(summary.months), filters=describe_filters(filters),
                           f=filters, user=user, generated_at=utcnow(),
                           lang=str(get_locale() or "en")[:2], static=STATIC_PREFIX)


def write_pdf(html: str) -> bytes:
    fetcher = StaticFilesOnly(current_app.static_folder)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()
