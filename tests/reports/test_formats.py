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


def expected_link(fmt) -> tuple[str, frozenset]:
    """The format's path with the page's filters, the year for the CITES report, and its own arguments."""
    args = {"category": "trafficking", **({"year": "2025"} if fmt.report is CITES else {}), **fmt.query}
    return f"/reports{fmt.path}", frozenset(args.items())


def chosen(client, key: str):
    """The page's one download button, with `key` chosen: the form's GET to reports.chosen."""
    return client.get("/reports/download", query_string={**QUERY, "format": key})


def test_one_choice_of_format_and_one_download_button(client, login_as, dataset):
    login_as(Role.MANAGER)
    html = client.get("/reports", query_string={**QUERY, "format": "geojson"}).get_data(as_text=True)
    radios = re.findall(r'<input[^>]*name="format"[^>]*>', html)
    assert sorted(re.search(r'value="([^"]+)"', radio).group(1) for radio in radios) == sorted(FORMATS)
    assert [radio for radio in radios if "checked" in radio] == [r for r in radios if 'value="geojson"' in r]
    assert html.count('formaction="/reports/download"') == 1
    assert not re.search(r'<select[^>]*name="format"', html)  # no format menu
    assert ' download' not in html and 'data-format=' not in html  # no button per format


@pytest.mark.parametrize("key", FORMATS)
def test_each_format_is_offered_served_and_audited(app, client, login_as, dataset, key):
    fmt = FORMATS[key]
    login_as(Role.MANAGER)
    response = chosen(client, key)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert (location.path, frozenset(parse_qsl(location.query))) == expected_link(fmt)
    response = client.get(response.headers["Location"])
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


def test_an_unknown_format_is_not_found(client, login_as):
    login_as(Role.MANAGER)
    assert client.get("/reports/download?format=exe").status_code == 404


@pytest.mark.parametrize("key", [key for key, fmt in FORMATS.items() if fmt.build])
def test_each_built_format_goes_to_the_background_when_large(app, client, login_as, dataset, key):
    app.config["REPORTS_SYNC_MAX_ROWS"] = 0
    login_as(Role.MANAGER)
    page = unescape(client.get("/reports", query_string=QUERY).get_data(as_text=True))
    option = page.split(f'value="{key}"', 1)[1].split("</li>", 1)[0]
    assert "built in the background" in option  # said before the button is pressed
    offer = chosen(client, key)  # the button leads to the offer of a background build, nothing started
    assert offer.status_code == 200 and f'action="/reports/jobs?kind={key}&' in unescape(offer.get_data(as_text=True))
    path, args = expected_link(FORMATS[key])
    response = client.get(path, query_string=dict(args))  # the file's own URL leads there too
    assert response.status_code == 302 and response.headers["Location"].startswith(f"/reports/download?format={key}&")


def test_streamed_formats_are_never_background_jobs(client, login_as):
    login_as(Role.MANAGER)
    for key, fmt in FORMATS.items():
        if fmt.streams:
            assert client.post(f"/reports/jobs?kind={key}").status_code == 404


def test_every_path_is_documented():
    section = README.read_text(encoding="utf-8").split("## Reports and exports", 1)[1].split("\n## ", 1)[0]
    for fmt in FORMATS.values():
        assert f"`/reports{fmt.path}" in section, fmt.path
