"""The offline app's version: one string that changes whenever what the phone keeps would be
stale. It names the service worker's caches, so a deployment that changes any of it makes every
phone install the new worker, which deletes the old caches on activation.

It hashes the static files (scripts, styles, icons, outlines), the templates (a cached page is
rendered from them and the message catalogs) and the incident form's field names: a form kept from an older deployment
would post fields the server no longer knows, so the outbox also refuses to send an entry saved
under another version's fields (see offline.js) and brings it back as a draft instead.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from flask import current_app
from wtforms.fields.core import UnboundField

from tracker.incidents.forms import IncidentForm, ItemForm

PACKAGE_DIR = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = PACKAGE_DIR.parent / "templates"
EXTENSION_KEY = "offline_version"


def form_field_names() -> list[str]:
    """The names the incident form posts (item fields as `items-N-name`), sorted."""
    def names(form_class):
        return sorted(name for name in dir(form_class) if isinstance(getattr(form_class, name), UnboundField))

    return sorted(names(IncidentForm) + [f"items-N-{name}" for name in names(ItemForm)])


def compute() -> str:
    digest = hashlib.sha256()
    for folder in (PACKAGE_DIR / "static", TEMPLATES_DIR):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    for path in sorted(PACKAGE_DIR.rglob("*.mo")):  # a cached page's words
        digest.update(path.read_bytes())
    digest.update("\n".join(form_field_names()).encode())
    return digest.hexdigest()[:16]


def current() -> str:
    """The version of this deployment (computed once per process)."""
    if EXTENSION_KEY not in current_app.extensions:
        current_app.extensions[EXTENSION_KEY] = compute()
    return current_app.extensions[EXTENSION_KEY]


def form_version() -> str:
    """A hash of the incident form's field names: an outbox entry saved under another one was
    typed into a form this server no longer has, and comes back as a draft to check."""
    return hashlib.sha256("\n".join(form_field_names()).encode()).hexdigest()[:12]
