"""Who sees what: coordinators, managers and administrators see every dashboard; rangers see the
same pages over their own unit's incidents only."""
import re

import pytest

from tests.dashboards.pages import DashboardPage
from tracker.models import Role

PAGES = ["/dashboards", "/dashboards/poaching", "/dashboards/poaching/map.json"]


@pytest.mark.parametrize("url", PAGES)
def test_sign_in_required(app, client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.MANAGER, Role.ADMIN, Role.RANGER])
@pytest.mark.parametrize("url", PAGES)
def test_every_role_may_open_the_dashboards(demo, client, login_as, role, url):
    login_as(role)
    assert client.get(url).status_code == 200


def incidents_kpi(client, url="/dashboards/snaring") -> int:
    html = client.get(url).get_data(as_text=True)
    return int(re.search(r'id="kpi-incidents"><a href="[^"]*" data-count="(\d+)"', html).group(1))


def test_rangers_see_their_units_incidents_only(demo, client, login_as, ranger_id):
    login_as(Role.COORDINATOR)
    everyone = incidents_kpi(client)
    login_as(ranger_id)
    own = incidents_kpi(client)
    assert 0 < own < everyone
    html = client.get("/dashboards").get_data(as_text=True)
    assert "Incidents of your unit (Land of the Leopard National Park rangers)." in html
    login_as(Role.RANGER, unit="A unit with no incidents")
    assert incidents_kpi(client) == 0


def test_unknown_category_is_404(demo, client, login_as):
    login_as(Role.COORDINATOR)
    assert client.get("/dashboards/no-such-thing").status_code == 404
    assert client.get("/dashboards/no-such-thing/map.json").status_code == 404


def test_empty_database_renders_zeroes(app, client, login_as):
    from tests.support.incidents import seed

    seed(app)
    login_as(Role.MANAGER)
    overview = client.get("/dashboards")
    assert overview.status_code == 200
    assert DashboardPage(overview.get_data(as_text=True)).links and all(
        count == 0 for _, count in DashboardPage(overview.get_data(as_text=True)).links)
    page = client.get("/dashboards/trafficking").get_data(as_text=True)
    assert "No incidents match these filters." in page
    assert client.get("/dashboards/trafficking/map.json").get_json() == {"mode": "points", "points": []}


def test_overview_without_categories(app, client, login_as):
    login_as(Role.COORDINATOR)
    assert "No categories are set up yet." in client.get("/dashboards").get_data(as_text=True)
