"""The incident list as cards, as a compact table or on a map, as each user chose (remembered on
their account); the map shows the list's own filtered incidents, and sensitive positions reach a
manager without the exact-location right generalised, as on the dashboards."""
from __future__ import annotations

import re

import pytest

from tests.incidents.test_visibility import CELL_LAT, CELL_LON, TRUE_LAT, TRUE_LON, halve_the_box, tiger_site  # noqa: F401
from tests.support.factories import make_user
from tests.support.incidents import make_incident, seed
from tracker.extensions import db
from tracker.models import Role, User

DEER = ("meat", "Cervus nippon", "12", "kg")
LIST_MAP = "/incidents/map.json?category=trafficking"


def choose(client, view, next_url="/incidents?category=poaching"):
    return client.post("/incidents/view", data={"view": view, "next": next_url})


@pytest.fixture
def incidents(app, login_as):
    seed(app)
    with app.app_context():
        reporter = make_user(Role.RANGER, unit="Unit A").id
        for lat in (43.5, 44.5):
            make_incident(reporter, items=[DEER], lat=lat, lon=133.0)
        make_incident(reporter, items=[DEER], category="snaring", lat=45.0, lon=134.0)
    return reporter


def test_cards_by_default_then_the_table_remembered(app, client, login_as, incidents):
    coordinator = login_as(Role.COORDINATOR)
    assert 'class="incident-card"' in client.get("/incidents").get_data(as_text=True)
    response = choose(client, "table")
    assert response.status_code == 302 and response.headers["Location"] == "/incidents?category=poaching"
    page = client.get("/incidents?category=poaching").get_data(as_text=True)
    assert 'class="incident-card"' not in page and page.count('<tr>\n      <td class="ref">') == 2
    headers = re.findall(r'<th scope="col">([^<]+)</th>', page.split('class="incident-table')[1])
    assert headers == ["Reference", "Date", "Category", "Place", "Items", "Status"]
    assert 'value="table" class="" aria-pressed="true"' in page
    with app.app_context():
        assert db.session.get(User, coordinator).list_view == "table"
    login_as(Role.COORDINATOR)  # someone else keeps the cards
    assert 'class="incident-card"' in client.get("/incidents").get_data(as_text=True)


def test_an_unknown_view_or_a_foreign_next_changes_nothing_unsafe(app, client, login_as, incidents):
    user = login_as(Role.MANAGER)
    assert choose(client, "spreadsheet").status_code == 400
    assert choose(client, "map", "https://evil.example/").headers["Location"] == "/incidents"
    assert choose(client, "cards", "//evil.example").headers["Location"] == "/incidents"
    with app.app_context():
        assert db.session.get(User, user).list_view == "cards"


def test_the_map_shows_the_lists_filtered_incidents(app, client, login_as, incidents):
    login_as(Role.COORDINATOR, list_view="map")
    page = client.get("/incidents?category=poaching").get_data(as_text=True)
    assert 'data-map-url="/incidents/map.json?category=poaching"' in page and "incident-card" not in page
    assert 'id="result-count" data-count="2"' in page
    payload = client.get("/incidents/map.json?category=poaching").get_json()
    assert payload["mode"] == "points" and sorted(p[0] for p in payload["points"]) == [43.5, 44.5]
    assert len(client.get("/incidents/map.json").get_json()["points"]) == 3


def test_rangers_list_map_holds_their_units_incidents_only(app, client, login_as, incidents):
    login_as(Role.RANGER, unit="Unit B")
    assert client.get("/incidents/map.json").get_json()["points"] == []
    login_as(Role.RANGER, unit="Unit A")
    assert len(client.get("/incidents/map.json").get_json()["points"]) == 3


def test_a_managers_list_map_never_holds_an_exact_sensitive_position(app, client, login_as, tiger_site):  # noqa: F811
    login_as(Role.MANAGER)
    response = client.get(LIST_MAP)
    text, (point,) = response.get_data(as_text=True), response.get_json()["points"]
    assert point[:2] == [CELL_LAT, CELL_LON] and point[4] is True
    assert str(TRUE_LAT)[:6] not in text and str(TRUE_LON)[:6] not in text
    lat, lon = halve_the_box(client, LIST_MAP)  # fifty halvings of the box end at the cell's centre
    assert abs(lat - CELL_LAT) < 1e-9 and abs(lon - CELL_LON) < 1e-9
    login_as(Role.MANAGER, exact_location_grant=True)  # the right shows it exactly: the rule is what hides it
    assert client.get(LIST_MAP).get_json()["points"][0][:2] == [round(TRUE_LAT, 5), round(TRUE_LON, 5)]
