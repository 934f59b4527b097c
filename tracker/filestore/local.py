"""Files in a folder on this machine: what one server needs, and the default.

Every file is written to a temporary file in the same folder tree and moved into place with
`os.replace`, so a reader never sees half a file and a crash leaves no partial file.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import IO, Iterator

from tracker.filestore.base import Stored


class LocalStore:
    def __init__(self, root: Path, scratch: Path):
        self.root, self.scratch = root, scratch

    def _path(self, key: str) -> Path:
        return self.root / key

    def put_file(self, key: str, path: Path) -> None:
        target = self._path(key)
        if path.resolve() == target.resolve():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)

    def put_bytes(self, key: str, data: bytes) -> None:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=".write-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(name, target)
        finally:
            Path(name).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def touch(self, key: str) -> None:
        os.utime(self._path(key))

    def read_bytes(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def open(self, key: str) -> IO[bytes]:
        return self._path(key).open("rb")

    def fetch(self, key: str, path: Path) -> Path:
        source = self._path(key)
        if not source.is_file():
            raise FileNotFoundError(key)
        return source

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def listing(self, prefix: str = "") -> Iterator[Stored]:
        if not self.root.is_dir():
            return
        for dirpath, _dirs, names in os.walk(self.root):
            for name in names:
                path = Path(dirpath) / name
                key = path.relative_to(self.root).as_posix()
                if not key.startswith(prefix):
                    continue
                try:
                    stat = path.stat()
                except FileNotFoundError:  # removed by another process meanwhile
                    continue
                yield Stored(key, stat.st_mtime, stat.st_size)

    def local_path(self, key: str) -> Path | None:
        return self._path(key)

    def check(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=self.root, prefix=".check-")
        probe.close()
