"""`flask evidence sweep` on an S3 store: abandoned uploads go, attached files and their
thumbnails stay (tests/evidence/test_sweep.py covers the rules on the local store)."""
from __future__ import annotations

import time

from sqlalchemy import select

from tests.evidence import files
from tests.filestore.conftest import sign_in
from tests.support.factories import make_user
from tests.support.stored import stored_names
from tracker.evidence import sweep
from tracker.extensions import db
from tracker.models import Evidence, Role


def test_sweep_of_a_bucket(servers, make_incident_on, monkeypatch):
    a, _ = servers
    with a.app_context():
        ranger_id = make_user(Role.RANGER).id
    incident_id = make_incident_on(a, ranger_id)
    client = a.test_client()
    sign_in(a, client, ranger_id)
    client.post(f"/incidents/{incident_id}/evidence", data={"files": [files.part(files.jpeg(color="#111"), "k.jpg")]},
                content_type="multipart/form-data")
    client.post("/evidence/stage", data={"file": files.part(files.jpeg(color="#222"), "a.jpg")},
                content_type="multipart/form-data")
    assert len(stored_names(a)) == 4
    later = time.time() + 72 * 3600
    monkeypatch.setattr(sweep.time, "time", lambda: later)
    result = a.test_cli_runner().invoke(args=["evidence", "sweep"])
    assert "Removed 2 unattached evidence files." in result.output
    with a.app_context():
        kept = db.session.scalar(select(Evidence.sha256))
    assert stored_names(a) == [f"{kept}.jpg", f"{kept}.thumb.jpg"]
