"""A file with something wrong in many rows: the dry run names every problem with its line, its
column and a reason a person can act on, and nothing is written, on both databases."""
from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from tests.evidence import files
from tests.imports.conftest import import_file, multipart, upload
from tests.imports.files import VALID, csv_file, row
from tests.support.forms import database_digest
from tests.support.incidents import seed
from tracker.extensions import db
from tracker.models import Incident
from tracker.reports.columns import CSV_HEADER, ITEM_COLUMNS

ITEM_NAMES = [c.name for c in ITEM_COLUMNS]

BROKEN = [
    row(1),                                                                  # line 2: fine
    row(2, occurred_at_utc="2025-02-30T10:00:00Z"),                           # 3: no such day
    row(3, occurred_at_utc="14.03.2025 10:00"),                               # 4: not the export's form
    row(4, occurred_date="2025-03-14"),                                       # 5: UTC day, not the zone's
    row(5, occurred_at_utc="2099-01-01T00:00:00Z", occurred_date=""),         # 6: future
    row(6, species_scientific_name="Panthera leo", species_name=""),          # 7: unknown species
    row(7, quantity="-2"),                                                    # 8: negative quantity
    row(8, lat="91", lon="east"),                                             # 9: impossible coordinates
    row(9, lat="43.1", lon="131.4", coordinate_precision="0.1deg"),           # 10: generalised
    row(10, location_text="[withheld]"),                                      # 11: withheld
    row(11, status="lost", category="whaling"),                               # 12: unknown codes
    row(12, suspects="1", arrests="3"),                                       # 13: more arrests than suspects
    row(13, estimated_value="1500", currency=""),                             # 14: value without currency
    row(14, description="Bell\x07 rang"),                                     # 15: control character
    row(15, patrol_ref="P" * 101),                                            # 16: too long
    row(16, quantity="1,500"),                                                # 17: 1.5 or 1500?
    row(17, place="Atlantis", country="RU"),                                  # 18: unknown place
    row(18, place="Land of the Leopard National Park", country="CN"),         # 19: country contradicts
    row(19, lat="0", lon="0"),                                                # 20: Null Island
    row(1, description="again"),                                              # 21: INC-2025-000001 again
    row(20, occurred_at_utc="1985-06-01T00:00:00Z", occurred_date=""),        # 22: before 1990
]
EXPECTED = [
    ("3", "occurred_at_utc", "Not a time in UTC as the export writes it, such as 2025-03-14T23:30:00Z."),
    ("4", "occurred_at_utc", "Not a time in UTC as the export writes it, such as 2025-03-14T23:30:00Z."),
    ("5", "occurred_date", "Not the day of occurred_at_utc in the reporting time zone (Asia/Vladivostok), which is "
                           "2025-03-15."),
    ("6", "occurred_at_utc", "The date is in the future."),
    ("7", "species_scientific_name", "No species has this scientific name or name."),
    ("8", "quantity", "The quantity must be greater than zero."),
    ("9", "lat", "Out of range: latitude is between -90 and 90, longitude between -180 and 180."),
    ("10", "coordinate_precision", "This position was moved to the centre of its 0.1° cell by an export made "
                                   "without the exact-location right: importing it would store a false position. "
                                   "Export again as a user with the right."),
    ("11", "location_text", "The place description was withheld by an export made without the exact-location "
                            "right: importing it would lose it. Export again as a user with the right."),
    ("12", "category", "No category has this identifier or name."),
    ("12", "status", "Unknown value “lost”: use one of draft, submitted, verified, under_investigation, closed, "
                     "rejected."),
    ("13", "arrests", "There cannot be more arrests than suspects."),
    ("14", "currency", "Choose the currency of the estimated value."),
    ("15", "description", "Contains invisible control characters, which are not accepted."),
    ("16", "patrol_ref", "Longer than the 100 characters this field holds."),
    ("17", "quantity", "Is it 1.500 or 1500? Write the number with a decimal point and without thousands "
                       "separators."),
    ("18", "place", "No protected area or region has this name in any language."),
    ("19", "country", "The place or position is in RU, not CN."),
    ("20", "lon", "0°, 0° is in the open sea off West Africa: the position was probably not captured. Enter the "
                  "real position, or leave both boxes empty."),
    ("21", "incident_ref", "This incident is listed again (first at 2): each incident once, its rows together."),
    ("22", "occurred_at_utc", "The date cannot be before 1990."),
]


