"""The audit trail is tamper-evident: `flask audit verify` names the first broken event."""
import pytest
from sqlalchemy import func, select, text, update

from tests.support.factories import make_user
from tests.support.incidents import make_incident, seed
from tracker.extensions import db
from tracker.models import AuditEvent, Role


def three_incidents(app):
    seed(app)
    with app.app_context():
        author = make_user(Role.RANGER)
        for n in range(3):
            make_incident(author.id, description=f"incident {n}")


def stored_events(app, entity_type: str | None = None) -> int:
    """Events in the chain (the seed's reference rows are events too)."""
    with app.app_context():
        stmt = select(func.count()).select_from(AuditEvent)
        return db.session.scalar(stmt.where(AuditEvent.entity_type == entity_type) if entity_type else stmt)


def test_intact_chain_verifies(app, runner):
    three_incidents(app)
    result = runner.invoke(args=["audit", "verify"])
    assert stored_events(app, "incident") == 3
    assert result.exit_code == 0 and f"{stored_events(app)} events verified" in result.output


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
    assert stored_events(app, "incident") == 300
    assert f"{stored_events(app)} events verified" in runner.invoke(args=["audit", "verify"]).output
