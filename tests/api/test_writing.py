"""Writing through the API: the form's rules and messages, exactly-once creation by client_uuid
(also under ten concurrent retries), edits and workflow steps that never overwrite a newer
version, evidence with the page's content checks."""
from __future__ import annotations

import io
import threading
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from tests.evidence import files
from tests.support.incidents import make_incident, place_id, product_id, species_id
from tracker.extensions import db
from tracker.models import AuditEvent, Evidence, Incident, IncidentStatus, Role


def new_incident(app, **changes) -> dict:
    with app.app_context():
        body = {"client_uuid": str(uuid.uuid4()), "category": "poaching",
                "occurred_at": "2026-05-01T14:30:00+10:00", "place": place_id("Land of the Leopard National Park"),
                "lat": 43.1, "lon": 131.45, "location_text": "Near the ford", "description": "Two paws in a bag.",
                "detection_method": "patrol", "suspects": 2, "arrests": 1,
                "items": [{"product": product_id("paw"), "species": species_id("Panthera tigris altaica"),
                           "quantity": 2, "unit": "pcs"}]}
    return body | changes


def incidents(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Incident.id)))


def test_record_an_incident(app, caller):
    ranger = caller(Role.RANGER, unit="Leopard team")
    response = ranger.post("/api/v1/incidents", json=new_incident(app))
    body = response.get_json()
    assert response.status_code == 201 and response.headers["ETag"] == '"1"'
    assert response.headers["Location"].endswith(f"/api/v1/incidents/{body['ref']}")
    assert (body["status"], body["occurred_at"], body["country"], body["sensitive"]) == (
        "submitted", "2026-05-01T04:30:00Z", "RU", True)
    with app.app_context():
        incident = db.session.scalar(select(Incident))
        assert (incident.reporter_id, incident.unit, incident.suspects) == (ranger.user_id, "Leopard team", 2)
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "create",
                                                           AuditEvent.entity_type == "incident"))
        assert event.changes["entered"] == {"sent": "2026-05-01T14:30:00+10:00", "via": "api"}


def test_a_draft_and_no_other_status(app, caller):
    ranger = caller(Role.RANGER)
    assert ranger.post("/api/v1/incidents", json=new_incident(app, status="draft")).get_json()["status"] == "draft"
    response = ranger.post("/api/v1/incidents", json=new_incident(app, status="verified"))
    assert response.status_code == 422 and list(response.get_json()["errors"]) == ["status"]


def test_a_retry_gets_the_stored_incident_and_another_body_409(app, caller):
    ranger = caller(Role.RANGER)
    body = new_incident(app)
    first = ranger.post("/api/v1/incidents", json=body)
    reordered = dict(reversed(list(body.items())))  # the same JSON, keys in another order
    again = ranger.post("/api/v1/incidents", json=reordered)
    assert again.status_code == 200 and again.get_json() == first.get_json()
    clash = ranger.post("/api/v1/incidents", json=body | {"suspects": 3})
    assert clash.status_code == 409 and clash.get_json()["code"] == "client_uuid_conflict"
    other_user = caller(Role.RANGER).post("/api/v1/incidents", json=body)
    assert other_user.status_code == 409 and "ref" not in other_user.get_json()
    assert incidents(app) == 1


def test_ten_concurrent_posts_of_one_uuid_record_one_incident(app, caller):
    ranger = caller(Role.RANGER)
    body, barrier, statuses = new_incident(app), threading.Barrier(10), []

    def post():
        client = app.test_client()
        barrier.wait()
        response = client.post("/api/v1/incidents", json=body, headers={"Authorization": f"Bearer {ranger.token}"})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=post) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] * 9 + [201]
    assert incidents(app) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "create", AuditEvent.entity_type == "incident")) == 1


def test_the_forms_rules_and_messages(app, caller):
    ranger = caller(Role.RANGER)
    body = new_incident(app, arrests=3, lat=None, occurred_at="2026-05-01T14:30:00+10:00",
                        items=[{"product": None, "quantity": "1,500", "unit": "pcs"}])
    response = ranger.post("/api/v1/incidents", json=body)
    errors = response.get_json()["errors"]
    assert response.status_code == 422
    assert errors["arrests"] == ["There cannot be more arrests than suspects."]
    assert errors["lon"] == ["Enter both latitude and longitude, or neither."]
    assert errors["items.0.product"] == ["Choose what was found or seized."]
    assert errors["items.0.quantity"][0].startswith("Is it 1.500 or 1500?")
    assert incidents(app) == 0


