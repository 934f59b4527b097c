"""The interface every file store implements (tracker/filestore/__init__.py says why)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterator, Protocol


class StoreUnavailable(OSError):
    """The store could not be read or written (a remote store's error, named for the log)."""


@dataclass(frozen=True)
class Stored:
    key: str
    modified: float  # seconds since the epoch
    size: int


class FileStore(Protocol):
    scratch: Path  # a local folder for files being written (partial builds, received uploads)

    def put_file(self, key: str, path: Path) -> None:
        """Store the file at `path` under `key`, whole or not at all. The local store moves it
        (same file system), a remote one uploads it; either way `path` may be gone afterwards."""

    def put_bytes(self, key: str, data: bytes) -> None: ...

    def exists(self, key: str) -> bool: ...

    def touch(self, key: str) -> None:
        """Mark as recently used (the sweep of abandoned uploads judges by age)."""

    def read_bytes(self, key: str) -> bytes:
        """The whole file; FileNotFoundError if absent."""

    def open(self, key: str) -> IO[bytes]:
        """A stream of the file, for sending; FileNotFoundError if absent."""

    def fetch(self, key: str, path: Path) -> Path:
        """A local file with the stored bytes: the stored file itself (local store) or a copy
        downloaded to `path`; FileNotFoundError if absent."""

    def delete(self, key: str) -> None:
        """Remove the file; nothing happens if it is absent."""

    def listing(self, prefix: str = "") -> Iterator[Stored]:
        """Every stored file whose key starts with `prefix`."""

    def local_path(self, key: str) -> Path | None:
        """The file of `key` on this machine, for a store that has one (else None)."""

    def check(self) -> None:
        """Raise OSError unless the store can be written and read (for readiness checks)."""
