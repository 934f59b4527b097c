"""Adding photos and documents to an incident through the API: the same checks as the page
(tracker/evidence: type judged by content, size limit, images decoded in full), all or nothing."""
from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tracker.api import inputs, present, schemas
from tracker.api.blueprint import bp, errors
from tracker.api.errors import invalid, problem
from tracker.api.incidents import DETAIL_OPTIONS, visible_incident
from tracker.api.media import multipart_body
from tracker.auth.decorators import role_required
from tracker.database import reads_first, write_phase
from tracker.evidence.service import attach, may_add_evidence
from tracker.evidence.uploads import accept_file, display_name, refusal_message
from tracker.evidence.validation import Refused
from tracker.extensions import db
from tracker.models import Role


@bp.route("/incidents/<ref>/evidence", methods=["POST"])
@reads_first
@role_required(Role.RANGER, Role.COORDINATOR)
@multipart_body
@errors(400, 401, 403, 404, 413, 415, 422, 429)
@bp.doc(requestBody={"required": True, "content": {"multipart/form-data": {"schema": inputs.EvidenceUploadSchema}}})
@bp.alt_response(200, schema=schemas.EvidenceListSchema, success=True,
                 description="Every file was attached already (a retry): nothing added.")
@bp.response(201, schemas.EvidenceListSchema, description="Added.")
def add_evidence(ref: str):
    """Attach photos or documents (multipart, field `files`)

    JPEG, PNG and WebP photos and PDF documents, judged by their content. If any file is refused,
    none is attached and `errors.files` says why for each; a file the incident already has is
    skipped, so a retry is harmless.
    """
    allowed_to_add(ref)
    files = [f for f in request.files.getlist("files") if f and f.filename]
    if not files:
        raise invalid({"files": [_l("Choose at least one file to add.")]})
    uploads, refusals = [], []
    for file in files:
        try:
            uploads.append(accept_file(file, current_user))
        except Refused as refusal:
            refusals.append((refusal, refusal_message(display_name(file.filename), refusal)))
    if refusals:
        messages = {"files": [message for _, message in refusals]}
        if all(refusal.too_large for refusal, _ in refusals):
            raise problem(413, "too_large", None, messages)
        raise invalid(messages)
    write_phase()  # checked and stored: only the rows are written under the lock
    incident = allowed_to_add(ref)  # again: the incident may have been closed meanwhile
    added = attach(incident, uploads, current_user)
    db.session.commit()
    return present.send({"evidence": [present.evidence(e, incident, current_user) for e in incident.evidence],
                         "added": [e.id for e in added]}, 201 if added else 200)


def allowed_to_add(ref: str):
    """The incident, if the caller may see it and add to it (else 404 or 403)."""
    incident = visible_incident(ref, *DETAIL_OPTIONS)
    if not may_add_evidence(current_user, incident):
        raise problem(403, "forbidden", _l("You may not add evidence to this incident."))
    return incident
