"""Personal API tokens: made, found, used and revoked here only.

A token is `wct_` and 43 characters of `secrets.token_urlsafe(32)` (256 random bits). Its SHA-256
is what is stored and looked up: with that much entropy a fast hash is enough (nothing to guess),
and no copy of the database or the logs lets anyone call the API.

A token acts as its user, with the user's current role, unit and rights, never more. It stops
working when it expires, when its owner revokes it, and when the account is deactivated or its
password changed or reset (`revoke_all`, called where those happen, in the same transaction).
Each creation and revocation is an event in the audit chain (tracker/audit/accounts.py).
"""
from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import OperationalError

from tracker.audit.accounts import record_token_created, record_token_revoked
from tracker.database import not_waiting, reading
from tracker.extensions import db
from tracker.models import ApiToken, User, aware, utcnow

PREFIX = "wct_"
# Writing last_used_at on every request would make a pull of a thousand pages a thousand writes.
LAST_USED_RESOLUTION = timedelta(minutes=5)
log = logging.getLogger(__name__)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    row: ApiToken
    secret: str  # shown once, never stored


def issue(user: User, name: str, valid_for: timedelta) -> IssuedToken:
    """A new token for `user` and its audit event, in the caller's transaction."""
    secret = PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    row = ApiToken(user_id=user.id, name=name, token_sha256=digest(secret), created_at=now,
                   expires_at=now + valid_for)
    db.session.add(row)
    db.session.flush()
    record_token_created(user, row)
    return IssuedToken(row, secret)


def revoke(token: ApiToken, actor: User, reason: str) -> None:
    """Revoke one token (once) and record who did it and why, in the caller's transaction."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record_token_revoked(actor, token, reason)


def revoke_all(user: User, actor: User | None, reason: str) -> int:
    """Revoke every token of `user` that is still usable: the account was deactivated or its
    password changed or reset. Returns how many were revoked."""
    now = utcnow()
    tokens = db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None),
                                                       ApiToken.expires_at > now)).all()
    for token in tokens:
        revoke(token, actor or user, reason)
    return len(tokens)


def tokens_of(user: User) -> list[ApiToken]:
    """The user's tokens that have not been revoked, newest first (expired ones included)."""
    return db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                              .order_by(ApiToken.id.desc())).all()


def authenticate(secret: str) -> tuple[int, int] | None:
    """(token id, user id) of a usable token, else None (unknown, expired or revoked).

    Read on a connection of its own that never waits for SQLite's write lock, and committed at
    once, like the last-used update after it: the request's own session then starts afterwards
    (on SQLite a write request's session may hold the write lock, which a second connection
    would wait for).
    """
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    now = utcnow()
    with reading(db.engine) as conn:
        row = conn.execute(select(ApiToken.id, ApiToken.user_id, ApiToken.expires_at, ApiToken.revoked_at,
                                  ApiToken.last_used_at).where(ApiToken.token_sha256 == digest(secret))).first()
    if row is None or row.revoked_at is not None or aware(row.expires_at) <= now:
        return None
    if row.last_used_at is None or aware(row.last_used_at) < now - LAST_USED_RESOLUTION:
        _touch(row.id, now)
    return row.id, row.user_id


def _touch(token_id: int, now: datetime) -> None:
    """Record the use, best effort: a busy database must neither fail nor delay the request for
    it (the next request records it)."""
    stale = now - LAST_USED_RESOLUTION
    try:
        with not_waiting(db.engine) as conn:
            conn.execute(update(ApiToken).where(ApiToken.id == token_id, or_(
                ApiToken.last_used_at.is_(None), ApiToken.last_used_at < stale)).values(last_used_at=now))
    except OperationalError:
        log.warning("could not record the use of API token %s", token_id)
