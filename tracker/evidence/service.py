"""Attaching accepted uploads to an incident, inside the caller's transaction."""
from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from tracker.audit import chain
from tracker.evidence.uploads import PendingUpload
from tracker.extensions import db
from tracker.incidents.visibility import can_view, hides_position
from tracker.models import Evidence, Incident, IncidentStatus, Role, User, utcnow

# Once an incident is closed or rejected, rangers can no longer add to it; coordinators can
# (a court document may arrive long after the case is closed).
FINISHED = (IncidentStatus.CLOSED, IncidentStatus.REJECTED)


def may_add_evidence(user: User, incident: Incident) -> bool:
    if user.role is Role.COORDINATOR:
        return True
    return user.role is Role.RANGER and can_view(user, incident) and incident.status not in FINISHED


def attach(incident: Incident, uploads: list[PendingUpload], user: User) -> list[Evidence]:
    """Add an Evidence row and an 'evidence_upload' audit event per upload, skipping files the
    incident already has (same SHA-256). Nothing is committed: the caller commits the incident,
    its evidence and the audit events together.

    Each row goes in under a savepoint, so a file attached by a concurrent request in the
    meantime (the unique key on incident and SHA-256) is skipped instead of failing the whole
    transaction.
    """
    db.session.flush()  # the incident's id, and nothing of the caller's left for the savepoints
    added, seen = [], set()
    for upload in uploads:
        if upload.sha256 in seen:
            continue
        seen.add(upload.sha256)
        evidence = Evidence(incident_id=incident.id, original_name=upload.original_name,
                            content_type=upload.content_type, size=upload.size, sha256=upload.sha256,
                            storage_key=upload.storage_key, has_thumbnail=upload.has_thumbnail,
                            taken_at=upload.taken_at, gps_lat=upload.gps_lat, gps_lon=upload.gps_lon,
                            uploaded_by_id=user.id, uploaded_at=utcnow())
        try:
            with db.session.begin_nested():
                db.session.add(evidence)
        except IntegrityError:
            continue
        chain.record("evidence_upload", user, "evidence", evidence.id, incident.id,
                     {"name": evidence.original_name, "sha256": evidence.sha256, "size": evidence.size,
                      "type": evidence.content_type})
        added.append(evidence)
    return added


def must_redact(user: User, evidence: Evidence) -> bool:
    """Photos of sensitive incidents carry the exact position in their metadata: users without
    the exact-location right download a copy without it (tracker/evidence/redact.py)."""
    return evidence.is_image and hides_position(user, evidence.incident)
