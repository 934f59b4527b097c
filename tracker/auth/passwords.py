"""Password hashing and the password policy (NIST 800-63B style: length and a blocklist,
no composition rules, no truncation)."""
from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms.validators import ValidationError

MIN_LENGTH = 12
MAX_LENGTH = 1024  # long passphrases are welcome; the cap only bounds hashing work
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common-passwords.txt.gz")


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


@lru_cache(maxsize=4)
def dummy_hash(method: str) -> str:
    """A hash to check against when the user is unknown, so both paths take as long."""
    return generate_password_hash("unknown-user-dummy-password", method=method)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The 20,000 most common passwords (Django's list), shipped because stations are offline."""
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as f:
        return frozenset(line.strip().lower() for line in f if line.strip())


def password_problem(password: str, username: str | None = None) -> str | None:
    """Why `password` is refused, or None if it is acceptable."""
    if len(password) < MIN_LENGTH:
        return str(_l("Use at least %(n)d characters; a phrase of several words is easiest.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        return str(_l("Use at most %(n)d characters.", n=MAX_LENGTH))
    lowered = password.lower()
    if lowered in common_passwords() or len(set(lowered)) < 4:
        return str(_l("This password is too common or too easy to guess."))
    if username and username.lower() in lowered:
        return str(_l("The password must not contain the username."))
    return None


class PasswordPolicy:
    """WTForms validator; reads the username from `username_field` when the form has one."""

    def __init__(self, username_field: str | None = "username"):
        self.username_field = username_field

    def __call__(self, form, field):
        username_field = getattr(form, self.username_field, None) if self.username_field else None
        username = getattr(form, "policy_username", None) or (username_field.data if username_field else None)
        problem = password_problem(field.data or "", username)
        if problem:
            raise ValidationError(problem)
