"""The manager's start page: this month and this year per category, each against the same days of
the period before (every figure a link to the incidents it counts), and their latest exports."""
from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

from tests.dashboards.conftest import demo  # noqa: F401  (the dashboards' demo incidents)
from tests.dashboards.pages import DashboardPage, list_args
from tests.dashboards.test_drilldown import assert_links_match
from tracker.localtime import local_date
from tracker.models import Role, utcnow


def test_every_figure_is_a_link_to_as_many_incidents(demo, client, login_as):  # noqa: F811
    user_id = login_as(Role.MANAGER)
    page = client.get("/").get_data(as_text=True)
    links = DashboardPage(page).links
    assert len(links) == 7 * 4  # six categories and all together: two figures, each with the one before
    assert_links_match(demo, client, user_id, links, over_http=True)
    assert sum(count for _, count in links) > 0


def test_this_year_is_compared_with_the_same_days_of_last_year(demo, client, login_as):  # noqa: F811
    login_as(Role.MANAGER)
    with demo.app_context():
        today = local_date(utcnow())
    page = client.get("/").get_data(as_text=True)
    total = page.split("<tfoot>")[1]
    year, year_before = [list_args(unescape(href)) for href in re.findall(r'href="([^"]+)"', total)[2:4]]
    assert year["date_from"] == f"{today.year}-01-01" and "category" not in year
    assert year_before["date_from"] == f"{today.year - 1}-01-01"
    last_year = date.fromisoformat(year_before["date_to"])
    assert (last_year.year, last_year.month) == (today.year - 1, today.month) and last_year.day <= today.day


def test_only_managers_get_the_figures_and_exports(demo, client, login_as):  # noqa: F811
    for role in (Role.RANGER, Role.COORDINATOR, Role.ADMIN):
        login_as(role)
        page = client.get("/").get_data(as_text=True)
        assert "figures-table" not in page and "Your latest exports" not in page


def test_the_latest_exports_are_the_managers_own_newest_first(demo, client, login_as):  # noqa: F811
    login_as(Role.MANAGER, username="other_boss")
    client.get("/reports/incidents.geojson?category=snaring").get_data()
    login_as(Role.MANAGER, username="boss")
    assert "You have not exported anything yet." in client.get("/").get_data(as_text=True)
    client.get("/reports/incidents.csv?category=poaching&country=RU").get_data()
    with demo.app_context():
        year = (local_date(utcnow()) - timedelta(days=366)).year
    client.get(f"/reports/cites-aitr.csv?year={year}").get_data()
    page = unescape(client.get("/").get_data(as_text=True))
    exports = page.split('class="export-list"')[1].split("</ul>")[0]
    assert exports.index("CITES report as CSV") < exports.index("CSV: one row per item")
    assert "GeoJSON" not in exports  # someone else's
    assert "Category: Poaching; Country: Russia" in exports and f"Year: {year}" in exports
    assert 'href="/reports?format=csv&category=poaching&country=RU"' in exports
    assert f'href="/reports?format=cites-csv&year={year}"' in exports
