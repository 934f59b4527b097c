"""The OpenAPI document against the running app (schemathesis): hundreds of generated requests
over every operation, each with a valid token. No answer is a 5xx, every answer conforms to its
documented schema, content type and headers, and a status that an operation does not document
fails (the document lists each operation's statuses; it has no catch-all "default").

Bounded: up to MAX_EXAMPLES generated cases per operation, valid and invalid by the document
(schemathesis' positive and negative modes), at least MIN_CASES in all. Half the generated
references are replaced by real ones, and writes also get bodies that the forms accept, so that
reads, creations, edits, workflow steps and uploads get past 404 and 422 too.

(schemathesis' own pytest loader, `from_fixture`, fails under pytest 9: the operations are
driven here with Hypothesis directly, from `operation.as_strategy()`.)
"""
from __future__ import annotations

import random

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode, checks

from tests.evidence import files
from tests.support.callers import issue_token
from tests.support.factories import make_user
from tests.support.incidents import make_incident, place_id, product_id
from tracker.extensions import db
from tracker.models import IncidentStatus, Role

MAX_EXAMPLES = 32
MIN_CASES = 300
CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_schema_conformance, checks.response_headers_conformance]
OPERATIONS = {
    ("GET", "/api/v1/reference/categories"), ("GET", "/api/v1/reference/species"),
    ("GET", "/api/v1/reference/products"), ("GET", "/api/v1/reference/places"),
    ("GET", "/api/v1/incidents"), ("POST", "/api/v1/incidents"), ("GET", "/api/v1/incidents/{ref}"),
    ("PATCH", "/api/v1/incidents/{ref}"), ("POST", "/api/v1/incidents/{ref}/status"),
    ("POST", "/api/v1/incidents/{ref}/evidence"),
}


@pytest.fixture
def app_config(app_config):
    app_config.API_RATE_LIMIT = "100000 per minute"  # rate limits: test_access.py
    return app_config


def accepted_bodies(app) -> dict:
    """A body per write that the forms accept (with a real reference it records or changes)."""
    with app.app_context():
        place, paw = place_id("Land of the Leopard National Park"), product_id("paw")
    return {
        ("POST", "/api/v1/incidents"): {
            "client_uuid": "6f1c7d4e-2b0a-4c1e-9d7a-5b3e2f1a0c9d", "category": "poaching",
            "occurred_at": "2026-05-01T14:30:00+10:00", "place": place, "detection_method": "patrol",
            "items": [{"product": paw, "quantity": 2, "unit": "pcs"}]},
        ("PATCH", "/api/v1/incidents/{ref}"): {"version": 1, "description": "Checked on site."},
        ("POST", "/api/v1/incidents/{ref}/status"): {"target": "submitted", "version": 1},
        ("POST", "/api/v1/incidents/{ref}/evidence"): {"files": [files.png()]},
    }


def generate(cases, headers: dict, real_ref) -> int:
    """Send up to MAX_EXAMPLES of `cases` and check each answer; returns how many were sent."""
    sent = []

    @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=cases)
    def call(case):
        ref = real_ref()
        if ref and isinstance(case.path_parameters, dict) and "ref" in case.path_parameters:
            case.path_parameters["ref"] = ref
        sent.append(case)
        case.call_and_validate(headers=headers, checks=CHECKS)

    call()
    return len(sent)


def test_every_operation_conforms_to_the_document(app, seeded):
    with app.app_context():
        coordinator = make_user(Role.COORDINATOR).id
        ranger = make_user(Role.RANGER, unit="Unit A").id
        refs = [make_incident(reporter, status=status).ref for reporter, status in (
            (ranger, IncidentStatus.DRAFT), (ranger, IncidentStatus.SUBMITTED), (coordinator, IncidentStatus.VERIFIED))]
        db.session.remove()
    headers = {"Authorization": f"Bearer {issue_token(app, coordinator)}"}
    pick = random.Random(7)

    def real_ref():
        return pick.choice(refs) if pick.random() < 0.5 else None

    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {(op.method.upper(), op.path) for op in operations} == OPERATIONS
    counted, bodies = {}, accepted_bodies(app)

    for operation in operations:
        strategies = [operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)]
        accepted = bodies.get((operation.method.upper(), operation.path))
        if accepted is not None:
            strategies.append(operation.as_strategy(body=accepted))
        label = f"{operation.method.upper()} {operation.path}"
        counted[label] = generate(st.one_of(strategies), headers, real_ref)
    assert sum(counted.values()) >= MIN_CASES, counted
