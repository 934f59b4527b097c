"""What a file really is, judged by its bytes, never by its name or the browser's claim.

Only an allow-list is accepted: JPEG, PNG and WebP photos (which Pillow must then decode in
full, so a renamed HTML page or a truncated photo is refused) and PDF documents.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

MEGABYTE = 1024 * 1024
# Longest magic number below, in bytes.
HEAD_BYTES = 12


class Refused(Exception):
    """A file that is not stored; `message` says why, for the person who uploaded it."""

    def __init__(self, message, too_large: bool = False):
        super().__init__(str(message))
        self.message = message
        self.too_large = too_large


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str
    pillow_format: str | None  # None: not an image

    @property
    def is_image(self) -> bool:
        return self.pillow_format is not None


JPEG = FileKind("image/jpeg", "jpg", "JPEG")
PNG = FileKind("image/png", "png", "PNG")
WEBP = FileKind("image/webp", "webp", "WEBP")
PDF = FileKind("application/pdf", "pdf", None)
ALLOWED = (JPEG, PNG, WEBP, PDF)
# For the file picker's accept attribute: a hint to the browser, not a check.
ACCEPT = ",".join([k.content_type for k in ALLOWED] + [".jpg", ".jpeg", ".png", ".webp", ".pdf"])


def identify(head: bytes) -> FileKind | None:
    """The allowed kind whose magic number starts `head`, else None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def max_bytes() -> int:
    return current_app.config["EVIDENCE_MAX_BYTES"]


def limit_in_mb() -> str:
    """The size limit as people read it: '20', or '0.5' for a small test limit."""
    return format_decimal(max_bytes() / MEGABYTE, format="#,##0.##")


def too_large() -> Refused:
    return Refused(_l("the file is larger than %(limit)s MB.", limit=limit_in_mb()), too_large=True)


def check_kind(path: Path, size: int) -> FileKind:
    """The kind of a received file, or Refused (empty, or not on the allow-list)."""
    if size == 0:
        raise Refused(_l("the file is empty."))
    with path.open("rb") as f:
        kind = identify(f.read(HEAD_BYTES))
    if kind is None:
        raise Refused(_l("this type of file is not accepted. Add JPEG, PNG or WebP photos, or PDF documents."))
    return kind


def damaged() -> Refused:
    return Refused(_l("the image is damaged or incomplete."))


def storage_failed() -> Refused:
    return Refused(_l("the server could not store the file. Please try again later, or tell an administrator."))
