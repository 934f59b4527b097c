"""Shared by the benchmarks: databases with N demo incidents, built once and reused.

SQLite: bench/data/demo-<N>.db. PostgreSQL: a cluster whose data folder is kept in
bench/data/pg-<N>/ (started as the postgres user on a unix socket for the run, stopped after).
BENCH_DATA names another folder than bench/data.
Both are built with the app's own migrations and `demo` generator, so they are what a user gets,
and migrated to the current revision each time a benchmark opens them (a database built by an
older checkout gets the newer columns the app reads).
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
DATA = Path(os.environ.get("BENCH_DATA") or ROOT / "bench" / "data")
sys.path.insert(0, str(ROOT))

from tests.support.pgcluster import SETTINGS, postgres_bindir  # noqa: E402

SEED = 42
DEEP = 500_000  # rows before a deep list page (page 10,001 at 50 a page)


def deep_rows(incidents: int) -> int:
    """How far down the list the deep-page benchmarks go: DEEP, or half of a smaller database."""
    return max(1, min(DEEP, incidents // 2))


def make_app(database_url: str, **overrides):
    from config import TestConfig
    from tracker import create_app

    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = database_url
    config.LOG_LEVEL = "WARNING"
    for key, value in overrides.items():
        setattr(config, key, value)
    return create_app(config)


def migrated(url: str) -> None:
    """Upgrades the database at `url` to the current revision (nothing to do when it is there)."""
    from flask_migrate import upgrade

    from tracker.extensions import db

    app = make_app(url)
    with app.app_context():
        upgrade()
        db.engine.dispose()


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
    migrated(url)
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
        migrated(url)
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


def wsgi_app():
    """The app gunicorn serves in the benchmarks (`bench.common:wsgi_app()`): the test
    configuration on BENCH_DATABASE_URL, background files in BENCH_REPORTS_DIR."""
    import tempfile

    return make_app(os.environ["BENCH_DATABASE_URL"],
                    REPORTS_DIR=os.environ.get("BENCH_REPORTS_DIR") or tempfile.mkdtemp(),
                    REPORTS_SYNC_MAX_ROWS=int(os.environ.get("BENCH_SYNC_MAX_ROWS", 10**9)))


def session_cookie(app, token: str) -> str:
    """A Cookie header value: signed in, freshly, as the user whose session token is `token`
    (signed with the app's key, as the test client's session_transaction does)."""
    serializer = app.session_interface.get_signing_serializer(app)
    value = serializer.dumps({"_user_id": token, "_fresh": True, "login_at": time.time()})
    return f"{app.config['SESSION_COOKIE_NAME']}={value}"


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn serving the app on 127.0.0.1, as an operator runs it (`workers` processes of
    `threads` threads each); `peak_rss_mb()` reads the workers' high-water marks. By default it
    serves wsgi_app() above; `app="wsgi:app"` serves the app as deployed (configured by `env`)."""

    def __init__(self, database_url: str, workers: int = 1, threads: int = 4, timeout: int = 600,
                 app: str = "bench.common:wsgi_app()", **env):
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        command = [str(Path(sys.executable).parent / "gunicorn"), "-w", str(workers), "--threads", str(threads),
                   "-b", f"127.0.0.1:{self.port}", "--timeout", str(timeout), "--chdir", str(ROOT),
                   # Idle keep-alive connections outlive a client's pause between requests (gunicorn's
                   # 2 s default closed them while a client, 1-3 s later, was sending: connection reset).
                   "--keep-alive", "75",
                   "--log-level", "warning", app]
        environment = {**os.environ, "BENCH_DATABASE_URL": database_url, "DATABASE_URL": database_url, **env}
        self.process = subprocess.Popen(command, env=environment)
        self._wait_ready()

    def _wait_ready(self, seconds: float = 60) -> None:
        import urllib.error
        import urllib.request

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("gunicorn stopped while starting")
            try:
                urllib.request.urlopen(self.base_url + "/login", timeout=5).close()
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        raise SystemExit("gunicorn did not answer within a minute")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def peak_rss_mb(self) -> float:
        """The largest worker's peak resident memory (VmHWM), in MB."""
        peaks = []
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        return max(peaks)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
