"""Engine settings: SQLite pragmas, and concurrent writers (security promise 23)."""
import threading

import pytest
from sqlalchemy import func, select, text

from tests.support.factories import make_user
from tracker.extensions import db
from tracker.models import Role, User


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite only")
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == app.config["SQLITE_BUSY_TIMEOUT_MS"]


def test_two_threads_inserting_at_once(app):
    errors = []

    def insert(prefix):
        try:
            with app.app_context():
                for i in range(25):
                    make_user(Role.RANGER, username=f"{prefix}{i}")
        except Exception as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=insert, args=(p,)) for p in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 50
