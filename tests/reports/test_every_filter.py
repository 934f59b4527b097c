"""Every filter of the incident list, alone and combined, gives the same incidents in every
output a user can reach: the list, the reports page, the category dashboards, CSV (PostgreSQL's
COPY or Python's writer, whichever TEST_DB runs), XLSX, GeoJSON, the PDF summary and the CITES
report.

The expected incidents come from the list itself (`/incidents`, over HTTP), never from a copy of
the filter logic; the CITES report must hold the list's incidents among its own seizures. On the
dataset below every filter selects a proper, non-empty part of the incidents, so a filter that is
ignored, or one that breaks a statement (a 500, or a stream that stops), shows as a mismatch.

Every file is the real one: XLSX and PDF are built in their own process (reports/building.py),
which a test cannot reach into, and the PDF's count is read from its text.
"""
from __future__ import annotations

import io
import json
import re
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.conftest import empty_all_tables, make_config
from tests.reports.helpers import pdf_text, read_csv
from tests.support.factories import make_user
from tracker import create_app
from tracker.extensions import db
from tracker.incidents.services import ItemData, create_incident
from tracker.localtime import local_date
from tracker.models import (
    Category,
    DetectionMethod,
    IncidentStatus,
    Place,
    Product,
    Role,
    Species,
    User,
    utcnow,
)
from tracker.reference.seed import seed_reference

S = IncidentStatus
TIGER, BROWN_BEAR, SAKER, PINE, MUSK = ("Panthera tigris altaica", "Ursus arctos", "Falco cherrug",
                                         "Pinus koraiensis", "Moschus moschiferus")
REF = re.compile(r"INC-\d{4}-\d{6}")


@dataclass
class Matrix:
    year: int                      # every incident happened in this year (the reporting zone's)
    refs: dict[str, str]           # name below -> reference
    ids: dict[str, int]            # symbolic filter values -> database ids
    categories: list[str]          # the categories that hold incidents


def _id(model, **where) -> int:
    return db.session.scalar(select(model.id).filter_by(**where))


def build_matrix() -> Matrix:
    """Eight incidents in last year (so inside the dashboards' default 24 months), spread so that
    each filter below keeps some and drops others, in the CITES report too."""
    seed_reference(db.session)
    db.session.commit()
    year = local_date(utcnow()).year - 1
    ranger_a = make_user(Role.RANGER, username="ranger_a", unit="Leopard team")
    ranger_b = make_user(Role.RANGER, username="ranger_b", unit="Border team")
    place = {name: _id(Place, name_en=name) for name in (
        "Land of the Leopard National Park", "Bikin National Park", "Zov Tigra National Park",
        "Anyuisky National Park", "Northeast China Tiger and Leopard National Park", "Onon-Balj National Park",
        "Primorsky Krai")}
    category = {slug: _id(Category, slug=slug) for slug in ("trafficking", "poaching", "snaring", "illegal-logging")}

    def item(product: str, species: str | None, quantity: str, unit: str = "pcs") -> ItemData:
        return ItemData(_id(Product, slug=product), _id(Species, scientific_name=species) if species else None,
                        Decimal(quantity), unit)

    def when(month: int, day: int) -> datetime:
        return datetime(year, month, day, 3, 0, tzinfo=timezone.utc)

    specs = {
        # name: (status, reporter, facts, items)
        "tiger-skin": (S.VERIFIED, ranger_a, {
            "category_id": category["trafficking"], "occurred_at": when(3, 15),
            "place_id": place["Land of the Leopard National Park"], "lat": 43.12, "lon": 131.56,
            "detection_method": DetectionMethod.CHECKPOINT, "description": "Skin hidden in a car boot",
            "seizure_reason": "No CITES permit"}, [item("skin", TIGER, "1"), item("bone", TIGER, "3.5", "kg")]),
        "paws": (S.CLOSED, ranger_b, {  # a seizure outside the trade category: a reason for seizure
            "category_id": category["poaching"], "occurred_at": when(6, 2), "place_id": place["Bikin National Park"],
            "detection_method": DetectionMethod.PATROL, "description": "Two paws at a hunting camp",
            "seizure_reason": "Found on patrol"}, [item("paw", TIGER, "2")]),
        "snares": (S.SUBMITTED, ranger_a, {
            "category_id": category["snaring"], "occurred_at": when(7, 10),
            "place_id": place["Zov Tigra National Park"],
            "detection_method": DetectionMethod.PATROL, "description": "Snare line"}, [item("snare", None, "12")]),
        "gall": (S.UNDER_INVESTIGATION, ranger_b, {
            "category_id": category["trafficking"], "occurred_at": when(8, 20),
            "place_id": place["Northeast China Tiger and Leopard National Park"],
            "detection_method": DetectionMethod.MARKET_INSPECTION, "description": "Bear gall bladders at a market",
            "seizure_reason": "Sale without permit"}, [item("gall-bladder", BROWN_BEAR, "3")]),
        "logs": (S.VERIFIED, ranger_a, {  # CITES III timber, but no seizure: not in the CITES report
            "category_id": category["illegal-logging"], "occurred_at": when(9, 30),
            "place_id": place["Anyuisky National Park"], "detection_method": DetectionMethod.PATROL,
            "description": "Felled pines"}, [item("log", PINE, "7.25", "m3")]),
        "musk-draft": (S.DRAFT, ranger_b, {  # a seizure, but not verified
            "category_id": category["trafficking"], "occurred_at": when(11, 2), "stated_country": "MN",
            "detection_method": DetectionMethod.ONLINE_MONITORING, "description": "Musk pods offered online",
            "seizure_reason": "Online sale"}, [item("musk-pod", MUSK, "4")]),
        "rejected": (S.REJECTED, ranger_a, {
            "category_id": category["poaching"], "occurred_at": when(1, 20),
            "detection_method": DetectionMethod.INFORMANT, "description": "Shots heard"}, []),
        "saker": (S.CLOSED, ranger_b, {
            "category_id": category["trafficking"], "occurred_at": when(12, 10),
            "place_id": place["Onon-Balj National Park"], "detection_method": DetectionMethod.CHECKPOINT,
            "description": "Falcons in a van", "seizure_reason": "Smuggling at the border"},
            [item("live", SAKER, "2")]),
    }
    refs = {}
    for name, (status, reporter, facts, items) in specs.items():
        refs[name] = create_incident(facts, items, db.session.get(User, reporter.id), status).ref
    db.session.commit()
    ids = {"ranger_a": ranger_a.id, "ranger_b": ranger_b.id, "primorsky": place["Primorsky Krai"],
           "leopard-park": place["Land of the Leopard National Park"], "tiger": _id(Species, scientific_name=TIGER),
           "paw": _id(Product, slug="paw"), "skin": _id(Product, slug="skin")}
    return Matrix(year, refs, ids, list(category))


