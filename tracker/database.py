"""Engine settings that the ORM cannot express, and when a request takes SQLite's write lock."""
import contextlib
from functools import wraps

from flask import current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

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
    a deferred BEGIN so that dashboards never queue behind each other, and so do the read phase
    of a `reads_first` view and a `reading()` connection.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # let the begin hook below emit BEGIN
        configure_sqlite_connection(dbapi_connection, busy_timeout_ms)

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN" if _deferred(connection) else "BEGIN IMMEDIATE")


def configure_sqlite_connection(dbapi_connection, busy_timeout_ms: int = 15000) -> None:
    """Every SQLite connection of the app (and of an export's own process, sqlitecsv.py)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
    cursor.close()
    # SQLite's own lower() folds ASCII only; searches in Russian must ignore case too.
    dbapi_connection.create_function("lower", 1, _lower, deterministic=True)


def _deferred(connection: Connection) -> bool:
    """Whether a transaction on `connection` only reads, so needs no write lock at BEGIN."""
    if connection.get_execution_options().get("reads_only"):
        return True
    if not has_request_context():
        return False
    if request.method in SAFE_METHODS:
        return not g.get("writes_on_get")
    return reading_first()


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


def reads_first(view):
    """Mark a state-changing view whose costly part only reads: checking a form against the
    reference lists, decoding and storing a photo. Until it calls `write_phase()`, its
    transactions begin deferred on SQLite, so every other writer is not held up meanwhile (a
    request that holds the write lock from its first statement makes all writes of the server
    one queue, each as long as a whole request). Put it right under the route decorator, which
    registers what it is given."""
    view.reads_first = True
    return view


def reading_first() -> bool:
    """In the read phase of a `reads_first` view."""
    if not has_request_context() or request.method in SAFE_METHODS or g.get("write_phase"):
        return False
    return bool(getattr(current_app.view_functions.get(request.endpoint), "reads_first", False))


def write_phase() -> None:
    """End the read phase of a `reads_first` view. Its read transaction is closed, so whatever
    was loaded is expired and read again, under the lock, where the writes depend on it (the
    view must still check what it checked before: another request may have written meanwhile);
    the next transaction takes SQLite's write lock at BEGIN."""
    from tracker.extensions import db

    db.session.commit()
    g.write_phase = True  # until the next commit


@event.listens_for(Session, "after_transaction_end")
def _write_phase_ends(_session, transaction):
    """A write phase is the session's one transaction (not a savepoint inside it, nor another
    connection's): what the view reads after its commit (the answer it sends) needs no lock."""
    if transaction.parent is None and has_request_context():
        g.pop("write_phase", None)


@event.listens_for(Session, "before_flush")
def _no_writes_while_reading(session, _flush_context, _instances):
    """A write in a read phase would fail under load on SQLite (its deferred transaction cannot
    take the write lock once another writer committed): refuse it at once, in every test."""
    if reading_first() and (session.new or session.dirty or session.deleted):
        raise RuntimeError("a reads_first view wrote before calling write_phase()")


@contextlib.contextmanager
def reading(engine: Engine):
    """A connection of its own for a short read in any request (an API token's look-up): its
    transaction never takes SQLite's write lock, so it does not wait for other writers."""
    with engine.connect() as connection:
        connection.execution_options(reads_only=True)
        with connection.begin():
            yield connection


@contextlib.contextmanager
def not_waiting(engine: Engine, wait_ms: int = 100):
    """A connection of its own for a write that may be skipped (an API token's last use): on
    SQLite it waits `wait_ms` for the write lock instead of the busy timeout, then fails."""
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection if engine.dialect.name == "sqlite" else None
        before = raw.execute("PRAGMA busy_timeout").fetchone()[0] if raw else None
        if raw:
            raw.execute(f"PRAGMA busy_timeout={int(wait_ms)}")
        try:
            with connection.begin():
                yield connection
        finally:
            if raw:
                raw.execute(f"PRAGMA busy_timeout={int(before)}")


def dialect_insert(table):
    """INSERT with ON CONFLICT support (PostgreSQL and SQLite 3.24+ both have it)."""
    from sqlalchemy.dialects import postgresql, sqlite

    from tracker.extensions import db

    module = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    return module.insert(table)
