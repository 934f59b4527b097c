"""Audited downloads: a HEAD is not a download, staging is rate-limited, and photos of sensitive
incidents reach users without the exact-location right without their embedded position."""
import hashlib
import io

from PIL import ExifTags, Image
from sqlalchemy import func, select

from tests.evidence import files
from tracker.evidence.redact import without_metadata
from tracker.extensions import db
from tracker.models import AuditEvent, Evidence, Role

DOWNLOADS = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "evidence_download")


def upload_photo(app, client, login_as, make_incident, sensitive=False, data=None):
    coordinator = login_as(Role.COORDINATOR)
    incident_id = make_incident(coordinator, sensitive=sensitive)
    client.post(f"/incidents/{incident_id}/evidence", data={"files": [files.part(data or files.jpeg(), "tiger.jpg")]},
                content_type="multipart/form-data")
    with app.app_context():
        return db.session.scalar(select(Evidence.id)), incident_id


def test_head_request_writes_no_download_event(app, client, login_as, make_incident):
    evidence_id, _ = upload_photo(app, client, login_as, make_incident)
    head = client.head(f"/evidence/{evidence_id}")
    head.close()
    assert head.status_code == 200
    with app.app_context():
        assert db.session.scalar(DOWNLOADS) == 0
    files.fetch(client, f"/evidence/{evidence_id}")
    with app.app_context():
        assert db.session.scalar(DOWNLOADS) == 1


def test_staging_is_rate_limited_per_user(app, client, login_as):
    app.config["EVIDENCE_STAGE_RATE_LIMIT"] = "2 per minute"
    login_as(Role.RANGER)
    codes = [client.post("/evidence/stage", data={"file": files.part(files.pdf(f"p{n}"), f"{n}.pdf")},
                         content_type="multipart/form-data").status_code for n in range(3)]
    assert codes == [200, 200, 429]


def test_manager_gets_sensitive_photo_without_its_gps(app, client, login_as, make_incident):
    original = files.jpeg()
    evidence_id, incident_id = upload_photo(app, client, login_as, make_incident, sensitive=True, data=original)
    exact = files.fetch(client, f"/evidence/{evidence_id}")
    assert exact.data == original and "X-Evidence-Copy" not in exact.headers
    login_as(Role.MANAGER)
    assert "location data removed" in client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    copy = files.fetch(client, f"/evidence/{evidence_id}")
    assert copy.headers["X-Evidence-Copy"] == "metadata-removed"
    image = Image.open(io.BytesIO(copy.data))
    assert dict(image.getexif().get_ifd(ExifTags.IFD.GPSInfo)) == {} and image.size == (800, 600)
    with app.app_context():
        assert db.session.get(Evidence, evidence_id).sha256 == hashlib.sha256(original).hexdigest()
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "evidence_download")
                                   .order_by(AuditEvent.id.desc())).first()
        assert event.changes["metadata_removed"] is True


def test_manager_with_exact_location_right_gets_the_original(app, client, login_as, make_incident):
    original = files.jpeg()
    evidence_id, _ = upload_photo(app, client, login_as, make_incident, sensitive=True, data=original)
    login_as(Role.MANAGER, exact_location_grant=True)
    assert files.fetch(client, f"/evidence/{evidence_id}").data == original


def test_webp_copy_loses_its_gps_too():
    copy = Image.open(io.BytesIO(without_metadata(files.webp(), "image/webp")))
    copy.load()
    assert dict(copy.getexif().get_ifd(ExifTags.IFD.GPSInfo)) == {} and copy.size == (400, 300)
