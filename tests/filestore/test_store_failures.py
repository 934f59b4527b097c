"""An evidence store that is full, read-only or gone: the ranger reads a clear message, the
incident is not saved without its files, nothing is left half-stored, and there is never a 500."""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import s3_settings
from tests.evidence import files
from tests.evidence.conftest import new_incident
from tests.incidents.test_create import valid_form
from tests.support.factories import make_user
from tests.support.incidents import seed
from tests.support.stored import stored_keys
from tracker.extensions import db
from tracker.filestore.s3 import S3Store
from tracker.models import Evidence, Incident, Role

FAILED = "the server could not store the file. Please try again later, or tell an administrator."


@contextlib.contextmanager
def read_only(folder: Path):
    """`folder` refuses new files, even to root (who ignores permission bits): immutable."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        folder.chmod(0o555)
        undo = ["chmod", "755", str(folder)]
    else:
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(folder)],
                                                            capture_output=True).returncode != 0:
            pytest.skip("cannot make a folder read-only for root here (chattr +i refused)")
        undo = ["chattr", "-i", str(folder)]
    try:
        yield folder
    finally:
        subprocess.run(undo, check=True)


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(Incident)),
                db.session.scalar(select(func.count()).select_from(Evidence)))


def submit_with_photo(app, client):
    form = valid_form(app, files=[files.part(files.jpeg(), "snare.jpg")])
    return client.post("/incidents/new", data=form, content_type="multipart/form-data")


def assert_refused_and_nothing_kept(app, client, response):
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and f"snare.jpg: {FAILED}" in page
    assert 'value="Two paws and bones in a bag."' in page or "Two paws and bones in a bag." in page  # kept
    assert counts(app) == (0, 0)
    stage = client.post("/evidence/stage", data={"file": files.part(files.pdf(), "act.pdf")},
                        content_type="multipart/form-data")
    assert stage.status_code == 400 and stage.get_json() == {"error": f"act.pdf: {FAILED}"}


@pytest.fixture
def ranger(app, login_as):
    seed(app)
    return login_as(Role.RANGER)


def test_a_read_only_evidence_folder(app_config, app, client, ranger, tmp_path):
    app_config.STORAGE_BACKEND = app.config["STORAGE_BACKEND"] = "local"
    with read_only(Path(app.config["EVIDENCE_DIR"])):
        response = submit_with_photo(app, client)
        assert_refused_and_nothing_kept(app, client, response)
    assert stored_keys(app) == []


def test_a_bucket_that_does_not_exist(app_config, s3_endpoint, app, client, ranger):
    app.config.update(s3_settings(s3_endpoint), S3_BUCKET="no-such-bucket")
    assert_refused_and_nothing_kept(app, client, submit_with_photo(app, client))


def test_a_store_that_fails_half_way_leaves_no_orphan(app, client, ranger, monkeypatch):
    """The thumbnail is stored, then the original is refused (the disk fills up): the thumbnail
    must not stay behind without its file."""
    def full(self, key, path):
        raise OSError(28, "No space left on device")

    from tracker.filestore.local import LocalStore

    monkeypatch.setattr(LocalStore, "put_file", full)
    monkeypatch.setattr(S3Store, "put_file", full)
    assert_refused_and_nothing_kept(app, client, submit_with_photo(app, client))
    assert stored_keys(app) == []


def test_an_unreachable_store_is_a_503_not_a_500(app, client, login_as):
    with app.app_context():
        reporter_id = make_user(Role.RANGER).id
    incident_id = new_incident(app, reporter_id)
    login_as(Role.COORDINATOR)
    client.post(f"/incidents/{incident_id}/evidence", data={"files": [files.part(files.pdf(), "act.pdf")]},
                content_type="multipart/form-data")
    with app.app_context():
        evidence_id = db.session.scalar(select(Evidence.id))
    app.config.update(STORAGE_BACKEND="s3", S3_BUCKET="tracker-test", S3_ENDPOINT_URL="http://127.0.0.1:9",
                      S3_PREFIX="x/")
    app.extensions["filestores"].clear()
    response = files.fetch(client, f"/evidence/{evidence_id}")
    assert response.status_code == 503
    assert "The file store cannot be reached just now" in response.get_data(as_text=True)
    api = client.get(f"/evidence/{evidence_id}", headers={"Accept": "application/json"})
    assert api.status_code == 503 and api.get_json()["status"] == 503
