"""Plain factories for test data (no framework: a call reads like the row it makes)."""
from __future__ import annotations

import itertools

from tracker.auth.passwords import hash_password
from tracker.extensions import db
from tracker.models import Role, User

_counter = itertools.count(1)
PASSWORD = "correct horse battery staple"


def make_user(role: Role | str = Role.RANGER, username: str | None = None, password: str = PASSWORD,
              unit: str | None = "Unit A", **fields) -> User:
    """Adds and commits a user; needs an app context."""
    role = Role(role)
    user = User(username=username or f"{role.value}{next(_counter)}", role=role,
                display_name=fields.pop("display_name", f"Test {role.value}"),
                password_hash=hash_password(password), unit=unit, **fields)
    db.session.add(user)
    db.session.commit()
    return user
