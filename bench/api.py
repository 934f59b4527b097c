"""The API's incident list on a large database: a page deep in the list against page 1, for the
newest-first order and for an incremental pull, over HTTP with a token, with raw-SQL baselines of
the same keyset (and of OFFSET) measured in the same run.

    .venv/bin/python bench/api.py --incidents 1000000 [--db sqlite|postgres|both] [--repeat 40]

It works on copies of the demo databases of bench/common.py (built there if missing), kept in
BENCH_SCRATCH (default /tmp/tracker-bench-api) and migrated to the current revision (the tokens
and users it makes stay out of the shared databases). The app is served by werkzeug on 127.0.0.1 and
called with http.client (one keep-alive connection), as a sync script would call it.
"""
from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import shutil
import sqlite3
import subprocess
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from common import (
    DATA,
    SETTINGS,
    deep_rows,
    make_app,
    median,
    migrated,
    p95,
    postgres_bindir,
    postgres_database,
    sqlite_database,
    timings,
)

LIMIT = 50
SCRATCH = Path(os.environ.get("BENCH_SCRATCH", "/tmp/tracker-bench-api"))
RUN_AS_POSTGRES = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def sqlite_copy(count: int) -> str:
    source = Path(sqlite_database(count).removeprefix("sqlite:///"))
    target = SCRATCH / source.name
    if not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
        SCRATCH.mkdir(parents=True, exist_ok=True)
        print(f"Copying {source} ...")
        partial = target.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        with sqlite3.connect(source) as src, sqlite3.connect(partial) as dst:
            src.backup(dst)  # consistent, with whatever the WAL holds
        partial.rename(target)
    url = f"sqlite:///{target}"
    migrated(url)
    return url


