"""POST /incidents/<id>/evidence: who may add files, and what a partly bad upload leaves."""
import pytest
from sqlalchemy import func, select

from tests.evidence import files
from tests.support.factories import make_user
from tests.support.stored import stored_names
from tracker.audit.chain import verify_chain
from tracker.extensions import db
from tracker.models import AuditEvent, Evidence, IncidentStatus, Role


def post_files(client, incident_id, *parts, follow=False):
    return client.post(f"/incidents/{incident_id}/evidence", data={"files": list(parts)},
                       content_type="multipart/form-data", follow_redirects=follow)


def evidence_rows(app):
    with app.app_context():
        return db.session.execute(select(Evidence.incident_id, Evidence.original_name, Evidence.content_type)
                                  .order_by(Evidence.id)).all()


def reporter(app, unit="Unit A"):
    with app.app_context():
        return make_user(Role.RANGER, unit=unit).id


def test_ranger_adds_photos_to_an_incident_of_their_unit(app, client, login_as, make_incident):
    incident_id = make_incident(reporter(app))
    login_as(Role.RANGER)
    response = post_files(client, incident_id, files.part(files.jpeg(), "trap.jpg"), files.part(files.pdf(), "act.pdf"))
    assert response.status_code == 302 and response.headers["Location"] == f"/incidents/{incident_id}"
    assert evidence_rows(app) == [(incident_id, "trap.jpg", "image/jpeg"), (incident_id, "act.pdf", "application/pdf")]
    with app.app_context():
        events = db.session.scalars(select(AuditEvent.action).where(AuditEvent.incident_id == incident_id)).all()
        assert events.count("evidence_upload") == 2 and verify_chain().ok
    with client.session_transaction() as session:
        (category, text), = session["_flashes"]
    assert category == "success" and text.startswith("2 files added to INC-")


@pytest.mark.parametrize("role,unit,status,expected", [
    (Role.RANGER, "Unit A", IncidentStatus.DRAFT, 302),
    (Role.RANGER, "Unit A", IncidentStatus.VERIFIED, 302),
    (Role.RANGER, "Unit B", IncidentStatus.SUBMITTED, 403),      # another unit's incident
    (Role.RANGER, "Unit A", IncidentStatus.CLOSED, 403),
    (Role.RANGER, "Unit A", IncidentStatus.REJECTED, 403),
    (Role.COORDINATOR, "HQ", IncidentStatus.SUBMITTED, 302),
    (Role.COORDINATOR, "HQ", IncidentStatus.CLOSED, 302),         # a court paper after closing
    (Role.MANAGER, "HQ", IncidentStatus.SUBMITTED, 403),
    (Role.ADMIN, "HQ", IncidentStatus.SUBMITTED, 403),
])
def test_who_may_add_evidence(app, client, login_as, make_incident, role, unit, status, expected):
    incident_id = make_incident(reporter(app), status)
    login_as(role, unit=unit)
    assert post_files(client, incident_id, files.part(files.jpeg(), "trap.jpg")).status_code == expected
    assert len(evidence_rows(app)) == (1 if expected == 302 else 0)
    if expected == 403:
        assert stored_names(app) == []  # refused before any file was read


def test_ranger_without_unit_may_add_to_their_own_incident_only(app, client, login_as, make_incident):
    ranger_id = login_as(Role.RANGER, unit=None)
    own, other = make_incident(ranger_id), make_incident(reporter(app, unit=None))
    assert post_files(client, own, files.part(files.pdf(), "a.pdf")).status_code == 302
    assert post_files(client, other, files.part(files.pdf(), "a.pdf")).status_code == 403


def test_unknown_incident_is_404(client, login_as):
    login_as(Role.COORDINATOR)
    assert post_files(client, 999, files.part(files.pdf(), "a.pdf")).status_code == 404


def test_signed_out_users_are_sent_to_sign_in(app, client, make_incident):
    incident_id = make_incident(reporter(app))
    response = post_files(client, incident_id, files.part(files.pdf(), "a.pdf"))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_good_files_are_kept_and_each_bad_one_is_reported(app, client, login_as, make_incident):
    incident_id = make_incident(reporter(app))
    login_as(Role.RANGER)
    response = post_files(client, incident_id, files.part(files.jpeg(), "good.jpg"),
                          files.part(files.HTML, "page.jpg"), files.part(b"", "empty.pdf"),
                          files.part(files.pdf(), "act.pdf"))
    assert response.status_code == 302
    assert [row.original_name for row in evidence_rows(app)] == ["good.jpg", "act.pdf"]
    with client.session_transaction() as session:
        flashes = session["_flashes"]
    assert flashes[:2] == [("error", "page.jpg: this type of file is not accepted. Add JPEG, PNG or WebP photos, "
                                     "or PDF documents."), ("error", "empty.pdf: the file is empty.")]
    assert flashes[2][0] == "success" and flashes[2][1].startswith("2 files added")
    # On disk: the two good files and the photo's thumbnail, no temporary leftovers.
    assert len(stored_names(app)) == 3 and not any(name.endswith(".part") for name in stored_names(app))
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "evidence_upload")) == 2


def test_only_bad_files_add_nothing(app, client, login_as, make_incident):
    incident_id = make_incident(reporter(app))
    login_as(Role.RANGER)
    post_files(client, incident_id, files.part(files.HTML, "page.jpg"))
    assert evidence_rows(app) == [] and stored_names(app) == []
    with client.session_transaction() as session:
        assert [category for category, _ in session["_flashes"]] == ["error"]


def test_a_file_already_attached_is_not_added_twice(app, client, login_as, make_incident):
    incident_id = make_incident(reporter(app))
    login_as(Role.RANGER)
    post_files(client, incident_id, files.part(files.jpeg(), "trap.jpg"))
    post_files(client, incident_id, files.part(files.jpeg(), "trap again.jpg"))
    assert [row.original_name for row in evidence_rows(app)] == ["trap.jpg"]
    with client.session_transaction() as session:
        assert session["_flashes"][-1][0] == "info" and "already attached" in session["_flashes"][-1][1]


def test_no_file_chosen_is_explained(app, client, login_as, make_incident):
    incident_id = make_incident(reporter(app))
    login_as(Role.RANGER)
    response = client.post(f"/incidents/{incident_id}/evidence", data={}, content_type="multipart/form-data")
    assert response.status_code == 302
    with client.session_transaction() as session:
        assert session["_flashes"] == [("error", "Choose at least one file to add.")]


def test_request_over_the_size_limit_gets_413(app, client, login_as, make_incident):
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    incident_id = make_incident(reporter(app))
    login_as(Role.RANGER)
    response = post_files(client, incident_id, files.part(b"%PDF-" + b"0" * 100 * 1024, "big.pdf"))
    assert response.status_code == 413 and "too large" in response.get_data(as_text=True)
    assert evidence_rows(app) == [] and stored_names(app) == []


def test_messages_are_translated(app, client, login_as, make_incident):
    incident_id = make_incident(reporter(app))
    login_as(Role.RANGER, language="ru")
    post_files(client, incident_id, files.part(b"", "пусто.jpg"), files.part(files.pdf(), "акт.pdf"))
    with client.session_transaction() as session:
        texts = [text for _, text in session["_flashes"]]
    assert texts[0] == "пусто.jpg: файл пуст." and "добавлен" in texts[1]
