"""Importing N incidents against `flask demo` for as many, and against raw SQL, in one run.

    .venv/bin/python bench/import.py [--incidents 100000] [--db sqlite|postgres|both] [--xlsx]

Per database, each step on a fresh copy of one migrated database with the reference data and an
administrator (SQLite: a copied file; PostgreSQL: CREATE DATABASE ... TEMPLATE, in a throwaway
cluster with the benchmarks' settings):
- demo: `flask --app wsgi demo --incidents N` as a user runs it (a process of its own);
- export: the demo incidents as the administrator's CSV (not timed; the file imported below);
- import: `flask --app wsgi import FILE --user ADMIN --apply`, a process of its own: checking
  every row, inserting, references, rollups, the audit event and ANALYZE (with `--xlsx` also the
  workbook of the same incidents);
- raw SQL: the same CSV read by Python's csv module and inserted by the DBAPI's executemany
  with ids looked up from dictionaries, nothing checked, no rollups: the floor.
Wall time and peak RSS (os.wait4, of that process alone). Targets: import at most 2x demo, peak
RSS at most 200 MB.
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from common import ROOT, make_app

from tests.support.pgcluster import temporary_cluster

ADMIN = "bench-admin"
BATCH = 5000


def prepare_template(url: str) -> None:
    """Migrations, reference data and the administrator who imports."""
    from flask_migrate import upgrade

    from tests.support.factories import make_user
    from tracker.extensions import db
    from tracker.models import Role
    from tracker.reference.seed import seed_reference

    app = make_app(url)
    with app.app_context():
        upgrade()
        seed_reference(db.session)
        db.session.commit()
        make_user(Role.ADMIN, username=ADMIN, unit=None)
        db.engine.dispose()


@contextlib.contextmanager
def sqlite_databases(folder: Path):
    template = folder / "template.db"
    prepare_template(f"sqlite:///{template}")

    def fresh(name: str) -> str:
        shutil.copyfile(template, folder / f"{name}.db")
        return f"sqlite:///{folder / name}.db"

    yield fresh


@contextlib.contextmanager
def postgres_databases(_folder: Path):
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    with temporary_cluster("template", "-c shared_buffers=512MB -c work_mem=32MB") as template_url:
        prepare_template(template_url)
        admin = create_engine(make_url(template_url).set(database="postgres"), isolation_level="AUTOCOMMIT")

        def fresh(name: str) -> str:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE template'))
            return make_url(template_url).set(database=name).render_as_string(hide_password=False)

        try:
            yield fresh
        finally:
            admin.dispose()


# Linux hands a forked child the parent's peak RSS (the copy of its memory before exec counts),
# and this script holds exported incidents in memory: a direct child would report this script's
# peak. So a small fresh interpreter starts the command and writes its child's own peak to a file.
LAUNCHER = """import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, *sys.argv[2:]])
_, status, usage = os.wait4(pid, 0)
open(sys.argv[1], "w").write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def flask(url: str, *args: str) -> tuple[float, float, str]:
    """A `flask --app wsgi` command as an operator runs it: (seconds, peak RSS in MB, output)."""
    instance = tempfile.mkdtemp()
    env = {**os.environ, "DATABASE_URL": url, "TRACKER_ENV": "production", "SECRET_KEY": secrets.token_hex(32),
           "TRACKER_INSTANCE": instance, "LOG_LEVEL": "WARNING"}
    peak_file = Path(instance) / "peak-rss-kb"
    started = time.perf_counter()
    process = subprocess.run([sys.executable, "-c", LAUNCHER, str(peak_file), "-m", "flask", "--app", "wsgi", *args],
                             cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    output = process.stdout.decode()
    if process.returncode:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{output}")
    return seconds, int(peak_file.read_text()) / 1024, output


def export(url: str, path: Path, fmt: str) -> None:
    """The incidents as the administrator exports them (exact positions and place descriptions)."""
    from tracker.extensions import db
    from tracker.incidents.filters import IncidentFilters
    from tracker.models import User
    from tracker.reports import builders, streams
    from tracker.reports.exports import Tally

    app = make_app(url, REPORTS_DIR=str(path.parent))
    with app.test_request_context("/reports"):
        user = db.session.query(User).filter_by(username=ADMIN).one()
        if fmt == "csv":
            with path.open("wb") as out:
                for chunk in streams.incidents_csv(IncidentFilters(), user, Tally()):
                    out.write(chunk)
        else:
            builders.incidents_xlsx(str(path), IncidentFilters(), user)
        db.engine.dispose()


def counts(url: str) -> tuple[int, int]:
    from sqlalchemy import func, select

    from tracker.extensions import db
    from tracker.models import Incident, IncidentItem

    app = make_app(url)
    with app.app_context():
        result = (db.session.scalar(select(func.count(Incident.id))), db.session.scalar(
            select(func.count(IncidentItem.id))))
        db.engine.dispose()
    return result


# --- the raw-SQL baseline --------------------------------------------------------------------

INCIDENT_SQL = ("id, ref, client_uuid, category_id, occurred_at, reported_at, reporter_id, unit, place_id, country, "
                "lat, lon, location_text, description, status, patrol_ref, detection_method, suspects, arrests, "
                "estimated_value, currency, outcome, penalty, rejection_reason, sensitive, seizure_reason, "
                "transport_mode, concealment, origin_country, transit_countries, destination_country, "
                "offender_nationalities, disposal, created_at, updated_at, version")
ITEM_SQL = "id, incident_id, position, product_id, species_id, quantity, unit, notes"


def raw_import(url: str, path: Path) -> float:
    """Read the CSV and insert it with the DBAPI alone; seconds."""
    from sqlalchemy.engine import make_url

    started = time.perf_counter()
    if url.startswith("sqlite"):
        import sqlite3

        connection, mark = sqlite3.connect(url.removeprefix("sqlite:///")), "?"
    else:
        import psycopg

        connection = psycopg.connect(make_url(url).set(drivername="postgresql").render_as_string(hide_password=False))
        mark = "%s"
    cursor = connection.cursor()

    def lookup(sql: str) -> dict:
        cursor.execute(sql)
        return dict(cursor.fetchall())

    categories, products = lookup("SELECT slug, id FROM categories"), lookup("SELECT slug, id FROM products")
    species, places = lookup("SELECT scientific_name, id FROM species"), lookup("SELECT name_en, id FROM places")
    admin = lookup(f"SELECT username, id FROM users WHERE username = '{ADMIN}'")[ADMIN]
    insert_incident = (f"INSERT INTO incidents ({INCIDENT_SQL}) VALUES ({', '.join([mark] * 36)})")
    insert_item = f"INSERT INTO incident_items ({ITEM_SQL}) VALUES ({', '.join([mark] * 8)})"
    incidents, items, last_ref, incident_id = [], [], None, 0

    def instant(text: str) -> str:
        return text.replace("T", " ").replace("Z", "")

    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        at = {name: n for n, name in enumerate(header)}
        for row in reader:
            if row[0] != last_ref:
                last_ref, incident_id = row[0], incident_id + 1
                c = {name: row[n] for name, n in at.items()}
                incidents.append((
                    incident_id, c["incident_ref"], str(uuid.uuid4()), categories[c["category"]],
                    instant(c["occurred_at_utc"]), instant(c["reported_at_utc"]), admin, c["reporting_unit"] or None,
                    places.get(c["place"]), c["country"] or None, float(c["lat"]) if c["lat"] else None,
                    float(c["lon"]) if c["lon"] else None, c["location_text"], c["description"], c["status"],
                    c["patrol_ref"], c["detection_method"], int(c["suspects"]), int(c["arrests"]),
                    c["estimated_value"] or None, c["currency"] or None, c["outcome"] or None, c["penalty"], "",
                    c["sensitive"] == "1", *(c[name] for name in ("seizure_reason", "transport_mode", "concealment",
                                                                   "origin_country", "transit_countries",
                                                                   "destination_country", "offender_nationalities",
                                                                   "disposal")),
                    instant(c["reported_at_utc"]), instant(c["reported_at_utc"]), 1))
            if row[at["product"]]:
                items.append((len(items) + 1, incident_id, int(row[at["item_no"]]) - 1,
                              products[row[at["product"]]], species.get(row[at["species_scientific_name"]]),
                              row[at["quantity"]], row[at["quantity_unit"]], row[at["item_notes"]]))
    for start in range(0, len(incidents), BATCH):
        cursor.executemany(insert_incident, incidents[start:start + BATCH])
    for start in range(0, len(items), BATCH):
        cursor.executemany(insert_item, items[start:start + BATCH])
    connection.commit()
    connection.close()
    return time.perf_counter() - started


def bench(name: str, databases, count: int, xlsx: bool) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        with databases(folder) as fresh:
            demo_url = fresh("demo")
            demo_seconds, demo_rss, _ = flask(demo_url, "demo", "--incidents", str(count), "--seed", "42")
            csv_path = folder / "incidents.csv"
            export(demo_url, csv_path, "csv")
            expected = counts(demo_url)
            import_url = fresh("imported")
            import_seconds, import_rss, _ = flask(import_url, "import", str(csv_path), "--user", ADMIN, "--apply")
            assert counts(import_url) == expected, (counts(import_url), expected)
            raw_seconds = raw_import(fresh("raw"), csv_path)
            rows = sum(1 for _ in csv_path.open(encoding="utf-8")) - 1
            print(f"\n{name}: {expected[0]:,} incidents, {expected[1]:,} items, {rows:,} CSV rows "
                  f"({csv_path.stat().st_size / 1e6:.0f} MB)")
            print(f"  {'':34} {'seconds':>8} {'peak RSS':>9} {'vs demo':>8}")
            print(f"  {'flask demo':34} {demo_seconds:>8.1f} {demo_rss:>6.0f} MB {1:>8.2f}")
            print(f"  {'flask import --apply (CSV)':34} {import_seconds:>8.1f} {import_rss:>6.0f} MB "
                  f"{import_seconds / demo_seconds:>8.2f}")
            print(f"  {'raw SQL (csv + executemany)':34} {raw_seconds:>8.1f} {'':>9} "
                  f"{raw_seconds / demo_seconds:>8.2f}")
            if xlsx:
                xlsx_path = folder / "incidents.xlsx"
                export(demo_url, xlsx_path, "xlsx")
                seconds, rss, _ = flask(fresh("imported_xlsx"), "import", str(xlsx_path), "--user", ADMIN, "--apply")
                print(f"  {'flask import --apply (XLSX)':34} {seconds:>8.1f} {rss:>6.0f} MB "
                      f"{seconds / demo_seconds:>8.2f}")
            print(f"  targets: import <= 2x demo ({'met' if import_seconds <= 2 * demo_seconds else 'MISSED'}), "
                  f"peak RSS <= 200 MB ({'met' if import_rss <= 200 else 'MISSED'})")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--xlsx", action="store_true", help="also import the XLSX workbook of the same incidents")
    args = parser.parse_args()
    print(f"Import of {args.incidents:,} incidents")
    if args.db in ("sqlite", "both"):
        bench("SQLite", sqlite_databases, args.incidents, args.xlsx)
    if args.db in ("postgres", "both"):
        bench("PostgreSQL", postgres_databases, args.incidents, args.xlsx)


if __name__ == "__main__":
    main()
