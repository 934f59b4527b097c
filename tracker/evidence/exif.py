"""When and where a photo was taken, from its EXIF data, to offer as the incident's time and place.

EXIF is written by every kind of camera and phone, often badly: every value is checked and a
broken one is simply unknown, never an error. EXIF times carry no zone unless the camera wrote
OffsetTimeOriginal; without it the time is read in the uploading user's zone, where the ranger is.
"""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from PIL import ExifTags, Image

from tracker.localtime import LocalTimeProblem, to_utc

log = logging.getLogger(__name__)
EXIF_TIME = "%Y:%m:%d %H:%M:%S"


@dataclass(frozen=True)
class PhotoFacts:
    taken_at: datetime | None = None  # aware, UTC
    lat: float | None = None
    lon: float | None = None


def read_photo_facts(image: Image.Image, zone: ZoneInfo) -> PhotoFacts:
    """Time and position from the EXIF of `image`; unknown where missing or implausible."""
    try:
        exif = image.getexif()
        taken_at = _taken_at(exif.get_ifd(ExifTags.IFD.Exif), zone)
        lat, lon = _position(exif.get_ifd(ExifTags.IFD.GPSInfo))
    except Exception:  # noqa: BLE001 - a third-party parser on untrusted bytes; EXIF is optional
        log.warning("unreadable EXIF in an uploaded %s image", image.format, exc_info=True)
        return PhotoFacts()
    return PhotoFacts(taken_at, lat, lon)


def _text(value) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    return value.strip("\x00 ") if isinstance(value, str) else None


def _taken_at(tags: dict, zone: ZoneInfo) -> datetime | None:
    text = _text(tags.get(ExifTags.Base.DateTimeOriginal))
    if not text:
        return None
    try:
        local = datetime.strptime(text[:19], EXIF_TIME)
    except ValueError:  # "0000:00:00 00:00:00" and other placeholders
        return None
    offset = _offset(_text(tags.get(ExifTags.Base.OffsetTimeOriginal)))
    if offset is not None:
        return local.replace(tzinfo=offset).astimezone(timezone.utc)
    try:
        return to_utc(local, zone)
    except LocalTimeProblem as problem:  # a camera clock set in a skipped or repeated hour
        return (local - problem.offsets[0]).replace(tzinfo=timezone.utc)


def _offset(text: str | None) -> timezone | None:
    """'+09:00' or '-03:30' as a fixed zone; anything else is no zone."""
    if not text or len(text) != 6 or text[0] not in "+-" or text[3] != ":":
        return None
    try:
        hours, minutes = int(text[1:3]), int(text[4:6])
    except ValueError:
        return None
    if hours > 14 or minutes > 59:
        return None
    sign = -1 if text[0] == "-" else 1
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _position(gps: dict) -> tuple[float | None, float | None]:
    if _text(gps.get(ExifTags.GPS.GPSStatus)) == "V":  # the receiver said: no fix
        return None, None
    lat = _degrees(gps.get(ExifTags.GPS.GPSLatitude), _text(gps.get(ExifTags.GPS.GPSLatitudeRef)), "NS", 90)
    lon = _degrees(gps.get(ExifTags.GPS.GPSLongitude), _text(gps.get(ExifTags.GPS.GPSLongitudeRef)), "EW", 180)
    # Cameras without a fix often write zeros: that point is in the Gulf of Guinea, not in a forest here.
    if lat is None or lon is None or (lat == 0 and lon == 0):
        return None, None
    return lat, lon


def _degrees(parts, ref: str | None, refs: str, limit: int) -> float | None:
    """(degrees, minutes, seconds) rationals and an N/S or E/W letter -> signed decimal degrees."""
    if not isinstance(parts, tuple) or len(parts) != 3 or ref is None or ref.upper() not in (refs[0], refs[1]):
        return None
    degrees, minutes, seconds = (float(p) for p in parts)
    value = degrees + minutes / 60 + seconds / 3600
    if not math.isfinite(value) or not 0 <= value <= limit or minutes >= 60 or seconds >= 60:
        return None
    return round(-value if ref.upper() == refs[1] else value, 6)
