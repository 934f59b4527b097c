"""Copies of photos without their embedded metadata, for people who may not see exact positions.

A photo of a sensitive incident carries the exact GPS position in its EXIF (and XMP). Users
without the exact-location right get a copy with those blocks removed; the pixels are copied
byte for byte (no re-encoding), and the stored original, whose SHA-256 the record holds, is
never changed.
"""
from __future__ import annotations

import struct

XMP_PNG_KEYWORD = b"XML:com.adobe.xmp"


def _jpeg(data: bytes) -> bytes:
    """Drop APP1 segments (EXIF and XMP) before the image data; keep everything else."""
    out, pos = bytearray(data[:2]), 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xDA:  # start of scan: the rest is image data
            break
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        segment = data[pos:pos + 2 + length]
        if marker != 0xE1:
            out += segment
        pos += 2 + length
    return bytes(out + data[pos:])


def _webp(data: bytes) -> bytes:
    """Drop the EXIF and XMP chunks and clear their flags in the VP8X header."""
    chunks, pos = [], 12
    while pos + 8 <= len(data):
        fourcc, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        chunk = bytearray(data[pos:pos + 8 + size + (size & 1)])
        if fourcc == b"VP8X":
            chunk[8] &= ~0x0C & 0xFF  # EXIF (0x08) and XMP (0x04) flags
        if fourcc not in (b"EXIF", b"XMP "):
            chunks.append(bytes(chunk))
        pos += 8 + size + (size & 1)
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _png(data: bytes) -> bytes:
    """Drop eXIf chunks and the XMP text chunk."""
    out, pos = bytearray(data[:8]), 8
    while pos + 12 <= len(data):
        length = struct.unpack(">I", data[pos:pos + 4])[0]
        kind = data[pos + 4:pos + 8]
        chunk = data[pos:pos + 12 + length]
        if kind != b"eXIf" and not (kind == b"iTXt" and chunk[8:8 + len(XMP_PNG_KEYWORD)] == XMP_PNG_KEYWORD):
            out += chunk
        pos += 12 + length
    return bytes(out)


REDACTORS = {"image/jpeg": _jpeg, "image/webp": _webp, "image/png": _png}


def without_metadata(data: bytes, content_type: str) -> bytes:
    """`data` without embedded EXIF/XMP metadata (unchanged for types that carry none here)."""
    redactor = REDACTORS.get(content_type)
    return redactor(data) if redactor else data


