"""Exports on N demo incidents: the app's CSV against the database's own CSV dump of the same rows.

    .venv/bin/python bench/exports.py [--incidents 1000000] [--db sqlite|postgres|both]
                                      [--xlsx-from 2025-01-01 | --no-xlsx]

Per database, in one run:
- native: the export's own SQL statement (compiled with its values) dumped by `sqlite3 -csv` or
  by PostgreSQL `COPY (...) TO STDOUT WITH CSV`, read to the end;
- app CSV: GET /reports/incidents.csv through the whole app (Flask test client, signed in as a
  manager, streamed), in a fresh process: rows/s, the ratio to native, that process's peak RSS,
  the time to the first byte (the header) and to the first rows (the first chunk of data);
- app XLSX: what a background job runs (tracker.reports.builders.incidents_xlsx), in a fresh
  process: rows/s (rows = CSV rows: items plus incidents without items) and peak RSS.
Targets: CSV at least 40% of the native rate, peak RSS at most 150 MB, first byte within 1 s.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import DATA, ROOT, make_app, postgres_database, sqlite_database

MANAGER = "bench-manager"


def child(mode: str, url: str, xlsx_from: str | None) -> None:
    """Runs in its own process, so that its peak RSS is the export's alone; prints one JSON line."""
    from tracker.extensions import db
    from tracker.models import User

    app = make_app(url, REPORTS_DIR=tempfile.mkdtemp(), REPORTS_SYNC_MAX_ROWS=10**9)
    with app.app_context():
        user = db.session.query(User).filter_by(username=MANAGER).one()
        token = user.session_token
    if mode == "csv":
        client = app.test_client()
        with client.session_transaction() as session:
            session.update({"_user_id": token, "_fresh": True, "login_at": time.time()})
        started = time.perf_counter()
        response = client.get("/reports/incidents.csv", buffered=False)
        chunks = iter(response.response)
        first_byte = time.perf_counter() - started
        size = len(next(chunks))
        first_rows, lines = None, 0
        for chunk in chunks:
            if first_rows is None and chunk:
                first_rows = time.perf_counter() - started
            size += len(chunk)
            lines += chunk.count(b"\n")
        response.close()
        result = {"seconds": time.perf_counter() - started, "lines": lines, "bytes": size,
                  "first_byte": first_byte, "first_rows": first_rows}
    else:
        from tracker.incidents.filters import FilterForm
        from tracker.reports.builders import incidents_xlsx

        args = {"date_from": xlsx_from} if xlsx_from else {}
        path = Path(tempfile.mkdtemp()) / "bench.xlsx"
        with app.test_request_context("/reports/incidents.xlsx", query_string=args):
            user = db.session.query(User).filter_by(username=MANAGER).one()
            started = time.perf_counter()
            tally = incidents_xlsx(str(path), FilterForm(args).filters(), user)
            result = {"seconds": time.perf_counter() - started, "rows": tally.rows, "incidents": tally.incidents,
                      "bytes": path.stat().st_size}
        path.unlink()
    print(json.dumps(result))


def run_child(mode: str, url: str, xlsx_from: str | None) -> tuple[dict, float]:
    """(the child's JSON, its peak RSS in MB) — os.wait4 gives the usage of that child only."""
    process = subprocess.Popen([sys.executable, __file__, "--child", mode, "--url", url,
                                *(["--xlsx-from", xlsx_from] if xlsx_from else [])], stdout=subprocess.PIPE)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{mode} export failed")
    return json.loads(output.decode().strip().splitlines()[-1]), usage.ru_maxrss / 1024


def prepare(url: str) -> tuple[str, int]:
    """The export's SQL as the app sends it (with its values), and its row count; makes sure the
    benchmark's manager exists (the export writes its audit event as that user)."""
    from tests.support.factories import make_user
    from tracker.extensions import db
    from tracker.incidents.filters import IncidentFilters
    from tracker.models import Role, User
    from tracker.reports.rows import export_counts, export_stmt

    app = make_app(url)
    with app.app_context():
        user = db.session.query(User).filter_by(username=MANAGER).one_or_none() or make_user(
            Role.MANAGER, username=MANAGER, unit=None)
        stmt = export_stmt(IncidentFilters(), user)
        sql = str(stmt.compile(db.engine, compile_kwargs={"literal_binds": True}))
        rows = export_counts(IncidentFilters(), user).rows
        db.engine.dispose()
    return sql, rows


def native_seconds(url: str, sql: str) -> float:
    started = time.perf_counter()
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        with open(os.devnull, "wb") as sink:
            subprocess.run(["sqlite3", "-readonly", "-csv", "-header", path, sql], stdout=sink, check=True)
    else:
        import psycopg
        from sqlalchemy.engine import make_url

        conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(conninfo) as conn, conn.cursor() as cur:
            with cur.copy(f"COPY ({sql}) TO STDOUT WITH CSV HEADER") as copy:
                for _ in copy:
                    pass
    return time.perf_counter() - started


def bench(name: str, url: str, xlsx: bool, xlsx_from: str | None) -> None:
    sql, rows = prepare(url)
    native = native_seconds(url, sql)
    csv_result, csv_rss = run_child("csv", url, None)
    assert csv_result["lines"] == rows, (csv_result["lines"], rows)  # no row lost (no newlines in demo text)
    app_rate, native_rate = rows / csv_result["seconds"], rows / native
    print(f"\n{name}: {rows:,} CSV rows ({csv_result['bytes'] / 1e6:.0f} MB)")
    print(f"  {'':28} {'rows/s':>10} {'seconds':>8} {'peak RSS':>9}")
    print(f"  {'native CSV dump':28} {native_rate:>10,.0f} {native:>8.1f} {'':>9}")
    print(f"  {'app CSV (GET, streamed)':28} {app_rate:>10,.0f} {csv_result['seconds']:>8.1f} {csv_rss:>6.0f} MB")
    print(f"  app/native {app_rate / native_rate:.0%} (target >= 40%); "
          f"first byte {csv_result['first_byte'] * 1000:.0f} ms,"
          f" first rows {csv_result['first_rows'] * 1000:.0f} ms (target <= 1 s)")
    if xlsx:
        result, rss = run_child("xlsx", url, xlsx_from)
        scope = f"from {xlsx_from}" if xlsx_from else "all"
        print(f"  {'app XLSX (' + scope + ')':28} {result['rows'] / result['seconds']:>10,.0f} "
              f"{result['seconds']:>8.1f} {rss:>6.0f} MB   {result['rows']:,} rows, {result['bytes'] / 1e6:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--xlsx-from", help="XLSX over incidents from this date (default: all)")
    parser.add_argument("--no-xlsx", action="store_true")
    parser.add_argument("--child", choices=("csv", "xlsx"))
    parser.add_argument("--url")
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.url, args.xlsx_from)
    print(f"Exports on {args.incidents:,} incidents (data in {DATA.relative_to(ROOT)})")
    if args.db in ("sqlite", "both"):
        bench("SQLite", sqlite_database(args.incidents), not args.no_xlsx, args.xlsx_from)
    if args.db in ("postgres", "both"):
        with postgres_database(args.incidents) as url:
            bench("PostgreSQL", url, not args.no_xlsx, args.xlsx_from)


if __name__ == "__main__":
    main()
