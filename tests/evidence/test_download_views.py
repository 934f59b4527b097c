"""Downloads and thumbnails: the incident's visibility rule, attachment headers, audit."""
from urllib.parse import quote

import pytest
from sqlalchemy import select

from tests.evidence import files
from tests.support.factories import make_user
from tracker.extensions import db
from tracker.models import AuditEvent, Evidence, Role


@pytest.fixture
def evidence_of(app, client, login_as, make_incident):
    """evidence_of(data, name) -> evidence id of an incident of Unit A, uploaded by a coordinator
    (the client is signed out afterwards)."""

    def make(data: bytes, name: str) -> int:
        with app.app_context():
            reporter_id = make_user(Role.RANGER, unit="Unit A").id
        incident_id = make_incident(reporter_id)
        login_as(Role.COORDINATOR, unit="HQ")
        client.post(f"/incidents/{incident_id}/evidence", data={"files": [files.part(data, name)]},
                    content_type="multipart/form-data")
        with client.session_transaction() as session:
            session.clear()
        with app.app_context():
            return db.session.scalar(select(Evidence.id).where(Evidence.incident_id == incident_id))

    return make


def audit_actions(app):
    with app.app_context():
        return db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()


def test_download_is_an_audited_attachment(app, client, login_as, evidence_of):
    data = files.jpeg()
    evidence_id = evidence_of(data, "trap.jpg")
    user_id = login_as(Role.RANGER)
    response = files.fetch(client, f"/evidence/{evidence_id}")
    assert response.status_code == 200 and response.data == data
    assert response.headers["Content-Type"] == "image/jpeg"
    assert response.headers["Content-Disposition"] == "attachment; filename=trap.jpg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert (event.action, event.actor_id, event.entity_id) == ("evidence_download", user_id, evidence_id)
        assert event.changes["name"] == "trap.jpg"


def test_non_ascii_names_are_encoded_for_the_header(app, client, login_as, evidence_of):
    evidence_id = evidence_of(files.pdf(), "протокол изъятия 证据.pdf")
    login_as(Role.MANAGER)
    disposition = files.fetch(client, f"/evidence/{evidence_id}").headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('протокол изъятия 证据.pdf')}" in disposition


def test_a_dangerous_name_stays_harmless_in_the_header(app, client, login_as, evidence_of):
    evidence_id = evidence_of(files.pdf(), 'a";\r\nX-Evil: 1.pdf')
    login_as(Role.COORDINATOR)
    response = files.fetch(client, f"/evidence/{evidence_id}")
    assert "X-Evil" not in response.headers and response.status_code == 200


@pytest.mark.parametrize("role,unit,expected", [
    (Role.RANGER, "Unit A", 200), (Role.RANGER, "Unit B", 403), (Role.COORDINATOR, "HQ", 200),
    (Role.MANAGER, "HQ", 200), (Role.ADMIN, "HQ", 200),
])
def test_download_and_thumbnail_follow_the_incident_visibility(app, client, login_as, evidence_of, role, unit,
                                                               expected):
    evidence_id = evidence_of(files.jpeg(), "trap.jpg")
    login_as(role, unit=unit)
    before = audit_actions(app)
    assert files.fetch(client, f"/evidence/{evidence_id}").status_code == expected
    assert files.fetch(client, f"/evidence/{evidence_id}/thumbnail").status_code == expected
    assert audit_actions(app)[len(before):] == (["evidence_download"] if expected == 200 else [])


def test_unknown_evidence_is_404(client, login_as):
    login_as(Role.COORDINATOR)
    assert files.fetch(client, "/evidence/999").status_code == 404
    assert files.fetch(client, "/evidence/999/thumbnail").status_code == 404


def test_signed_out_users_are_sent_to_sign_in(client, evidence_of):
    evidence_id = evidence_of(files.pdf(), "act.pdf")
    response = files.fetch(client, f"/evidence/{evidence_id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_thumbnail_is_an_inline_private_jpeg_without_audit(app, client, login_as, evidence_of):
    evidence_id = evidence_of(files.webp(), "phone.webp")
    login_as(Role.RANGER)
    before = audit_actions(app)
    response = files.fetch(client, f"/evidence/{evidence_id}/thumbnail")
    assert response.status_code == 200 and response.headers["Content-Type"] == "image/jpeg"
    assert response.data.startswith(b"\xff\xd8") and "attachment" not in response.headers.get("Content-Disposition", "")
    cache = response.headers["Cache-Control"]
    assert "private" in cache and "max-age" in cache and "public" not in cache
    assert audit_actions(app) == before


def test_documents_have_no_thumbnail(client, login_as, evidence_of):
    evidence_id = evidence_of(files.pdf(), "act.pdf")
    login_as(Role.COORDINATOR)
    assert files.fetch(client, f"/evidence/{evidence_id}/thumbnail").status_code == 404


def test_a_file_lost_from_storage_is_404_and_logged(app, client, login_as, evidence_of, caplog):
    from tracker.evidence import storage

    evidence_id = evidence_of(files.pdf(), "act.pdf")
    with app.app_context():
        storage.store().delete(db.session.get(Evidence, evidence_id).storage_key)
    login_as(Role.COORDINATOR)
    before = audit_actions(app)
    assert files.fetch(client, f"/evidence/{evidence_id}").status_code == 404
    assert "missing from storage" in caplog.text and audit_actions(app) == before
