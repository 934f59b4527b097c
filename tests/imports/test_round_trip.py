"""Export → import into an empty database → export again: every cell the same, in CSV and XLSX, on
SQLite and PostgreSQL; the dashboards' rollups and the derived facts as a recount gives them; and
importing the same file again creates nothing new (and says so)."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.conftest import empty_all_tables
from tests.dashboards.test_rollups import recount, stored
from tests.imports.conftest import import_file, upload
from tests.reports.conftest import build_dataset
from tests.support.incidents import seed
from tracker.dashboards.rollups import rebuild
from tracker.extensions import db
from tracker.incidents import derived
from tracker.incidents.demo import generate
from tracker.incidents.references import next_reference
from tracker.models import AuditEvent, Incident, IncidentItem, ReferenceCounter, Role

NOW = datetime(2026, 11, 30, 12, 0, 0, tzinfo=timezone.utc)
COUNT = 2000


def demo_data(app, count: int = COUNT, seed_number: int = 7) -> None:
    seed(app)
    with app.app_context():
        generate(count, seed_number, now=NOW)
        rebuild(db.session)
        db.session.commit()


def start_empty(app, login_as) -> None:
    """An empty tracker: reference data and one administrator, no incident."""
    with app.app_context():
        db.session.remove()
        empty_all_tables()
    seed(app)
    login_as(Role.ADMIN, username="importer")


def csv_rows(data: bytes) -> tuple[list[str], list[list[str]]]:
    header, *rows = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    return header, rows


def sheets(data: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return {name: list(book[name].iter_rows(values_only=True)) for name in ("incidents", "items")}


def seconds(rows: list[tuple]) -> list[tuple]:
    """Times to the second, as every export shows them (XLSX cells hold the fraction the tracker
    stored when an incident was reported through the form; imports keep the second)."""
    return [tuple(c.replace(microsecond=0) if isinstance(c, datetime) else c for c in row) for row in rows]


def in_order(rows: list) -> list:
    """Incidents that happened in the same second may come out in another order (the list breaks
    such ties by the database id, which an import gives anew): compare in reference order."""
    return sorted(rows, key=lambda row: tuple("" if cell is None else str(cell) for cell in row))


def test_csv_export_imported_into_an_empty_tracker_exports_the_same_cells(app, client, login_as):
    demo_data(app)
    login_as(Role.ADMIN, username="exporter")  # sees exact positions and place descriptions
    first = client.get("/reports/incidents.csv").data
    start_empty(app, login_as)

    done = import_file(client, first, "incidents.csv")

    assert done.count("written") == 1 and done.count("new") == COUNT
    second = client.get("/reports/incidents.csv").data
    (header, rows), (header_again, rows_again) = csv_rows(first), csv_rows(second)
    assert header_again == header and len(rows_again) == len(rows) > COUNT
    assert in_order(rows_again) == in_order(rows)
    with app.app_context():
        counts = totals()
        assert stored() == recount()  # the dashboards count the imported incidents
        assert derived.recompute_all().changed == set()  # sensitivity and country by their rules
        db.session.rollback()
        (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "import")).all()
        assert event.actor_name == "importer" and event.changes["incidents"] == COUNT
        assert event.changes["new"] == COUNT and event.changes["key"] == "incident_ref"
        assert len(event.changes["sha256"]) == 64 and event.changes["file"] == "incidents.csv"
        # The tracker's next references come after every imported one.
        for year in db.session.scalars(select(ReferenceCounter.year)).all():
            highest = db.session.scalar(select(func.max(Incident.ref)).where(Incident.ref.like(f"INC-{year}-%")))
            assert next_reference(year) > highest
        db.session.rollback()
    assert_nothing_new_the_second_time(app, client, first, "incidents.csv", counts)


def test_xlsx_export_imported_into_an_empty_tracker_exports_the_same_cells(app, client, login_as):
    demo_data(app)
    login_as(Role.ADMIN, username="exporter")
    first = client.get("/reports/incidents.xlsx").data
    start_empty(app, login_as)

    done = import_file(client, first, "incidents.xlsx")

    assert done.count("written") == 1 and done.count("new") == COUNT
    before, after = sheets(first), sheets(client.get("/reports/incidents.xlsx").data)
    for name in ("incidents", "items"):
        assert after[name][0] == before[name][0]
        assert in_order(after[name][1:]) == in_order(before[name][1:])
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(IncidentItem)) == len(before["items"]) - 1
        assert stored() == recount()
        counts = totals()
    assert_nothing_new_the_second_time(app, client, first, "incidents.xlsx", counts)


def totals() -> tuple[int, int, int]:
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Incident, IncidentItem, AuditEvent))


def assert_nothing_new_the_second_time(app, client, data: bytes, name: str, counts: tuple) -> None:
    again = upload(client, data, name)
    assert again.count("new") == 0 and again.count("skipped") == COUNT and again.count("errors") == 0
    assert f"{COUNT:,} incidents of this file were imported before (same key)" in again.page
    assert "There is nothing new to import." in again.page and again.url + "/confirm" not in again.page
    with app.app_context():
        assert totals() == counts


@pytest.mark.parametrize("name", ["incidents.csv", "incidents.xlsx"])
def test_formula_like_text_and_every_kind_of_value_come_back(app, client, login_as, name):
    """The export tests' incidents: text the export neutralised against formulas (= + - @, tab, CR),
    Russian and Chinese, an incident without items and one without coordinates, trade details."""
    with app.app_context():
        build_dataset()
    login_as(Role.ADMIN, username="exporter")
    first = client.get(f"/reports/{name}").data
    start_empty(app, login_as)

    import_file(client, first, name)

    second = client.get(f"/reports/{name}").data
    if name.endswith(".csv"):
        assert in_order(csv_rows(second)[1]) == in_order(csv_rows(first)[1])
    else:
        before, after = sheets(first), sheets(second)
        assert {n: in_order(seconds(rows)) for n, rows in after.items()} == {
            n: in_order(seconds(rows)) for n, rows in before.items()}
    with app.app_context():
        stored_text = set(db.session.scalars(select(Incident.patrol_ref))) | set(
            db.session.scalars(select(Incident.description))) | set(db.session.scalars(select(IncidentItem.notes)))
        assert {"\tP-1", "@SUM(1,2)", '=HYPERLINK("http://evil")', "\rcarriage"} <= stored_text
