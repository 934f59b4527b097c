"""Engine settings that the ORM cannot express."""
from functools import wraps

from flask import g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def engine_options(config) -> dict:
    """The engine's options: a pre-ping always (a connection that PostgreSQL dropped in a restart
    is replaced before a request uses it), and for a server database the pool of each worker
    process and a connect timeout, so an unreachable server fails fast instead of hanging a
    worker. SQLite keeps SQLAlchemy's own pool (its pool classes take no size)."""
    options = dict(config["SQLALCHEMY_ENGINE_OPTIONS"])
    if not config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        options.setdefault("pool_size", config["DB_POOL_SIZE"])
        options.setdefault("max_overflow", config["DB_MAX_OVERFLOW"])
        options.setdefault("connect_args", {"connect_timeout": config["DB_CONNECT_TIMEOUT"]})
    return options


def install_sqlite_pragmas(engine: Engine, busy_timeout_ms: int) -> None:
    """WAL, foreign keys and a busy timeout on every SQLite connection, and BEGIN IMMEDIATE
    for transactions of state-changing requests.

    A read-then-write transaction under SQLite's default deferred BEGIN fails with "database is
    locked" whenever another writer got in between (most of the time under load, see the
    tooling notes); taking the write lock first makes the busy timeout work. Reads (GET) keep
    a deferred BEGIN so that dashboards never queue behind each other.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # let the begin hook below emit BEGIN
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()
        # SQLite's own lower() folds ASCII only; searches in Russian must ignore case too.
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        if has_request_context() and request.method in SAFE_METHODS and not g.get("writes_on_get"):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def _lower(value):
    return value.lower() if isinstance(value, str) else value


def writes_on_get(view):
    """Mark a GET view that writes (an audited download): on SQLite its transaction takes the
    write lock at BEGIN, like a POST's. Put it above the role check, which already reads."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        g.writes_on_get = True
        return view(*args, **kwargs)

    return wrapped


def dialect_insert(table):
    """INSERT with ON CONFLICT support (PostgreSQL and SQLite 3.24+ both have it)."""
    from sqlalchemy.dialects import postgresql, sqlite

    from tracker.extensions import db

    module = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    return module.insert(table)
