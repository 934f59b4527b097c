"""Editing: who may, field-level audit, and no silent overwrite when two people edit at once."""
import re

import pytest
from sqlalchemy import select

from tests.support.factories import make_user
from tests.support.incidents import make_incident, seed
from tracker.extensions import db
from tracker.models import AuditEvent, Incident, IncidentStatus, Role


def edit_form(client, incident_id):
    """The edit form as the browser would post it back (all current values)."""
    body = client.get(f"/incidents/{incident_id}/edit").get_data(as_text=True)
    data = {}
    for tag in re.findall(r"<input[^>]*>", body):
        name = re.search(r'name="([^"]+)"', tag)
        if name and 'type="submit"' not in tag and 'type="file"' not in tag:
            value = re.search(r'value="([^"]*)"', tag)
            data[name.group(1)] = value.group(1) if value else ""
    for name, inner in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', body, re.S):
        selected = re.search(r'<option[^>]*selected[^>]*value="([^"]*)"|'
                             r'<option[^>]*value="([^"]*)"[^>]*selected', inner)
        data[name] = (selected.group(1) or selected.group(2)) if selected else ""
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', body, re.S):
        data[name] = text.strip()
    data["save_draft"] = "Save"
    return data


@pytest.fixture
def own_incident(app, login_as):
    seed(app)
    ranger_id = login_as(Role.RANGER, unit="Unit A")
    with app.app_context():
        return make_incident(ranger_id, description="Original text").id


def test_ranger_edits_own_incident_and_history_shows_before_after(app, client, own_incident):
    data = edit_form(client, own_incident)
    data["description"] = "Corrected text"
    data["items-0-quantity"] = "4"
    response = client.post(f"/incidents/{own_incident}/edit", data=data)
    assert response.status_code == 302
    with app.app_context():
        incident = db.session.get(Incident, own_incident)
        assert incident.description == "Corrected text" and incident.version == 2
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "edit"))
        assert event.changes["description"] == {"before": "Original text", "after": "Corrected text"}
        assert event.changes["items"]["after"][0]["quantity"] == "4"
    page = client.get(f"/incidents/{own_incident}").get_data(as_text=True)
    assert "<del>Original text</del>" in page and "<ins>Corrected text</ins>" in page


def test_concurrent_edit_shows_conflict_and_keeps_input(app, client, own_incident):
    mine = edit_form(client, own_incident)
    with app.app_context():  # a coordinator saves first
        incident = db.session.get(Incident, own_incident)
        incident.description = "Coordinator's version"
        db.session.commit()
    mine["description"] = "My version"
    body = client.post(f"/incidents/{own_incident}/edit", data=mine).get_data(as_text=True)
    assert "Someone else saved this incident" in body
    assert "Coordinator&#39;s version" in body and "My version" in body
    with app.app_context():
        assert db.session.get(Incident, own_incident).description == "Coordinator's version"
    again = dict(mine, version=re.search(r'name="version" type="hidden" value="(\d+)"', body).group(1))
    assert client.post(f"/incidents/{own_incident}/edit", data=again).status_code == 302
    with app.app_context():
        assert db.session.get(Incident, own_incident).description == "My version"


def test_ranger_cannot_edit_once_verified(app, client, own_incident):
    with app.app_context():
        db.session.get(Incident, own_incident).status = IncidentStatus.VERIFIED
        db.session.commit()
    assert client.get(f"/incidents/{own_incident}/edit").status_code == 403


@pytest.mark.parametrize("role,unit,expected", [(Role.RANGER, "Unit A", 403), (Role.RANGER, "Unit B", 403),
                                                (Role.COORDINATOR, None, 200), (Role.MANAGER, None, 403),
                                                (Role.ADMIN, None, 403)])
def test_who_may_edit_someone_elses_incident(app, client, login_as, role, unit, expected):
    seed(app)
    with app.app_context():
        author = make_user(Role.RANGER, unit="Unit A")
        incident_id = make_incident(author.id).id
    login_as(role, unit=unit)
    assert client.get(f"/incidents/{incident_id}/edit").status_code == expected


def test_invalid_edit_changes_nothing(app, client, own_incident):
    data = edit_form(client, own_incident)
    data["items-0-quantity"] = "0"
    data["description"] = "Should not be stored"
    assert client.post(f"/incidents/{own_incident}/edit", data=data).status_code == 200
    with app.app_context():
        incident = db.session.get(Incident, own_incident)
        assert incident.description == "Original text" and incident.version == 1
