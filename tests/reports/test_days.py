"""One time-zone model: every output puts an instant on the same day of the reporting zone.

2013-12-31 13:30 UTC is 00:30 on 1 January 2014 in Vladivostok, which was UTC+11 until October
2014; today's fixed offset (UTC+10) would say 31 December 2013. The list, its date filter, the
dashboards, CSV (both the PostgreSQL COPY path and the Python one), XLSX, GeoJSON, the PDF and the
CITES report must all say 1 January 2014."""
from __future__ import annotations

import io
import json
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.reports.helpers import read_csv
from tests.reports.test_pdf import pdf_text
from tests.support.factories import make_user
from tracker.extensions import db
from tracker.incidents.services import ItemData, create_incident
from tracker.models import Category, DetectionMethod, IncidentStatus, Product, Role, Species
from tracker.reference.seed import seed_reference

NEW_YEAR_NIGHT = datetime(2013, 12, 31, 13, 30, tzinfo=timezone.utc)


@pytest.fixture
def new_year_seizure(app) -> str:
    with app.app_context():
        seed_reference(db.session)
        reporter = make_user(Role.RANGER, unit="Leopard team")
        category = db.session.scalar(db.select(Category.id).where(Category.slug == "trafficking"))
        product = db.session.scalar(db.select(Product.id).where(Product.slug == "skin"))
        tiger = db.session.scalar(db.select(Species.id).where(Species.scientific_name == "Panthera tigris altaica"))
        incident = create_incident(
            {"category_id": category, "occurred_at": NEW_YEAR_NIGHT, "detection_method": DetectionMethod.CHECKPOINT,
             "seizure_reason": "No CITES permit"},
            [ItemData(product, tiger, Decimal("1"), "pcs")], reporter, IncidentStatus.VERIFIED)
        db.session.commit()
        return incident.ref


def test_the_list_and_its_date_filter(client, login_as, new_year_seizure):
    login_as(Role.MANAGER)
    assert new_year_seizure in client.get("/incidents?date_from=2014-01-01&date_to=2014-01-01").get_data(as_text=True)
    assert new_year_seizure not in client.get("/incidents?date_to=2013-12-31").get_data(as_text=True)


def test_the_dashboard_month(client, login_as, new_year_seizure):
    from tests.dashboards.pages import DashboardPage

    login_as(Role.MANAGER)
    page = DashboardPage(client.get("/dashboards/trafficking?date_from=2013-12-01&date_to=2014-01-31")
                         .get_data(as_text=True))
    assert page.charts["trend"]["values"] == [0, 1]


@pytest.mark.parametrize("url", ["/reports/incidents.csv", "/reports/incidents.csv?bom=1"])
def test_csv(client, login_as, new_year_seizure, url):
    login_as(Role.MANAGER)
    (row,) = read_csv(client.get(url).data)
    assert (row["occurred_at_utc"], row["occurred_date"]) == ("2013-12-31T13:30:00Z", "2014-01-01")


def test_xlsx(client, login_as, new_year_seizure):
    login_as(Role.MANAGER)
    sheet = load_workbook(io.BytesIO(client.get("/reports/incidents.xlsx").data))["incidents"]
    header, row = list(sheet.iter_rows(values_only=True))
    values = dict(zip(header, row, strict=True))
    assert values["occurred_date"].date() == date(2014, 1, 1)


def test_geojson(client, login_as, new_year_seizure):
    login_as(Role.MANAGER)
    (feature,) = json.loads(client.get("/reports/incidents.geojson").data)["features"]
    assert feature["properties"]["occurred_date"] == "2014-01-01"


def test_pdf_period(client, login_as, new_year_seizure, tmp_path):
    login_as(Role.MANAGER)
    assert "Period: 1 January 2014 – 1 January 2014" in pdf_text(client.get("/reports/summary.pdf").data, tmp_path)


def test_cites_year_and_date(client, login_as, new_year_seizure):
    login_as(Role.MANAGER)
    assert read_csv(client.get("/reports/cites-aitr.csv?year=2013").data) == []
    (row,) = read_csv(client.get("/reports/cites-aitr.csv?year=2014").data)
    assert row["Date of seizure"] == "2014-01-01"
    sheet = load_workbook(io.BytesIO(client.get("/reports/cites-aitr.xlsx?year=2014").data))["illegal trade report"]
    assert list(sheet.iter_rows(values_only=True))[1][0].date() == date(2014, 1, 1)


def test_pdf_months(app, login_as, new_year_seizure):
    from tracker.incidents.filters import IncidentFilters
    from tracker.models import User
    from tracker.reports.summary import build_summary

    manager_id = login_as(Role.MANAGER)
    with app.test_request_context():
        assert build_summary(IncidentFilters(), db.session.get(User, manager_id)).months == [(201401, 1)]
