"""Mixed load on N demo incidents, bounded in time: rangers submitting incidents with a photo,
coordinators browsing the list and dashboards and verifying, managers exporting CSV and XLSX.

    .venv/bin/python bench/load.py [--incidents 1000000] [--db sqlite|postgres] [--seconds 60] [--warm-up 15]
                                   [--servers 1] [--workers 1] [--threads 8] [--redis] [--s3]
                                   [--rangers 20] [--coordinators 5] [--managers 2] [--ranger-pause 5-15]
    .venv/bin/python bench/load.py --url http://a:8000 --url http://b:8000 --database-url URL

The first form serves a copy of the demo database of bench/common.py (SQLite: a copied file,
PostgreSQL: the benchmarks' cluster) with gunicorn as deployed (`wsgi:app`, production settings),
`--servers` gunicorn processes on their own ports, sharing the evidence and export folders, or,
with `--s3`, a bucket on a local S3 server (moto, from .venv-moto/), and with `--redis` their rate
limits in a local redis-server, as two machines behind a balancer would. The second runs
against servers already running (several base URLs: the users are spread over them in turn)
whose database is `--database-url`: the accounts are made there.

locust runs headless from its own virtualenv (.venv-locust/, `make bench-load-venv`), with the
users of bench/locustfile.py. The first `--warm-up` seconds are load that is not counted (new
worker processes, a cold database cache, everyone signing in); then, over `--seconds`, this
prints p50, p95 and p99 per request type and the error count. Right after, on the same database,
it measures the raw-SQL baselines of the targeted requests (bench/baselines.py, median ms,
unloaded): an incident and its item inserted, the dashboards' numbers counted live, the first
byte of the database's own CSV of the same year. Last, it looks up every acknowledged submission
in the database (the warm-up's too): each incident must be stored exactly once, with its photo
exactly once. Targets: 0 errors, 0 lost or duplicated, submit and dashboard p95 <= 500 ms, CSV
first byte <= 1 s.
"""
from __future__ import annotations

import argparse
import base64
import contextlib
import csv
import io
import json
import math
import os
import secrets
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from common import DATA, ROOT, Gunicorn, make_app, postgres_database, sqlite_database

START = "(start)"  # the timeline's mark of locust's start (bench/locustfile.py)
LOCUST = ROOT / ".venv-locust" / "bin" / "locust"
SCRATCH = Path(os.environ.get("BENCH_SCRATCH", "/tmp/tracker-bench-load"))
TARGETS_MS = {"submit incident": 500, "dashboard overview": 500, "dashboard (category)": 500,
              "CSV export (first byte)": 1000}


def photo() -> bytes:
    """A 1024x768 JPEG (about 100 KB), as a phone's reduced photo."""
    from PIL import Image

    image = Image.effect_noise((1024, 768), 40).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return buffer.getvalue()


def accounts(url: str, counts: dict[str, int]) -> dict:
    """Accounts for the run (made or reset), the rangers' API tokens, reference codes."""
    from sqlalchemy import select

    from tracker.auth.passwords import hash_password
    from tracker.auth.tokens import issue
    from tracker.extensions import db
    from tracker.models import Category, Product, Role, User

    app = make_app(url)
    password = secrets.token_urlsafe(16)
    result: dict[str, list] = {}
    with app.app_context():
        for kind, count in counts.items():
            result[kind] = []
            for n in range(1, count + 1):
                username = f"load-{kind}-{n}"
                user = db.session.scalar(select(User).where(User.username == username))
                if user is None:
                    user = User(username=username, display_name=f"Load {kind} {n}", role=Role(kind),
                                unit="Load test unit" if kind != "manager" else None, password_hash="")
                    db.session.add(user)
                user.password_hash, user.active = hash_password(password), True
                db.session.flush()
                account = {"username": username, "password": password}
                if kind == "ranger":
                    account["token"] = issue(user, "load test", timedelta(hours=2)).secret
                result[kind].append(account)
        config = {"accounts": result, "categories": list(db.session.scalars(select(Category.slug))),
                  "products": list(db.session.scalars(select(Product.id).where(Product.default_unit == "pcs")))}
        db.session.commit()
        db.engine.dispose()
    return config


def sqlite_copy(count: int) -> str:
    """A fresh copy of the demo database, so that the run's incidents stay out of it."""
    source = Path(sqlite_database(count).removeprefix("sqlite:///"))
    target = SCRATCH / source.name
    SCRATCH.mkdir(parents=True, exist_ok=True)
    for stale in SCRATCH.glob(source.name + "*"):
        stale.unlink()
    print(f"Copying {source} ...", file=sys.stderr)
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return f"sqlite:///{target}"


