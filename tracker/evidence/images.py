"""Photos: decoded in full before they are accepted, with a thumbnail for the gallery.

Making the thumbnail is the check: a file that starts like a JPEG but is not one, or a photo cut
off by a dropped connection, fails to decode and is refused.
"""
from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from tracker.evidence import storage
from tracker.evidence.exif import PhotoFacts, read_photo_facts
from tracker.evidence.validation import FileKind, Refused, damaged

THUMBNAIL_SIZE = (320, 320)
# What Pillow raises on bytes it cannot decode (OSError covers truncated data).
DECODER_ERRORS = (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError)


def process_image(path: Path, kind: FileKind, key: str, zone: ZoneInfo) -> PhotoFacts:
    """Check that `path` is a real image of `kind`, store its thumbnail, return its EXIF facts
    (a camera time without an offset read in `zone`)."""
    try:
        with Image.open(path, formats=[kind.pillow_format]) as image:
            _check_pixels(image)
            facts = read_photo_facts(image, zone)
            small = thumbnail(image)
    except DECODER_ERRORS:
        raise damaged() from None
    storage.write_thumbnail(small, key)
    return facts


def _check_pixels(image: Image.Image) -> None:
    """Refuse images so large that decoding them would exhaust memory (a few bytes of PNG
    can claim a gigapixel); Pillow's own guard only stops those beyond twice its limit."""
    width, height = image.size
    if width * height > current_app.config.get("EVIDENCE_MAX_PIXELS", Image.MAX_IMAGE_PIXELS):
        raise Refused(_l("the image has too many pixels to be processed safely."))


def thumbnail(image: Image.Image) -> Image.Image:
    """Upright (EXIF orientation applied), at most 320 px, RGB on white, without metadata: the
    gallery must not leak a photo's GPS position through its thumbnail."""
    if image.format == "JPEG":
        image.draft("RGB", (THUMBNAIL_SIZE[0] * 2, THUMBNAIL_SIZE[1] * 2))  # decode at a reduced scale
    small = ImageOps.exif_transpose(image)
    small.thumbnail(THUMBNAIL_SIZE)
    if small.mode in ("RGB", "L"):
        return small
    rgba = small.convert("RGBA")
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return flat
