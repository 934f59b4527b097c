"""Times exactly as entered: a time typed in any zone the app offers shows back unchanged, and
saving the form again, any number of times, never moves it. Also across the region's offset
changes: Vladivostok (UTC+11 until October 2014), Mongolia's summer time of 2015-16, China's
of 1990-91."""
import re
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from sqlalchemy import func, select

from tests.incidents.test_create import valid_form
from tests.incidents.test_edit import edit_form
from tracker.extensions import db
from tracker.labels import TIMEZONES
from tracker.models import AuditEvent, Incident, Role

UTC = timezone.utc
# (zone, wall clock typed, the instant it is) — instants worked out by hand from the tz database.
CASES = [
    ("Asia/Vladivostok", "2026-11-20T10:15", datetime(2026, 11, 20, 0, 15, tzinfo=UTC)),
    ("Asia/Vladivostok", "2013-12-31T10:15", datetime(2013, 12, 30, 23, 15, tzinfo=UTC)),  # UTC+11 then
    ("Asia/Vladivostok", "2014-01-01T00:30", datetime(2013, 12, 31, 13, 30, tzinfo=UTC)),
    ("Asia/Yakutsk", "2013-12-31T10:15", datetime(2013, 12, 31, 0, 15, tzinfo=UTC)),       # UTC+10 then
    ("Asia/Yakutsk", "2026-11-20T10:15", datetime(2026, 11, 20, 1, 15, tzinfo=UTC)),
    ("Asia/Shanghai", "2026-11-20T10:15", datetime(2026, 11, 20, 2, 15, tzinfo=UTC)),
    ("Asia/Shanghai", "1990-07-01T10:15", datetime(1990, 7, 1, 1, 15, tzinfo=UTC)),        # summer time
    ("Asia/Ulaanbaatar", "2026-11-20T10:15", datetime(2026, 11, 20, 2, 15, tzinfo=UTC)),
    ("Asia/Ulaanbaatar", "2015-06-15T10:15", datetime(2015, 6, 15, 1, 15, tzinfo=UTC)),    # summer time
    ("Asia/Ulaanbaatar", "2016-12-31T23:59", datetime(2016, 12, 31, 15, 59, tzinfo=UTC)),
    ("UTC", "2026-11-20T10:15", datetime(2026, 11, 20, 10, 15, tzinfo=UTC)),
]


def test_every_offered_zone_is_covered():
    assert {zone for zone, _, _ in CASES} == set(TIMEZONES)


@pytest.fixture
def ranger_in(app, login_as):
    from tests.support.incidents import seed

    seed(app)

    def sign_in(zone: str) -> int:
        return login_as(Role.RANGER, unit="Bikin rangers", timezone=zone, language="en")

    return sign_in


def stored(app, incident_id: int) -> tuple[datetime, int, int]:
    """(occurred_at as UTC, version, number of edit events)."""
    with app.app_context():
        incident = db.session.get(Incident, incident_id)
        edits = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.incident_id == incident_id, AuditEvent.action == "edit"))
        at = incident.occurred_at
        return (at if at.tzinfo else at.replace(tzinfo=UTC)), incident.version, edits


def shown_time(client, incident_id: int) -> str:
    """The 'When it happened' value of the incident page."""
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    return re.search(r"<dt>When it happened</dt><dd>([^<]*)</dd>", page).group(1)


def record(app, client, typed: str, **extra) -> int:
    response = client.post("/incidents/new", data=valid_form(app, occurred_at=typed, **extra))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rsplit("/", 1)[1])


@pytest.mark.parametrize(("zone", "typed", "instant"), CASES)
def test_new_show_edit_unchanged_show_keeps_the_time(app, client, ranger_in, zone, typed, instant):
    ranger_in(zone)
    incident_id = record(app, client, typed)
    assert stored(app, incident_id) == (instant, 1, 0)
    shown = shown_time(client, incident_id)
    wall = datetime.fromisoformat(typed)
    offset = instant.astimezone(ZoneInfo(zone)).utcoffset().total_seconds() / 3600
    # The wall clock as typed, day first, 24 hours, and the zone's offset at that time.
    assert shown.startswith(f"{format_date(wall, 'medium', locale='en_GB')}, {wall:%H:%M} (")
    assert shown.endswith(f"UTC{offset:+g})" if zone != "UTC" else "(UTC)")

    for _ in range(3):  # any number of saves
        data = edit_form(client, incident_id)
        assert data["occurred_at"] == typed
        response = client.post(f"/incidents/{incident_id}/edit", data=data, follow_redirects=True)
        assert "Nothing was changed in INC-" in response.get_data(as_text=True)
    assert stored(app, incident_id) == (instant, 1, 0)  # same instant, no new version, no edit event
    assert shown_time(client, incident_id) == shown


