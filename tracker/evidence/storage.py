"""Evidence files in the evidence store (tracker/filestore), named by their SHA-256
(`ab/cd/abcd….jpg`, its thumbnail `ab/cd/abcd….thumb.jpg`).

Naming by content stores the same bytes once however often they are uploaded, keeps every
user-supplied name out of the store, and lets anyone re-hash a file to show it is the one that
was uploaded. An upload is first copied to a temporary file on this machine (hashed as it comes),
then stored whole: a reader never sees half a file and a crash leaves no partial evidence.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterator

from PIL import Image

from tracker import filestore
from tracker.evidence.validation import FileKind

CHUNK = 256 * 1024
THUMBNAIL_SUFFIX = ".thumb.jpg"
KEY = re.compile(r"[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}\.(jpg|png|webp|pdf)")


class TooLarge(Exception):
    pass


@dataclass
class Received:
    """An upload copied into a temporary file, not yet evidence."""

    path: Path
    size: int
    sha256: str


def store() -> filestore.FileStore:
    return filestore.evidence()


def key_for(sha256: str, kind: FileKind) -> str:
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}.{kind.extension}"


def checked(key: str) -> str:
    """A storage key as made here from a hash; anything else is refused."""
    if not KEY.fullmatch(key):
        raise ValueError(f"not a storage key: {key!r}")
    return key


def thumbnail_key(key: str) -> str:
    return checked(key).rsplit(".", 1)[0] + THUMBNAIL_SUFFIX


@contextmanager
def _temporary_file(directory: Path) -> Iterator[tuple[IO[bytes], Path]]:
    """A new file in `directory`, flushed to disk on success and removed on any error."""
    directory.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=directory, prefix=".upload-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            yield out, Path(name)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        os.unlink(name)
        raise


def receive(stream: IO[bytes], max_bytes: int) -> Received:
    """Copy `stream` to a temporary file, hashing as it goes; raises TooLarge (and keeps
    nothing) as soon as it passes `max_bytes`, without reading the rest."""
    digest, size = hashlib.sha256(), 0
    with _temporary_file(store().scratch) as (out, path):
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise TooLarge
            digest.update(chunk)
            out.write(chunk)
    return Received(path, size, digest.hexdigest())


def keep(received: Received, key: str) -> None:
    """Store a received file, unless the same bytes are stored already."""
    if store().exists(checked(key)):
        store().touch(key)  # recently used: an orphan sweep must not take it now
        return
    store().put_file(key, received.path)


def discard(received: Received) -> None:
    received.path.unlink(missing_ok=True)


def write_thumbnail(image: Image.Image, key: str) -> None:
    target = thumbnail_key(key)
    if store().exists(target):
        return
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82, optimize=True)
    store().put_bytes(target, out.getvalue())


def remove(key: str) -> None:
    """Delete a file and its thumbnail (an upload that failed half-way, or an orphan)."""
    store().delete(thumbnail_key(key))
    store().delete(key)


def exists(key: str) -> bool:
    return store().exists(checked(key))
