"""A user's latest exports, read back from their audit events, as the manager's start page lists
them: when, which format, which filters and the CITES year, how many rows, and a link that opens
the reports page with the same choices."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from tracker.extensions import db
from tracker.models import AuditEvent, User
from tracker.reports.describe import describe_filters
from tracker.reports.formats import FORMATS, incident_filters


@dataclass(frozen=True)
class PastExport:
    at: datetime
    label: str                       # the format as the reports page names it
    described: list[tuple[str, str]]  # the filters (and the CITES year) in words
    rows: int
    complete: bool                   # False: the download was broken off
    again_url: str                   # the reports page with the same format and filters


def latest_exports(user: User, limit: int = 5) -> list[PastExport]:
    """The user's newest exports. Export events are recorded against the entity type "report"
    (provenance.py), so the (entity_type, entity_id, id) index finds them newest first."""
    stmt = (select(AuditEvent).where(AuditEvent.entity_type == "report", AuditEvent.entity_id.is_(None),
                                     AuditEvent.action == "export", AuditEvent.actor_id == user.id)
            .order_by(AuditEvent.id.desc()).limit(limit))
    return [_past(event) for event in db.session.scalars(stmt)]


def _past(event: AuditEvent) -> PastExport:
    changes = event.changes
    args = {key: str(value) for key, value in (changes.get("filters") or {}).items()}
    fmt = next((f for f in FORMATS.values() if f.audit == changes.get("format")), None)
    described = describe_filters(incident_filters(MultiDict(args)))
    if "year" in args:
        described.insert(0, (_("Year"), args["year"]))
    return PastExport(event.occurred_at, str(fmt.label) if fmt else changes.get("format", ""), described,
                      changes.get("rows", 0), changes.get("complete", True),
                      url_for("reports.index", **({"format": fmt.key} if fmt else {}), **args))
