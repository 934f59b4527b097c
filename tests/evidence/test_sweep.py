"""`flask evidence sweep`: files no incident took are removed once nobody can attach them.

Files are aged here by their modification time on disk, so these tests use the local store; the
sweep of an S3 store is tested in tests/filestore."""
import os
import time
from pathlib import Path

import pytest

from tests.evidence import files
from tests.support.factories import make_user
from tracker.evidence import storage
from tracker.evidence.service import attach
from tracker.evidence.uploads import accept_file
from tracker.extensions import db
from tracker.models import Incident, Role, User


@pytest.fixture(autouse=True)
def local_store(app_config):
    app_config.STORAGE_BACKEND = "local"


def age(path: Path, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def stored(app) -> set[str]:
    return {p.name for p in Path(app.config["EVIDENCE_DIR"]).rglob("*") if p.is_file()}


def test_sweep_removes_only_old_unattached_files(app, runner, make_incident):
    with app.app_context():
        ranger_id = make_user(Role.RANGER).id
    incident_id = make_incident(ranger_id)
    with app.test_request_context():
        ranger = db.session.get(User, ranger_id)
        kept = accept_file(files.upload(files.jpeg(color="#111"), "attached.jpg"), ranger)
        attach(db.session.get(Incident, incident_id), [kept], ranger)
        db.session.commit()
        abandoned = accept_file(files.upload(files.jpeg(color="#222"), "abandoned.jpg"), ranger)
        fresh = accept_file(files.upload(files.pdf(), "fresh.pdf"), ranger)
        old = [storage.store().local_path(u.storage_key) for u in (kept, abandoned)]
        old += [storage.store().local_path(storage.thumbnail_key(u.storage_key)) for u in (kept, abandoned)]
    for path in old:
        age(path, 72)
    interrupted = Path(app.config["EVIDENCE_DIR"]) / "tmp" / ".upload-x.part"
    interrupted.write_bytes(b"half a photo")
    age(interrupted, 72)

    result = runner.invoke(args=["evidence", "sweep"])
    assert result.exit_code == 0 and "Removed 3 unattached evidence files." in result.output
    assert stored(app) == {f"{kept.sha256}.jpg", f"{kept.sha256}.thumb.jpg", f"{fresh.sha256}.pdf"}


def test_a_file_staged_again_is_not_swept(app, runner):
    with app.test_request_context():
        ranger = make_user(Role.RANGER)
        first = accept_file(files.upload(files.jpeg(), "a.jpg"), ranger)
        age(storage.store().local_path(first.storage_key), 72)
        age(storage.store().local_path(storage.thumbnail_key(first.storage_key)), 72)
        accept_file(files.upload(files.jpeg(), "a again.jpg"), ranger)  # same bytes, now
    assert "Removed 0" in runner.invoke(args=["evidence", "sweep"]).output
    assert len(stored(app)) == 2


def test_the_age_never_goes_below_the_life_of_a_token(app, runner):
    with app.test_request_context():
        upload = accept_file(files.upload(files.pdf(), "a.pdf"), make_user(Role.RANGER))
        age(storage.store().local_path(upload.storage_key), 12)
    assert "Removed 0" in runner.invoke(args=["evidence", "sweep", "--hours", "1"]).output