@contextlib.contextmanager
def served(args) -> tuple[list[str], str]:
    """(base URLs, database URL): the servers given, or gunicorn processes started here."""
    if args.url:
        yield args.url, args.database_url
        return
    with contextlib.ExitStack() as stack:
        if args.db == "sqlite":
            url = sqlite_copy(args.incidents)
        else:
            url = stack.enter_context(postgres_database(args.incidents))
        files = Path(tempfile.mkdtemp(prefix="tracker-load-"))
        stack.callback(shutil.rmtree, files, ignore_errors=True)
        env = {"TRACKER_ENV": "production", "SECRET_KEY": secrets.token_hex(32), "SESSION_COOKIE_SECURE": "0",
               "EVIDENCE_DIR": str(files / "evidence"), "REPORTS_DIR": str(files / "exports"),
               "LOG_LEVEL": "WARNING", "TRACKER_INSTANCE": str(files), **shared_state(args, stack)}
        servers = [stack.enter_context(Gunicorn(url, args.workers, args.threads, app="wsgi:app", **env))
                   for _ in range(args.servers)]
        yield [server.base_url for server in servers], url


def shared_state(args, stack: contextlib.ExitStack) -> dict[str, str]:
    """The servers' settings for a local redis-server (`--redis`) and a bucket on a local S3
    server (`--s3`), both started here and stopped after the run."""
    env: dict[str, str] = {}
    if args.redis:
        from tests.support.redisserver import temporary_redis

        env["RATELIMIT_STORAGE_URI"] = stack.enter_context(temporary_redis()).url
    if args.s3:
        import boto3

        from tests.support.s3server import CREDENTIALS, moto_server

        os.environ.update(CREDENTIALS)  # for this process's client, and the servers inherit them
        endpoint = stack.enter_context(moto_server())
        boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket="tracker-load")
        env |= {"STORAGE_BACKEND": "s3", "S3_BUCKET": "tracker-load", "S3_ENDPOINT_URL": endpoint,
                "S3_PREFIX": "load/"}
    return env


def run_locust(base_urls: list[str], config: dict, args, out: Path) -> Path:
    if not LOCUST.exists():
        raise SystemExit(f"{LOCUST} is missing: make bench-load-venv (python3 -m venv .venv-locust && "
                         ".venv-locust/bin/pip install -r bench/requirements-load.txt)")
    config_path, acks = out / "config.json", out / "acks.jsonl"
    config_path.write_text(json.dumps({**config, "base_urls": base_urls}))
    users = sum(config["users"].values())
    env = {**os.environ, "BENCH_LOAD_CONFIG": str(config_path), "BENCH_LOAD_ACKS": str(acks),
           "BENCH_LOAD_TIMELINE": str(out / "timeline.csv")}
    with open(out / "locust.log", "w") as log:
        subprocess.run([str(LOCUST), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "-u", str(users),
                        "-r", str(users), "-t", f"{args.warm_up + args.seconds}s", "--stop-timeout", "120", "--csv",
                        str(out / "run"), "--only-summary", "--loglevel", "WARNING"],
                       env=env, cwd=out, stdout=log, stderr=subprocess.STDOUT)
    if not (out / "run_stats.csv").exists():
        raise SystemExit(f"locust did not finish: see {out / 'locust.log'}")
    return acks


def timeline(out: Path, warm_up: float) -> tuple[dict, dict]:
    """({name: [ms, ...]} of the requests started after the warm-up, {name: number failed}),
    from locust's run in `out`; the requests of the warm-up are left out of both."""
    with open(out / "timeline.csv", newline="") as f:
        rows = [(float(started), name, float(ms), ok == "1") for started, name, ms, ok in csv.reader(f)]
    begun = min((started for started, name, _, _ in rows if name == START), default=0.0)
    times: dict[str, list[float]] = {}
    failed: dict[str, int] = {}
    for started, name, ms, ok in rows:
        if name == START or started < begun + warm_up:
            continue
        times.setdefault(name, []).append(ms)
        failed[name] = failed.get(name, 0) + (not ok)
    return times, failed


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile: the value that q% of the requests did not exceed."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def report(out: Path, warm_up: float, baselines: dict[str, list[float]]) -> int:
    """Prints the percentiles per request type after the warm-up, each target's verdict and the
    raw-SQL baseline of its work (median, measured unloaded); returns the number of errors."""
    times, failed = timeline(out, warm_up)
    print(f"\n{'request':28} {'count':>6} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
          f"{'raw SQL':>8}  target")
    for name in sorted(times):
        values, target, raw = times[name], TARGETS_MS.get(name), baselines.get(name)
        p95 = percentile(values, 95)
        verdict = "" if target is None else f"p95 <= {target}: {'met' if p95 <= target else 'NOT met'}"
        raw_text = f"{statistics.median(raw):.1f}" if raw else ""
        print(f"{name:28} {len(values):>6} {failed[name]:>6} {percentile(values, 50):>7.0f} {p95:>7.0f} "
              f"{percentile(values, 99):>7.0f} {raw_text:>8}  {verdict}")
    with open(out / "run_failures.csv", newline="") as f:
        for row in csv.DictReader(f):
            print(f"  error: {row['Method']} {row['Name']}: {row['Error']} ({row['Occurrences']}x, run and warm-up)")
    return sum(failed.values())


