"""Raw-SQL baselines: what the database alone needs for the work behind a request, through the
DBAPI (no ORM, no app), so that a benchmark can quote the app's figures against them from the
same run, on the same data and machine.

- `native_csv`: the database's own CSV of a statement (`sqlite3 -csv`, PostgreSQL `COPY`), and
  `export_csv_first_byte` its first byte for an export's rows;
- `raw_submit`: one incident and its item inserted and committed;
- `raw_dashboards`: the numbers of the overview and of a category dashboard counted live
  (bench/dashboards.py's hand-written SQL).
"""
from __future__ import annotations

import subprocess
import time
import uuid
from datetime import datetime

from common import make_app, timings


def native_csv(url: str, sql: str, settings: tuple[str, ...] = ()) -> tuple[float, float]:
    """(seconds to the first byte, seconds to the end) of the database's own CSV of `sql`;
    PostgreSQL runs `settings` (SET LOCAL ...) first in the same transaction."""
    started = time.perf_counter()
    first = None
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        with subprocess.Popen(["sqlite3", "-readonly", "-csv", "-header", path, sql], stdout=subprocess.PIPE) as dump:
            while dump.stdout.read1(1 << 16):
                first = first or time.perf_counter() - started
        if dump.returncode:
            raise SystemExit(f"sqlite3 -csv ended with {dump.returncode}")
    else:
        import psycopg
        from sqlalchemy.engine import make_url

        conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(conninfo) as conn, conn.cursor() as cur:
            for setting in settings:
                cur.execute(setting)
            with cur.copy(f"COPY ({sql}) TO STDOUT WITH CSV HEADER") as copy:
                for _ in copy:
                    first = first or time.perf_counter() - started
    return first or 0.0, time.perf_counter() - started


def export_csv_first_byte(url: str, username: str, since) -> float:
    """Milliseconds to the first byte of the database's own CSV of the rows a CSV export from
    `since` holds for `username`, in its order; on PostgreSQL the app's COPY statement, with the
    planner settings it runs under (streamed from the index, no sort)."""
    from sqlalchemy import select

    from tracker.extensions import db
    from tracker.incidents.filters import IncidentFilters
    from tracker.models import User
    from tracker.reports.exports.pgcopy import SETTINGS, copy_statement
    from tracker.reports.rows import export_stmt

    app = make_app(url)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        f = IncidentFilters(date_from=since)
        postgres = db.engine.dialect.name == "postgresql"
        statement = copy_statement(f, user, "en") if postgres else export_stmt(f, user)
        sql = str(statement.compile(db.engine, compile_kwargs={"literal_binds": True}))
        db.engine.dispose()
    return native_csv(url, sql, SETTINGS if postgres else ())[0] * 1000


def raw_submit(url: str, repeat: int = 20) -> list[float]:
    """Milliseconds to insert and commit one incident (a copy of the newest, with a new ref and
    uuid) and its first item; the copies are deleted afterwards."""
    from tracker.extensions import db
    from tracker.models import Incident, IncidentItem

    app = make_app(url)
    with app.app_context():
        dialect = db.engine.dialect.name
        raw = db.engine.raw_connection()
    mark = "?" if dialect == "sqlite" else "%s"
    fresh = {"ref": None, "client_uuid": None, "import_key": None}
    incident_columns = [c.name for c in Incident.__table__.columns if c.name != "id"]
    item_columns = [c.name for c in IncidentItem.__table__.columns if c.name not in ("id", "incident_id")]
    copied = ", ".join(mark if name in fresh else name for name in incident_columns)
    insert_incident = (f"INSERT INTO incidents ({', '.join(incident_columns)}) SELECT {copied} FROM incidents "
                       f"WHERE id = (SELECT MAX(id) FROM incidents)")
    insert_item = (f"INSERT INTO incident_items (incident_id, {', '.join(item_columns)}) "
                   f"SELECT {mark}, {', '.join(item_columns)} FROM incident_items "
                   f"WHERE id = (SELECT MIN(id) FROM incident_items)")
    refs = []

    def submit() -> None:
        ref = f"RAW-{uuid.uuid4().hex[:12]}"
        values = {"ref": ref, "client_uuid": uuid.uuid4().hex if dialect == "sqlite" else uuid.uuid4(),
                  "import_key": None}
        cursor = raw.cursor()
        cursor.execute(insert_incident, [values[name] for name in incident_columns if name in fresh])
        cursor.execute(f"SELECT id FROM incidents WHERE ref = {mark}", (ref,))
        cursor.execute(insert_item, (cursor.fetchone()[0],))
        raw.commit()
        refs.append(ref)

    try:
        return timings(submit, repeat)
    finally:
        cursor = raw.cursor()
        for ref in refs:
            cursor.execute("DELETE FROM incident_items WHERE incident_id IN "
                           f"(SELECT id FROM incidents WHERE ref = {mark})", (ref,))
            cursor.execute(f"DELETE FROM incidents WHERE ref = {mark}", (ref,))
        raw.commit()
        raw.close()
        with app.app_context():
            db.engine.dispose()


def raw_dashboards(url: str, repeat: int = 10) -> dict[str, list[float]]:
    """Milliseconds to count the overview's and the first category dashboard's numbers live."""
    from dashboards import ZONE, live_sql, month_expression, run_live, utc_start
    from sqlalchemy import select

    from tracker.dashboards.months import add_months, key_of, month_bounds
    from tracker.extensions import db
    from tracker.models import Category

    app = make_app(url)
    with app.app_context():
        dialect = db.engine.dialect.name
        category = db.session.scalar(select(Category.id).order_by(Category.position))
        raw = db.engine.raw_connection()
    queries = live_sql(dialect, month_expression(dialect))
    month = key_of(datetime.now(ZONE).date())
    window = (utc_start(month_bounds(add_months(month, -23))[0]), utc_start(month_bounds(add_months(month, 1))[0]))
    partial = [tuple(utc_start(day) for day in month_bounds(add_months(month, back))) for back in (-1, -12)]
    try:
        return {"overview": timings(lambda: run_live(raw, dialect, queries["overview"], [(), *partial]), repeat),
                "category": timings(lambda: run_live(raw, dialect, queries["category"], [(category, *window)] * 8),
                                    repeat)}
    finally:
        raw.close()
        with app.app_context():
            db.engine.dispose()
