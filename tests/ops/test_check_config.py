"""`flask check-config` names each setup that cannot work, one line each, exit status 1
(issue 12, part 3)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.redisserver import free_port

ALONE = {"WEB_WORKERS": 1, "APP_SERVERS": 1}


@pytest.fixture
def check(make_app, tmp_path):
    """`check(**settings)`: (exit code, output) of check-config on an app with those settings,
    on a SQLite file unless the settings name a database."""

    def run(**settings):
        settings.setdefault("SQLALCHEMY_DATABASE_URI", f"sqlite:///{tmp_path}/check.db")
        result = make_app(**{**ALONE, **settings}).test_cli_runner().invoke(args=["check-config"])
        return result.exit_code, result.output

    return run


def problems(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("problem: ")]


def test_a_setup_that_can_work_passes(check):
    code, output = check()
    assert code == 0 and "configuration OK: 1 server(s) x 1 worker(s), database sqlite" in output


def test_production_without_a_secret(check):
    code, output = check(ENV_NAME="production", SECRET_KEY=None)
    assert code == 1 and len(problems(output)) == 1 and "SECRET_KEY must be set" in problems(output)[0]


def test_production_refuses_to_load_without_a_secret_in_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(TRACKER_ENV="production", TRACKER_INSTANCE=str(tmp_path))
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "check-config"], env=env, text=True,
                            capture_output=True, cwd=Path(__file__).resolve().parents[2], timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().startswith("configuration error: SECRET_KEY must be set")
    assert "Traceback" not in result.stderr


def test_sqlite_with_several_workers(check):
    code, output = check(WEB_WORKERS=4)
    assert code == 1 and any("SQLite with 4 workers" in line for line in problems(output))


def test_sqlite_with_several_servers(check):
    code, output = check(APP_SERVERS=2)
    assert code == 1 and any("SQLite cannot be shared by 2 servers" in line for line in problems(output))


def test_limits_in_memory_with_several_workers(check, database_url):
    code, output = check(WEB_WORKERS=3, SQLALCHEMY_DATABASE_URI=database_url)
    assert code == 1 and any("Rate limits kept in memory with 3 worker processes" in line
                             for line in problems(output))


def test_local_storage_with_several_servers(check):
    code, output = check(APP_SERVERS=2)
    assert any("Evidence and exports in local folders with 2 servers" in line for line in problems(output))


def test_an_unreachable_database(check):
    code, output = check(SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://tracker@127.0.0.1:{free_port()}/tracker")
    assert code == 1 and any(line.startswith("problem: database unreachable") for line in problems(output))


def test_an_unreachable_redis(check):
    code, output = check(RATELIMIT_STORAGE_URI=f"redis://:secret@127.0.0.1:{free_port()}/0")
    assert code == 1
    assert [line for line in problems(output) if "rate-limit store unreachable" in line]
    assert "secret" not in output


def test_a_reachable_redis_passes(check, redis_server):
    code, output = check(WEB_WORKERS=1, RATELIMIT_STORAGE_URI=redis_server.url)
    assert code == 0, output


def test_an_unknown_or_unreachable_store(check):
    code, output = check(STORAGE_BACKEND="ftp")
    assert code == 1 and any("STORAGE_BACKEND must be one of" in line for line in problems(output))
    code, output = check(STORAGE_BACKEND="s3", S3_BUCKET="evidence", S3_ENDPOINT_URL=f"http://127.0.0.1:{free_port()}")
    assert code == 1 and any("evidence store unreachable" in line for line in problems(output))


def test_connection_pools_larger_than_postgresql_allows(check, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    code, output = check(SQLALCHEMY_DATABASE_URI=database_url, DB_POOL_SIZE=40, DB_MAX_OVERFLOW=10,
                         WEB_WORKERS=2, RATELIMIT_STORAGE_URI="memory://")
    assert any("Connection pools need up to 100 PostgreSQL connections" in line for line in problems(output))
