"""The registry of export formats (tracker/reports/formats.py) is what the page offers, what the
routes serve and what the background rule sizes: each entry, as a user meets it."""
from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.reports.helpers import README, export_events
from tracker.models import Role
from tracker.reports.formats import CITES, FORMATS

QUERY = {"category": "trafficking", "year": "2025"}


def links(client, query: dict) -> dict[tuple[str, frozenset], str]:
    """(path, query arguments) -> href of every download link on the reports page."""
    html = client.get("/reports", query_string=query).get_data(as_text=True)
    hrefs = [unescape(href) for href in re.findall(r'<a role="button" href="([^"]+)" download', html)]
    return {(urlsplit(href).path, frozenset(parse_qsl(urlsplit(href).query))): href for href in hrefs}


def expected_link(fmt) -> tuple[str, frozenset]:
    """The format's path with the page's filters, the year for the CITES report, and its own arguments."""
    args = {"category": "trafficking", **({"year": "2025"} if fmt.report is CITES else {}), **fmt.query}
    return f"/reports{fmt.path}", frozenset(args.items())


@pytest.mark.parametrize("key", FORMATS)
def test_each_format_is_offered_served_and_audited(app, client, login_as, dataset, key):
    fmt = FORMATS[key]
    login_as(Role.MANAGER)
    href = links(client, QUERY)[expected_link(fmt)]
    response = client.get(href)
    assert response.status_code == 200
    assert response.mimetype == fmt.mimetype
    assert response.headers["Content-Disposition"].startswith("attachment")
    if fmt.streams:
        assert response.is_streamed  # starts before the last row is read
    response.get_data()
    response.close()
    with app.app_context():
        (event,) = export_events()
        assert event.changes["format"] == fmt.audit
        assert event.changes["filters"]["category"] == "trafficking"


@pytest.mark.parametrize("key", [key for key, fmt in FORMATS.items() if fmt.build])
def test_each_built_format_goes_to_the_background_when_large(app, client, login_as, dataset, key):
    app.config["REPORTS_SYNC_MAX_ROWS"] = 0
    login_as(Role.MANAGER)
    path, args = expected_link(FORMATS[key])
    response = client.get(path, query_string=dict(args))
    assert response.status_code == 302 and response.headers["Location"].startswith(f"/reports?format={key}&")
    page = unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert f'action="/reports/jobs?kind={key}&' in page


def test_streamed_formats_are_never_background_jobs(client, login_as):
    login_as(Role.MANAGER)
    for key, fmt in FORMATS.items():
        if fmt.streams:
            assert client.post(f"/reports/jobs?kind={key}").status_code == 404


def test_every_path_is_documented():
    section = README.read_text(encoding="utf-8").split("## Reports and exports", 1)[1].split("\n## ", 1)[0]
    for fmt in FORMATS.values():
        assert f"`/reports{fmt.path}" in section, fmt.path
