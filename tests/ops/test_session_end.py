"""The end of a request whose database connection was dropped meanwhile (PostgreSQL restarted
after the answer was made): the connection is given up, never a 500 after the answer."""
import pytest
from sqlalchemy import func, select, text

from tracker.extensions import db
from tracker.models import User
from tracker.ops.outage import end_session


def test_a_dropped_connection_ends_the_session_quietly(app, caplog):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL only: a SQLite file cannot drop a connection")
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()  # a transaction is open
        with db.engine.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        end_session()
        assert "connection lost at the end of a request" in caplog.text
        assert db.session.scalar(select(func.count()).select_from(User)) == 0  # a new connection serves
