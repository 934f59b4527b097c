"""Dashboards on N demo incidents: the full HTTP request against the raw SQL of a live count.

    .venv/bin/python bench/dashboards.py [--incidents 1000000] [--requests 20] [--db sqlite|postgres|both]

For the overview and each category dashboard (the default view: last 24 months), it measures
the whole request through the app (test client, signed in as a coordinator) and, in the same run,
hand-written SQL run through the DBAPI (no ORM) that counts the same numbers live from the
incidents. Targets: HTTP median at most 0.3x the live SQL, p95 at most 150 ms. The map's data
request (first view of the region) is shown too; the page does not wait for it.
"""
from __future__ import annotations

import argparse
import contextlib
import sys
import time
from datetime import date, datetime, timezone
from datetime import time as day_start
from zoneinfo import ZoneInfo

from common import DATA, make_app, median, p95, postgres_database, sqlite_database, timings

from tracker.dashboards.months import add_months, key_of, month_bounds

ZONE = ZoneInfo("Asia/Vladivostok")
FIRST_VIEW_BBOX = "103.0,36.5,155.0,55.5"  # what the map shows first at 1280 px


def live_sql(dialect: str, month: str) -> dict[str, list[str]]:
    """The numbers of each page counted live; `?`-style placeholders become the DBAPI's own."""
    window = "category_id = ? AND occurred_at >= ? AND occurred_at < ?"
    items = ("FROM incidents i JOIN incident_items t ON t.incident_id = i.id "
             "WHERE i.category_id = ? AND i.occurred_at >= ? AND i.occurred_at < ?")
    category = [
        f"SELECT {month} AS m, status, COUNT(*), SUM(arrests) FROM incidents WHERE {window} GROUP BY m, status",
        f"SELECT detection_method, COUNT(*) FROM incidents WHERE {window} GROUP BY detection_method",
        f"SELECT place_id, country, COUNT(*) FROM incidents WHERE {window} GROUP BY place_id, country",
        f"SELECT t.product_id, COUNT(DISTINCT i.id) {items} GROUP BY t.product_id",
        f"SELECT t.product_id, t.unit, SUM(t.quantity) {items} GROUP BY t.product_id, t.unit",
        f"SELECT t.species_id, COUNT(DISTINCT i.id) {items} AND t.species_id IS NOT NULL GROUP BY t.species_id",
        f"SELECT t.species_id, t.unit, SUM(t.quantity) {items} AND t.species_id IS NOT NULL "
        "GROUP BY t.species_id, t.unit",
        f"SELECT id, ref, occurred_at FROM incidents WHERE {window} ORDER BY occurred_at DESC, id DESC LIMIT 10",
    ]
    overview = [f"SELECT category_id, {month} AS m, status, COUNT(*) FROM incidents GROUP BY category_id, m, status",
                "SELECT category_id, COUNT(*) FROM incidents WHERE occurred_at >= ? AND occurred_at < ? "
                "GROUP BY category_id"] + ["SELECT category_id, COUNT(*) FROM incidents WHERE occurred_at >= ? "
                                           "AND occurred_at < ? GROUP BY category_id"]
    if dialect == "postgresql":
        category = [q.replace("?", "%s") for q in category]
        overview = [q.replace("?", "%s") for q in overview]
    return {"category": category, "overview": overview}


def month_expression(dialect: str) -> str:
    if dialect == "postgresql":
        return "CAST(to_char(occurred_at AT TIME ZONE 'Asia/Vladivostok', 'YYYYMM') AS INTEGER)"
    return "CAST(strftime('%Y%m', occurred_at, '+10 hours') AS INTEGER)"


def utc_start(day: date):
    return datetime.combine(day, day_start.min, tzinfo=ZONE).astimezone(timezone.utc)


def run_live(connection, dialect: str, queries: list[str], params: list[tuple]) -> None:
    cursor = connection.cursor()
    for query, args in zip(queries, params, strict=False):
        if dialect == "sqlite":
            args = tuple(a.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(a, datetime) else a for a in args)
        cursor.execute(query, args)
        cursor.fetchall()
    cursor.close()


