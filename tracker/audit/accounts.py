"""Audit events for user accounts: who may sign in, with which role, unit and rights.

Each function appends to the hash chain in the caller's transaction, so the event is committed
or rolled back with the change it records. Passwords never appear, not even hashed: a password
event records only who set it and when.
"""
from __future__ import annotations

from tracker.audit import chain
from tracker.extensions import db
from tracker.models import AuditEvent, User

# What the administrator's user form changes; each one is compared field by field.
ACCOUNT_FIELDS = ("display_name", "role", "unit", "language", "active", "exact_location_grant")
ACCOUNT_ACTIONS = ("user_create", "user_edit", "password_reset", "password_change")


def account_snapshot(user: User) -> dict:
    """The account's audited values in their stored JSON form (take it before a change)."""
    return chain.jsonable({name: getattr(user, name) for name in ACCOUNT_FIELDS})


def record_user_created(actor: User | None, user: User) -> AuditEvent:
    """A new account with every audited value; `actor` None is the command line ("system")."""
    db.session.flush()  # the id, and the column defaults (active, exact-location right)
    after = {"username": user.username, **account_snapshot(user)}
    return chain.record("user_create", actor, "user", user.id,
                        changes={name: {"before": None, "after": value} for name, value in after.items()})


def record_user_changed(actor: User, user: User, before: dict) -> dict:
    """Before and after of every audited value that changed since `before`; nothing if none."""
    after = account_snapshot(user)
    changes = {name: {"before": before[name], "after": after[name]} for name in after if before[name] != after[name]}
    if changes:
        chain.record("user_edit", actor, "user", user.id, changes=changes)
    return changes


def record_password_reset(actor: User, user: User) -> AuditEvent:
    return chain.record("password_reset", actor, "user", user.id)


def record_password_change(user: User) -> AuditEvent:
    """The user changed their own password."""
    return chain.record("password_change", user, "user", user.id)
