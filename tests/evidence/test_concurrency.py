"""Downloads write an audit event from a GET: under concurrent writers none may fail (on SQLite a
deferred read-then-write transaction is refused when another writer got in between)."""
import threading
import time
from collections import Counter

from sqlalchemy import func, select

from tests.evidence import files
from tests.support.factories import make_user
from tracker.audit.chain import verify_chain
from tracker.extensions import db
from tracker.models import AuditEvent, Evidence, Role


def signed_in_client(app, role):
    with app.app_context():
        token = make_user(role).session_token
    client = app.test_client()
    with client.session_transaction() as session:
        session.update({"_user_id": token, "_fresh": True, "login_at": time.time()})
    return client


def test_concurrent_downloads_and_uploads_all_succeed(app, make_incident):
    with app.app_context():
        ranger_id = make_user(Role.RANGER).id
    incident_id = make_incident(ranger_id)
    coordinator = signed_in_client(app, Role.COORDINATOR)
    coordinator.post(f"/incidents/{incident_id}/evidence", data={"files": [files.part(files.pdf(), "a.pdf")]},
                     content_type="multipart/form-data")
    with app.app_context():
        evidence_id = db.session.scalar(select(Evidence.id))
    statuses = Counter()

    def download():
        client = signed_in_client(app, Role.MANAGER)
        for _ in range(20):
            response = client.get(f"/evidence/{evidence_id}")
            response.get_data()
            response.close()
            statuses[response.status_code] += 1

    def upload():
        client = signed_in_client(app, Role.COORDINATOR)
        for n in range(10):
            response = client.post(f"/incidents/{incident_id}/evidence", content_type="multipart/form-data",
                                   data={"files": [files.part(files.pdf(f"page {n}"), f"{n}.pdf")]})
            statuses[response.status_code] += 1

    threads = [threading.Thread(target=download) for _ in range(3)] + [threading.Thread(target=upload)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == {200: 60, 302: 10}
    with app.app_context():
        actions = dict(db.session.execute(select(AuditEvent.action, func.count()).group_by(AuditEvent.action)).all())
        assert actions == {"create": 1, "evidence_upload": 11, "evidence_download": 60}
        assert verify_chain().ok
