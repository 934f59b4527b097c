"""A throwaway PostgreSQL cluster on a unix socket in a temporary folder.

PostgreSQL refuses to run as root, so under root the server runs as the `postgres` user. The
cluster listens on no TCP port, so it cannot clash with any other server on the machine.
Used by the test suite (TEST_DB=postgres) and by the benchmarks.
"""
from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

SETTINGS = ("-c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_parallel_workers_per_gather=0 -c max_connections=100")


class PostgresUnavailable(RuntimeError):
    pass


def postgres_bindir() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


@contextlib.contextmanager
def temporary_cluster(database: str = "tracker", extra_settings: str = ""):
    """Yields a SQLAlchemy URL of a fresh database; stops and removes the cluster afterwards."""
    bindir = postgres_bindir()
    if bindir is None:
        raise PostgresUnavailable("PostgreSQL server binaries not found under /usr/lib/postgresql")
    workdir = Path(tempfile.mkdtemp(prefix="tracker-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            raise PostgresUnavailable("running as root and there is no 'postgres' user") from None
        os.chown(workdir, owner.pw_uid, owner.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data = workdir / "data"

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    started = False
    try:
        run(str(bindir / "initdb"), "-D", str(data), "-U", "tracker", "--auth=trust", "-E", "UTF8",
            "--locale=C.UTF-8", "--no-sync")
        run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(workdir / "server.log"), "-w",
            "-o", f"{SETTINGS} {extra_settings} -k {workdir} -p 5432", "start")
        started = True
        run(str(bindir / "createdb"), "-h", str(workdir), "-p", "5432", "-U", "tracker", database)
        yield f"postgresql+psycopg://tracker@/{database}?host={workdir}&port=5432"
    except subprocess.CalledProcessError as error:
        raise PostgresUnavailable(f"{error.cmd[len(prefix)]} failed: {error.stderr.decode()[-500:]}") from error
    finally:
        if started:
            subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(workdir, ignore_errors=True)


def pg_ctl(url: str, *args: str) -> None:
    """Run `pg_ctl ARGS` on the cluster behind `url` (one made by temporary_cluster), as its owner:
    e.g. `pg_ctl(url, "restart", "-m", "fast")` for the fault tests. `start` gets the cluster's
    settings again (its socket folder, no TCP port): without them it would listen on the
    machine's default port and socket."""
    from urllib.parse import parse_qs, urlsplit

    workdir = Path(parse_qs(urlsplit(url).query)["host"][0])
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    options = ["-o", f"{SETTINGS} -k {workdir} -p 5432"] if args[:1] == ("start",) else []
    subprocess.run([*prefix, str(postgres_bindir() / "pg_ctl"), "-D", str(workdir / "data"), "-l",
                    str(workdir / "server.log"), "-w", *options, *args], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE)
