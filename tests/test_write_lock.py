"""How long a request holds the database's write lock (tracker/database.py `reads_first`).

On SQLite every write of the server goes through one lock. A request that took it at its first
statement made all writes one queue, each as long as a whole request: a photo being decoded or a
password being checked held up every ranger's submission. Now the checks run first and only the
rows are written under the lock; these tests hold the lock from another connection and show
what still gets through, and that what writes waits and then succeeds.
"""
from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select

from tests.api.test_writing import new_incident
from tests.evidence import files
from tests.support.factories import PASSWORD, make_user
from tests.support.incidents import make_incident
from tracker.database import reads_first, write_phase
from tracker.extensions import db
from tracker.models import Incident, Role, User

QUICK = 2.0  # seconds: far less than the busy timeout below, far more than the request needs


@pytest.fixture
def short_busy_timeout(app_config):
    app_config.SQLITE_BUSY_TIMEOUT_MS = 6000
    return app_config


@contextmanager
def write_lock_held(app):
    """Another connection holding SQLite's write lock, as a long write of another request does."""
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def sqlite_only(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("PostgreSQL has no database-wide write lock")


def quickly(call):
    started = time.monotonic()
    response = call()
    assert time.monotonic() - started < QUICK, "the request waited for the write lock"
    return response


def test_checks_answer_while_another_request_writes(short_busy_timeout, app, caller):
    sqlite_only(app)
    ranger = caller(Role.RANGER)
    with app.app_context():
        ref = make_incident(ranger.user_id).ref
    body = new_incident(app, category="no-such")
    with write_lock_held(app):
        refused = quickly(lambda: ranger.post("/api/v1/incidents", json=body))
        assert refused.status_code == 422 and "category" in refused.get_json()["errors"]
        not_a_photo = quickly(lambda: ranger.post(f"/api/v1/incidents/{ref}/evidence",
                                                  data={"files": [files.part(b"just text", "photo.jpg")]}))
        assert not_a_photo.status_code == 422
        listed = quickly(lambda: ranger.get("/api/v1/incidents"))
        assert listed.status_code == 200


def test_a_photo_is_staged_while_another_request_writes(short_busy_timeout, app, client):
    sqlite_only(app)
    with app.app_context():
        make_user(Role.RANGER, username="rita")
    client.post("/login", data={"username": "rita", "password": PASSWORD})
    with write_lock_held(app):
        staged = quickly(lambda: client.post("/evidence/stage", data={"file": files.part(files.jpeg(), "snare.jpg")},
                                             content_type="multipart/form-data"))
    assert staged.status_code == 200 and staged.get_json()["token"]


def test_a_submission_waits_for_the_lock_and_is_stored_once(short_busy_timeout, app, caller):
    sqlite_only(app)
    ranger = caller(Role.RANGER)
    body, answers = new_incident(app), []
    with write_lock_held(app):
        sender = threading.Thread(target=lambda: answers.append(ranger.post("/api/v1/incidents", json=body)))
        sender.start()
        time.sleep(0.5)
        assert sender.is_alive(), "it wrote without the lock"
    sender.join()
    assert answers[0].status_code == 201
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Incident)
                                 .where(Incident.client_uuid == uuid.UUID(body["client_uuid"]))) == 1


def test_a_view_that_writes_before_its_write_phase_fails_loudly(app, client):
    def careless():
        make_user(Role.RANGER, username="written-too-early")
        return "written"

    def careful():
        write_phase()
        make_user(Role.RANGER, username="written-in-time")
        return "written"

    app.add_url_rule("/test/careless", view_func=reads_first(careless), methods=["POST"])
    app.add_url_rule("/test/careful", view_func=reads_first(careful), methods=["POST"])
    assert client.post("/test/careless").status_code == 500
    assert client.post("/test/careful").status_code == 200
    with app.app_context():
        names = set(db.session.scalars(select(User.username).where(User.username.like("written-%"))))
    assert names == {"written-in-time"}


@pytest.fixture
def no_rate_limits(app_config):
    app_config.RATELIMIT_ENABLED = False
    return app_config


def test_concurrent_wrong_passwords_are_all_counted(no_rate_limits, app):
    """The password is checked before the write lock; the count is made under it, exactly."""
    with app.app_context():
        make_user(Role.RANGER, username="anna")
    attempts = 6
    start, answers = threading.Barrier(attempts), []

    def wrong(n):
        client = app.test_client()
        start.wait()
        answers.append(client.post("/login", data={"username": "anna", "password": "not it"},
                                   environ_base={"REMOTE_ADDR": f"10.0.0.{n}"}).status_code)

    threads = [threading.Thread(target=wrong, args=(n,)) for n in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [200] * attempts  # the form again, with its message
    with app.app_context():
        assert db.session.scalar(select(User.failed_logins).where(User.username == "anna")) == attempts
