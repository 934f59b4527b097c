"""Keeping the rollups current: in the transaction of every incident write, and by a rebuild.

A session listener sees every flush that adds, changes or deletes incidents or their items. It
reads the contributions of the incidents concerned from the database just before the flush and
again just after it, and adds the difference to the rollups. Reading stored rows rather than
attribute history makes it exact whatever the flush did (cascaded item deletes, replaced item
lists, several flushes in one transaction), and it rolls back with the transaction.

Writes that bypass the ORM unit of work (bulk Core inserts such as the demo generator, or
`update()`/`delete()` statements on incidents) must be followed by `rebuild()`.
"""
from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from itertools import chain

from flask import current_app
from sqlalchemy import (
    BigInteger,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    cast,
    delete,
    event,
    func,
    insert,
    inspect,
    literal_column,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.base import NO_VALUE

from tracker.dashboards.contributions import AMOUNT_NAMES, KEY_NAMES, contributions
from tracker.extensions import db
from tracker.models import ALL_COUNTRIES, ALL_PLACES, ALL_STATUSES, Incident, IncidentItem, IncidentRollup

# The stored slices: which key columns each one sums over ("all" values).
SLICES = (
    {"status": ALL_STATUSES, "country": ALL_COUNTRIES, "place_id": ALL_PLACES},
    {"country": ALL_COUNTRIES, "place_id": ALL_PLACES},
    {"status": ALL_STATUSES},
)
# Incident attributes that change what an incident contributes.
TRACKED = ("category_id", "occurred_at", "status", "country", "place_id", "detection_method", "arrests", "items")
PENDING = "dashboards.rollups.pending"
CHUNK = 400
rollups = IncidentRollup.__table__


@lru_cache(maxsize=8)
def _contributions_of_ids(dialect_name: str, zone_name: str):
    """Built once per dialect and reporting zone: the statement is large (every zone offset
    period), and every incident write runs it."""
    return contributions(dialect_name, lambda s: s.where(Incident.id.in_(bindparam("ids", expanding=True))))


def read_contributions(connection, incident_ids) -> dict[tuple, list[int]]:
    """Fine-grained contributions of these incidents as they are stored now."""
    ids = sorted(incident_ids)
    result: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    stmt = _contributions_of_ids(connection.dialect.name, current_app.config["BABEL_DEFAULT_TIMEZONE"])
    for start in range(0, len(ids), CHUNK):
        for row in connection.execute(stmt, {"ids": ids[start:start + CHUNK]}).mappings():
            amounts = result[tuple(row[name] for name in KEY_NAMES)]
            for n, name in enumerate(AMOUNT_NAMES):
                amounts[n] += row[name]
    return result


def sliced(fine: dict[tuple, list[int]]) -> dict[tuple, list[int]]:
    """The stored rows that fine-grained contributions add up to."""
    result: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    for key, amounts in fine.items():
        for replaced in SLICES:
            row = result[tuple(replaced.get(name, part) for name, part in zip(KEY_NAMES, key, strict=False))]
            for n, amount in enumerate(amounts):
                row[n] += amount
    return result


def apply_changes(connection, before: dict, after: dict) -> None:
    """Add after − before to the stored rows (upsert), then drop rows that fell to zero."""
    delta = {key: [a - b for a, b in zip(after.get(key, (0, 0, 0)), before.get(key, (0, 0, 0)), strict=False)]
             for key in set(before) | set(after)}
    changes = sliced({key: amounts for key, amounts in delta.items() if any(amounts)})
    rows = [dict(zip(KEY_NAMES + AMOUNT_NAMES, (*key, *amounts), strict=False))
            for key, amounts in sorted(changes.items()) if any(amounts)]  # sorted: same lock order
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    upsert = dialect.insert(rollups)
    upsert = upsert.on_conflict_do_update(
        index_elements=[rollups.c[name] for name in KEY_NAMES],
        set_={name: rollups.c[name] + upsert.excluded[name] for name in AMOUNT_NAMES})
    for start in range(0, len(rows), CHUNK):
        connection.execute(upsert, rows[start:start + CHUNK])
    # One primary-key seek per key: for a row-value IN list SQLite scans the whole table.
    emptied = [{f"key_{name}": row[name] for name in KEY_NAMES} for row in rows if row["incidents"] < 0]
    if emptied:
        same_key = (rollups.c[name] == bindparam(f"key_{name}") for name in KEY_NAMES)
        connection.execute(delete(rollups).where(*same_key, rollups.c.incidents <= 0), emptied)


def _incidents_touched(session: Session) -> tuple[set[int], list[Incident]]:
    """Ids of stored incidents this flush may change, and the incidents it adds."""
    ids: set[int] = set()
    added = [obj for obj in session.new if isinstance(obj, Incident)]
    for obj in session.new:
        if isinstance(obj, IncidentItem):
            parent = inspect(obj).attrs.incident.loaded_value
            parent_id = obj.incident_id if parent in (NO_VALUE, None) else parent.id
            if parent_id is not None:
                ids.add(parent_id)
    for obj in chain(session.dirty, session.deleted):
        if isinstance(obj, Incident) and (obj in session.deleted or any(
                inspect(obj).attrs[name].history.has_changes() for name in TRACKED)):
            ids.add(obj.id)
        elif isinstance(obj, IncidentItem):
            moved_from = inspect(obj).attrs.incident_id.history.deleted or ()
            ids.update(i for i in (obj.incident_id, *moved_from) if i is not None)
    return ids, added


def before_flush(session: Session, _context, _instances) -> None:
    ids, added = _incidents_touched(session)
    if not ids and not added:
        session.info.pop(PENDING, None)
        return
    session.info[PENDING] = (ids, added, read_contributions(session.connection(), ids))


def after_flush(session: Session, _context) -> None:
    pending = session.info.pop(PENDING, None)
    if pending is None:
        return
    ids, added, before = pending
    ids |= {obj.id for obj in added if obj.id is not None}
    connection = session.connection()
    apply_changes(connection, before, read_contributions(connection, ids))


def install() -> None:
    """Listen to the app's sessions (once per process: db.session outlives each app)."""
    for name, listener in (("before_flush", before_flush), ("after_flush", after_flush)):
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)


def _sql_literal(value: str | int):
    return literal_column(f"'{value}'" if isinstance(value, str) else str(value))


def rebuild(session: Session) -> int:
    """Recount every rollup from the incidents, set-based, in the session's transaction."""
    connection = session.connection()
    fine = Table("rollup_fine", MetaData(), *(
        Column(name, Integer if name in ("category_id", "place_id", "month") else String(40))
        for name in KEY_NAMES), *(Column(name, BigInteger) for name in AMOUNT_NAMES), prefixes=["TEMPORARY"])
    fine.create(connection)
    try:
        connection.execute(insert(fine).from_select(KEY_NAMES + AMOUNT_NAMES, contributions(connection.dialect.name)))
        connection.execute(delete(rollups))
        for replaced in SLICES:
            keys = [_sql_literal(replaced[name]) if name in replaced else fine.c[name] for name in KEY_NAMES]
            sums = [cast(func.sum(fine.c[name]), BigInteger) for name in AMOUNT_NAMES]
            grouped = select(*keys, *sums).group_by(*(fine.c[name] for name in KEY_NAMES if name not in replaced))
            connection.execute(insert(rollups).from_select(KEY_NAMES + AMOUNT_NAMES, grouped))
    finally:
        fine.drop(connection)
    connection.execute(text("ANALYZE incident_rollups"))  # fresh statistics, or the planner may scan it all
    return connection.scalar(select(func.count()).select_from(rollups))
