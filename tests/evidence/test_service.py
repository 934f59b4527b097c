"""attach(): evidence rows and their audit events, in the caller's transaction."""
from sqlalchemy import func, select

from tests.evidence import files
from tracker.audit.chain import verify_chain
from tracker.evidence.service import attach
from tracker.evidence.uploads import accept_file
from tracker.extensions import db
from tracker.models import AuditEvent, Evidence, Incident, Role, User


def _setup(app, login_as, make_incident):
    ranger_id = login_as(Role.RANGER)
    return ranger_id, make_incident(ranger_id)


def test_attach_adds_rows_and_audit_events_without_committing(app, login_as, make_incident):
    ranger_id, incident_id = _setup(app, login_as, make_incident)
    with app.test_request_context():
        ranger, incident = db.session.get(User, ranger_id), db.session.get(Incident, incident_id)
        uploads = [accept_file(files.upload(files.jpeg(), "a.jpg"), ranger),
                   accept_file(files.upload(files.pdf(), "b.pdf"), ranger)]
        added = attach(incident, uploads, ranger)
        assert [e.original_name for e in added] == ["a.jpg", "b.pdf"] and all(e.id for e in added)
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "evidence_upload")).all()
        assert [(e.entity_type, e.entity_id, e.incident_id, e.changes) for e in events] == [
            ("evidence", added[0].id, incident_id, {"name": "a.jpg", "sha256": uploads[0].sha256,
                                                    "size": uploads[0].size, "type": "image/jpeg"}),
            ("evidence", added[1].id, incident_id, {"name": "b.pdf", "sha256": uploads[1].sha256,
                                                    "size": uploads[1].size, "type": "application/pdf"})]
        db.session.rollback()  # the caller decides
    with app.app_context():
        assert db.session.scalar(select(func.count(Evidence.id))) == 0
        assert verify_chain().ok


def test_files_already_attached_are_skipped(app, login_as, make_incident):
    ranger_id, incident_id = _setup(app, login_as, make_incident)
    with app.test_request_context():
        ranger, incident = db.session.get(User, ranger_id), db.session.get(Incident, incident_id)
        photo = accept_file(files.upload(files.jpeg(), "a.jpg"), ranger)
        assert len(attach(incident, [photo, photo], ranger)) == 1
        db.session.commit()
        again = accept_file(files.upload(files.jpeg(), "the same photo.jpg"), ranger)
        pdf = accept_file(files.upload(files.pdf(), "b.pdf"), ranger)
        assert [e.original_name for e in attach(incident, [again, pdf], ranger)] == ["b.pdf"]
        db.session.commit()
    with app.app_context():
        assert db.session.scalars(select(Evidence.original_name).order_by(Evidence.id)).all() == ["a.jpg", "b.pdf"]
        assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "evidence_upload")) == 2
        assert verify_chain().ok


def test_the_same_file_may_belong_to_two_incidents(app, login_as, make_incident):
    ranger_id, first_id = _setup(app, login_as, make_incident)
    second_id = make_incident(ranger_id)
    with app.test_request_context():
        ranger = db.session.get(User, ranger_id)
        photo = accept_file(files.upload(files.jpeg(), "a.jpg"), ranger)
        for incident_id in (first_id, second_id):
            attach(db.session.get(Incident, incident_id), [photo], ranger)
        db.session.commit()
    with app.app_context():
        keys = db.session.scalars(select(Evidence.storage_key)).all()
        assert len(keys) == 2 and keys[0] == keys[1]
