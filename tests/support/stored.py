"""What the tests see of the file stores, whichever backend holds them (tracker/filestore)."""
from __future__ import annotations

from flask import Flask

from tracker import filestore


def store(app: Flask, area: str = "evidence") -> filestore.FileStore:
    return filestore.for_app(app, area)


def stored_keys(app: Flask, area: str = "evidence") -> list[str]:
    """Every file kept in the store, by key, sorted."""
    return sorted(stored.key for stored in store(app, area).listing())


def stored_names(app: Flask, area: str = "evidence") -> list[str]:
    """The last part of each key (`<sha256>.jpg`, `<sha256>.thumb.jpg`), sorted."""
    return sorted(key.rsplit("/", 1)[-1] for key in stored_keys(app, area))


def read(app: Flask, key: str, area: str = "evidence") -> bytes:
    return store(app, area).read_bytes(key)
