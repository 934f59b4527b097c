"""The PDF management report: HTML from templates/reports/summary_pdf.html, laid out by
WeasyPrint through a URL fetcher that serves the app's static files only (fetcher.py)."""
from __future__ import annotations

from flask import current_app
from flask_babel import get_locale

from tracker.models import User, utcnow
from tracker.reports.chart import monthly_chart
from tracker.reports.describe import describe_filters
from tracker.reports.summary import Summary

BASE_URL = "https://tracker.invalid/"
STATIC_PREFIX = "/static/"


def render_html(summary: Summary, filters, user: User) -> str:
    """The report's HTML (rendered straight from the Jinja environment: it also runs in a
    background job, where there is no signed-in request for context processors to look at)."""
    template = current_app.jinja_env.get_template("reports/summary_pdf.html")
    return template.render(s=summary, chart=monthly_chart(summary.months), filters=describe_filters(filters),
                           f=filters, user=user, generated_at=utcnow(), lang=str(get_locale() or "en")[:2],
                           static=STATIC_PREFIX)


def write_pdf(html: str) -> bytes:
    from weasyprint import HTML

    from tracker.reports.fetcher import StaticFilesOnly

    fetcher = StaticFilesOnly(current_app.static_folder)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()
