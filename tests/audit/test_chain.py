"""The audit trail is tamper-evident: `flask audit verify` names the first broken event."""
import pytest
from sqlalchemy import delete, text, update

from tests.support.factories import make_user
from tests.support.incidents import make_incident, seed
from tracker.audit.chain import event_hash
from tracker.extensions import db
from tracker.models import AuditEvent, AuditHead, Role


def three_incidents(app):
    seed(app)
    with app.app_context():
        author = make_user(Role.RANGER)
        for n in range(3):
            make_incident(author.id, description=f"incident {n}")


def test_intact_chain_verifies(app, runner):
    three_incidents(app)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "3 events verified" in result.output


def test_row_changed_in_sql_is_detected(app, runner):
    three_incidents(app)
    with app.app_context():
        db.session.execute(update(AuditEvent).where(AuditEvent.id == 2).values(actor_name="someone-else"))
        db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "BROKEN at event 2" in result.output


def test_changed_details_are_detected(app, runner):
    three_incidents(app)
    with app.app_context():
        db.session.execute(update(AuditEvent).where(AuditEvent.id == 1).values(changes={"ref": "forged"}))
        db.session.commit()
    assert "BROKEN at event 1" in runner.invoke(args=["audit", "verify"]).output


@pytest.mark.parametrize("event_id", [2, 3], ids=["middle", "last"])
def test_deleted_event_is_detected(app, runner, event_id):
    three_incidents(app)
    with app.app_context():
        db.session.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": event_id})
        db.session.commit()
    assert f"BROKEN at event {event_id}" in runner.invoke(args=["audit", "verify"]).output


def test_demo_data_verifies(app, runner):
    seed(app)
    assert runner.invoke(args=["demo", "--incidents", "300", "--seed", "2"]).exit_code == 0
    assert "300 events verified" in runner.invoke(args=["audit", "verify"]).output


def test_changed_head_hash_is_detected(app, runner):
    three_incidents(app)
    with app.app_context():
        db.session.execute(update(AuditHead).values(last_hash="f" * 64))
        db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "BROKEN at event 3" in result.output and "head" in result.output


@pytest.mark.parametrize("last_event_id", [2, 4], ids=["behind", "ahead"])
def test_head_pointing_elsewhere_is_detected(app, runner, last_event_id):
    three_incidents(app)
    with app.app_context():
        db.session.execute(update(AuditHead).values(last_event_id=last_event_id))
        db.session.commit()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 1


def test_last_event_rewritten_with_a_fresh_hash_is_detected_by_the_head(app, runner):
    """Whoever recomputes the hash of an edited last event still leaves the head row behind."""
    three_incidents(app)
    with app.app_context():
        event = db.session.get(AuditEvent, 3)
        forged = {**event.changes, "ref": "forged"}
        forged_hash = event_hash(event.id, event.occurred_at, event.actor_id, event.actor_name, event.action,
                                 event.entity_type, event.entity_id, event.incident_id, forged, event.prev_hash)
        db.session.execute(update(AuditEvent).where(AuditEvent.id == 3).values(changes=forged, hash=forged_hash))
        db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "BROKEN at event 3" in result.output


def test_missing_head_row_is_detected(app, runner):
    three_incidents(app)
    with app.app_context():
        db.session.execute(delete(AuditHead))
        db.session.commit()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 1
