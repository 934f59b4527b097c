"""The workflow: only allowed steps are offered and accepted, each is audited."""
import pytest
from sqlalchemy import select

from tests.support.factories import make_user
from tests.support.incidents import make_incident, seed
from tracker.extensions import db
from tracker.models import AuditEvent, Incident, IncidentStatus, Outcome, Role

S = IncidentStatus


@pytest.fixture
def setup(app):
    seed(app)
    with app.app_context():
        return make_user(Role.RANGER, username="author", unit="Unit A").id


def incident_in(app, author_id, status):
    with app.app_context():
        incident = make_incident(author_id, status=status)
        return incident.id, incident.version


def step(client, incident_id, version, target, **extra):
    return client.post(f"/incidents/{incident_id}/status",
                       data={"target": target, f"{target}-version": str(version),
                             **{f"{target}-{k}": v for k, v in extra.items()}})


def status_of(app, incident_id):
    with app.app_context():
        return db.session.get(Incident, incident_id).status


# (role, is the author, from, to, allowed)
MATRIX = [
    (Role.RANGER, True, S.DRAFT, S.SUBMITTED, True),
    (Role.RANGER, False, S.DRAFT, S.SUBMITTED, False),
    (Role.RANGER, True, S.SUBMITTED, S.VERIFIED, False),
    (Role.COORDINATOR, False, S.DRAFT, S.SUBMITTED, True),
    (Role.COORDINATOR, False, S.SUBMITTED, S.VERIFIED, True),
    (Role.COORDINATOR, False, S.VERIFIED, S.UNDER_INVESTIGATION, True),
    (Role.COORDINATOR, False, S.DRAFT, S.VERIFIED, False),
    (Role.COORDINATOR, False, S.CLOSED, S.SUBMITTED, False),
    (Role.COORDINATOR, False, S.REJECTED, S.VERIFIED, False),
    (Role.MANAGER, False, S.SUBMITTED, S.VERIFIED, False),
    (Role.ADMIN, False, S.SUBMITTED, S.VERIFIED, False),
]


@pytest.mark.parametrize("role,is_author,source,target,allowed", MATRIX)
def test_workflow_matrix(app, client, login_as, setup, role, is_author, source, target, allowed):
    incident_id, version = incident_in(app, setup, source)
    login_as(setup) if is_author else login_as(role, unit="Unit A")
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    response = step(client, incident_id, version, target.value)
    if allowed:
        assert f'name="target" value="{target.value}"' in page
        assert response.status_code == 302 and status_of(app, incident_id) is target
        with app.app_context():
            event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "status"))
            assert event.changes == {"from": source.value, "to": target.value}
    else:
        assert f'name="target" value="{target.value}"' not in page
        assert response.status_code == 403 and status_of(app, incident_id) is source


def test_rejection_needs_a_reason(app, client, login_as, setup):
    incident_id, version = incident_in(app, setup, S.SUBMITTED)
    login_as(Role.COORDINATOR)
    response = step(client, incident_id, version, "rejected", reason="  ")
    assert "Give the reason" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert status_of(app, incident_id) is S.SUBMITTED
    step(client, incident_id, version, "rejected", reason="Duplicate of INC-2026-000001")
    with app.app_context():
        incident = db.session.get(Incident, incident_id)
        assert incident.status is S.REJECTED and incident.rejection_reason.startswith("Duplicate")


def test_closing_records_outcome_and_penalty(app, client, login_as, setup):
    incident_id, version = incident_in(app, setup, S.UNDER_INVESTIGATION)
    login_as(Role.COORDINATOR)
    step(client, incident_id, version, "closed")
    assert status_of(app, incident_id) is S.UNDER_INVESTIGATION
    step(client, incident_id, version, "closed", outcome="conviction", penalty="2 years")
    with app.app_context():
        incident = db.session.get(Incident, incident_id)
        assert (incident.status, incident.outcome, incident.penalty) == (S.CLOSED, Outcome.CONVICTION, "2 years")


def test_stale_status_change_is_refused(app, client, login_as, setup):
    incident_id, version = incident_in(app, setup, S.SUBMITTED)
    login_as(Role.COORDINATOR)
    with app.app_context():
        db.session.get(Incident, incident_id).description = "changed meanwhile"
        db.session.commit()
    step(client, incident_id, version, "verified")
    assert status_of(app, incident_id) is S.SUBMITTED


def test_drafts_can_be_deleted_by_their_author_only(app, client, login_as, setup):
    incident_id, _ = incident_in(app, setup, S.DRAFT)
    login_as(Role.RANGER, unit="Unit A")
    assert client.post(f"/incidents/{incident_id}/delete").status_code == 403
    with app.app_context():
        assert db.session.get(Incident, incident_id) is not None


# What the page says after each step: the reference and what happened to it, in plain words.
SAID_AFTER = [(S.DRAFT, "submitted", {}, "{ref} submitted for review."),
              (S.SUBMITTED, "verified", {}, "{ref} verified."),
              (S.SUBMITTED, "rejected", {"reason": "Duplicate report"}, "{ref} rejected."),
              (S.VERIFIED, "under_investigation", {}, "Investigation of {ref} started."),
              (S.UNDER_INVESTIGATION, "closed", {"outcome": "conviction"}, "{ref} closed.")]


@pytest.mark.parametrize("source,target,extra,said", SAID_AFTER)
def test_each_step_is_confirmed_in_plain_words(app, client, login_as, setup, source, target, extra, said):
    incident_id, version = incident_in(app, setup, source)
    with app.app_context():
        ref = db.session.get(Incident, incident_id).ref
    login_as(Role.COORDINATOR)
    page = client.get(step(client, incident_id, version, target, **extra).headers["Location"]).get_data(as_text=True)
    assert f'<p class="flash flash-success" role="status">{said.format(ref=ref)}</p>' in page
    assert "done." not in page


VERIFIED_IN = {"ru": "Инцидент {ref} проверен.", "zh": "事件 {ref} 已核实。",
               "mn": "{ref} дугаартай тохиолдлыг баталгаажууллаа."}


@pytest.mark.parametrize("language", sorted(VERIFIED_IN))
def test_the_confirmation_reads_in_the_readers_language(app, client, login_as, setup, language):
    incident_id, version = incident_in(app, setup, S.SUBMITTED)
    with app.app_context():
        ref = db.session.get(Incident, incident_id).ref
    login_as(Role.COORDINATOR, language=language)
    page = client.get(step(client, incident_id, version, "verified").headers["Location"]).get_data(as_text=True)
    assert f'role="status">{VERIFIED_IN[language].format(ref=ref)}</p>' in page
