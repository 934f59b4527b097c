"""Every number on the dashboards links to the incident list with the same filters, and the
list counts exactly that many incidents: through the list's own query, and over HTTP."""
import re

import pytest

from tests.dashboards.pages import DashboardPage, list_args
from tests.support.incidents import place_id
from tracker.extensions import db
from tracker.incidents.filters import FilterForm
from tracker.incidents.queries import count_incidents
from tracker.models import Role, User


def links_of(client, url: str) -> list[tuple[str, int]]:
    response = client.get(url)
    assert response.status_code == 200
    page = DashboardPage(response.get_data(as_text=True))
    return page.links + page.chart_links()


def list_count(client, href: str) -> int:
    html = client.get(href).get_data(as_text=True)
    match = re.search(r'id="result-count"[^>]*>([^<]*)<', html)
    return int(re.sub(r"\D", "", match.group(1)))


def assert_links_match(app, client, user_id: int, links, over_http: bool) -> None:
    assert links
    with app.test_request_context():
        user = db.session.get(User, user_id)
        for href, count in links:
            filters = FilterForm(list_args(href)).filters()
            assert count_incidents(filters, user) == count, href
    if over_http:
        assert "incidents.index" in app.view_functions
        for href, count in links:
            assert list_count(client, href) == count, href


@pytest.mark.parametrize("query", ["", "?country=RU", "?status=open", "?date_from=2025-01-10&date_to=2025-06-20"])
def test_category_links_lead_to_lists_of_the_same_count(demo, client, login_as, query):
    user_id = login_as(Role.COORDINATOR)
    links = links_of(client, f"/dashboards/poaching{query}")
    assert len(links) > 40  # KPIs, every chart bar, every table row
    assert_links_match(demo, client, user_id, links, over_http=query == "")


def test_place_filtered_links_keep_the_place(demo, client, login_as):
    user_id = login_as(Role.MANAGER)
    with demo.app_context():
        region = place_id("Primorsky Krai")
    links = links_of(client, f"/dashboards/snaring?place={region}")
    assert all("place=" in href for href, _ in links)
    assert_links_match(demo, client, user_id, links, over_http=False)


def test_overview_links_lead_to_lists_of_the_same_count(demo, client, login_as):
    user_id = login_as(Role.COORDINATOR)
    links = links_of(client, "/dashboards")
    assert len(links) == 6 * (5 + 12)  # five figures and twelve months per category
    assert_links_match(demo, client, user_id, links, over_http=True)


def test_rangers_links_match_their_own_list(demo, client, login_as, ranger_id):
    login_as(ranger_id)
    for url in ("/dashboards", "/dashboards/snaring"):
        assert_links_match(demo, client, ranger_id, links_of(client, url), over_http=url == "/dashboards")