def test_the_audit_trail_keeps_the_time_as_typed(app, client, ranger_in):
    ranger_in("Asia/Ulaanbaatar")
    incident_id = record(app, client, "2015-06-15T10:15")
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.incident_id == incident_id))
        assert event.changes["entered"] == {"local": "2015-06-15T10:15:00", "zone": "Asia/Ulaanbaatar",
                                            "offset": "+09:00"}
        assert event.changes["after"]["occurred_at"] == "2015-06-15T01:15:00+00:00"


def test_a_changed_time_is_audited_with_what_was_typed(app, client, ranger_in):
    ranger_in("Asia/Vladivostok")
    incident_id = record(app, client, "2026-11-20T10:15")
    data = edit_form(client, incident_id)
    data["occurred_at"] = "2026-11-20T11:45"
    client.post(f"/incidents/{incident_id}/edit", data=data)
    assert stored(app, incident_id) == (datetime(2026, 11, 20, 1, 45, tzinfo=UTC), 2, 1)
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "edit"))
        assert event.changes["occurred_at"] == {
            "before": "2026-11-20T00:15:00+00:00", "after": "2026-11-20T01:45:00+00:00",
            "entered": {"local": "2026-11-20T11:45:00", "zone": "Asia/Vladivostok", "offset": "+10:00"}}


def count_incidents(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Incident))


@pytest.mark.parametrize(("zone", "typed"), [("Asia/Ulaanbaatar", "2015-03-28T02:30"),
                                             ("Asia/Shanghai", "1990-04-15T02:30")])
def test_a_time_skipped_by_the_clocks_is_refused_with_the_reason(app, client, ranger_in, zone, typed):
    ranger_in(zone)
    response = client.post("/incidents/new", data=valid_form(app, occurred_at=typed))
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and count_incidents(app) == 0
    assert "This time did not exist here" in body and "UTC+08:00" in body and "UTC+09:00" in body
    assert f'value="{typed}"' in body  # what was typed is kept


def test_a_time_that_happened_twice_asks_which_one(app, client, ranger_in):
    ranger_in("Asia/Ulaanbaatar")  # 2015-09-26 00:00 UTC+9 became 2015-09-25 23:00 UTC+8
    data = valid_form(app, occurred_at="2015-09-25T23:30")
    body = client.post("/incidents/new", data=data).get_data(as_text=True)
    assert count_incidents(app) == 0 and "This time happened twice that night" in body
    assert 'value="+09:00"' in body and 'value="+08:00"' in body

    response = client.post("/incidents/new", data={**data, "occurred_fold": "+08:00"})
    assert response.status_code == 302
    incident_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert stored(app, incident_id) == (datetime(2015, 9, 25, 15, 30, tzinfo=UTC), 1, 0)
    edit = edit_form(client, incident_id)  # the edit form knows which of the two it is
    assert (edit["occurred_at"], edit["occurred_offset"]) == ("2015-09-25T23:30", "+08:00")
    client.post(f"/incidents/{incident_id}/edit", data=edit)
    assert stored(app, incident_id) == (datetime(2015, 9, 25, 15, 30, tzinfo=UTC), 1, 0)


@pytest.mark.parametrize(("typed", "message"), [("0001-01-01T00:00", "The date cannot be before 1990."),
                                                ("1989-12-31T23:59", "The date cannot be before 1990."),
                                                ("9999-12-31T23:59", "The date is in the future.")])
def test_dates_out_of_range_are_refused_not_a_server_error(app, client, ranger_in, typed, message):
    ranger_in("Asia/Vladivostok")
    response = client.post("/incidents/new", data=valid_form(app, occurred_at=typed))
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert count_incidents(app) == 0


def test_a_stored_time_with_seconds_survives_an_unchanged_save(app, client, ranger_in):
    from tests.support.incidents import make_incident

    ranger_id = ranger_in("Asia/Vladivostok")
    instant = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)  # e.g. from a GPS unit's log
    with app.app_context():
        incident_id = make_incident(ranger_id, occurred_at=instant).id
    data = edit_form(client, incident_id)
    assert data["occurred_at"] == "2024-05-06T17:08:09"
    client.post(f"/incidents/{incident_id}/edit", data=data)
    assert stored(app, incident_id) == (instant, 1, 0)
