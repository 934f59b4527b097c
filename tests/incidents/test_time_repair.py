"""`flask incidents repair-times`: times stored wrong by the old incident form are put back to the
time the person meant, worked out from the audit trail, with an audit event per correction."""
from datetime import datetime, timezone
from decimal import Decimal

import pytest
import pytz
from sqlalchemy import select

from tests.support.incidents import make_incident, seed
from tracker.audit.chain import verify_chain
from tracker.extensions import db
from tracker.incidents.services import ItemData, update_incident
from tracker.localtime import aware_utc, to_wall
from tracker.models import AuditEvent, Incident, Role, User

UTC = timezone.utc


def old_form(wall: str, zone: str) -> datetime:
    """Exactly what the form stored before the fix."""
    return datetime.fromisoformat(wall).replace(tzinfo=pytz.timezone(zone)).astimezone(UTC)


def old_edit_form_shows(stored: datetime, zone: str) -> str:
    """What the old edit form displayed for a stored time (correctly converted, seconds dropped)."""
    from zoneinfo import ZoneInfo

    return to_wall(stored, ZoneInfo(zone))[0].replace(second=0).isoformat(timespec="minutes")


def resave(incident_id: int, user_id: int, wall: str) -> None:
    """An edit through the old form with `wall` in the time box."""
    incident, user = db.session.get(Incident, incident_id), db.session.get(User, user_id)
    items = [ItemData(i.product_id, i.species_id, Decimal(i.quantity), i.unit, i.notes) for i in incident.items]
    update_incident(incident, {"occurred_at": old_form(wall, user.timezone)}, items, user)
    db.session.commit()


def made_by_the_fixed_form(user_id: int, instant: datetime) -> int:
    """An incident whose create event records the time as typed, as the form does since the fix."""
    entered = {"local": "2026-09-01T10:00:00", "zone": "Asia/Vladivostok", "offset": "+10:00"}
    return make_incident(user_id, occurred_at=instant, entered=entered).id


def stored(incident_id: int) -> datetime:
    db.session.expire_all()
    return aware_utc(db.session.get(Incident, incident_id).occurred_at)


@pytest.fixture
def people(app, login_as):
    seed(app)
    return {"vlad": login_as(Role.RANGER, timezone="Asia/Vladivostok"),
            "ub": login_as(Role.RANGER, timezone="Asia/Ulaanbaatar"),
            "coordinator": login_as(Role.COORDINATOR, timezone="Asia/Vladivostok")}


def test_drifted_and_deliberately_changed_times_are_repaired(app, runner, people):
    with app.app_context():
        drifted = make_incident(people["vlad"], occurred_at=old_form("2026-11-20T10:15", "Asia/Vladivostok")).id
        assert stored(drifted) == datetime(2026, 11, 20, 1, 27, tzinfo=UTC)  # as the issue saw it
        for _ in range(2):  # saved twice without touching the time: it moved each time
            resave(drifted, people["vlad"], old_edit_form_shows(stored(drifted), "Asia/Vladivostok"))
        assert stored(drifted) == datetime(2026, 11, 20, 3, 51, tzinfo=UTC)

        changed = make_incident(people["ub"], occurred_at=old_form("2015-06-15T10:15", "Asia/Ulaanbaatar")).id
        resave(changed, people["coordinator"], "2015-06-15T12:00")  # a coordinator corrected the time

        moved_since = make_incident(people["vlad"], occurred_at=old_form("2026-10-01T08:00", "Asia/Vladivostok")).id
        db.session.get(Incident, moved_since).occurred_at = datetime(2026, 10, 1, tzinfo=UTC)  # not by the form
        db.session.commit()
        right = made_by_the_fixed_form(people["vlad"], datetime(2026, 9, 1, tzinfo=UTC))
        refs = {i.id: i.ref for i in db.session.scalars(select(Incident))}

    listed = runner.invoke(args=["incidents", "repair-times"])
    assert listed.exit_code == 0, listed.output
    expected = f"{refs[drifted]}: 2026-11-20 03:51Z -> 2026-11-20 00:15Z (2026-11-20 10:15 Asia/Vladivostok)"
    assert expected in listed.output
    assert f"{refs[changed]}: " in listed.output and "2 incident times to correct" in listed.output
    assert f"{refs[moved_since]}: changed since by other means" in listed.output
    with app.app_context():
        assert stored(drifted) == datetime(2026, 11, 20, 3, 51, tzinfo=UTC)  # a listing changes nothing

    applied = runner.invoke(args=["incidents", "repair-times", "--apply"])
    assert applied.exit_code == 0 and "Corrected 2 incident times" in applied.output
    with app.app_context():
        assert stored(drifted) == datetime(2026, 11, 20, 0, 15, tzinfo=UTC)
        assert stored(changed) == datetime(2015, 6, 15, 2, 0, tzinfo=UTC)  # 12:00 in Vladivostok (UTC+10)
        assert stored(moved_since) == datetime(2026, 10, 1, tzinfo=UTC)
        assert stored(right) == datetime(2026, 9, 1, tzinfo=UTC)
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "time_corrected",
                                                           AuditEvent.incident_id == drifted))
        assert event.actor_name == "system" and event.changes["occurred_at"] == {
            "before": "2026-11-20T03:51:00+00:00", "after": "2026-11-20T00:15:00+00:00",
            "entered": {"local": "2026-11-20T10:15:00", "zone": "Asia/Vladivostok"}}
        assert verify_chain().ok
    again = runner.invoke(args=["incidents", "repair-times"])
    assert "0 incident times to correct" in again.output  # running it twice changes nothing


def test_the_history_shows_the_correction(app, client, runner, people):
    with app.app_context():
        incident_id = make_incident(people["vlad"], occurred_at=old_form("2026-11-20T10:15", "Asia/Vladivostok")).id
    runner.invoke(args=["incidents", "repair-times", "--apply"])
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert "corrected the time" in page


def test_dashboards_follow_the_repair(app, runner, people):
    from tracker.dashboards.rollups import rebuild
    from tracker.models import IncidentRollup

    with app.app_context():  # 23:30 on 30 November in Vladivostok, put into December by the old form
        make_incident(people["vlad"], occurred_at=old_form("2026-11-30T23:30", "Asia/Vladivostok"))
    runner.invoke(args=["incidents", "repair-times", "--apply"])
    with app.app_context():
        def months():
            return sorted(db.session.scalars(select(IncidentRollup.month).where(
                IncidentRollup.dimension == "status", IncidentRollup.status == "*", IncidentRollup.country == "*")))
        kept = months()
        rebuild(db.session)
        assert kept == months() == [202611]
