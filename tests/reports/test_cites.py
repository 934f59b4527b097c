"""The CITES annual illegal trade report reproduces a known sample, row for row."""
from __future__ import annotations

import io
from datetime import date, datetime, timezone

import pytest
from openpyxl import load_workbook

from tests.reports.conftest import _id, _item
from tests.reports.helpers import export_events, read_csv
from tracker.extensions import db
from tracker.incidents.services import create_incident
from tracker.models import Category, DetectionMethod, IncidentStatus, Outcome, Place, Role, User
from tracker.reports.cites import CITES_HEADER

UTC = timezone.utc
HEADER = ["Date of seizure", "Species (scientific name)", "CITES Appendix", "Description of specimen", "Quantity",
          "Unit", "Reason for seizure", "Location of seizure", "Detection method", "Mode of transport",
          "Method of concealment", "Country of origin", "Countries of transit", "Country of destination",
          "Nationality of offenders", "Legal or administrative action and penalty", "Disposal of specimens",
          "Estimated value", "Additional information"]


@pytest.fixture
def seizures(app, dataset):
    """Two more seizures on either side of New Year in the reporting zone (UTC+10)."""
    with app.app_context():
        reporter = db.session.get(User, dataset.reporter_id)
        facts = {"category_id": _id(Category, slug="poaching"), "detection_method": DetectionMethod.PATROL,
                 "location_text": "Road checkpoint 12", "stated_country": "RU",
                 "seizure_reason": "Hunting without licence",
                 "transport_mode": "Motorbike", "offender_nationalities": "RU",
                 "outcome": Outcome.ADMINISTRATIVE_FINE, "penalty": "RUB 50,000", "disposal": "Destroyed"}
        paws = create_incident({**facts, "occurred_at": datetime(2024, 12, 31, 14, 30, tzinfo=UTC)},
                               [_item("paw", "Ursus thibetanus", "4", "pcs", "=cmd|' /C calc'!A0")], reporter,
                               IncidentStatus.CLOSED)
        create_incident({**facts, "occurred_at": datetime(2025, 12, 31, 15, 0, tzinfo=UTC)},
                        [_item("paw", "Ursus thibetanus", "2", "pcs")], reporter, IncidentStatus.VERIFIED)
        db.session.commit()
        return paws.ref


def expected_rows(dataset, paws_ref, place_text="[withheld]") -> list[list]:
    """The sample as a manager sees it; the black bear is CITES I, so the place description of its
    seizure is withheld unless `place_text` says the reader has the exact-location right."""
    tiger = dataset.refs["tiger"]
    common = ["No CITES permit", "Land of the Leopard National Park; Russia", "Checkpoint", "Car", "Spare-wheel well",
              "RU", "", "CN", "RU, CN", "Criminal case opened; 2 years", "Held as evidence", "150000.00 RUB"]
    return [
        [date(2025, 1, 1), "Ursus thibetanus", "I", "FOO", 4, "", "Hunting without licence",
         f"Russia; {place_text}", "Patrol", "Motorbike", "", "", "", "", "RU",
         "Administrative fine; RUB 50,000", "Destroyed", "", # not at the start: harmless
         f"Tracker reference {paws_ref}; =cmd|' /C calc'!A0"],
        [date(2025, 3, 15), "Panthera tigris altaica", "I", "SKI", 1, "", *common,
         f"Tracker reference {tiger}; estimated value is for the whole seizure (2 rows); =HYPERLINK(\"http://evil\")"],
        [date(2025, 3, 15), "Panthera tigris altaica", "I", "BON", 3.5, "kg", *common,
         f"Tracker reference {tiger}; estimated value is for the whole seizure (2 rows)"],
    ]


def test_xlsx_reproduces_the_known_sample(app, client, login_as, dataset, seizures):
    login_as(Role.MANAGER, language="ru")  # the report stays in English
    response = client.get("/reports/cites-aitr.xlsx?year=2025")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('filename=cites-aitr-2025.xlsx')
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["illegal trade report", "about"]
    values = list(book["illegal trade report"].iter_rows(values_only=True))
    assert list(values[0]) == HEADER == CITES_HEADER
    rows = [[v.date() if isinstance(v, datetime) else ("" if v is None else v) for v in row] for row in values[1:]]
    assert rows == expected_rows(dataset, seizures)
    about = dict(book["about"].iter_rows(values_only=True))
    assert about["Year"] == "2025 (1 January – 31 December)" and about["Rows"] == "3"
    with app.app_context():
        (event,) = export_events()
        assert event.changes["format"] == "cites-aitr-xlsx" and event.changes["filters"] == {"year": "2025"}
        assert event.changes["rows"] == 3


