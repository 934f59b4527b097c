"""Adding evidence to an incident, staging a file from the incident form, and serving files
only to those who may see their incident."""
from __future__ import annotations

import io
import logging

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from tracker import filestore
from tracker.audit import chain
from tracker.auth.decorators import login_required_any_role, role_required
from tracker.database import reads_first, write_phase, writes_on_get
from tracker.evidence import storage, sweep, widgets
from tracker.evidence.redact import without_metadata
from tracker.evidence.service import attach, may_add_evidence, must_redact
from tracker.evidence.uploads import (
    PendingUpload,
    accept_file,
    accept_files,
    display_name,
    load_pending,
    refusal_message,
)
from tracker.evidence.validation import Refused
from tracker.extensions import db, limiter
from tracker.incidents.visibility import can_view
from tracker.localtime import to_wall, user_zone
from tracker.models import Evidence, Incident, Role

bp = Blueprint("evidence", __name__)
widgets.register(bp)
sweep.register(bp)
log = logging.getLogger(__name__)
recorders = role_required(Role.RANGER, Role.COORDINATOR)
THUMBNAIL_MAX_AGE = 24 * 3600


@bp.route("/incidents/<int:incident_id>/evidence", methods=["POST"])
@reads_first
@recorders
def upload(incident_id: int):
    """Add files to an existing incident. Good files are kept and bad ones reported, each."""
    _open_to_evidence(incident_id)
    uploads, errors = accept_files(request.files.getlist("files"), current_user)
    write_phase()  # checked and stored: only the rows are written under the lock
    incident = _open_to_evidence(incident_id)  # again: it may have been closed meanwhile
    added = attach(incident, uploads, current_user)
    db.session.commit()
    for error in errors:
        flash(error, "error")
    if added:
        flash(ngettext("%(num)d file added to %(ref)s.", "%(num)d files added to %(ref)s.", len(added),
                       ref=incident.ref), "success")
    elif uploads:
        flash(_("These files are already attached to %(ref)s.", ref=incident.ref), "info")
    elif not errors:
        flash(_("Choose at least one file to add."), "error")
    # No #anchor: the flashed messages at the top of the page must be seen.
    return redirect(url_for("incidents.detail", incident_id=incident.id))


def _open_to_evidence(incident_id: int) -> Incident:
    incident = db.get_or_404(Incident, incident_id)
    if not may_add_evidence(current_user, incident):
        abort(403)
    return incident


def _visible_evidence(evidence_id: int) -> Evidence:
    evidence = db.get_or_404(Evidence, evidence_id)
    if not can_view(current_user, evidence.incident):
        abort(403)
    return evidence


def _send_stored(key: str, **options):
    """The stored file as a response; 404 (and an error in the log) if the store lost it."""
    try:
        return filestore.send(storage.store(), key, **options)
    except FileNotFoundError:
        log.error("evidence file missing from storage: %s", key)
        abort(404)


def _read_stored(key: str) -> bytes:
    try:
        return storage.store().read_bytes(key)
    except FileNotFoundError:
        log.error("evidence file missing from storage: %s", key)
        abort(404)


@bp.route("/evidence/<int:evidence_id>")
@writes_on_get  # the audit event must not fail under concurrent writers on SQLite
@login_required_any_role
def download(evidence_id: int):
    """The original file, as an attachment (never rendered by the browser), audited."""
    evidence = _visible_evidence(evidence_id)
    key = storage.checked(evidence.storage_key)
    if not storage.exists(key):
        log.error("evidence file missing from storage: %s", key)
        abort(404)
    redacted = must_redact(current_user, evidence)
    if request.method != "HEAD":  # a client checking the link has not downloaded anything
        changes = {"name": evidence.original_name, "sha256": evidence.sha256}
        if redacted:
            changes["metadata_removed"] = True
        chain.record("evidence_download", current_user, "evidence", evidence.id, evidence.incident_id, changes)
        db.session.commit()
    options = {"mimetype": evidence.content_type, "as_attachment": True, "download_name": evidence.original_name,
               "conditional": False, "etag": False}
    if redacted:
        response = send_file(io.BytesIO(without_metadata(_read_stored(key), evidence.content_type)), **options)
    else:
        response = _send_stored(key, **options)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    if redacted:
        response.headers["X-Evidence-Copy"] = "metadata-removed"
    return response


def _thumbnail_response(key: str):
    response = _send_stored(storage.thumbnail_key(key), mimetype="image/jpeg", max_age=THUMBNAIL_MAX_AGE)
    response.cache_control.public = False
    response.cache_control.private = True
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/evidence/<int:evidence_id>/thumbnail")
@login_required_any_role
def thumbnail(evidence_id: int):
    evidence = _visible_evidence(evidence_id)
    if not evidence.has_thumbnail:
        abort(404)
    return _thumbnail_response(evidence.storage_key)


@bp.route("/evidence/stage", methods=["POST"])
@reads_first  # and never writes: checking and storing a photo holds up no other writer
@recorders
@limiter.limit(lambda: current_app.config["EVIDENCE_STAGE_RATE_LIMIT"], key_func=lambda: str(current_user.id))
def stage():
    """One file picked in the incident form, stored at once (JSON for evidence-upload.js)."""
    file = request.files.get("file")
    if file is None or not file.filename:
        return jsonify(error=_("Choose a file to upload.")), 400
    try:
        upload = accept_file(file, current_user)
    except Refused as refusal:
        return jsonify(error=refusal_message(display_name(file.filename), refusal)), 413 if refusal.too_large else 400
    return jsonify(_staged_json(upload))


def _staged_json(upload: PendingUpload) -> dict:
    local = to_wall(upload.taken_at, user_zone())[0] if upload.taken_at else None
    return {"token": upload.token, "name": upload.original_name, "size": upload.size,
            "content_type": upload.content_type,
            "taken_at": upload.taken_at.isoformat() if upload.taken_at else None,
            "taken_at_local": local.strftime("%Y-%m-%dT%H:%M") if local else None,
            "lat": upload.gps_lat, "lon": upload.gps_lon,
            "thumbnail_url": url_for("evidence.staged_thumbnail", token=upload.token) if upload.has_thumbnail else None}


@bp.route("/evidence/staged/<token>/thumbnail")
@recorders
def staged_thumbnail(token: str):
    try:
        uploads = load_pending([token], current_user)
    except Refused:
        abort(503)
    if not uploads or not uploads[0].has_thumbnail:
        abort(404)
    return _thumbnail_response(uploads[0].storage_key)