def prepare(app) -> None:
    """Migrate to the current schema, fill the rollups if this database predates them, give
    SQLite's planner statistics, and make a coordinator and a manager to sign in as."""
    from flask_migrate import upgrade
    from sqlalchemy import func, select, text

    from tracker.dashboards.rollups import rebuild
    from tracker.extensions import db
    from tracker.models import IncidentRollup, Role, User

    with app.app_context():
        upgrade()
        if not db.session.scalar(select(func.count()).select_from(IncidentRollup)):
            started = time.monotonic()
            rows = rebuild(db.session)
            db.session.commit()
            print(f"  rollups rebuilt: {rows:,} rows in {time.monotonic() - started:.0f} s", file=sys.stderr)
        if db.engine.dialect.name == "sqlite" and not db.session.scalar(
                text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")):
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        for username, role in (("bench-coordinator", Role.COORDINATOR), ("bench-manager", Role.MANAGER)):
            if db.session.scalar(select(User).where(User.username == username)) is None:
                db.session.add(User(username=username, display_name="Bench", role=role, password_hash="!disabled"))
        db.session.commit()


def signed_in_client(app, username: str = "bench-coordinator"):
    from sqlalchemy import select

    from tracker.extensions import db
    from tracker.models import User

    with app.app_context():
        token = db.session.scalar(select(User.session_token).where(User.username == username))
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"], session["login_at"] = token, True, time.time()
    return client


def bench_database(name: str, url: str, repeat: int) -> list[tuple]:
    from sqlalchemy import select

    from tracker.extensions import db
    from tracker.models import Category

    app = make_app(url)
    prepare(app)
    client = signed_in_client(app)
    with app.app_context():
        categories = db.session.execute(select(Category.id, Category.slug).order_by(Category.position)).all()
        dialect = db.engine.dialect.name
        raw = db.engine.raw_connection()
    queries = live_sql(dialect, month_expression(dialect))
    month = key_of(datetime.now(ZONE).date())
    window = (utc_start(month_bounds(add_months(month, -23))[0]), utc_start(month_bounds(add_months(month, 1))[0]))
    # The two partial months the overview compares with: last month and a year ago, to date.
    partial = [tuple(utc_start(day) for day in month_bounds(add_months(month, back))) for back in (-1, -12)]

    def get(url):
        def call():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        return call

    pages = [("overview", "/dashboards", queries["overview"], [(), *partial])]
    pages += [(slug, f"/dashboards/{slug}", queries["category"], [(category_id, *window)] * 8)
              for category_id, slug in categories]
    results = []
    for label, url, sql, params in pages:
        http = timings(get(url), repeat)
        live = timings(lambda sql=sql, params=params: run_live(raw, dialect, sql, params), max(5, repeat // 4))
        results.append((name, label, median(http), p95(http), median(live)))
        print(f"  {name} {label}: {median(http):.1f} ms", file=sys.stderr)
    for _, slug in categories[:1]:
        maps = timings(get(f"/dashboards/{slug}/map.json?bbox={FIRST_VIEW_BBOX}"), repeat)
        results.append((name, f"{slug} map.json", median(maps), p95(maps), None))
        # A manager sees sensitive positions generalised: the box and grid work on cell centres.
        client = signed_in_client(app, "bench-manager")
        maps = timings(get(f"/dashboards/{slug}/map.json?bbox={FIRST_VIEW_BBOX}"), repeat)
        results.append((name, f"{slug} map.json, manager", median(maps), p95(maps), None))
    raw.close()
    with app.app_context():
        db.engine.dispose()
    return results


@contextlib.contextmanager
def postgres_url(count: int):
    """The benchmark cluster; if another benchmark has it running, share it rather than fail."""
    socket = DATA / f"pg-{count}" / "socket"
    if (socket / ".s.PGSQL.5432").exists():
        yield f"postgresql+psycopg://tracker@/tracker?host={socket}&port=5432"
    else:
        with postgres_database(count) as url:
            yield url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    args = parser.parse_args()
    results = []
    if args.db in ("sqlite", "both"):
        results += bench_database("SQLite", sqlite_database(args.incidents), args.requests)
    if args.db in ("postgres", "both"):
        with postgres_url(args.incidents) as url:
            results += bench_database("PostgreSQL", url, args.requests)
    print(f"\nDashboards on {args.incidents:,} incidents ({args.requests} requests each; ms)\n")
    print("| database | page | HTTP median | HTTP p95 | live SQL median | median / live | target |")
    print("|---|---|---:|---:|---:|---:|---|")
    for name, page, http_median, http_p95, live in results:
        ratio = f"{http_median / live:.2f}" if live else "—"
        met = "—" if not live else ("yes" if http_median <= 0.3 * live and http_p95 <= 150 else "NO")
        live_text = f"{live:.1f}" if live else "—"
        print(f"| {name} | {page} | {http_median:.1f} | {http_p95:.1f} | {live_text} | {ratio} | {met} |")


if __name__ == "__main__":
    main()
