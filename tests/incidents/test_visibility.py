"""Attacks on sensitive positions by a user without the exact-location right (a manager): by boxes
and grids, by free text, by hints, through every page and export. They learn the 0.1° cell, never
more; users with the right (coordinators, granted managers) keep the exact position, so each test
shows it would fail if the rule were missing."""
from __future__ import annotations

import io
import json
from datetime import datetime, timedelta, timezone

import pytest
from openpyxl import load_workbook

from tests.reports.helpers import read_csv
from tests.support.incidents import make_incident, seed
from tracker.dashboards import mapdata
from tracker.extensions import db
from tracker.models import Incident, IncidentStatus, Role

TRUE_LAT, TRUE_LON = 43.123456, 131.987654  # stored to six decimals
CELL_LAT, CELL_LON = 43.15, 131.95         # the centre of its 0.1° cell
PLACE_TEXT = "Forest road 3 km N of Kedrovaya Pad cordon"
TIGER = ("skin", "Panthera tigris altaica", "1", "pcs")
DEER = ("meat", "Cervus nippon", "12", "kg")
WHEN = datetime(2026, 3, 1, 12, tzinfo=timezone.utc)


@pytest.fixture
def tiger_site(app, login_as) -> int:
    seed(app)
    reporter = login_as(Role.RANGER, unit="Leopard team")
    with app.app_context():
        return make_incident(reporter, items=[TIGER], lat=TRUE_LAT, lon=TRUE_LON, location_text=PLACE_TEXT,
                             occurred_at=WHEN, status=IncidentStatus.VERIFIED, category="trafficking",
                             seizure_reason="No permit").id


DASHBOARD_MAP = "/dashboards/trafficking/map.json?date_from=&date_to="


def found_in(client, west, south, east, north, url=DASHBOARD_MAP) -> bool:
    payload = client.get(f"{url}&bbox={west!r},{south!r},{east!r},{north!r}").get_json()
    return bool(payload["points"])


def halve_the_box(client, url=DASHBOARD_MAP) -> tuple[float, float]:
    """The attack: start from a box known to hold the incident and halve it fifty times, keeping
    the half where the map (the dashboard's, or another `url` of the same payload) still shows
    it. Returns where the attacker ends up."""
    west, south, east, north = 131.0, 43.0, 132.5, 44.0
    assert found_in(client, west, south, east, north, url)
    for _ in range(50):
        middle = (south + north) / 2
        south, north = (south, middle) if found_in(client, west, south, east, middle, url) else (middle, north)
        middle = (west + east) / 2
        west, east = (west, middle) if found_in(client, west, south, middle, north, url) else (middle, east)
    return (south + north) / 2, (west + east) / 2


@pytest.mark.parametrize(("role", "fields", "sees_exact"), [
    (Role.MANAGER, {}, False), (Role.MANAGER, {"exact_location_grant": True}, True), (Role.COORDINATOR, {}, True)])
def test_halving_a_map_box_fifty_times_finds_the_cell_centre_only(app, client, login_as, tiger_site, role, fields,
                                                                 sees_exact):
    login_as(role, **fields)
    lat, lon = halve_the_box(client)
    expected = (TRUE_LAT, TRUE_LON) if sees_exact else (CELL_LAT, CELL_LON)
    assert abs(lat - expected[0]) < 1e-9 and abs(lon - expected[1]) < 1e-9


def test_a_map_grid_counts_the_cell_centre(app, client, login_as, tiger_site, monkeypatch):
    """Grids of 0.25° do not nest 0.1° cells: counted on true positions, the 0.25° cell a point
    falls in would tell on which side of 43.25 it lies inside its 0.1° cell."""
    monkeypatch.setattr(mapdata, "MAX_POINTS", 0)  # always a grid
    with app.app_context():
        db.session.get(Incident, tiger_site).lat = 43.21  # cell [43.2, 43.3), centre 43.25
        db.session.commit()
    url = "/dashboards/trafficking/map.json?date_from=&date_to=&bbox="
    for role, centre in ((Role.MANAGER, 43.375), (Role.COORDINATOR, 43.125)):
        login_as(role)
        payload = client.get(url + "126,40,138,46").get_json()
        assert payload["mode"] == "grid" and payload["cell"] == 0.25
        assert [cell[0] for cell in payload["cells"]] == [centre]
    login_as(Role.MANAGER)  # a box around the true position, not the cell centre: nothing
    payload = client.get(url + "131.97,43.2,131.99,43.22").get_json()
    assert not payload.get("cells") and not payload.get("points")


@pytest.mark.parametrize(("role", "fields", "finds"), [
    (Role.MANAGER, {}, False), (Role.MANAGER, {"exact_location_grant": True}, True), (Role.COORDINATOR, {}, True)])
def test_free_text_search_does_not_look_into_withheld_descriptions(client, login_as, tiger_site, role, fields, finds):
    login_as(role, **fields)
    for url in ("/incidents?q=Kedrovaya", "/reports/incidents.csv?q=Kedrovaya",
                "/reports/incidents.geojson?q=Kedrovaya", "/dashboards/trafficking/map.json?q=Kedrovaya&date_from="):
        body = client.get(url).get_data(as_text=True)
        assert (str(tiger_site) in body and ("INC-" in body or "points" in body)) is finds, url


