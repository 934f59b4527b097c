"""Repairing incident times that the incident form stored wrong before version 2026-12.

Until then the form attached Flask-Babel's pytz zone with `replace(tzinfo=...)`, which takes the
zone's local mean time (Vladivostok +8:48, Yakutsk +8:39, Shanghai +8:06, Ulaanbaatar +7:08)
instead of its real offset, so 10:15 in Vladivostok was stored as 01:27 UTC instead of 00:15.
The edit form then showed the stored instant correctly converted, and saving it again stored
that wall time minus local mean time: every save moved the time again.

The audit trail holds what each save stored and who saved it, so the time the person meant can
be worked out: the wall clock of a save is the stored instant plus local mean time in the
saver's zone; an edit whose wall clock is what the edit form showed for the time before it left
the time as it was (only the bug moved it). Saves made since the fix record the time as typed
(`entered`) and are taken as they are. Each corrected incident gets a `time_corrected` audit
event with before and after; nothing else is rewritten.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterator
from zoneinfo import ZoneInfo

import pytz
from sqlalchemy import select

from tracker.audit import chain
from tracker.extensions import db
from tracker.localtime import UTC, LocalTimeProblem, aware_utc, to_utc, to_wall, zone_name_of
from tracker.models import AuditEvent, Incident, User

ACTIONS = ("create", "edit", "time_corrected")
BATCH = 5000


@dataclass
class Intended:
    """The wall clock a person meant, in their zone, and the instant the trail says is stored."""

    wall: datetime | None  # None: the last save was correct (made by the fixed form)
    zone: str
    stored: datetime


@dataclass(frozen=True)
class Repair:
    incident_id: int
    ref: str
    before: datetime
    after: datetime
    local: datetime
    zone: str


def local_mean_time(zone_name: str) -> timedelta:
    """The offset pytz's `replace(tzinfo=zone)` applied: the zone's first, historical one."""
    return datetime(2000, 1, 1, tzinfo=pytz.timezone(zone_name)).utcoffset()


def _events() -> Iterator[AuditEvent]:
    last_id = 0
    while True:
        rows = db.session.scalars(select(AuditEvent).where(
            AuditEvent.id > last_id, AuditEvent.action.in_(ACTIONS), AuditEvent.incident_id.is_not(None))
            .order_by(AuditEvent.id).limit(BATCH)).all()
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id


def _instant(text: str) -> datetime:
    return aware_utc(datetime.fromisoformat(text))


def _replay(event: AuditEvent, state: Intended | None, zone_of_actor) -> Intended | None:
    """The intended time after one event of an incident's trail."""
    changes = event.changes or {}
    if event.action == "time_corrected":
        return Intended(None, "", _instant(changes["occurred_at"]["after"]))
    if event.action == "create":
        after = (changes.get("after") or {}).get("occurred_at")
        if after is None:  # bulk-made (demo) incidents never went through the form
            return None
        stored = _instant(after)
        if "entered" in changes:
            return Intended(None, "", stored)
        zone = zone_of_actor(event.actor_id)
        return Intended((stored + local_mean_time(zone)).replace(tzinfo=None), zone, stored)
    change = changes.get("occurred_at")
    if state is None or change is None:
        return state
    stored = _instant(change["after"])
    if "entered" in change:
        return Intended(None, "", stored)
    zone = zone_of_actor(event.actor_id)
    saved_wall = (stored + local_mean_time(zone)).replace(tzinfo=None)
    shown_wall = to_wall(_instant(change["before"]), ZoneInfo(zone))[0].replace(second=0, microsecond=0)
    if state.wall is not None and saved_wall == shown_wall:
        return Intended(state.wall, state.zone, stored)  # saved unchanged: only the bug moved it
    return Intended(saved_wall, zone, stored)


def _meant_instant(intended: Intended) -> datetime:
    try:
        return to_utc(intended.wall, ZoneInfo(intended.zone))
    except LocalTimeProblem as problem:  # the old form accepted such times: take the first reading
        return (intended.wall - problem.offsets[0]).replace(tzinfo=UTC)


def find_repairs() -> tuple[list[Repair], list[str]]:
    """The incidents whose stored time differs from the time meant, and the references of those
    changed since by other means (left alone, to be checked by hand)."""
    users = {u.id: u for u in db.session.scalars(select(User))}
    states: dict[int, Intended | None] = {}
    for event in _events():
        states[event.incident_id] = _replay(event, states.get(event.incident_id),
                                            lambda actor_id: zone_name_of(users.get(actor_id)))
    pending = {incident_id: s for incident_id, s in states.items() if s is not None and s.wall is not None}
    repairs, unclear = [], []
    for incident_id, ref, occurred_at in db.session.execute(
            select(Incident.id, Incident.ref, Incident.occurred_at).where(Incident.id.in_(pending))):
        intended, stored = pending[incident_id], aware_utc(occurred_at)
        if stored != intended.stored:
            unclear.append(ref)
            continue
        meant = _meant_instant(intended)
        if meant != stored:
            repairs.append(Repair(incident_id, ref, stored, meant, intended.wall, intended.zone))
    return sorted(repairs, key=lambda r: r.incident_id), sorted(unclear)


def apply_repairs(repairs: list[Repair]) -> None:
    """Move each incident to the time meant, with a `time_corrected` event (caller commits)."""
    for repair in repairs:
        incident = db.session.get(Incident, repair.incident_id)
        incident.occurred_at = repair.after
        db.session.flush()
        chain.record("time_corrected", None, "incident", incident.id, incident.id, {"occurred_at": {
            "before": repair.before, "after": repair.after,
            "entered": {"local": repair.local.isoformat(), "zone": repair.zone}}})