@pytest.fixture(scope="module")
def app(_schema, database_url, tmp_path_factory):
    """One app and one dataset for the whole module (overrides the suite's `app`): the tests only
    read, and building the dataset for each case would cost more than the case."""
    folder = tmp_path_factory.mktemp("every-filter")
    app = create_app(make_config(database_url, EVIDENCE_DIR=str(folder / "evidence"),
                                 REPORTS_DIR=str(folder / "exports")))
    yield app
    with app.app_context():
        db.session.remove()
        empty_all_tables()
        db.engine.dispose()


@pytest.fixture(scope="module")
def matrix(app) -> Matrix:
    with app.app_context():
        return build_matrix()


@pytest.fixture(scope="module")
def manager(app, matrix):
    """A manager's signed-in client, and what the list and the CITES report hold unfiltered."""
    client = app.test_client()
    with app.app_context():
        user = make_user(Role.MANAGER)
        token = user.session_token
    with client.session_transaction() as session:
        session.update({"_user_id": token, "_fresh": True, "login_at": time.time()})
    client.everything = list_refs(client, {})
    client.all_seizures = cites_csv_refs(client, {"year": str(matrix.year)})
    return client


# Each filter alone (status also with its two groups, place also as a region with places inside),
# then combinations: an item filter with a place or a status, two item filters, dates with a
# status group, a text search with a country. `{year}` and `@name` are filled in per dataset.
CASES = [
    {"q": "boot"},
    {"category": "trafficking"},
    {"status": "verified"},
    {"status": "open"},
    {"status": "verified-or-later"},
    {"country": "RU"},
    {"place": "@primorsky"},
    {"place": "@leopard-park"},
    {"species": "@tiger"},
    {"product": "@paw"},
    {"detection": "checkpoint"},
    {"reporter": "@ranger_a"},
    {"date_from": "{year}-07-01"},
    {"date_to": "{year}-06-30"},
    {"sensitive": "1"},
    {"species": "@tiger", "place": "@primorsky"},
    {"species": "@tiger", "product": "@skin"},
    {"product": "@paw", "status": "verified-or-later", "country": "RU"},
    {"category": "trafficking", "date_from": "{year}-04-01", "date_to": "{year}-09-30"},
    {"status": "verified-or-later", "sensitive": "1", "detection": "checkpoint"},
    {"q": "bear", "country": "CN", "reporter": "@ranger_b"},
]


def query_of(case: dict, m: Matrix) -> dict[str, str]:
    return {key: str(m.ids[value[1:]]) if value.startswith("@") else value.format(year=m.year)
            for key, value in case.items()}


def _get(client, url: str, args: dict):
    response = client.get(url, query_string=args)
    assert response.status_code == 200, (url, args, response.status_code)
    return response