BAD_VALUES = [
    ({"occurred_at": "2026-05-01T14:30:00"}, "occurred_at", "with its UTC offset"),
    ({"occurred_at": "1985-05-01T14:30:00Z"}, "occurred_at", "The date cannot be before 1990."),
    ({"occurred_at": "0001-01-01T00:00:00+14:00"}, "occurred_at", "The date cannot be before 1990."),
    ({"occurred_at": "9999-12-31T23:59:59-14:00"}, "occurred_at", "The date is in the future."),
    ({"suspects": "many"}, "suspects", "wrong type"),
    ({"lat": 91}, "lat", "Out of range"),
    ({"nickname": "x"}, "nickname", "Unknown field."),
    ({"description": "a\x00b"}, "description", "control characters"),
]


def test_bad_values_are_refused_with_the_reason(app, caller):
    ranger = caller(Role.RANGER)
    for changes, field, message in BAD_VALUES:
        response = ranger.post("/api/v1/incidents", json=new_incident(app, **changes))
        assert response.status_code == 422, changes
        assert message in " ".join(response.get_json()["errors"][field]), changes
    assert incidents(app) == 0


def test_only_json_is_taken(app, caller):
    ranger = caller(Role.RANGER)
    assert ranger.post("/api/v1/incidents", data={"category": "poaching"}).status_code == 415
    broken = ranger.post("/api/v1/incidents", data="{not json", content_type="application/json")
    assert broken.status_code == 400 and broken.is_json
    assert ranger.post("/api/v1/incidents", json=["a list"]).status_code == 422


def test_a_future_instant_in_any_offset_is_the_forms_future(app, caller):
    soon = (datetime.now(timezone.utc) + timedelta(hours=1)).isoformat()
    response = caller(Role.RANGER).post("/api/v1/incidents", json=new_incident(app, occurred_at=soon))
    assert response.get_json()["errors"]["occurred_at"] == ["The date is in the future."]


@pytest.fixture
def own(app, caller):
    ranger = caller(Role.RANGER)
    ref = ranger.post("/api/v1/incidents", json=new_incident(app, status="draft")).get_json()["ref"]
    return ranger, ref


def test_patch_changes_only_what_it_names(app, own):
    ranger, ref = own
    before = ranger.get(f"/api/v1/incidents/{ref}").get_json()
    response = ranger.patch(f"/api/v1/incidents/{ref}", json={"version": 1, "description": "Three paws."})
    after = response.get_json()
    assert response.status_code == 200 and response.headers["ETag"] == '"2"'
    changed = {k for k in after if after[k] != before[k]}
    assert changed == {"description", "version", "updated_at"}
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "edit"))
        assert event.changes == {"description": {"before": "Two paws in a bag.", "after": "Three paws."}}


def test_patch_replaces_the_items_and_moves_the_time(app, own):
    ranger, ref = own
    with app.app_context():
        bone = product_id("bone")
    body = {"items": [{"product": bone, "quantity": "1.5", "unit": "kg"}], "occurred_at": "2026-05-02T01:00:00Z"}
    after = ranger.patch(f"/api/v1/incidents/{ref}", json=body, headers={"If-Match": '"1"'}).get_json()
    assert after["items"] == [{"product": bone, "species": None, "quantity": "1.500", "unit": "kg", "notes": ""}]
    assert (after["occurred_at"], after["sensitive"]) == ("2026-05-02T01:00:00Z", False)


def test_a_stale_version_is_409_with_the_current_one(app, own):
    ranger, ref = own
    assert ranger.patch(f"/api/v1/incidents/{ref}", json={"version": 1, "description": "first"}).status_code == 200
    stale = ranger.patch(f"/api/v1/incidents/{ref}", json={"version": 1, "description": "second"})
    assert stale.status_code == 409 and stale.get_json()["current_version"] == 2
    assert stale.get_json()["code"] == "version_conflict"
    missing = ranger.patch(f"/api/v1/incidents/{ref}", json={"description": "third"})
    assert missing.status_code == 422 and list(missing.get_json()["errors"]) == ["version"]
    assert ranger.get(f"/api/v1/incidents/{ref}").get_json()["description"] == "first"