def test_a_broken_file_gets_its_report_and_nothing_is_written(app, client, admin):
    seed(app)
    with app.app_context():
        before = database_digest()

    checked = upload(client, csv_file(BROKEN), "broken.csv")

    assert sorted(checked.problems) == sorted(EXPECTED)
    assert checked.count("errors") == len(EXPECTED) and checked.count("new") == 1
    assert "Correct these problems in the file" in checked.page and "/confirm" not in checked.page
    report = client.get(checked.url + "/report.csv")
    assert report.status_code == 200 and report.headers["Content-Disposition"].startswith("attachment")
    header, *lines = csv.reader(io.StringIO(report.get_data(as_text=True)))
    report.close()
    assert header == ["line", "column", "reason", "severity"]
    assert sorted(lines) == sorted([*problem, "error"] for problem in EXPECTED)
    with app.app_context():
        assert database_digest() == before


NOT_UTF8 = "This line is not UTF-8 text (byte 0xD1): the file was saved in another encoding. Save it as “CSV UTF-8” " \
           "and upload it again."


def test_a_wrong_encoding_is_named_with_each_of_its_lines(app, client, admin):
    seed(app)
    data = csv_file([row(1), row(2, description="Следы на снегу"), row(3), row(4, penalty="Следствие")],
                    encoding="cp1251")

    checked = upload(client, data, "legacy.csv")

    assert checked.problems == [("3", "", NOT_UTF8), ("5", "", NOT_UTF8)]
    assert checked.count("new") == 2 and "/confirm" not in checked.page  # the others are fine, but not imported


def test_one_file_with_every_kind_of_problem_gets_one_line_for_each(app, client, admin):
    """Issue 9's list: a wrong encoding, missing columns, bad dates, unknown species, negative
    quantities and impossible coordinates, all in one file and all reported by one dry run."""
    seed(app)
    header = [name for name in CSV_HEADER if name != "detection_method"]
    data = csv_file([
        row(1),                                                    # line 2: fine
        row(2, description="Следы на снегу"),                      # 3: saved in Windows-1251
        row(3, occurred_at_utc="2025-13-01T10:00:00Z"),            # 4: no 13th month
        row(4, species_scientific_name="Felis imaginaria", species_name=""),  # 5
        row(5, quantity="-3"),                                     # 6
        row(6, lat="43.1", lon="200"),                             # 7
    ], header=header, encoding="cp1251")
    with app.app_context():
        before = database_digest()

    checked = upload(client, data, "everything.csv")

    expected = [
        ("1", "detection_method", "This column is missing."),
        ("3", "", NOT_UTF8),
        ("4", "occurred_at_utc", "Not a time in UTC as the export writes it, such as 2025-03-14T23:30:00Z."),
        ("5", "species_scientific_name", "No species has this scientific name or name."),
        ("6", "quantity", "The quantity must be greater than zero."),
        ("7", "lon", "Out of range: latitude is between -90 and 90, longitude between -180 and 180."),
    ]
    assert checked.problems == expected and checked.count("errors") == len(expected)
    report = client.get(checked.url + "/report.csv")
    assert list(csv.reader(io.StringIO(report.get_data(as_text=True))))[1:] == [[*p, "error"] for p in expected]
    report.close()
    with app.app_context():
        assert database_digest() == before


def test_missing_columns_are_named(app, client, admin):
    seed(app)
    header = [name for name in CSV_HEADER if name not in ("occurred_at_utc", "category", "quantity")]

    checked = upload(client, csv_file([row(1)], header=header), "short.csv")

    assert sorted(checked.problems) == [("1", "category", "This column is missing."),
                                        ("1", "occurred_at_utc", "This column is missing."),
                                        ("1", "quantity", "This column is missing: the file lists items.")]
    assert "/confirm" not in checked.page


def test_without_incident_ref_or_the_key_nothing_is_read(app, client, admin):
    """Rows cannot be told apart: the header's problems alone are reported."""
    seed(app)
    header = [name for name in CSV_HEADER if name != "incident_ref"]

    checked = upload(client, csv_file([row(1, lat="91")], header=header), "no-refs.csv")
    assert checked.problems == [("1", "incident_ref", "This column is missing.")]

    checked = upload(client, csv_file([row(1, lat="91")], header=header), "no-refs.csv", key="patrol_id")
    assert checked.problems == [("1", "incident_ref", "This column is missing."),
                                ("1", "patrol_id", "The key column chosen is not in the file.")]


