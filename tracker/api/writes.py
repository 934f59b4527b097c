"""Writing incidents through the API, with the pages' forms and service layer.

- `POST /incidents` is idempotent by `client_uuid`: a retry of the same body answers 200 with
  the stored incident, another body under that UUID 409. Concurrent retries record one incident:
  SQLite runs write transactions one at a time (BEGIN IMMEDIATE, tracker/database.py), so a
  retry finds the first one's incident; on PostgreSQL the unique constraint on `client_uuid`
  makes the loser roll back, and it then answers as a retry.
- `PATCH` and status steps name the version they were made on (`version`, or `If-Match`): a
  stale one is a 409 that says the current version, never a silent overwrite.
"""
from __future__ import annotations

import hashlib
import json

from flask import request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import MultiDict

from tracker.api import formdata, inputs, present, schemas
from tracker.api.blueprint import bp, errors
from tracker.api.errors import invalid, problem
from tracker.api.incidents import DETAIL_OPTIONS, visible_incident
from tracker.api.media import json_body
from tracker.auth.decorators import role_required
from tracker.database import reads_first, write_phase
from tracker.extensions import db
from tracker.incidents import services
from tracker.incidents.editing import item_data
from tracker.incidents.permissions import can_edit
from tracker.incidents.workflow import TRANSITIONS, StatusForm, allowed_transitions, apply_transition
from tracker.models import Incident, IncidentStatus, Role

recorders = role_required(Role.RANGER, Role.COORDINATOR)
ETAG = {"ETag": {"description": "The version, quoted", "schema": {"type": "string"}}}


