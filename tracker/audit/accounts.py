"""Audit events for user accounts: who may sign in, with which role, unit and rights.

Each function appends to the hash chain in the caller's transaction, so the event is committed
or rolled back with the change it records. Passwords never appear, not even hashed: a password
event records only who set it and when.
"""
from __future__ import annotations

from tracker.audit import chain
from tracker.extensions import db
from tracker.models import ApiToken, AuditEvent, User

# What the administrator's user form changes; each one is compared field by field.
ACCOUNT_FIELDS = ("display_name", "role", "unit", "language", "active", "exact_location_grant")
ACCOUNT_ACTIONS = ("user_create", "user_edit", "password_reset", "password_change", "token_create", "token_revoke")


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


def _token_label(token: ApiToken) -> str:
    return f"{token.name} (#{token.id})"


def record_token_created(user: User, token: ApiToken) -> AuditEvent:
    """A user made an API token for themselves: its name, number and expiry (never the token)."""
    return chain.record("token_create", user, "user", user.id, changes={
        "api_token": {"before": None, "after": _token_label(token)},
        "expires_at": {"before": None, "after": chain.jsonable(token.expires_at)}})


def record_token_revoked(actor: User, token: ApiToken, reason: str) -> AuditEvent:
    """`reason`: 'revoked' (by its owner), 'password_change', 'password_reset' or 'deactivated'."""
    return chain.record("token_revoke", actor, "user", token.user_id, changes={
        "api_token": {"before": _token_label(token), "after": None},
        "reason": {"before": None, "after": reason}})
