"""Accepting uploaded files before they belong to an incident.

A file is checked and stored as soon as it arrives; what the browser then carries (in a hidden
field, or in the JavaScript's staged list) is a signed token with the file's metadata and the
uploader's id. The incident form can be refused and shown again any number of times without
the ranger picking the photos again, and nobody can attach another user's upload or invent one.
"""
from __future__ import annotations

import dataclasses
import logging
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadData, URLSafeTimedSerializer
from werkzeug.datastructures import FileStorage

from tracker.evidence import storage
from tracker.evidence.exif import PhotoFacts
from tracker.evidence.images import process_image
from tracker.evidence.validation import Refused, check_kind, max_bytes, storage_failed, too_large
from tracker.localtime import zone_of
from tracker.models import User

log = logging.getLogger(__name__)
TOKEN_SALT = "tracker.evidence.pending"
TOKEN_MAX_AGE = 24 * 3600
NAME_LENGTH = 255


@dataclass
class PendingUpload:
    token: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    storage_key: str
    has_thumbnail: bool
    taken_at: datetime | None
    gps_lat: float | None
    gps_lon: float | None


def display_name(filename: str | None) -> str:
    """The last part of the name the browser sent, without control characters, at most 255
    characters (keeping the extension). It is metadata only; no path is ever made from it."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if len(name) > NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        extension = extension[:16] if dot and stem else ""
        name = name[:NAME_LENGTH - len(extension) - 1] + "." + extension if extension else name[:NAME_LENGTH]
    return name or _("unnamed file")


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=TOKEN_SALT)


def _sign(upload: PendingUpload, user: User) -> str:
    fields = dataclasses.asdict(upload)
    fields.pop("token")
    fields["taken_at"] = upload.taken_at.isoformat() if upload.taken_at else None
    return _serializer().dumps({"user": user.id, **fields})


def accept_file(file: FileStorage, user: User) -> PendingUpload:
    """Check and store one file; raises Refused with the reason, for the person uploading."""
    try:
        received = storage.receive(file.stream, max_bytes())
    except storage.TooLarge:
        raise too_large() from None
    except OSError:
        log.exception("could not receive an evidence file")
        raise storage_failed() from None
    key = None
    try:
        kind = check_kind(received.path, received.size)
        key = storage.key_for(received.sha256, kind)
        facts = process_image(received.path, kind, key, zone_of(user)) if kind.is_image else PhotoFacts()
        storage.keep(received, key)
    except OSError:
        log.exception("could not store an evidence file")
        _forget(key)
        raise storage_failed() from None
    finally:
        storage.discard(received)
    upload = PendingUpload("", display_name(file.filename), kind.content_type, received.size, received.sha256, key,
                           kind.is_image, facts.taken_at, facts.lat, facts.lon)
    return dataclasses.replace(upload, token=_sign(upload, user))


def _forget(key: str | None) -> None:
    """After a failed store: no thumbnail may stay behind without its file (an orphan nobody can
    open). If the store cannot even delete, the sweep (sweep.py) takes it later."""
    if key is None:
        return
    try:
        if not storage.exists(key):
            storage.remove(key)
    except OSError:
        log.warning("could not remove the thumbnail of a file that was not stored", exc_info=True)


def accept_files(files: list[FileStorage], user: User) -> tuple[list[PendingUpload], list[str]]:
    """Store every chosen file that passes the checks. Returns the accepted uploads and one
    message per refused file ("photo.jpg: the file is empty."). A form part without a file
    (nothing chosen) is skipped; each accepted file is stored even if another one is refused."""
    accepted, errors = [], []
    for file in files:
        if file is None or not file.filename:
            continue
        try:
            accepted.append(accept_file(file, user))
        except Refused as refusal:
            errors.append(refusal_message(display_name(file.filename), refusal))
    return accepted, errors


def refusal_message(name: str, refusal: Refused) -> str:
    return _("%(name)s: %(problem)s", name=name, problem=refusal.message)


def _unsign(token: str, user: User) -> PendingUpload | None:
    try:
        fields = _serializer().loads(token, max_age=TOKEN_MAX_AGE)
        if fields.pop("user") != user.id:
            return None
        taken_at = datetime.fromisoformat(fields["taken_at"]) if fields["taken_at"] else None
        return PendingUpload(**{**fields, "token": token, "taken_at": taken_at})
    except (BadData, KeyError, TypeError, ValueError):  # tampered, expired, or from another version
        return None


def load_pending(tokens: list[str], user: User) -> list[PendingUpload]:
    """The uploads behind `tokens` that `user` made within the last 24 hours and that are still
    stored, once each. Tampered, expired or foreign tokens are ignored: they prove nothing.
    Raises Refused if the store cannot say whether they are there (the form must not be saved
    as if they were not)."""
    uploads, seen = [], set()
    for token in tokens:
        upload = _unsign(token, user)
        if upload is None or upload.sha256 in seen:
            continue
        try:
            stored = storage.exists(upload.storage_key)
        except OSError:
            log.exception("could not check a staged evidence file")
            raise storage_failed() from None
        if not stored:
            continue
        seen.add(upload.sha256)
        uploads.append(upload)
    return uploads
