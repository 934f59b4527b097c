"""Shared by the benchmarks: databases with N demo incidents, built once and reused.

SQLite: bench/data/demo-<N>.db. PostgreSQL: a cluster whose data folder is kept in
bench/data/pg-<N>/ (started as the postgres user on a unix socket for the run, stopped after).
Both are built with the app's own migrations and `demo` generator, so they are what a user gets.
"""
from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data"
sys.path.insert(0, str(ROOT))

from tests.support.pgcluster import SETTINGS, postgres_bindir  # noqa: E402

SEED = 42


def make_app(database_url: str, **overrides):
    from config import TestConfig
    from tracker import create_app

    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = database_url
    config.LOG_LEVEL = "WARNING"
    for key, value in overrides.items():
        setattr(config, key, value)
    return create_app(config)


def populate(database_url: str, count: int) -> None:
    """Migrate, seed and generate `count` demo incidents (plus whatever the app derives)."""
    from flask_migrate import upgrade

    from tracker.extensions import db
    from tracker.reference.seed import seed_reference

    app = make_app(database_url)
    runner = app.test_cli_runner()
    with app.app_context():
        upgrade()
        seed_reference(db.session)
        db.session.commit()
    started = time.monotonic()
    result = runner.invoke(args=["demo", "--incidents", str(count), "--seed", str(SEED)])
    if result.exit_code != 0:
        raise SystemExit(result.output)
    print(f"  built {count:,} incidents in {time.monotonic() - started:.0f} s", file=sys.stderr)
    with app.app_context():
        db.engine.dispose()


def sqlite_database(count: int) -> str:
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"demo-{count}.db"
    url = f"sqlite:///{path}"
    if not path.exists():
        print(f"Building SQLite database with {count:,} incidents...", file=sys.stderr)
        partial = path.with_suffix(".partial.db")
        partial.unlink(missing_ok=True)
        populate(f"sqlite:///{partial}", count)
        partial.rename(path)
    return url


@contextlib.contextmanager
def postgres_database(count: int):
    """Yields a URL of a PostgreSQL database with `count` demo incidents (kept between runs)."""
    bindir = postgres_bindir()
    if bindir is None:
        raise SystemExit("PostgreSQL not installed")
    folder = DATA / f"pg-{count}"
    data, socket = folder / "data", folder / "socket"
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    fresh = not (folder / "READY").exists()
    if fresh:
        shutil.rmtree(folder, ignore_errors=True)
        socket.mkdir(parents=True)
        if prefix:
            owner = pwd.getpwnam("postgres")
            for path in (DATA, folder, socket):
                os.chown(path, owner.pw_uid, owner.pw_gid)
        subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "tracker", "--auth=trust",
                        "-E", "UTF8", "--locale=C.UTF-8"], check=True, stdout=subprocess.DEVNULL)
    if prefix:
        os.chmod(DATA, 0o755)
    subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-w",
                    "-o", f"{SETTINGS} -c shared_buffers=512MB -c work_mem=32MB -k {socket} -p 5432", "start"],
                   check=True, stdout=subprocess.DEVNULL)
    url = f"postgresql+psycopg://tracker@/tracker?host={socket}&port=5432"
    try:
        if fresh:
            subprocess.run([*prefix, str(bindir / "createdb"), "-h", str(socket), "-U", "tracker", "tracker"],
                           check=True)
            print(f"Building PostgreSQL database with {count:,} incidents...", file=sys.stderr)
            populate(url, count)
            subprocess.run([*prefix, str(bindir / "psql"), "-h", str(socket), "-U", "tracker", "-d", "tracker",
                            "-qc", "VACUUM ANALYZE"], check=True)
            (folder / "READY").write_text("ok")
        yield url
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def timings(fn, repeat: int) -> list[float]:
    """Wall-clock milliseconds of `repeat` calls of fn (after one warm-up call)."""
    fn()
    result = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        result.append((time.perf_counter() - started) * 1000)
    return result


def median(values):
    return statistics.median(values)


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
