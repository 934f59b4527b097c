"""Reading through the API: reference data in every language, the list's filters, keyset pages
that visit every incident once, incremental pulls that never miss a change, one incident with its
items, evidence and status history."""
from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from tests.evidence import files
from tests.support.factories import make_user
from tests.support.incidents import make_incident
from tracker.extensions import db
from tracker.models import Category, Incident, IncidentStatus, Place, Product, Role, Species

WHEN = datetime(2026, 3, 1, 12, tzinfo=timezone.utc)


def pages(caller, url: str) -> list[list[str]]:
    """Follow `next` links; the refs of each page."""
    seen = []
    while url:
        body = caller.get(url).get_json()
        seen.append([item["ref"] for item in body["items"]])
        url = body["next"]
    return seen


def test_reference_tables_carry_every_languages_name(app, caller):
    ranger = caller(Role.RANGER)
    for table, model, key in (("categories", Category, "slug"), ("species", Species, "scientific_name"),
                              ("products", Product, "slug"), ("places", Place, "id")):
        rows = ranger.get(f"/api/v1/reference/{table}").get_json()
        languages = {c.name[5:] for c in model.__table__.columns if c.name.startswith("name_")}
        with app.app_context():
            stored = {getattr(row, key): {lang: getattr(row, f"name_{lang}") for lang in languages}
                      for row in db.session.scalars(select(model))}
        assert {row[key]: row["names"] for row in rows} == stored and len(rows) > 2, table
        assert languages >= {"en", "ru", "zh"}


@pytest.fixture
def ten_at_one_instant(app, seeded):
    """Ten incidents that happened, were recorded and changed at the same instant."""
    with app.app_context():
        reporter = make_user(Role.RANGER, unit="Unit A").id
        refs = [make_incident(reporter, occurred_at=WHEN).ref for _ in range(10)]
        db.session.execute(update(Incident).values(created_at=WHEN, updated_at=WHEN))
        db.session.commit()
    return refs


def test_pages_visit_every_incident_once_through_ties(caller, ten_at_one_instant):
    coordinator = caller(Role.COORDINATOR)
    for query in ("", "&sort=created", "&updated_since=2026-03-01T12:00:00Z",
                  "&updated_since=2026-03-01T21:00:00%2B09:00"):
        seen = pages(coordinator, f"/api/v1/incidents?limit=3{query}")
        assert [len(page) for page in seen] == [3, 3, 3, 1], query
        assert sorted(ref for page in seen for ref in page) == sorted(ten_at_one_instant), query


def test_an_incremental_pull_is_oldest_change_first_and_inclusive(app, caller, ten_at_one_instant):
    with app.app_context():
        db.session.execute(update(Incident).where(Incident.ref == ten_at_one_instant[0])
                           .values(updated_at=WHEN + timedelta(hours=1)))
        db.session.commit()
    coordinator = caller(Role.COORDINATOR)
    pulled = pages(coordinator, "/api/v1/incidents?limit=4&updated_since=2026-03-01T13:00:00Z")
    assert pulled == [[ten_at_one_instant[0]]]  # at the very instant: included
    everything = [ref for page in pages(coordinator, "/api/v1/incidents?limit=4&updated_since=2026-01-01T00:00Z")
                  for ref in page]
    assert everything[-1] == ten_at_one_instant[0] and len(everything) == 10


def test_the_next_pull_catches_a_change_that_appeared_behind_the_cursor(app, caller, ten_at_one_instant):
    """A change whose transaction committed after the pull had passed its timestamp (or stamped by
    a server whose clock is a little behind) is caught by the next pull from next_updated_since."""
    coordinator = caller(Role.COORDINATOR)
    url, last = "/api/v1/incidents?limit=4&updated_since=2026-01-01T00:00:00Z", None
    now = datetime.now(timezone.utc)
    with app.app_context():
        db.session.execute(update(Incident).values(updated_at=now - timedelta(seconds=30)))
        db.session.commit()
    while url:
        last = coordinator.get(url).get_json()
        url = last["next"]
    since = datetime.fromisoformat(last["next_updated_since"])
    assert now - timedelta(minutes=3) < since < now - timedelta(minutes=1)
    with app.app_context():  # committed late, stamped before the instant the pull had reached
        late = db.session.scalar(select(Incident).where(Incident.ref == ten_at_one_instant[3]))
        late.description = "changed"
        late.updated_at = now - timedelta(seconds=40)
        db.session.commit()
    next_pull = [ref for page in pages(coordinator, f"/api/v1/incidents?updated_since={since:%Y-%m-%dT%H:%M:%S.%fZ}")
                 for ref in page]
    assert ten_at_one_instant[3] in next_pull


