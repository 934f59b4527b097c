"""Apps that keep their files in the local S3 server, whatever TEST_STORAGE says."""
from __future__ import annotations

import time

import pytest

from tests.conftest import make_config, s3_settings
from tracker import create_app
from tracker.extensions import db


@pytest.fixture
def s3_app_config(database_url, tmp_path, s3_endpoint):
    """make_s3_config(name, **overrides): a config whose files are in the test bucket, all apps of
    one test under the same prefix (the servers of one deployment), local folders apart."""
    prefix = f"{tmp_path.name}/"

    def make(name: str = "a", **overrides):
        return make_config(database_url, EVIDENCE_DIR=str(tmp_path / name / "evidence"),
                           REPORTS_DIR=str(tmp_path / name / "exports"),
                           **{**s3_settings(s3_endpoint, prefix), **overrides})

    return make


@pytest.fixture
def servers(_schema, s3_app_config):
    """Two app servers sharing the database and the bucket, nothing else."""
    apps = [create_app(s3_app_config(name)) for name in ("a", "b")]
    yield apps
    from tests.conftest import empty_all_tables

    for app in apps:
        with app.app_context():
            db.session.remove()
    with apps[0].app_context():
        empty_all_tables()
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def sign_in(app, client, user_id: int) -> None:
    """Signs `client` in as an existing user (as tests/conftest.py's login_as does)."""
    from tracker.models import User

    with app.app_context():
        token = db.session.get(User, user_id).session_token
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True
        session["login_at"] = time.time()


@pytest.fixture
def make_incident_on():
    """make_incident_on(app, reporter_id, sensitive=False) -> incident id."""
    from tests.evidence.conftest import new_incident

    return lambda app, reporter_id, sensitive=False: new_incident(app, reporter_id, sensitive=sensitive)
