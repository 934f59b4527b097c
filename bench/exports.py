"""Exports on N demo incidents: the app's CSV against the database's own CSV dump of the same rows.

    .venv/bin/python bench/exports.py [--incidents 1000000] [--db sqlite|postgres|both]
                                      [--xlsx-from 2025-01-01 | --no-xlsx]

Per database, in one run:
- native: the export's own SQL statement (compiled with its values) dumped by `sqlite3 -csv` or
  by PostgreSQL `COPY (...) TO STDOUT WITH CSV`, read to the end;
- app CSV over HTTP: GET /reports/incidents.csv as a manager gets it, from gunicorn (one worker,
  four threads) on 127.0.0.1, read to the end by http.client: rows/s, the ratio to native, the
  worker's peak RSS, the time to the first byte (the header) and to the first rows;
- app CSV in process: the same GET through the Flask test client (no HTTP), in a fresh process,
  with that process's peak RSS: what the app itself costs;
- app XLSX: what a background job runs (tracker.reports.builders.incidents_xlsx), in a fresh
  process: rows/s (rows = CSV rows: items plus incidents without items) and peak RSS.
Targets: CSV over HTTP at least 40% of the native rate, peak RSS at most 150 MB, first byte within 1 s.
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

from baselines import native_csv
from common import DATA, Gunicorn, make_app, postgres_database, session_cookie, sqlite_database

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
        from werkzeug.datastructures import MultiDict

        from tracker.reports.builders import incidents_xlsx
        from tracker.reports.formats import incident_filters

        args = {"date_from": xlsx_from} if xlsx_from else {}
        path = Path(tempfile.mkdtemp()) / "bench.xlsx"
        with app.test_request_context("/reports/incidents.xlsx", query_string=args):
            user = db.session.query(User).filter_by(username=MANAGER).one()
            started = time.perf_counter()
            tally = incidents_xlsx(str(path), incident_filters(MultiDict(args)), user)
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


def http_csv(url: str, token: str) -> tuple[dict, float]:
    """(the figures of one CSV download over HTTP, the gunicorn worker's peak RSS in MB)."""
    import http.client

    with Gunicorn(url, workers=1, threads=4) as server:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
        headers = {"Cookie": session_cookie(make_app(url), token)}
        connection.request("GET", "/reports/incidents.csv?date_to=1900-01-01", headers=headers)  # warm-up: no rows
        connection.getresponse().read()
        started = time.perf_counter()
        connection.request("GET", "/reports/incidents.csv", headers=headers)
        response = connection.getresponse()
        if response.status != 200:
            raise SystemExit(f"CSV over HTTP: {response.status} {response.read(300)!r}")
        buffer = memoryview(bytearray(1 << 20))  # read into one buffer: the client's memory stays flat
        size = response.readinto(buffer)
        first_byte = time.perf_counter() - started
        lines = buffer[:size].tobytes().count(b"\n") - 1
        first_rows = first_byte if lines else None  # a small export comes in one read
        while read := response.readinto(buffer):
            size += read
            lines += buffer[:read].tobytes().count(b"\n")
            if first_rows is None and lines:
                first_rows = time.perf_counter() - started
        seconds = time.perf_counter() - started
        connection.close()
        rss = server.peak_rss_mb()
    return {"seconds": seconds, "lines": lines, "bytes": size, "first_byte": first_byte,
            "first_rows": first_rows}, rss


def prepare(url: str) -> tuple[str, int, str]:
    """The export's SQL as the app sends it (with its values), its row count and the manager's
    session token; makes sure the benchmark's manager exists (the export writes its audit event as that user)."""
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
        token = user.session_token
        db.engine.dispose()
    return sql, rows, token


def bench(name: str, url: str, xlsx: bool, xlsx_from: str | None) -> None:
    sql, rows, token = prepare(url)
    native = native_csv(url, sql)[1]
    over_http, http_rss = http_csv(url, token)
    in_process, process_rss = run_child("csv", url, None)
    for result in (over_http, in_process):
        assert result["lines"] == rows, (result["lines"], rows)  # no row lost (no newlines in demo text)
    native_rate = rows / native
    print(f"\n{name}: {rows:,} CSV rows ({over_http['bytes'] / 1e6:.0f} MB)")
    print(f"  {'':30} {'rows/s':>10} {'seconds':>8} {'peak RSS':>9} {'/native':>8}")
    print(f"  {'native CSV dump':30} {native_rate:>10,.0f} {native:>8.1f} {'':>9} {'':>8}")
    for label, result, rss in (("app CSV over HTTP (gunicorn)", over_http, http_rss),
                               ("app CSV in process (no HTTP)", in_process, process_rss)):
        rate = rows / result["seconds"]
        print(f"  {label:30} {rate:>10,.0f} {result['seconds']:>8.1f} {rss:>6.0f} MB {rate / native_rate:>8.0%}")
    print(f"  over HTTP: app/native {rows / over_http['seconds'] / native_rate:.0%} (target >= 40%); "
          f"first byte {over_http['first_byte'] * 1000:.0f} ms,"
          f" first rows {over_http['first_rows'] * 1000:.0f} ms (target <= 1 s)")
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
    print(f"Exports on {args.incidents:,} incidents (data in {DATA})")
    if args.db in ("sqlite", "both"):
        bench("SQLite", sqlite_database(args.incidents), not args.no_xlsx, args.xlsx_from)
    if args.db in ("postgres", "both"):
        with postgres_database(args.incidents) as url:
            bench("PostgreSQL", url, not args.no_xlsx, args.xlsx_from)


if __name__ == "__main__":
    main()
