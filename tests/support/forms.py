"""Reading what a re-rendered form tells the user, and proving that a refusal stored nothing."""
from __future__ import annotations

import hashlib
import html
import re

from sqlalchemy import select

from tracker.extensions import db

ERROR = re.compile(r'<small id="([^"]+)-error" class="field-error" role="alert">(.*?)</small>', re.S)


def field_errors(body: str) -> dict[str, str]:
    """{field id: the message shown next to it} of a rendered page (macros/forms.html)."""
    return {field: html.unescape(message).replace("\u00a0", " ") for field, message in ERROR.findall(body)}


def database_digest() -> str:
    """A hash of every row of every table (needs an app context): equal digests mean that
    nothing was written, not even the audit chain's head."""
    digest = hashlib.sha256()
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
        digest.update(f"{table.name}:{rows!r}".encode())
    db.session.rollback()
    return digest.hexdigest()