def fingerprint() -> str:
    """SHA-256 of the JSON body in a canonical form (key order and spacing do not matter)."""
    canonical = json.dumps(request.get_json(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def answer(incident: Incident, status: int):
    incident = db.session.scalar(select(Incident).where(Incident.id == incident.id).options(*DETAIL_OPTIONS)
                                 .execution_options(populate_existing=True))
    headers = {"ETag": f'"{incident.version}"',
               "Location": url_for("api.get_incident", ref=incident.ref, _external=True)}
    return present.send(present.incident_detail(incident, current_user), status, headers)


def _recorded(key) -> Incident | None:
    return db.session.scalar(select(Incident).where(Incident.client_uuid == key))


def _replay(existing: Incident, sent: str):
    """The answer to a POST whose client_uuid is taken: the same request again, or a clash."""
    if existing.submission_sha256 == sent and existing.reporter_id == current_user.id:
        return answer(existing, 200)
    raise problem(409, "client_uuid_conflict", _l(
        "This client_uuid was already used for another incident or another body. Send a retry "
        "exactly as the first request, or make a new UUID for a new incident."))


@bp.route("/incidents", methods=["POST"])
@reads_first
@recorders
@json_body
@errors(400, 401, 403, 409, 415, 422, 429)
@bp.arguments(inputs.IncidentCreateSchema)
@bp.alt_response(200, schema=schemas.IncidentDetailSchema, success=True, headers=ETAG,
                 description="A retry: the incident this client_uuid recorded with the same body.")
@bp.response(201, schemas.IncidentDetailSchema, headers=ETAG, description="Recorded.")
def create_incident(body: dict):
    """Record an incident (idempotent by client_uuid)

    The same rules and messages as the incident form. `occurred_at` must carry its UTC offset.
    """
    sent = fingerprint()
    existing = _recorded(body["client_uuid"])
    if existing is not None:
        return _replay(existing, sent)
    form = formdata.incident_form(body, formdata.blank_form())
    if form.errors:
        raise invalid(formdata.form_errors(form))
    status = IncidentStatus(body["status"])
    write_phase()
    existing = _recorded(body["client_uuid"])  # a retry sent meanwhile may have recorded it
    if existing is not None:
        return _replay(existing, sent)
    try:
        incident = services.create_incident(
            {**form.facts(), "client_uuid": body["client_uuid"], "submission_sha256": sent}, item_data(form),
            current_user, status, entered={"sent": request.get_json().get("occurred_at"), "via": "api"})
        db.session.commit()
    except IntegrityError:  # a concurrent retry of the same UUID won (PostgreSQL)
        db.session.rollback()
        existing = _recorded(body["client_uuid"])
        if existing is None:
            raise
        return _replay(existing, sent)
    return answer(incident, 201)


def expected_version(body: dict) -> int:
    """The version the caller acts on: `version` in the body, else the If-Match header."""
    if body.get("version") is not None:
        return body["version"]
    tags = [tag.strip().removeprefix("W/").strip('"') for tag in request.headers.get("If-Match", "").split(",")]
    if len(tags) == 1 and tags[0].isdecimal() and len(tags[0]) < 10:
        return int(tags[0])
    raise invalid({"version": [_l("Give the version you are acting on: `version` in the body or an If-Match "
                                  "header, as the incident was read.")]})


def stale(incident: Incident):
    return problem(409, "version_conflict", _l(
        "Someone else changed this incident in the meantime. Read it again, then repeat your change if it "
        "still applies."), current_version=incident.version)


@bp.route("/incidents/<ref>", methods=["PATCH"])
@recorders
@json_body
@errors(400, 401, 403, 404, 409, 415, 422, 429)
@bp.arguments(inputs.IncidentPatchSchema)
@bp.response(200, schemas.IncidentDetailSchema, headers=ETAG)
def patch_incident(body: dict, ref: str):
    """Change an incident's facts or items

    Only the fields given change (`items`, when given, replaces every item). The same rules as
    the edit form; a stale `version` answers 409 with `current_version`.
    """
    incident = visible_incident(ref, *DETAIL_OPTIONS)
    if not can_edit(current_user, incident):
        raise problem(403, "forbidden", _l("You may not edit this incident (any more)."))
    if expected_version(body) != incident.version:
        raise stale(incident)
    form = formdata.incident_form(body, formdata.stored(incident))
    if form.errors:
        raise invalid(formdata.form_errors(form))
    sent_time = request.get_json().get("occurred_at")
    try:
        services.update_incident(incident, form.facts(incident.occurred_at), item_data(form), current_user,
                                 entered={"sent": sent_time, "via": "api"} if sent_time else None)
        db.session.commit()
    except StaleDataError:  # saved by someone else between our read and our write
        db.session.rollback()
        raise stale(db.session.get(Incident, incident.id)) from None
    return answer(incident, 200)


@bp.route("/incidents/<ref>/status", methods=["POST"])
@recorders
@json_body
@errors(400, 401, 403, 404, 409, 415, 422, 429)
@bp.arguments(inputs.StatusChangeSchema)
@bp.response(200, schemas.IncidentDetailSchema, headers=ETAG)
def change_status(body: dict, ref: str):
    """Take a step of the workflow

    draft → submitted → verified → under_investigation → closed, and submitted → rejected (with a
    reason); closing needs the outcome. A step the status does not allow answers 409, one your
    role does not allow 403.
    """
    incident = visible_incident(ref)
    if not any(t.source is incident.status and t.target.value == body["target"] for t in TRANSITIONS):
        raise problem(409, "transition_not_possible", _l("This step is not possible from the incident's status."),
                      current_status=incident.status.value)
    transition = next((t for t in allowed_transitions(current_user, incident) if t.target.value == body["target"]),
                      None)
    if transition is None:
        raise problem(403, "forbidden", _l("Your role may not take this step."))
    if expected_version(body) != incident.version:
        raise stale(incident)
    form = StatusForm(formdata=MultiDict({k: formdata.as_text(v) for k, v in body.items()}),
                      transition=transition, meta={"csrf": False})
    if not form.validate():
        raise invalid(form.errors)
    try:
        apply_transition(incident, transition, form, current_user)
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise stale(db.session.get(Incident, incident.id)) from None
    return answer(incident, 200)
