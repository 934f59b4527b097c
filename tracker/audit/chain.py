"""Appending to and verifying the hash chain of audit events."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from typing import Iterator

from sqlalchemy import select

from tracker.database import dialect_insert
from tracker.extensions import db
from tracker.models import GENESIS_HASH, AuditEvent, AuditHead, User, aware, utcnow


def _default(value):
    if isinstance(value, datetime):
        return aware(value).astimezone(timezone.utc).isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "value"):  # enums
        return value.value
    return str(value)


def jsonable(value):
    """The JSON form stored in `changes` (dates as UTC ISO strings, decimals as strings)."""
    return json.loads(json.dumps(value, default=_default, ensure_ascii=False))


def event_hash(event_id: int, occurred_at: datetime, actor_id, actor_name: str, action: str, entity_type: str,
               entity_id, incident_id, changes: dict, prev_hash: str) -> str:
    """SHA-256 over a canonical JSON of the event's content and the previous hash."""
    payload = json.dumps(
        [event_id, _default(occurred_at), actor_id, actor_name, action, entity_type, entity_id, incident_id,
         changes, prev_hash],
        sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_default)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _locked_head() -> AuditHead:
    # The migration creates the row; a database made by create_all (tests) gets it here.
    db.session.execute(dialect_insert(AuditHead).values(id=1, last_event_id=0, last_hash=GENESIS_HASH)
                       .on_conflict_do_nothing(index_elements=[AuditHead.id]))
    return db.session.scalar(select(AuditHead).where(AuditHead.id == 1).with_for_update()
                             .execution_options(populate_existing=True))


def record(action: str, actor: User | None, entity_type: str, entity_id: int | None = None,
           incident_id: int | None = None, changes: dict | None = None) -> AuditEvent:
    """Append one event in the caller's transaction (committed or rolled back with the change
    it records). The head row is locked until then, so events get consecutive places."""
    head = _locked_head()
    changes = jsonable(changes or {})
    event = AuditEvent(id=head.last_event_id + 1, occurred_at=utcnow().replace(microsecond=0),
                       actor_id=actor.id if actor else None, actor_name=actor.username if actor else "system",
                       action=action, entity_type=entity_type, entity_id=entity_id, incident_id=incident_id,
                       changes=changes, prev_hash=head.last_hash)
    event.hash = event_hash(event.id, event.occurred_at, event.actor_id, event.actor_name, action, entity_type,
                            entity_id, incident_id, changes, head.last_hash)
    db.session.add(event)
    head.last_event_id, head.last_hash = event.id, event.hash
    return event


@dataclass
class ChainReport:
    checked: int
    broken_id: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def _rows(batch: int = 5000) -> Iterator:
    last_id = 0
    columns = (AuditEvent.id, AuditEvent.occurred_at, AuditEvent.actor_id, AuditEvent.actor_name, AuditEvent.action,
               AuditEvent.entity_type, AuditEvent.entity_id, AuditEvent.incident_id, AuditEvent.changes,
               AuditEvent.prev_hash, AuditEvent.hash)
    while True:
        rows = db.session.execute(select(*columns).where(AuditEvent.id > last_id)
                                  .order_by(AuditEvent.id).limit(batch)).all()
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id


def verify_chain() -> ChainReport:
    """Recompute every hash in order; name the first event that does not fit.

    The head row must then name the last event and its hash: a forger who rewrites the newest
    event and recomputes its hash, or deletes events from the end, leaves the head behind.
    """
    expected_prev, expected_id, checked = GENESIS_HASH, 1, 0
    for row in _rows():
        if row.id != expected_id:
            return ChainReport(checked, expected_id, f"event {expected_id} is missing")
        if row.prev_hash != expected_prev:
            return ChainReport(checked, row.id, "does not link to the previous event")
        recomputed = event_hash(row.id, row.occurred_at, row.actor_id, row.actor_name, row.action, row.entity_type,
                                row.entity_id, row.incident_id, row.changes, row.prev_hash)
        if recomputed != row.hash:
            return ChainReport(checked, row.id, "content does not match its hash")
        expected_prev, expected_id, checked = row.hash, row.id + 1, checked + 1
    return _check_head(checked, expected_prev)


def _check_head(last_id: int, last_hash: str) -> ChainReport:
    """The head row against the last stored event (id 0 and the genesis hash when there is none)."""
    head = db.session.get(AuditHead, 1)
    if head is None:
        if last_id == 0:
            return ChainReport(0)
        return ChainReport(last_id - 1, last_id, "the head row is missing")
    if head.last_event_id > last_id:
        return ChainReport(last_id, last_id + 1, "events at the end of the chain are missing")
    if head.last_event_id < last_id:
        return ChainReport(head.last_event_id, head.last_event_id + 1, "events were added without moving the head row")
    if head.last_hash != last_hash:
        return ChainReport(last_id - 1, last_id, "the head row's hash does not match this event")
    return ChainReport(last_id)
