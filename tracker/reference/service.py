"""Writing a reference row: the one function behind the admin pages and the seed loader.

A reference edit is evidence too (moving a species into CITES Appendix I decides who may see
where its seizures were), so every write is an event in the audit chain, and the incident facts
derived from the row follow it, in the same transaction as the write.
"""
from __future__ import annotations

from tracker.audit import chain
from tracker.extensions import db
from tracker.incidents import derived
from tracker.models import Category, Place, Product, Species, User

# What identifies a row across databases and CSV files (the seed loader matches on it).
NATURAL_KEYS = {
    Category: ("slug",),
    Species: ("scientific_name",),
    Product: ("slug",),
    Place: ("name_en", "country"),
}


def save_reference(model: type, row: object | None, values: dict, actor: User | None) -> tuple[object, bool]:
    """Insert a row (`row` None) or update `row` with `values` (column -> value), in the caller's
    transaction; `actor` None is the system (the seed loader).

    Records a 'create' or 'edit' event with the table, the row's natural key, the before/after
    of each changed column and how many incidents changed with it. Returns the row and whether
    anything changed: an unchanged row writes and records nothing.
    """
    creating = row is None
    fields = {name: {"before": None if creating else getattr(row, name), "after": value}
              for name, value in values.items()
              if (value is not None if creating else getattr(row, name) != value)}
    if not fields:
        return row, False
    if creating:
        row = model()
        db.session.add(row)
    for name, change in fields.items():
        setattr(row, name, change["after"])
    db.session.flush()
    changes = {"key": {name: getattr(row, name) for name in NATURAL_KEYS[model]}, "fields": fields}
    updated = derived.follow_reference(row, set(fields))
    if updated:
        changes["incidents_updated"] = len(updated)
    chain.record("create" if creating else "edit", actor, model.__tablename__, row.id, None, changes)
    return row, True
