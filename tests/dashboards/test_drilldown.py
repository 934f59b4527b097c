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
    """The count the incident list shows for `href` (fails unless `href` opens the list)."""
    response = client.get(href)
    assert response.status_code == 200, href
    match = re.search(r'id="result-count"[^>]*>([^<]*)<', response.get_data(as_text=True))
    assert match, f"{href} does not lead to the incident list"
    return int(re.sub(r"\D", "", match.group(1)))


def assert_links_match(app, client, user_id: int, links, over_http: bool) -> None:
    assert links
    with app.test_request_context():
        user = db.session.get(User, user_id)
        for href, count in links:
            filters = FilterForm(list_args(href)).filters()
            assert count_incidents(filters, user) == count, href
    if over_http:
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


def filters_panel(html: str) -> str:
    """The opening tag of the filter panel (a <details> element)."""
    return re.search(r'<details class="filters[^"]*"[^>]*>', html).group(0)


def test_reversed_date_range_is_an_error_and_counted_as_typed(demo, client, login_as):
    """The range is neither dropped nor repaired: the figures and every link count the range as
    typed (it holds nothing), and the dashboard and the list both say why."""
    user_id = login_as(Role.COORDINATOR)
    html = client.get("/dashboards/poaching?date_from=2025-06-01&date_to=2025-01-01").get_data(as_text=True)
    page = DashboardPage(html)
    assert re.search(r'id="date_to-error"[^>]*>The end date is before the start date\.<', html)
    assert filters_panel(html).endswith(" open>")
    assert re.search(r'id="kpi-incidents"[^>]*>\s*<a [^>]*>0<', html)
    links = page.links + page.chart_links()
    for href, _count in links:
        assert (list_args(href)["date_from"], list_args(href)["date_to"]) == ("2025-06-01", "2025-01-01"), href
    assert_links_match(demo, client, user_id, links, over_http=True)
    listed = client.get(links[0][0]).get_data(as_text=True)
    assert "The end date is before the start date." in listed and filters_panel(listed).endswith(" open>")
