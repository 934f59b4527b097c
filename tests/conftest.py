"""Fixtures shared by the whole suite.

The database is chosen by TEST_DB: `sqlite` (default, a file in a temporary folder) or
`postgres` (a throwaway cluster started here as a non-root user). The schema is created once
per session and emptied after every test. TEST_STORAGE=s3 keeps evidence and export files in a
bucket of a local S3 server (moto, tests/support/s3server.py) instead of folders, each test
under its own prefix. No app context is held across requests: tests look at
the database in a short `with app.app_context():` between requests.
"""
from __future__ import annotations

import os
import time
import uuid

import pytest
from sqlalchemy import text

from config import TestConfig
from tests.support.callers import Caller, issue_token
from tests.support.factories import make_user
from tests.support.incidents import seed
from tests.support.pgcluster import PostgresUnavailable, temporary_cluster
from tests.support.s3server import CREDENTIALS, S3Unavailable, moto_server
from tests.support.servers import running
from tracker import create_app
from tracker.extensions import db
from tracker.i18n_catalogs import compile_all
from tracker.models import Role, User

TEST_DB = os.environ.get("TEST_DB", "sqlite")
TEST_STORAGE = os.environ.get("TEST_STORAGE", "local")
TEST_BUCKET = "tracker-test"


def pytest_report_header(config):
    return f"database: {TEST_DB}, file store: {TEST_STORAGE}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if TEST_DB == "postgres":
        with running(lambda: temporary_cluster("tracker_test"), PostgresUnavailable, "REQUIRE_POSTGRES",
                     "PostgreSQL not available, PostgreSQL suite SKIPPED") as url:
            yield url
    else:
        yield "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")


@pytest.fixture(scope="session")
def s3_endpoint():
    """The URL of a local S3 server with the bucket TEST_BUCKET, for the whole session."""
    saved = {name: os.environ.get(name) for name in CREDENTIALS}
    os.environ.update(CREDENTIALS)
    try:
        with running(moto_server, S3Unavailable, "REQUIRE_S3", "no local S3 server (moto), S3 tests SKIPPED",
                     required=TEST_STORAGE == "s3") as url:
            import boto3

            boto3.client("s3", endpoint_url=url).create_bucket(Bucket=TEST_BUCKET)
            yield url
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def s3_settings(endpoint: str, prefix: str | None = None) -> dict:
    """Config of an app keeping its files in the test bucket, under a prefix of its own."""
    return {"STORAGE_BACKEND": "s3", "S3_BUCKET": TEST_BUCKET, "S3_ENDPOINT_URL": endpoint,
            "S3_PREFIX": prefix or f"{uuid.uuid4().hex}/"}


def make_config(database_url: str, **overrides):
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = database_url
    config.EVIDENCE_DIR = overrides.pop("EVIDENCE_DIR", None) or config.EVIDENCE_DIR
    for key, value in overrides.items():
        setattr(config, key, value)
    return config


@pytest.fixture(scope="session")
def _schema(database_url):
    compile_all()
    app = create_app(make_config(database_url))
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()
    return True


@pytest.fixture
def app_config(request, database_url, tmp_path):
    """Overrides for this test's app: tests may change it before using `app`."""
    storage = s3_settings(request.getfixturevalue("s3_endpoint")) if TEST_STORAGE == "s3" else {}
    return make_config(database_url, EVIDENCE_DIR=str(tmp_path / "evidence"), **storage)


@pytest.fixture
def app(_schema, app_config):
    app = create_app(app_config)
    yield app
    with app.app_context():
        db.session.remove()
        empty_all_tables()
        db.engine.dispose()


def empty_all_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        with db.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        with db.engine.begin() as conn:
            for table in tables:
                conn.execute(table.delete())


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login_as(app, client):
    """Creates a user with `role` and signs the test client in as that user (no password round
    trip: login itself is tested in tests/auth)."""

    def login(role: Role | str | int = Role.RANGER, **fields):
        """A role creates a new user; an int signs in the existing user with that id."""
        with app.app_context():
            user = db.session.get(User, role) if isinstance(role, int) else make_user(role, **fields)
            token, user_id = user.session_token, user.id
        with client.session_transaction() as session:
            session["_user_id"] = token
            session["_fresh"] = True
            session["login_at"] = time.time()
        return user_id

    return login


@pytest.fixture
def seeded(app):
    seed(app)
    return app


@pytest.fixture
def caller(app, seeded):
    """`caller(role, **user_fields)`: a new user of that role and a token of theirs."""

    def make(role: Role = Role.RANGER, **fields) -> Caller:
        with app.app_context():
            user_id = make_user(role, **fields).id
        return Caller(app.test_client(), issue_token(app, user_id), user_id)

    return make
