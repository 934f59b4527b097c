"""`flask backup` then `flask restore`: the same tracker again, on SQLite and PostgreSQL, with the
evidence files in the local store or (TEST_STORAGE=s3) in S3."""
from __future__ import annotations

import hashlib
import json

from sqlalchemy import func, select

from tests.conftest import empty_all_tables
from tests.evidence import files
from tests.evidence.conftest import new_incident
from tests.support.factories import make_user
from tests.support.stored import store
from tracker.extensions import db
from tracker.models import AuditEvent, Evidence, Incident, Role


def snapshot(app) -> dict:
    """What must come back: counts, and every evidence file's SHA-256 as the store holds it."""
    with app.app_context():
        rows = db.session.execute(select(Evidence.storage_key, Evidence.sha256).order_by(Evidence.id)).all()
        return {"incidents": db.session.scalar(select(func.count()).select_from(Incident)),
                "audit": db.session.scalar(select(func.count()).select_from(AuditEvent)),
                "recorded": [sha for _, sha in rows],
                "stored": [hashlib.sha256(store(app).read_bytes(key)).hexdigest() for key, _ in rows]}


def test_round_trip(app, client, login_as, runner, tmp_path):
    with app.app_context():
        ranger_id = make_user(Role.RANGER).id
    incidents = [new_incident(app, ranger_id, sensitive=n == 0) for n in range(3)]
    login_as(ranger_id)
    for n, incident_id in enumerate(incidents):
        client.post(f"/incidents/{incident_id}/evidence", content_type="multipart/form-data",
                    data={"files": [files.part(files.jpeg(color=f"#{n}{n}{n}"), f"{n}.jpg"),
                                    files.part(files.pdf(f"record {n}"), f"{n}.pdf")]})
    before = snapshot(app)
    assert before["incidents"] == 3 and len(before["recorded"]) == 6 and before["stored"] == before["recorded"]

    result = runner.invoke(args=["backup", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["incidents"] == 3 and len(manifest["files"]) == 9  # 6 files, 3 photo thumbnails

    with app.app_context():  # the disaster: every record and every file gone
        db.session.remove()
        empty_all_tables()
        for stored in list(store(app).listing()):
            store(app).delete(stored.key)
    assert snapshot(app)["incidents"] == 0

    result = runner.invoke(args=["restore", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    assert snapshot(app) == before
    verified = runner.invoke(args=["audit", "verify"])
    assert verified.exit_code == 0 and f"{before['audit']:,} events verified" in verified.output
    with app.app_context():
        first_id, first_sha = db.session.execute(select(Evidence.id, Evidence.sha256).order_by(Evidence.id)).first()
    download = files.fetch(client, f"/evidence/{first_id}")  # the restored tracker serves it again
    assert download.status_code == 200 and hashlib.sha256(download.data).hexdigest() == first_sha


def test_a_damaged_backup_is_refused_before_anything_changes(app, client, login_as, runner, tmp_path):
    with app.app_context():
        ranger_id = make_user(Role.RANGER).id
    incident_id = new_incident(app, ranger_id)
    login_as(ranger_id)
    client.post(f"/incidents/{incident_id}/evidence", content_type="multipart/form-data",
                data={"files": [files.part(files.pdf(), "act.pdf")]})
    assert runner.invoke(args=["backup", str(tmp_path / "b")]).exit_code == 0
    (pdf,) = (tmp_path / "b" / "evidence").rglob("*.pdf")
    pdf.write_bytes(pdf.read_bytes() + b"tampered")

    result = runner.invoke(args=["restore", "--force", str(tmp_path / "b")])
    assert result.exit_code == 1 and "does not have the SHA-256 of the manifest" in result.output
    assert runner.invoke(args=["restore", str(tmp_path / "b")]).output.startswith("Restore FAILED: this database holds")
    assert runner.invoke(args=["backup", str(tmp_path / "b")]).exit_code == 1  # never over an old backup
