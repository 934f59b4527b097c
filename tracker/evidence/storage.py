"""Evidence files on disk, named by their SHA-256 (`<dir>/ab/cd/abcd….jpg`).

Naming by content stores the same bytes once however often they are uploaded, keeps every
user-supplied name out of the file system, and lets anyone re-hash a file to show it is the one
that was uploaded. Every file is written to a temporary file first and moved into place with
`os.replace`, so a reader never sees half a file and a crash leaves no partial evidence.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterator

from flask import current_app
from PIL import Image

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


def root() -> Path:
    return Path(current_app.config["EVIDENCE_DIR"])


def key_for(sha256: str, kind: FileKind) -> str:
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}.{kind.extension}"


def path_of(key: str) -> Path:
    """The file of a storage key. Keys are made here from hashes; anything else is refused."""
    if not KEY.fullmatch(key):
        raise ValueError(f"not a storage key: {key!r}")
    return root() / key


def thumbnail_path(key: str) -> Path:
    return path_of(key).with_suffix(THUMBNAIL_SUFFIX)


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
    with _temporary_file(root() / "tmp") as (out, path):
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise TooLarge
            digest.update(chunk)
            out.write(chunk)
    return Received(path, size, digest.hexdigest())


def keep(received: Received, key: str) -> None:
    """Move a received file to its place, unless the same bytes are stored already."""
    final = path_of(key)
    if final.exists():
        os.utime(final)  # recently used: an orphan sweep must not take it now
        return
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(received.path, final)


def discard(received: Received) -> None:
    received.path.unlink(missing_ok=True)


def write_thumbnail(image: Image.Image, key: str) -> None:
    target = thumbnail_path(key)
    if target.exists():
        return
    with _temporary_file(target.parent) as (out, path):
        image.save(out, "JPEG", quality=82, optimize=True)
    try:
        os.replace(path, target)
    finally:
        path.unlink(missing_ok=True)


def exists(key: str) -> bool:
    return path_of(key).is_file()