def test_csv_reproduces_the_known_sample(client, login_as, dataset, seizures):
    login_as(Role.MANAGER)
    response = client.get("/reports/cites-aitr.csv?year=2025")
    rows = read_csv(response.data)
    assert list(rows[0]) == HEADER
    expected = [[v.isoformat() if isinstance(v, date) else str(v) for v in row]
                for row in expected_rows(dataset, seizures)]
    assert [list(row.values()) for row in rows] == expected


def test_the_place_description_is_there_for_those_with_the_exact_location_right(client, login_as, dataset,
                                                                               seizures):
    login_as(Role.MANAGER, exact_location_grant=True)
    rows = read_csv(client.get("/reports/cites-aitr.csv?year=2025").data)
    assert rows[0]["Location of seizure"] == "Russia; Road checkpoint 12"


def test_the_year_follows_the_reporting_zone(client, login_as, dataset, seizures):
    login_as(Role.MANAGER)
    rows = read_csv(client.get("/reports/cites-aitr.csv?year=2026").data)
    assert [(r["Date of seizure"], r["Quantity"]) for r in rows] == [("2026-01-01", "2")]
    assert read_csv(client.get("/reports/cites-aitr.csv?year=2024").data) == []


@pytest.mark.parametrize("year", ["", "abc", "1850", "2999"])
def test_an_unknown_year_is_refused(client, login_as, dataset, year):
    login_as(Role.MANAGER)
    assert client.get(f"/reports/cites-aitr.csv?year={year}").status_code == 400
    assert client.get(f"/reports/cites-aitr.xlsx?year={year}").status_code == 400


def test_export_page_counts_the_years_rows(client, login_as, dataset, seizures):
    login_as(Role.MANAGER)
    page = client.get("/reports?year=2025").get_data(as_text=True)
    assert 'id="cites-count" data-rows="3"' in page and '<option selected value="2025">' in page
    assert client.get("/reports/download?format=cites-xlsx&year=2025").headers["Location"] == \
        "/reports/cites-aitr.xlsx?year=2025"



@pytest.fixture
def chinese_seizure(app, dataset):
    """Bear gall bladders seized at a market in the Chinese park (country CN from the place)."""
    with app.app_context():
        reporter = db.session.get(User, dataset.reporter_id)
        incident = create_incident(
            {"category_id": _id(Category, slug="trafficking"), "occurred_at": datetime(2025, 5, 5, 2, 0, tzinfo=UTC),
             "place_id": _id(Place, name_en="Northeast China Tiger and Leopard National Park"),
             "detection_method": DetectionMethod.MARKET_INSPECTION, "seizure_reason": "Sale without permit"},
            [_item("gall-bladder", "Ursus arctos", "3", "pcs")], reporter, IncidentStatus.VERIFIED)
        db.session.commit()
        return incident.ref


def test_one_report_per_party(app, client, login_as, dataset, seizures, chinese_seizure):
    """The list's filters apply within the year: China's report holds China's seizure only, and
    says so in its name, its about sheet (in English) and its audit event."""
    login_as(Role.MANAGER, language="zh")
    response = client.get("/reports/cites-aitr.xlsx?year=2025&country=CN")
    assert response.headers["Content-Disposition"].endswith("filename=cites-aitr-2025-CN.xlsx")
    book = load_workbook(io.BytesIO(response.data))
    rows = list(book["illegal trade report"].iter_rows(min_row=2, values_only=True))
    assert [(row[1], row[3], row[4], row[7]) for row in rows] == [
        ("Ursus arctos", "GAB", 3, "Northeast China Tiger and Leopard National Park; China")]
    about = dict(book["about"].iter_rows(values_only=True))
    assert about["Country"] == "China" and about["Rows"] == "1"
    assert about["Which rows"].startswith("Items of CITES-listed species")
    assert about["Seizure"] == ("A seizure is an incident of the “Trade and seizures” category, or of any "
                                "category with a reason for seizure recorded.")
    russian = read_csv(client.get("/reports/cites-aitr.csv?year=2025&country=RU").data)
    assert len(russian) == 3 and chinese_seizure not in {r["Additional information"] for r in russian}
    with app.app_context():
        assert [e.changes["filters"] for e in export_events()] == [{"year": "2025", "country": "CN"},
                                                                   {"year": "2025", "country": "RU"}]


def test_the_page_counts_and_links_the_filtered_report(client, login_as, dataset, seizures, chinese_seizure):
    login_as(Role.MANAGER)
    page = client.get("/reports?year=2025&country=CN").get_data(as_text=True)
    assert 'id="cites-count" data-rows="1"' in page
    for key, path in (("cites-xlsx", "cites-aitr.xlsx"), ("cites-csv", "cites-aitr.csv")):
        button = client.get(f"/reports/download?format={key}&year=2025&country=CN")  # the page's download button
        assert button.headers["Location"] == f"/reports/{path}?year=2025&country=CN"