def test_the_workflow_through_the_api(app, own, caller):
    ranger, ref = own
    coordinator = caller(Role.COORDINATOR)
    assert ranger.post(f"/api/v1/incidents/{ref}/status", json={"target": "verified", "version": 1}).status_code == 409
    assert ranger.post(f"/api/v1/incidents/{ref}/status", json={"target": "submitted", "version": 1}).status_code == 200
    refused = ranger.post(f"/api/v1/incidents/{ref}/status", json={"target": "verified", "version": 2})
    assert refused.status_code == 403
    assert coordinator.post(f"/api/v1/incidents/{ref}/status", json={"target": "verified", "version": 1}
                            ).get_json()["current_version"] == 2
    no_outcome = coordinator.post(f"/api/v1/incidents/{ref}/status", json={"target": "verified", "version": 2})
    assert no_outcome.status_code == 200
    closing = coordinator.post(f"/api/v1/incidents/{ref}/status", json={"target": "closed", "version": 3})
    assert closing.status_code == 422
    assert closing.get_json()["errors"] == {"outcome": ["Choose the outcome of the case."]}
    closed = coordinator.post(f"/api/v1/incidents/{ref}/status", headers={"If-Match": '"3"'},
                              json={"target": "closed", "outcome": "conviction", "penalty": "2 years"}).get_json()
    assert (closed["status"], closed["outcome"], closed["penalty"]) == ("closed", "conviction", "2 years")
    edit = ranger.patch(f"/api/v1/incidents/{ref}", json={"version": 4, "description": "late"})
    assert edit.status_code == 403  # verified: no longer the ranger's to edit


def test_evidence_with_the_pages_checks(app, own, caller):
    ranger, ref = own
    url = f"/api/v1/incidents/{ref}/evidence"
    added = ranger.post(url, data={"files": [files.part(files.png(), "a.png"), files.part(files.pdf(), "b.pdf")]})
    assert added.status_code == 201 and len(added.get_json()["added"]) == 2
    retry = ranger.post(url, data={"files": [files.part(files.png(), "a.png")]})
    assert retry.status_code == 200 and retry.get_json()["added"] == []
    disguised = ranger.post(url, data={"files": [files.part(files.jpeg(), "c.jpg"), (io.BytesIO(files.HTML), "x.jpg")]})
    assert disguised.status_code == 422 and "x.jpg: this type of file is not accepted" in disguised.get_json()[
        "errors"]["files"][0]
    assert ranger.post(url, json={"files": []}).status_code == 415
    assert ranger.post(url, data={"other": "x"}, content_type="multipart/form-data").status_code == 422
    assert caller(Role.MANAGER).post(url, data={"files": [files.part(files.png(), "a.png")]}).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count(Evidence.id))) == 2


@pytest.fixture
def small_uploads(app_config):
    app_config.EVIDENCE_MAX_BYTES = 1024
    return app_config


def test_an_oversize_file_is_413(small_uploads, app, caller):
    ranger = caller(Role.RANGER)
    with app.app_context():
        ref = make_incident(ranger.user_id).ref
    response = ranger.post(f"/api/v1/incidents/{ref}/evidence", data={"files": [files.part(files.jpeg(), "big.jpg")]})
    assert response.status_code == 413 and response.get_json()["code"] == "too_large"
    assert response.get_json()["errors"]["files"][0].startswith("big.jpg: the file is larger than")


def test_a_coordinator_edits_any_incident_and_records_for_themself(app, caller):
    ranger = caller(Role.RANGER)
    with app.app_context():
        ref = make_incident(ranger.user_id, status=IncidentStatus.VERIFIED).ref
    coordinator = caller(Role.COORDINATOR)
    assert coordinator.patch(f"/api/v1/incidents/{ref}", json={"version": 1, "patrol_ref": "P-9"}).status_code == 200
    created = coordinator.post("/api/v1/incidents", json=new_incident(app)).get_json()
    assert created["reporter_id"] == coordinator.user_id