def test_a_key_column_must_tell_incidents_apart(app, client, admin):
    seed(app)
    data = csv_file([row(1, patrol_ref="P-7"), row(2, patrol_ref="P-7"), row(3, patrol_ref="")])

    checked = upload(client, data, "patrols.csv", key="patrol_ref")

    assert sorted(checked.problems) == [
        ("3", "patrol_ref", "The same key as the incident at 2: the key column must tell incidents apart."),
        ("4", "patrol_ref", "Empty: this is the key column, which every incident needs.")]


def test_a_workbook_without_the_incidents_sheet(app, client, admin):
    seed(app)
    book = Workbook()
    book.active.title = "Sheet1"
    data = io.BytesIO()
    book.save(data)

    checked = upload(client, data.getvalue(), "book.xlsx")

    assert checked.problems == [("", "", "The workbook has no sheet named “incidents”, as the export writes it.")]


def test_a_file_that_is_neither_csv_nor_xlsx_is_refused_at_the_upload(app, client, admin):
    seed(app)
    for content, message in ((files.png(), "This is not a CSV or XLSX file."),
                             (b"\xd0\xcf\x11\xe0" + b"\x00" * 600, "Excel 97–2003 workbooks (.xls) are not read.")):
        response = client.post("/admin/import", **multipart({"file": FileStorage(io.BytesIO(content), "x.csv"),
                                                              "key": "incident_ref"}))
        assert response.status_code == 200 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Incident.id))) == 0


def test_the_valid_row_alone_imports(app, client, admin):
    """The rows above fail for their own change only."""
    seed(app)
    done = import_file(client, csv_file([row(1)]), "one.csv")

    assert done.count("new") == 1 and done.count("written") == 1
    with app.app_context():
        incident = db.session.scalar(select(Incident))
        assert incident.ref == VALID["incident_ref"] and incident.sensitive and incident.country == "RU"
        assert incident.unit == "Leopard team" and incident.reporter.username == "importer"
        assert [(i.product.slug, i.species.scientific_name, i.quantity) for i in incident.items] == [
            ("paw", "Panthera tigris altaica", 2)]


def test_workbook_problems_name_their_sheet_and_row(app, client, admin):
    seed(app)
    book = Workbook()
    incidents = book.active
    incidents.title = "incidents"
    names = [name for name in CSV_HEADER if name in VALID and name not in ITEM_NAMES]
    incidents.append(names)
    for cells in (row(1), row(2, lat="91")):
        incidents.append([cells[name] for name in names])
    items = book.create_sheet("items")
    items.append(["incident_ref", *ITEM_NAMES])
    for ref, quantity in (("INC-2025-000002", "3"), ("INC-2025-000001", "-4")):  # out of order
        items.append([ref, *(row(1, quantity=quantity)[name] for name in ITEM_NAMES)])
    data = io.BytesIO()
    book.save(data)

    checked = upload(client, data.getvalue(), "book.xlsx")

    assert sorted(checked.problems) == [
        ("incidents!3", "lat", "Out of range: latitude is between -90 and 90, longitude between -180 and 180."),
        ("items!3", "incident_ref", "No incident of this reference comes at this point of the incidents sheet: "
                                    "items must follow the order of the incidents sheet, as the export writes them.")]


def test_reference_values_are_matched_by_their_name_in_any_language(app, client, admin):
    """Mongolian, Russian and Chinese names, in another case and spacing, name the same rows."""
    seed(app)
    names = {"category": "хулгайн  АН", "product": "", "product_name": "Сарвуу", "species_scientific_name": "",
             "species_name": "东北虎", "place": "Национальный парк «Земля леопарда»"}

    done = import_file(client, csv_file([row(1, **names)]), "names.csv")

    assert done.count("written") == 1
    with app.app_context():
        incident = db.session.scalar(select(Incident))
        assert (incident.category.slug, incident.place.name_en) == ("poaching", "Land of the Leopard National Park")
        assert [(i.product.slug, i.species.scientific_name) for i in incident.items] == [
            ("paw", "Panthera tigris altaica")]