def test_the_incident_page_withholds_the_place_and_generalises_the_position(app, client, login_as, tiger_site):
    login_as(Role.COORDINATOR)
    with app.app_context():  # an edit whose history would show the old and new text and position
        change_facts(tiger_site, location_text="Forest road 2 km N of the cordon", lat=43.12411)
    page = client.get(f"/incidents/{tiger_site}").get_data(as_text=True)
    assert "Forest road 2 km N" in page and "Kedrovaya" in page and "43.12411" in page
    login_as(Role.MANAGER)
    page = client.get(f"/incidents/{tiger_site}").get_data(as_text=True)
    assert "Forest road" not in page and "Kedrovaya" not in page
    assert "Withheld: the incident concerns a sensitive species." in page
    assert "43.12" not in page and "131.98" not in page and "43.15000, 131.95000" in page


def change_facts(incident_id: int, **facts) -> None:
    from decimal import Decimal

    from tracker.incidents.services import ItemData, update_incident

    incident = db.session.get(Incident, incident_id)
    items = [ItemData(i.product_id, i.species_id, Decimal(i.quantity), i.unit, i.notes) for i in incident.items]
    update_incident(incident, facts, items, incident.reporter)
    db.session.commit()


def export_cells(client, fmt: str) -> dict:
    """The tiger incident's location columns, as each export writes them."""
    if fmt == "csv":
        (row,) = read_csv(client.get("/reports/incidents.csv").data)
        return {k: row[k] for k in ("location_text", "lat", "lon", "coordinate_precision")}
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(client.get("/reports/incidents.xlsx").data))["incidents"]
        header, row = list(sheet.iter_rows(values_only=True))
        values = dict(zip(header, row, strict=True))
        return {k: str(values[k]) for k in ("location_text", "lat", "lon", "coordinate_precision")}
    (feature,) = json.loads(client.get("/reports/incidents.geojson").data)["features"]
    lon, lat = feature["geometry"]["coordinates"]
    return {"location_text": feature["properties"]["location_text"], "lat": str(lat), "lon": str(lon),
            "coordinate_precision": feature["properties"]["coordinate_precision"]}


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "geojson"])
def test_exports_withhold_the_place_and_generalise_the_position(client, login_as, tiger_site, fmt):
    login_as(Role.MANAGER)
    assert export_cells(client, fmt) == {"location_text": "[withheld]", "lat": "43.15", "lon": "131.95",
                                         "coordinate_precision": "0.1deg"}
    login_as(Role.MANAGER, exact_location_grant=True)
    assert export_cells(client, fmt) == {"location_text": PLACE_TEXT, "lat": str(TRUE_LAT), "lon": str(TRUE_LON),
                                         "coordinate_precision": "exact"}


def test_the_cites_report_withholds_the_place(client, login_as, tiger_site):
    login_as(Role.MANAGER)
    (row,) = read_csv(client.get("/reports/cites-aitr.csv?year=2026").data)
    assert "Kedrovaya" not in row["Location of seizure"] and "[withheld]" in row["Location of seizure"]


def test_duplicate_hints_use_the_positions_the_user_sees(app, client, login_as, tiger_site):
    """A skin seized 3.7 km south-east of the tiger skin, but 7.9 km from the tiger's cell centre:
    a hint shown to the manager would tell that the tiger lies within 5 km of it."""
    with app.app_context():
        reporter = db.session.get(Incident, tiger_site).reporter_id
        deer = make_incident(reporter, items=[("skin", "Cervus nippon", "1", "pcs")], category="trafficking",
                             lat=43.10, lon=132.02, occurred_at=WHEN + timedelta(hours=3)).id
    login_as(Role.COORDINATOR)
    assert f"/incidents/{tiger_site}\"" in client.get(f"/incidents/{deer}").get_data(as_text=True)
    login_as(Role.MANAGER)
    assert f"/incidents/{tiger_site}\"" not in client.get(f"/incidents/{deer}").get_data(as_text=True)


def test_duplicate_hints_stay_within_the_rangers_unit(app, client, login_as, tiger_site):
    from tests.incidents.test_create import valid_form
    from tests.support.incidents import product_id

    login_as(Role.RANGER, unit="Bikin rangers")
    with app.app_context():
        skin, other_ref = product_id("skin"), db.session.get(Incident, tiger_site).ref
    form = valid_form(app, category="trafficking", lat=str(TRUE_LAT), lon=str(TRUE_LON), place="",
                      occurred_at=(WHEN + timedelta(hours=10)).strftime("%Y-%m-%dT%H:%M"),
                      **{"items-0-product": str(skin), "items-1-product": None, "items-1-species": None,
                         "items-1-quantity": None, "items-1-unit": None, "items-1-notes": None})
    response = client.post("/incidents/new", data=form, follow_redirects=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "recorded and submitted" in body
    assert other_ref not in body and "Possible duplicate" not in body
