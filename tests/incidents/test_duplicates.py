"""Possible duplicates: same category and product, within 5 km and 2 days; a hint, not a block."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from tests.support.factories import make_user
from tests.support.incidents import make_incident, seed
from tracker.extensions import db
from tracker.incidents.duplicates import distance_km, possible_duplicates
from tracker.models import DuplicateLink, Incident, Role, User

WHEN = datetime(2026, 3, 1, 12, tzinfo=timezone.utc)


def test_distance():
    assert abs(distance_km(43.1, 131.45, 43.1, 131.5) - 4.06) < 0.05


def test_candidates(app):
    seed(app)
    with app.app_context():
        author = make_user(Role.RANGER)
        base = make_incident(author.id, occurred_at=WHEN, lat=43.1, lon=131.45)
        near = make_incident(author.id, occurred_at=WHEN + timedelta(days=1), lat=43.11, lon=131.48)
        make_incident(author.id, occurred_at=WHEN + timedelta(days=3), lat=43.1, lon=131.45)  # too late
        make_incident(author.id, occurred_at=WHEN, lat=43.2, lon=131.45)  # 11 km away
        make_incident(author.id, occurred_at=WHEN, lat=43.1, lon=131.45, category="snaring")  # other category
        make_incident(author.id, occurred_at=WHEN, lat=43.1, lon=131.45, items=[("skin", None, "1", "pcs")])
        found = possible_duplicates(db.session.get(Incident, base.id), db.session.get(User, author.id))
        assert [i.id for i in found] == [near.id]


def test_coordinator_marks_duplicates_and_the_hint_is_shown(app, client, login_as):
    seed(app)
    with app.app_context():
        author = make_user(Role.RANGER)
        a = make_incident(author.id, occurred_at=WHEN).id
        b = make_incident(author.id, occurred_at=WHEN + timedelta(hours=5)).id
    login_as(Role.COORDINATOR)
    page = client.get(f"/incidents/{a}").get_data(as_text=True)
    assert "Possible duplicates" in page and "Mark as duplicate" in page
    assert client.post(f"/incidents/{a}/duplicates", data={"other": b}).status_code == 302
    client.post(f"/incidents/{b}/duplicates", data={"other": a})  # the same pair again: stored once
    with app.app_context():
        assert len(db.session.scalars(select(DuplicateLink)).all()) == 1
    assert "marked as duplicate" in client.get(f"/incidents/{b}").get_data(as_text=True)


def test_rangers_cannot_mark_duplicates(app, client, login_as):
    seed(app)
    ranger = login_as(Role.RANGER, unit="Unit A")
    with app.app_context():
        a = make_incident(ranger, occurred_at=WHEN).id
        b = make_incident(ranger, occurred_at=WHEN).id
    assert client.post(f"/incidents/{a}/duplicates", data={"other": b}).status_code == 403