@contextlib.contextmanager
def postgres_copy(count: int):
    with postgres_database(count):  # builds the shared cluster if missing; stopped on exit
        pass
    source, folder = DATA / f"pg-{count}" / "data", SCRATCH / f"pg-{count}"
    if not (folder / "READY").exists():
        print(f"Copying {source} ...")
        shutil.rmtree(folder, ignore_errors=True)
        (folder / "socket").mkdir(parents=True)
        subprocess.run(["cp", "-a", str(source), str(folder / "data")], check=True)
        if RUN_AS_POSTGRES:
            shutil.chown(folder, "postgres", "postgres")
            shutil.chown(folder / "socket", "postgres", "postgres")
        (folder / "data" / "postmaster.pid").unlink(missing_ok=True)
        (folder / "READY").write_text("ok")
    bindir = postgres_bindir()
    subprocess.run([*RUN_AS_POSTGRES, str(bindir / "pg_ctl"), "-D", str(folder / "data"), "-l",
                    str(folder / "server.log"), "-w", "-o",
                    f"{SETTINGS} -c shared_buffers=512MB -c work_mem=32MB -k {folder / 'socket'} -p 5432", "start"],
                   check=True, stdout=subprocess.DEVNULL)
    url = f"postgresql+psycopg://tracker@/tracker?host={folder / 'socket'}&port=5432"
    try:
        migrated(url)
        yield url
    finally:
        subprocess.run([*RUN_AS_POSTGRES, str(bindir / "pg_ctl"), "-D", str(folder / "data"), "-m", "fast", "-w",
                        "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def paired(first, deep, repeat: int) -> tuple[list[float], list[float]]:
    """Milliseconds of `first` and `deep`, called alternately (after one warm-up each), so that
    whatever else the machine is doing weighs on both alike."""
    first(), deep()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, bucket in ((first, times[0]), (deep, times[1])):
            started = time.perf_counter()
            fn()
            bucket.append((time.perf_counter() - started) * 1000)
    return times


class Server:
    """The app on 127.0.0.1 (werkzeug, threaded) and one keep-alive connection to it."""

    def __init__(self, app, token: str):
        from werkzeug.serving import make_server

        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.connection = http.client.HTTPConnection("127.0.0.1", self.server.server_port)
        self.headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}

    def get(self, path: str) -> dict:
        self.connection.request("GET", path, headers=self.headers)
        response = self.connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise SystemExit(f"{path}: {response.status} {body[:300]!r}")
        return json.loads(body)

    def close(self) -> None:
        self.connection.close()
        self.server.shutdown()


def measure(url: str, label: str, repeat: int, depth: int) -> None:
    from sqlalchemy import select

    from tests.support.factories import make_user
    from tracker.api.listing import Position, encode, incidents_page
    from tracker.auth import tokens
    from tracker.extensions import db
    from tracker.incidents.filters import IncidentFilters
    from tracker.models import Incident, Role, User

    app = make_app(url, API_RATE_LIMIT="1000000 per minute")
    since = datetime(1970, 1, 1, tzinfo=timezone.utc)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "bench-api")) or make_user(
            Role.COORDINATOR, username="bench-api")
        token = tokens.issue(user, "bench", timedelta(hours=2)).secret
        db.session.commit()
        newest = db.session.execute(select(Incident.occurred_at, Incident.id).order_by(
            Incident.occurred_at.desc(), Incident.id.desc()).offset(depth - 1).limit(1)).one()
        oldest_change = db.session.execute(select(Incident.updated_at, Incident.id).order_by(
            Incident.updated_at, Incident.id).offset(depth - 1).limit(1)).one()
        watermark = datetime.now(timezone.utc) - timedelta(minutes=2)
        deep = encode(Position("occurred", newest.occurred_at, newest.id, None))
        deep_pull = encode(Position("updated", oldest_change.updated_at, oldest_change.id, watermark))
        filters = IncidentFilters()
        app_first, app_deep = paired(lambda: incidents_page(filters, user, None, LIMIT),
                                     lambda: incidents_page(filters, user, deep, LIMIT), repeat)
        app_pull_first, app_pull_deep = paired(lambda: incidents_page(filters, user, None, LIMIT, since),
                                               lambda: incidents_page(filters, user, deep_pull, LIMIT, since), repeat)
        raw = db.engine.raw_connection()
        cursor = raw.cursor()
        sqlite = db.engine.dialect.name == "sqlite"
        param = "?" if sqlite else "%s"

        def value(moment):
            return str(moment.replace(tzinfo=None)) if sqlite else moment

        def run(sql, *args):
            cursor.execute(sql, args)
            cursor.fetchall()

        newest_sql = (f"SELECT * FROM incidents WHERE (occurred_at, id) < ({param}, {param}) "
                      f"ORDER BY occurred_at DESC, id DESC LIMIT {LIMIT + 1}")
        pull_sql = (f"SELECT * FROM incidents WHERE (updated_at, id) > ({param}, {param}) "
                    f"ORDER BY updated_at, id LIMIT {LIMIT + 1}")
        raw_deep = timings(lambda: run(newest_sql, value(newest.occurred_at), newest.id), repeat)
        raw_pull = timings(lambda: run(pull_sql, value(oldest_change.updated_at), oldest_change.id), repeat)
        raw_offset = timings(lambda: run(f"SELECT * FROM incidents ORDER BY occurred_at DESC, id DESC "
                                         f"LIMIT {LIMIT} OFFSET {depth}"), max(3, repeat // 4))
        raw.close()
    server = Server(app, token)
    pull = f"/api/v1/incidents?limit={LIMIT}&updated_since=1970-01-01T00:00:00Z"
    http_first, http_deep = paired(lambda: server.get(f"/api/v1/incidents?limit={LIMIT}"),
                                   lambda: server.get(f"/api/v1/incidents?limit={LIMIT}&cursor={deep}"), repeat)
    pull_first, pull_deep = paired(lambda: server.get(pull), lambda: server.get(f"{pull}&cursor={deep_pull}"), repeat)
    assert len(server.get(f"{pull}&cursor={deep_pull}")["items"]) == LIMIT
    server.close()
    with app.app_context():
        db.engine.dispose()
    rows = [("app query, newest first: page 1", app_first), (f"app query: after {depth:,} rows", app_deep),
            ("app query, pull: page 1", app_pull_first), (f"app query, pull: after {depth:,} rows", app_pull_deep),
            ("HTTP GET /api/v1/incidents: page 1", http_first), (f"HTTP: after {depth:,} rows", http_deep),
            ("HTTP incremental pull: page 1", pull_first), (f"HTTP pull: after {depth:,} rows", pull_deep),
            ("raw SQL keyset, newest first, same deep page", raw_deep),
            ("raw SQL keyset, pull, same deep page", raw_pull), (f"raw SQL OFFSET {depth:,}", raw_offset)]
    print(f"\n{label} ({LIMIT} incidents a page, with items)")
    print(f"{'':46} {'median ms':>10} {'p95 ms':>8}")
    for name, values in rows:
        print(f"{name:46} {median(values):10.2f} {p95(values):8.2f}")
    print(f"deep / page 1 over HTTP: newest first {median(http_deep) / median(http_first):.2f}x, "
          f"pull {median(pull_deep) / median(pull_first):.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    depth = deep_rows(args.incidents)
    if args.db in ("sqlite", "both"):
        measure(sqlite_copy(args.incidents), f"SQLite, {args.incidents:,} incidents", args.repeat, depth)
    if args.db in ("postgres", "both"):
        with postgres_copy(args.incidents) as url:
            measure(url, f"PostgreSQL, {args.incidents:,} incidents", args.repeat, depth)


if __name__ == "__main__":
    main()
