"""The incident list on a large database: keyset pagination deep in the list against page 1,
with raw-SQL baselines (keyset and OFFSET) measured in the same run.

    .venv/bin/python bench/incident_list.py --incidents 1000000 [--db sqlite|postgres|both]
"""
from __future__ import annotations

import argparse
import contextlib
import time

from common import deep_rows, make_app, median, p95, postgres_database, sqlite_database, timings


def measure(url: str, label: str, repeat: int, depth: int) -> None:
    from sqlalchemy import select

    from tests.support.factories import make_user
    from tracker.extensions import db
    from tracker.incidents.filters import IncidentFilters
    from tracker.incidents.queries import encode_cursor, keyset_page
    from tracker.models import Incident, Role, User

    app = make_app(url)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "bench-list")) or make_user(
            Role.COORDINATOR, username="bench-list")
        token = user.session_token
        deep = db.session.execute(select(Incident.occurred_at, Incident.id)
                                  .order_by(Incident.occurred_at.desc(), Incident.id.desc())
                                  .offset(depth - 1).limit(1)).one()
        cursor = encode_cursor(deep.occurred_at, deep.id, "next")
        filters = IncidentFilters()
        first = timings(lambda: keyset_page(filters, user, None, 50), repeat)
        deep_page = timings(lambda: keyset_page(filters, user, cursor, 50), repeat)
        raw_conn = db.engine.raw_connection()
        cur = raw_conn.cursor()
        param = "?" if db.engine.dialect.name == "sqlite" else "%s"
        keyset_sql = (f"SELECT id, ref, occurred_at FROM incidents WHERE (occurred_at, id) < ({param}, {param}) "
                      f"ORDER BY occurred_at DESC, id DESC LIMIT 51")
        value = deep.occurred_at if db.engine.dialect.name != "sqlite" else str(deep.occurred_at)
        raw_keyset = timings(lambda: (cur.execute(keyset_sql, (value, deep.id)), cur.fetchall()), repeat)
        raw_offset = timings(lambda: (cur.execute(
            f"SELECT id, ref, occurred_at FROM incidents ORDER BY occurred_at DESC, id DESC LIMIT 51 OFFSET {depth}"),
            cur.fetchall()), max(3, repeat // 4))
        raw_conn.close()
    client = app.test_client()
    with client.session_transaction() as session:
        session.update({"_user_id": token, "_fresh": True, "login_at": time.time()})
    http_first = timings(lambda: client.get("/incidents").close(), repeat)
    http_deep = timings(lambda: client.get(f"/incidents?cursor={cursor}&page={depth // 50 + 1}").close(), repeat)
    with app.app_context():
        db.engine.dispose()
    rows = [("keyset page 1 (app query)", first), (f"keyset after {depth:,} rows (app query)", deep_page),
            ("raw SQL keyset, same deep page", raw_keyset), (f"raw SQL OFFSET {depth:,}", raw_offset),
            ("HTTP /incidents page 1 (with count)", http_first), ("HTTP /incidents deep page (with count)", http_deep)]
    print(f"\n{label}")
    print(f"{'':46} {'median ms':>10} {'p95 ms':>8}")
    for name, values in rows:
        print(f"{name:46} {median(values):10.2f} {p95(values):8.2f}")
    print(f"deep page / page 1 (app query): {median(deep_page) / median(first):.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    depth = deep_rows(args.incidents)
    if args.db in ("sqlite", "both"):
        measure(sqlite_database(args.incidents), f"SQLite, {args.incidents:,} incidents", args.repeat, depth)
    if args.db in ("postgres", "both"):
        with contextlib.ExitStack() as stack:
            url = stack.enter_context(postgres_database(args.incidents))
            measure(url, f"PostgreSQL, {args.incidents:,} incidents", args.repeat, depth)


if __name__ == "__main__":
    main()
