"""`flask check-config`: what cannot work in this setup, said before serving.

Each problem is one line; the exit status is 1 if there is any. The shape of the deployment comes
from the same variables gunicorn.conf.py reads (WEB_CONCURRENCY workers per server) and from
TRACKER_SERVERS (how many app servers share the database). A missing production secret stops
every command before this one runs, with one line (wsgi.py); the rule is config.py's.
"""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import text

from config import secret_key_problem
from tracker.extensions import db
from tracker.ops import probes

# PostgreSQL keeps this many connections for superusers (superuser_reserved_connections).
RESERVED_CONNECTIONS = 3


def setup_problems(config) -> list[str]:
    """Settings that contradict each other, read from the configuration alone."""
    problems = []
    workers, servers = config["WEB_WORKERS"], config["APP_SERVERS"]
    processes = workers * servers
    if config["ENV_NAME"] == "production" and (problem := secret_key_problem(config["SECRET_KEY"])):
        problems.append(problem)
    if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") and servers > 1:
        problems.append(f"SQLite cannot be shared by {servers} servers (TRACKER_SERVERS): set DATABASE_URL to "
                        "a PostgreSQL database.")
    elif config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") and workers > 1:
        problems.append(f"SQLite with {workers} workers (WEB_CONCURRENCY): writers queue for one lock and time "
                        "out under load; use WEB_CONCURRENCY=1 with GUNICORN_THREADS, or PostgreSQL.")
    if config["RATELIMIT_STORAGE_URI"].startswith("memory://") and processes > 1:
        problems.append(f"Rate limits kept in memory with {processes} worker processes: each counts alone, so "
                        "sign-in throttling allows that many times the attempts; set RATELIMIT_STORAGE_URI to "
                        "redis://HOST:6379.")
    if config["STORAGE_BACKEND"] == "local" and servers > 1:
        problems.append(f"Evidence and exports in local folders with {servers} servers (TRACKER_SERVERS): a file "
                        "stored through one server is missing on the others; set STORAGE_BACKEND=s3.")
    return problems


def reachability_problems() -> list[str]:
    """Services that do not answer now, and a connection pool larger than PostgreSQL allows."""
    problems = [p for p in (probes.database_problem(), probes.rate_limit_store_problem(), probes.storage_problem())
                if p]
    if not problems and db.engine.dialect.name == "postgresql":
        problems.extend(filter(None, [pool_problem(current_app.config)]))
    return problems


def pool_problem(config) -> str | None:
    """Every worker of every server may hold its whole pool at once."""
    with db.engine.connect() as connection:
        allowed = int(connection.execute(text("SHOW max_connections")).scalar_one()) - RESERVED_CONNECTIONS
    per_worker = config["DB_POOL_SIZE"] + config["DB_MAX_OVERFLOW"]
    needed = config["APP_SERVERS"] * config["WEB_WORKERS"] * per_worker
    if needed > allowed:
        return (f"Connection pools need up to {needed} PostgreSQL connections (TRACKER_SERVERS x WEB_CONCURRENCY x "
                f"(DB_POOL_SIZE + DB_MAX_OVERFLOW)) but max_connections leaves {allowed}: lower them or raise "
                "max_connections.")
    return None


@click.command("check-config")
@with_appcontext
def check_config_command():
    """Say what cannot work in this setup (exit status 1), or that it can."""
    config = current_app.config
    problems = setup_problems(config) + reachability_problems()
    for problem in problems:
        click.echo(f"problem: {problem}", err=True)
    if problems:
        raise SystemExit(1)
    click.echo(f"configuration OK: {config['APP_SERVERS']} server(s) x {config['WEB_WORKERS']} worker(s), "
               f"database {db.engine.dialect.name}, rate limits {config['RATELIMIT_STORAGE_URI'].split(':')[0]}, "
               f"storage {config['STORAGE_BACKEND']}.")
