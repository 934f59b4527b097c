"""The incident CSV: exactly the filtered incidents, one row per item, documented columns, text
that survives any language and never runs as a formula, and an audit event per download."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from tests.reports.helpers import csv_header, documented_columns, export_events, read_csv
from tracker.audit.chain import verify_chain
from tracker.extensions import db
from tracker.incidents.demo import generate
from tracker.incidents.filters import IncidentFilters
from tracker.incidents.queries import count_incidents
from tracker.models import Incident, IncidentItem, Product, Role, User
from tracker.reports.columns import CSV_HEADER


def test_header_is_the_documented_one(client, login_as, dataset):
    login_as(Role.MANAGER)
    response = client.get("/reports/incidents.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    header = csv_header(response.data)
    assert header == documented_columns("Incident columns") + documented_columns("Item columns")
    assert header == CSV_HEADER


def test_one_row_per_item_and_one_for_an_incident_without_items(app, client, login_as, dataset):
    user_id = login_as(Role.MANAGER)
    rows = read_csv(client.get("/reports/incidents.csv").data)
    with app.app_context():
        user = db.session.get(User, user_id)
        assert len({r["incident_ref"] for r in rows}) == count_incidents(IncidentFilters(), user) == 5
    assert len(rows) == 6  # 2 tiger items + 1 + 1 empty + 1 + 1
    empty = [r for r in rows if r["incident_ref"] == dataset.refs["empty"]]
    assert len(empty) == 1 and empty[0]["item_no"] == "" and empty[0]["product"] == ""
    tiger = [r for r in rows if r["incident_ref"] == dataset.refs["tiger"]]
    assert [(r["item_no"], r["product"], r["quantity"], r["quantity_unit"]) for r in tiger] == [
        ("1", "skin", "1", "pcs"), ("2", "bone", "3.5", "kg")]
    assert tiger[0]["description"] == tiger[1]["description"]  # incident columns repeated
    order = ["musk-draft", "logs", "empty", "snares", "tiger", "tiger"]  # the list's order: newest first
    assert [r["incident_ref"] for r in rows] == [dataset.refs[name] for name in order]


def test_rows_follow_the_list_filters(app, client, login_as, dataset):
    user_id = login_as(Role.MANAGER)
    rows = read_csv(client.get("/reports/incidents.csv?category=poaching&date_from=2025-06-01").data)
    assert sorted(r["incident_ref"] for r in rows) == sorted([dataset.refs["snares"], dataset.refs["empty"]])
    with app.app_context():
        f = IncidentFilters(category="poaching", date_from=date(2025, 6, 1))
        assert count_incidents(f, db.session.get(User, user_id)) == 2


def test_date_filter_uses_the_reporting_zone(client, login_as, dataset):
    """The tiger was seized at 23:30 UTC on 14 March: 15 March in Vladivostok."""
    login_as(Role.MANAGER)
    rows = read_csv(client.get("/reports/incidents.csv?date_from=2025-03-15&date_to=2025-03-15").data)
    assert {r["incident_ref"] for r in rows} == {dataset.refs["tiger"]}
    assert rows[0]["occurred_at_utc"] == "2025-03-14T23:30:00Z"
    assert rows[0]["occurred_date"] == "2025-03-15"


def test_russian_and_chinese_text_round_trips(client, login_as, dataset):
    login_as(Role.MANAGER, language="ru")
    rows = read_csv(client.get("/reports/incidents.csv").data)
    by_ref = {r["incident_ref"]: r for r in rows}
    assert by_ref[dataset.refs["tiger"]]["description"] == "Шкура тигра в багажнике; 虎皮在后备箱"
    assert by_ref[dataset.refs["logs"]]["description"] == "红松原木"
    assert by_ref[dataset.refs["tiger"]]["category_name"] == "Торговля и изъятия"
    assert by_ref[dataset.refs["tiger"]]["species_name"] == "Амурский тигр"


def test_names_in_mongolian_with_the_english_one_where_it_is_missing(app, client, login_as, dataset):
    """The names' SQL (PostgreSQL's COPY) and Python (SQLite) paths agree, fallback included."""
    with app.app_context():
        db.session.execute(update(Product).where(Product.slug == "skin").values(name_mn=""))
        db.session.commit()
    login_as(Role.MANAGER, language="mn")
    rows = read_csv(client.get("/reports/incidents.csv").data)
    tiger = {r["product"]: r for r in rows if r["incident_ref"] == dataset.refs["tiger"]}
    assert tiger["skin"]["category_name"] == "Хууль бус худалдаа ба хураан авалт"
    assert tiger["skin"]["species_name"] == "Амарын бар" and tiger["bone"]["product_name"] == "Яс"
    assert tiger["skin"]["product_name"] == "Skin / pelt"


def test_formula_injection_is_neutralised(client, login_as, dataset):
    login_as(Role.MANAGER)
    rows = read_csv(client.get("/reports/incidents.csv").data)
    snares = next(r for r in rows if r["incident_ref"] == dataset.refs["snares"])
    assert snares["description"] == "'@SUM(1,2)"
    assert snares["location_text"] == "'+7 km north"
    assert snares["penalty"] == "'-5"
    assert snares["patrol_ref"] == "'\tP-1"
    assert snares["item_notes"] == "'\rcarriage"
    skin = next(r for r in rows if r["product"] == "skin")
    assert skin["item_notes"] == "'=HYPERLINK(\"http://evil\")"
    for row in rows:
        assert not any(value[:1] in ("=", "+", "-", "@", "\t", "\r") for value in row.values()), row


def test_cells_read_as_the_values_were_stored(app, client, login_as, dataset):
    """Whichever database writes the lines: full-precision positions (a ranger's degrees, minutes
    and seconds), money with its cents, quantities without trailing zeros, and text with quotes,
    commas and line breaks come back as stored."""
    with app.app_context():
        db.session.execute(update(Incident).where(Incident.ref == dataset.refs["logs"]).values(
            lat=43.17527777777778, lon=131.91694444444445, estimated_value=Decimal("1234.50"),
            description='He said "stop", then,\nran', penalty=""))
        db.session.execute(update(IncidentItem).where(IncidentItem.incident_id == select(Incident.id).where(
            Incident.ref == dataset.refs["logs"]).scalar_subquery()).values(quantity=Decimal("0.125")))
        db.session.commit()
    login_as(Role.MANAGER, exact_location_grant=True)
    rows = read_csv(client.get("/reports/incidents.csv").data)
    logs = next(r for r in rows if r["incident_ref"] == dataset.refs["logs"])
    assert (logs["lat"], logs["lon"]) == ("43.17527777777778", "131.91694444444445")
    assert (logs["estimated_value"], logs["quantity"]) == ("1234.50", "0.125")
    assert logs["description"] == 'He said "stop", then,\nran'
    assert logs["penalty"] == ""
    tiger = next(r for r in rows if r["incident_ref"] == dataset.refs["tiger"])
    assert (tiger["estimated_value"], tiger["occurred_at_utc"], tiger["occurred_date"]) == (
        "150000.00", "2025-03-14T23:30:00Z", "2025-03-15")


def test_byte_order_mark_on_request(client, login_as, dataset):
    login_as(Role.MANAGER)
    assert not client.get("/reports/incidents.csv").data.startswith(b"\xef\xbb\xbf")
    data = client.get("/reports/incidents.csv?bom=1").data
    assert data.startswith(b"\xef\xbb\xbfincident_ref,")


def test_the_download_is_streamed(client, login_as, dataset):
    login_as(Role.MANAGER)
    response = client.get("/reports/incidents.csv", buffered=False)
    assert response.is_streamed
    first = next(response.response)
    assert first.startswith(b"incident_ref,")
    response.close()


@pytest.mark.parametrize("grant,expected", [(False, ("43.15", "131.55", "0.1deg")),
                                            (True, ("43.1234", "131.5678", "exact"))])
def test_sensitive_coordinates_follow_the_exact_location_right(client, login_as, dataset, grant, expected):
    login_as(Role.MANAGER, exact_location_grant=grant)
    rows = read_csv(client.get("/reports/incidents.csv").data)
    tiger = next(r for r in rows if r["incident_ref"] == dataset.refs["tiger"])
    assert (tiger["lat"], tiger["lon"], tiger["coordinate_precision"]) == expected
    snares = next(r for r in rows if r["incident_ref"] == dataset.refs["snares"])
    assert (snares["lat"], snares["lon"], snares["coordinate_precision"]) == ("43.2", "131.3", "exact")
    empty = next(r for r in rows if r["incident_ref"] == dataset.refs["empty"])
    assert (empty["lat"], empty["lon"], empty["coordinate_precision"]) == ("", "", "")


def test_each_download_writes_an_audit_event_when_consumed(app, client, login_as, dataset, caplog):
    login_as(Role.MANAGER, username="boss")
    response = client.get("/reports/incidents.csv?category=poaching", buffered=False)
    with app.app_context():
        assert export_events() == []  # nothing yet: the row count is known at the end
    b"".join(response.response)
    response.close()
    with app.app_context():
        (event,) = export_events()
        assert event.actor_name == "boss" and event.entity_type == "report"
        assert event.changes == {"format": "csv", "filters": {"category": "poaching"}, "rows": 2,
                                 "generalised": True}
        assert verify_chain().ok
    assert "export user='boss' format=csv rows=2" in caplog.text


def test_an_interrupted_download_is_recorded_as_incomplete(app, client, login_as, dataset):
    login_as(Role.MANAGER)
    response = client.get("/reports/incidents.csv", buffered=False)
    next(response.response)  # the header only
    response.close()
    with app.app_context():
        (event,) = export_events()
        assert event.changes["complete"] is False and event.changes["rows"] == 0


def test_a_download_broken_off_mid_stream_leaves_the_app_working(app, client, login_as, dataset):
    with app.app_context():
        generate(600, seed=5)
        db.session.commit()
    login_as(Role.MANAGER)
    response = client.get("/reports/incidents.csv", buffered=False)
    chunks = iter(response.response)
    next(chunks), next(chunks)  # the header and the first 64 KB of rows
    response.close()
    with app.app_context():
        (event,) = export_events()
        assert event.changes["complete"] is False and 0 < event.changes["rows"] < 1000
    rows = read_csv(client.get("/reports/incidents.csv").data)
    with app.app_context():
        assert len({r["incident_ref"] for r in rows}) == 605
