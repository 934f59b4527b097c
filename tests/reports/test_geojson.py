"""The GeoJSON export: an RFC 7946 FeatureCollection a GIS opens as is."""
from __future__ import annotations

import json

from tests.reports.helpers import documented_columns, export_events
from tracker.models import Role


def collection(client, url="/reports/incidents.geojson") -> dict:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    assert response.is_streamed
    return json.loads(response.data.decode("utf-8"))


def test_a_well_formed_feature_collection_in_lon_lat_order(client, login_as, dataset):
    login_as(Role.MANAGER, exact_location_grant=True)
    data = collection(client)
    assert data["type"] == "FeatureCollection" and "crs" not in data  # RFC 7946: WGS 84 only
    assert len(data["features"]) == 5
    by_ref = {f["properties"]["incident_ref"]: f for f in data["features"]}
    tiger = by_ref[dataset.refs["tiger"]]
    assert tiger["type"] == "Feature"
    assert tiger["geometry"] == {"type": "Point", "coordinates": [131.5678, 43.1234]}  # longitude first
    assert by_ref[dataset.refs["empty"]]["geometry"] is None
    for feature in data["features"]:
        if feature["geometry"]:
            lon, lat = feature["geometry"]["coordinates"]
            assert 120 < lon < 140 and 40 < lat < 50


def test_properties_are_the_csv_columns(client, login_as, dataset):
    login_as(Role.MANAGER, language="ru")
    data = collection(client)
    tiger = next(f for f in data["features"] if f["properties"]["incident_ref"] == dataset.refs["tiger"])
    properties = tiger["properties"]
    assert list(properties) == documented_columns("Incident columns") + ["items"]
    assert [list(item) for item in properties["items"]] == [documented_columns("Item columns")] * 2
    assert properties["occurred_at_utc"] == "2025-03-14T23:30:00Z" and properties["occurred_date"] == "2025-03-15"
    assert properties["description"] == "Шкура тигра в багажнике; 虎皮在后备箱"
    assert properties["items"][1]["quantity"] == 3.5 and properties["items"][1]["species_name"] == "Амурский тигр"
    assert properties["items"][0]["item_notes"] == "=HYPERLINK(\"http://evil\")"  # not a spreadsheet: as recorded


def test_sensitive_points_are_generalised_and_said_so(app, client, login_as, dataset):
    login_as(Role.MANAGER)
    data = collection(client, "/reports/incidents.geojson?sensitive=1")
    assert data["coordinate_policy"].startswith("Coordinates of sensitive incidents are generalised")
    (tiger,) = data["features"]
    assert tiger["geometry"]["coordinates"] == [131.55, 43.15]
    assert tiger["properties"]["coordinate_precision"] == "0.1deg"
    with app.app_context():
        (event,) = export_events()
        assert event.changes["format"] == "geojson" and event.changes["rows"] == 1
        assert event.changes["generalised"] is True


def test_no_features_is_still_valid(client, login_as, dataset):
    login_as(Role.MANAGER)
    assert collection(client, "/reports/incidents.geojson?q=nothing-matches")["features"] == []
