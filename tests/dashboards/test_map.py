"""The map payload: sensitive incidents generalised on the server for users without the
exact-location right, a grid instead of points above 5,000, and the visible box respected."""
import json

from sqlalchemy import func, select, update

from tests.support.incidents import category_id, make_incident, seed
from tracker.dashboards.mapdata import MAX_POINTS, cell_size, parse_bbox
from tracker.extensions import db
from tracker.incidents.demo import generate
from tracker.models import Incident, Role

TIGER = ("skin", "Panthera tigris altaica", "1", "pcs")   # CITES Appendix I: sensitive
DEER = ("meat", "Cervus nippon", "12", "kg")


def two_incidents(app, reporter_id):
    with app.app_context():
        make_incident(reporter_id, items=[TIGER], lat=43.1234, lon=131.4567)
        make_incident(reporter_id, items=[DEER], lat=44.9876, lon=133.0123)


def map_json(client, query=""):
    response = client.get(f"/dashboards/poaching/map.json{query}")
    assert response.status_code == 200 and response.is_json
    return response.get_json(), response.get_data(as_text=True)


def test_manager_gets_sensitive_points_on_the_grid_only(app, client, login_as):
    seed(app)
    two_incidents(app, login_as(Role.MANAGER))
    payload, text = map_json(client)
    assert payload["mode"] == "points"
    points = {round(p[0], 2): p for p in payload["points"]}
    assert points[43.15][:2] == [43.15, 131.45] and points[43.15][4] is True
    assert points[44.99][:2] == [44.9876, 133.0123] and points[44.99][4] is False
    assert "43.1234" not in text and "131.4567" not in text


def test_coordinator_and_granted_manager_get_exact_points(app, client, login_as):
    seed(app)
    for role, fields in ((Role.COORDINATOR, {}), (Role.MANAGER, {"exact_location_grant": True})):
        two_incidents(app, login_as(role, **fields))
        payload, _ = map_json(client)
        assert [43.1234, 131.4567] in [p[:2] for p in payload["points"]]
        assert not any(p[4] for p in payload["points"])


def test_above_the_limit_the_database_counts_on_a_grid(app, client, login_as):
    seed(app)
    reporter = login_as(Role.MANAGER)
    with app.app_context():
        generate(MAX_POINTS + 200, seed=3)
        db.session.execute(update(Incident).values(category_id=category_id("poaching")))
        db.session.commit()
        located = db.session.scalar(select(func.count()).where(Incident.lat.is_not(None)))
    payload, _ = map_json(client, "?date_from=&date_to=")
    assert payload["mode"] == "grid" and payload["total"] == located
    size = payload["cell"]
    assert size >= 0.1
    for lat, _lon, count in payload["cells"]:
        assert count > 0
        assert abs((lat / size - 0.5) - round(lat / size - 0.5)) < 1e-6  # a cell centre, not a position
    assert len(json.dumps(payload)) < 100_000
    assert reporter


def test_only_incidents_inside_the_box_are_sent(app, client, login_as):
    seed(app)
    two_incidents(app, login_as(Role.COORDINATOR))
    payload, _ = map_json(client, "?bbox=130,42,132,44")
    assert [p[:2] for p in payload["points"]] == [[43.1234, 131.4567]]
    everything, _ = map_json(client, "?bbox=nonsense")
    assert len(everything["points"]) == 2


def test_rangers_map_holds_their_units_incidents(app, client, login_as):
    seed(app)
    other = login_as(Role.RANGER, unit="Bikin rangers")
    two_incidents(app, other)
    login_as(Role.RANGER, unit="Lazo rangers")
    payload, _ = map_json(client)
    assert payload["points"] == []


def test_bbox_parsing_and_cell_sizes():
    assert parse_bbox("130,42,132,44") == (130.0, 42.0, 132.0, 44.0)
    assert parse_bbox("-200,-100,200,100") == (-180.0, -90.0, 180.0, 90.0)
    for bad in (None, "", "1,2,3", "a,b,c,d", "5,5,4,6", "nan,1,2,3", "1,2,inf,4"):
        assert parse_bbox(bad) is None
    assert cell_size((130, 42, 131, 43)) == 0.1
    assert cell_size((100, 30, 160, 60)) == 2.0
    assert cell_size(None) == 10.0
