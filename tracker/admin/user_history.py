"""The history on the administrator's user page: that account's events from the audit trail,
newest first, with stored codes turned into labels in the reader's language."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from tracker.admin.forms import ACCOUNT_LABELS, BROWSER_LANGUAGE
from tracker.audit.accounts import ACCOUNT_ACTIONS
from tracker.extensions import db
from tracker.i18n import LANGUAGE_NAMES
from tracker.labels import ROLE_LABELS, label
from tracker.localtime import format_instant
from tracker.models import AuditEvent, Role, User

SHOWN = 20
ACTION_LABELS = {
    "user_create": _l("created the account"),
    "user_edit": _l("changed the account"),
    "password_reset": _l("set a new password and ended the user's sessions"),
    "password_change": _l("changed their own password"),
    "token_create": _l("created an API token"),
    "token_revoke": _l("revoked an API token"),
}
COMMAND_LINE = _l("System (command line)")
# Why an API token was revoked (tracker/auth/tokens.py).
REVOKE_REASONS = {"revoked": _l("revoked by its owner"), "password_change": _l("the password was changed"),
                  "password_reset": _l("the password was reset"), "deactivated": _l("the account was deactivated")}


@dataclass
class Change:
    field: str
    before: str | None  # None: a new account has no "before"
    after: str


@dataclass
class Entry:
    occurred_at: datetime
    actor: str
    action: str
    changes: list[Change]


def user_history(user_id: int, limit: int = SHOWN) -> list[Entry]:
    """The account's newest events, at most `limit` (an index on the entity keeps this quick)."""
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity_type == "user", AuditEvent.entity_id == user_id,
                                 AuditEvent.action.in_(ACCOUNT_ACTIONS))
        .order_by(AuditEvent.id.desc()).limit(limit)).all()
    actors = _actor_names({event.actor_id for event in events if event.actor_id})
    return [Entry(event.occurred_at, actors.get(event.actor_id, event.actor_name), label(ACTION_LABELS, event.action),
                  _changes(event)) for event in events]


def _actor_names(ids: set[int]) -> dict[int | None, str]:
    """Display names of the actors; None is the command line."""
    names = dict(db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all()) if ids else {}
    return {None: str(COMMAND_LINE), **names}


def _changes(event: AuditEvent) -> list[Change]:
    created = event.action == "user_create"
    return [Change(label(ACCOUNT_LABELS, name), None if created else shown_value(name, change["before"]),
                   shown_value(name, change["after"]))
            for name, change in event.changes.items() if not (created and change["after"] in (None, False))]


def shown_value(field: str, value) -> str:
    """A stored account value as the reader understands it."""
    if isinstance(value, bool):
        return str(_l("Yes") if value else _l("No"))
    if field == "language":
        return LANGUAGE_NAMES.get(value, value) if value else str(BROWSER_LANGUAGE)
    if value in (None, ""):
        return "—"
    if field == "reason":
        return label(REVOKE_REASONS, value)
    if field == "expires_at":
        return format_instant(datetime.fromisoformat(value))
    if field == "role":
        try:
            return label(ROLE_LABELS, Role(value))
        except ValueError:  # a role since removed
            return str(value)
    return str(value)
