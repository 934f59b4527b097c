"""Audited downloads: a HEAD is not a download; staging uploads is rate-limited."""
def test_head_request_writes_no_download_event(app, client, login_as, make_incident):
    from sqlalchemy import func, select

    from tests.evidence import files
    from tracker.extensions import db
    from tracker.models import AuditEvent, Evidence, Role

    coordinator = login_as(Role.COORDINATOR)
    incident_id = make_incident(coordinator)
    client.post(f"/incidents/{incident_id}/evidence", data={"files": [files.part(files.pdf(), "a.pdf")]},
                content_type="multipart/form-data")
    with app.app_context():
        evidence_id = db.session.scalar(select(Evidence.id))
    head = client.head(f"/evidence/{evidence_id}")
    head.close()
    assert head.status_code == 200
    with app.app_context():
        downloads = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "evidence_download")
        assert db.session.scalar(downloads) == 0
    client.get(f"/evidence/{evidence_id}").close()
    with app.app_context():
        assert db.session.scalar(downloads) == 1


def test_staging_is_rate_limited_per_user(app, client, login_as, app_config):
    from tests.evidence import files
    from tracker.models import Role

    app.config["EVIDENCE_STAGE_RATE_LIMIT"] = "2 per minute"
    login_as(Role.RANGER)
    codes = [client.post("/evidence/stage", data={"file": files.part(files.pdf(f"p{n}"), f"{n}.pdf")},
                         content_type="multipart/form-data").status_code for n in range(3)]
    assert codes == [200, 200, 429]