def measure_baselines(database_url: str) -> dict[str, list[float]]:
    """The raw-SQL baselines of the targeted requests, on the run's database right after it."""
    from baselines import export_csv_first_byte, raw_dashboards, raw_submit

    since = (datetime.now(timezone.utc) - timedelta(days=365)).date()
    dashboards = raw_dashboards(database_url, repeat=5)
    return {"submit incident": raw_submit(database_url), "dashboard overview": dashboards["overview"],
            "dashboard (category)": dashboards["category"],
            "CSV export (first byte)": [export_csv_first_byte(database_url, "load-manager-1", since)
                                        for _ in range(3)]}


def check_stored(database_url: str, acks: Path) -> tuple[int, int, int, int]:
    """(incidents acknowledged, photos acknowledged, lost, duplicated) by a look-up of every
    acknowledged submission's client_uuid, and of the photo on its incident."""
    import uuid

    from sqlalchemy import func, select

    from tracker.extensions import db
    from tracker.models import Evidence, Incident

    records = [json.loads(line) for line in acks.read_text().splitlines()] if acks.exists() else []
    incidents = [r for r in records if r["kind"] == "incident"]
    photos = {r["client_uuid"] for r in records if r["kind"] == "photo"}
    lost = duplicated = 0
    app = make_app(database_url)
    with app.app_context():
        for record in incidents:
            key = uuid.UUID(record["client_uuid"])
            stored = db.session.execute(select(Incident.id, Incident.ref).where(Incident.client_uuid == key)).all()
            if len(stored) != 1 or stored[0].ref != record["ref"]:
                lost += not stored
                duplicated += len(stored) > 1
                continue
            files = db.session.scalar(select(func.count()).select_from(Evidence)
                                      .where(Evidence.incident_id == stored[0].id))
            if record["client_uuid"] in photos:
                lost += files == 0
                duplicated += files > 1
        db.engine.dispose()
    return len(incidents), len(photos), lost, duplicated


def pause(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    return float(low), float(high or low)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--seconds", type=int, default=60, help="measured seconds, after the warm-up")
    parser.add_argument("--warm-up", type=int, default=15,
                        help="seconds of load before the measured ones, not counted (default 15): the servers' "
                             "first requests, the database's cache filling, everyone's sign-in")
    parser.add_argument("--servers", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--redis", action="store_true", help="rate limits in a local redis-server")
    parser.add_argument("--s3", action="store_true", help="evidence and exports in a local S3 server's bucket")
    parser.add_argument("--rangers", type=int, default=20)
    parser.add_argument("--ranger-pause", default="5-15", type=pause,
                        help="seconds a ranger waits between two incidents, as MIN-MAX (default 5-15: a ranger "
                             "sending an incident with its photo every 10 s on average; 1-3 is a stress test)")
    parser.add_argument("--coordinators", type=int, default=5)
    parser.add_argument("--managers", type=int, default=2)
    parser.add_argument("--url", action="append", help="a running server's base URL (repeat for several)")
    parser.add_argument("--database-url", help="the database of the servers given by --url")
    args = parser.parse_args()
    if args.url and not args.database_url:
        parser.error("--url needs --database-url (the accounts are made there, the submissions checked there)")
    counts = {"ranger": args.rangers, "coordinator": args.coordinators, "manager": args.managers}
    out = Path(tempfile.mkdtemp(prefix="tracker-load-run-"))
    with served(args) as (base_urls, database_url):
        shared = " + ".join(name for name, on in (("Redis", args.redis), ("S3", args.s3)) if on)
        where = f"{args.servers} server(s) x {args.workers} worker(s) x {args.threads} threads" \
            f"{' sharing ' + shared if shared else ''}" if not args.url else ", ".join(base_urls)
        low, high = args.ranger_pause
        print(f"Load: {sum(counts.values())} users (rangers pausing {low:g}-{high:g} s) "
              f"for {args.seconds} s after a warm-up of {args.warm_up} s against {where} "
              f"({args.db if not args.url else database_url}; data in {DATA})")
        config = {**accounts(database_url, counts), "users": counts, "ranger_pause": args.ranger_pause,
                  "photo": base64.b64encode(photo()).decode()}
        acks = run_locust(base_urls, config, args, out)
        print("Measuring the raw-SQL baselines ...", file=sys.stderr)
        errors = report(out, args.warm_up, measure_baselines(database_url))
        incidents, photos, lost, duplicated = check_stored(database_url, acks)
    print(f"\nerrors: {errors}; acknowledged: {incidents} incidents, {photos} photos; "
          f"lost: {lost}, duplicated: {duplicated} (targets: 0)   raw figures in {out}")


if __name__ == "__main__":
    main()