def test_filters_are_the_lists_and_their_messages_too(app, caller, seeded):
    with app.app_context():
        reporter = make_user(Role.RANGER, unit="Unit A").id
        draft = make_incident(reporter, status=IncidentStatus.DRAFT).ref
        make_incident(reporter, status=IncidentStatus.VERIFIED, items=[("meat", "Cervus nippon", "12", "kg")])
    coordinator = caller(Role.COORDINATOR)
    assert [i["ref"] for i in coordinator.get("/api/v1/incidents?status=draft").get_json()["items"]] == [draft]
    refused = coordinator.get("/api/v1/incidents?date_from=2026-05-02&date_to=2026-05-01&status=nonsense")
    assert refused.status_code == 422
    assert refused.get_json()["errors"]["date_to"] == ["The end date is before the start date."]
    assert "status" in refused.get_json()["errors"]


def cursor_of(**raw) -> str:
    return base64.urlsafe_b64encode(json.dumps(raw).encode()).decode().rstrip("=")


BAD_ARGUMENTS = [
    ("limit=0", 422, "limit"), ("limit=201", 422, "limit"), ("limit=x", 422, "limit"),
    ("updated_since=2026-03-01T12:00:00", 422, "updated_since"), ("updated_since=yesterday", 422, "updated_since"),
    ("bbox=1,2,3", 422, "bbox"), ("cursor=%21%21", 400, None), ("cursor=eyJvIjoib2NjdXJyZWQifQ", 400, None),
    ("cursor=" + cursor_of(o="occurred", v="2026-01-01T00:00:00+00:00", i=10**30), 400, None),
    ("cursor=" + cursor_of(o="occurred", v="10000-01-01", i=1), 400, None)]


def test_bad_paging_arguments_are_refused_with_the_reason(caller):
    ranger = caller(Role.RANGER)
    for query, status, field in BAD_ARGUMENTS:
        response = ranger.get(f"/api/v1/incidents?{query}")
        body = response.get_json()
        assert response.status_code == status, query
        assert list(body.get("errors", {})) == ([field] if field else []) and body["message"], query


def test_a_cursor_of_one_order_is_refused_in_another(caller, ten_at_one_instant):
    coordinator = caller(Role.COORDINATOR)
    cursor = coordinator.get("/api/v1/incidents?limit=3").get_json()["next_cursor"]
    response = coordinator.get(f"/api/v1/incidents?limit=3&updated_since=2026-01-01T00:00:00Z&cursor={cursor}")
    assert response.status_code == 400 and response.get_json()["code"] == "invalid_cursor"


def test_one_incident_with_items_evidence_and_status_history(app, caller, seeded):
    ranger = caller(Role.RANGER, unit="Unit A")
    with app.app_context():
        ref = make_incident(ranger.user_id, status=IncidentStatus.DRAFT,
                            items=[("skin", "Panthera tigris altaica", "1", "pcs")]).ref
    coordinator = caller(Role.COORDINATOR)
    assert ranger.post(f"/api/v1/incidents/{ref}/evidence", data={"files": (files.part(files.jpeg(), "trap.jpg"))},
                       content_type="multipart/form-data").status_code == 201
    assert ranger.post(f"/api/v1/incidents/{ref}/status", json={"target": "submitted", "version": 1}).status_code == 200
    assert coordinator.post(f"/api/v1/incidents/{ref}/status",
                            json={"target": "rejected", "version": 2, "reason": "Duplicate"}).status_code == 200
    manager = caller(Role.MANAGER)
    body = manager.get(f"/api/v1/incidents/{ref}").get_json()
    assert [(i["quantity"], i["unit"]) for i in body["items"]] == [("1.000", "pcs")]
    [photo] = body["evidence"]
    assert (photo["name"], photo["content_type"]) == ("trap.jpg", "image/jpeg")
    assert (photo["lat"], photo["lon"]) == (43.15, 131.45)  # the photo's position, generalised
    assert [(s["from"], s["to"], s.get("reason")) for s in body["status_history"]] == [
        (None, "draft", None), ("draft", "submitted", None), ("submitted", "rejected", "Duplicate")]
    assert body["status"] == "rejected" and body["rejection_reason"] == "Duplicate"
    exact = coordinator.get(f"/api/v1/incidents/{ref}").get_json()["evidence"][0]
    assert (exact["lat"], exact["lon"]) == (files.LAT, files.LON)