def list_refs(client, args: dict) -> set[str]:
    """The incidents the list shows (one page: the dataset is smaller than a page), checked
    against the count the list states."""
    html = _get(client, "/incidents", args).get_data(as_text=True)
    stated = int(re.sub(r"\D", "", re.search(r'id="result-count"[^>]*>([^<]*)<', html).group(1)))
    refs = set(re.findall(r'class="ref">(INC-\d{4}-\d{6})<', html))
    assert len(refs) == stated, args
    return refs


def dashboard_total(client, slug: str, args: dict) -> int:
    html = _get(client, f"/dashboards/{slug}", args).get_data(as_text=True)
    kpi = re.search(r'id="kpi-incidents">(.*?)</span>', html, re.S).group(1)
    return int(re.sub(r"\D", "", re.sub(r"<[^>]+>", "", kpi)))


def csv_refs(client, args: dict) -> set[str]:
    return {row["incident_ref"] for row in read_csv(_get(client, "/reports/incidents.csv", args).data)}


def xlsx_refs(client, args: dict) -> set[str]:
    book = load_workbook(io.BytesIO(_get(client, "/reports/incidents.xlsx", args).data), read_only=True)
    return {row[0] for row in book["incidents"].iter_rows(min_row=2, values_only=True)}


def geojson_refs(client, args: dict) -> set[str]:
    data = json.loads(_get(client, "/reports/incidents.geojson", args).data)
    return {feature["properties"]["incident_ref"] for feature in data["features"]}


def pdf_incidents(client, args: dict, tmp_path) -> int:
    """The number of incidents the PDF states: the first of its key figures."""
    text = pdf_text(_get(client, "/reports/summary.pdf", args).data, tmp_path)
    return int(re.search(r"Key figures ([\d,]+) ", text).group(1).replace(",", ""))


def page_counts(client, args: dict) -> tuple[int, int]:
    """(incidents, CITES rows) as the reports page announces them."""
    html = _get(client, "/reports", args).get_data(as_text=True)
    incidents = re.search(r'id="export-count" data-incidents="(\d+)"', html).group(1)
    cites = re.search(r'id="cites-count" data-rows="(\d+)"', html).group(1)
    return int(incidents), int(cites)


def cites_csv_refs(client, args: dict) -> Counter:
    """References in the CITES CSV, one per row."""
    rows = read_csv(_get(client, "/reports/cites-aitr.csv", args).data)
    return Counter(REF.search(row["Additional information"]).group(0) for row in rows)


def cites_xlsx_refs(client, args: dict) -> Counter:
    book = load_workbook(io.BytesIO(_get(client, "/reports/cites-aitr.xlsx", args).data), read_only=True)
    rows = book["illegal trade report"].iter_rows(min_row=2, values_only=True)
    return Counter(REF.search(row[-1]).group(0) for row in rows)


@pytest.mark.parametrize("case", CASES, ids=lambda case: "&".join(f"{k}={v}" for k, v in case.items()))
def test_every_output_holds_the_lists_incidents(manager, matrix, tmp_path, case):
    args, year = query_of(case, matrix), {"year": str(matrix.year)}
    expected = list_refs(manager, args)
    assert expected and expected < manager.everything, "the dataset must make this filter select a proper subset"
    expected_cites = Counter({ref: n for ref, n in manager.all_seizures.items() if ref in expected})

    dashboards = [args["category"]] if "category" in args else matrix.categories
    found = {
        "reports page": page_counts(manager, {**args, **year}),
        "dashboards": sum(dashboard_total(manager, slug, args) for slug in dashboards),
        "csv": csv_refs(manager, args),
        "xlsx": xlsx_refs(manager, args),
        "geojson": geojson_refs(manager, args),
        "pdf": pdf_incidents(manager, args, tmp_path),
        "cites csv": cites_csv_refs(manager, {**args, **year}),
        "cites xlsx": cites_xlsx_refs(manager, {**args, **year}),
    }
    assert found == {
        "reports page": (len(expected), sum(expected_cites.values())),
        "dashboards": len(expected),
        "csv": expected, "xlsx": expected, "geojson": expected,
        "pdf": len(expected),
        "cites csv": expected_cites, "cites xlsx": expected_cites,
    }


def test_the_cites_report_holds_the_verified_seizures_of_listed_species(manager, matrix):
    """What the matrix intersects with: seizures in any category (the paws are poaching), not
    drafts, not timber felled without a seizure, not snares (no species)."""
    assert manager.all_seizures == Counter({matrix.refs["tiger-skin"]: 2, matrix.refs["paws"]: 1,
                                            matrix.refs["gall"]: 1, matrix.refs["saker"]: 1})


def test_a_real_pdf_counts_the_list(manager, matrix, tmp_path):
    """The case that once answered 500: a species filter, through WeasyPrint."""
    args = {"species": str(matrix.ids["tiger"])}
    assert pdf_incidents(manager, args, tmp_path) == len(list_refs(manager, args))
