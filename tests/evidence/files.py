"""Real files for the evidence tests, made with Pillow (no fixtures on disk to go stale)."""
from __future__ import annotations

import io

from PIL import ExifTags, Image
from werkzeug.datastructures import FileStorage

# 43°06'04.32" N, 131°27'07.56" E: near Vladivostok.
LAT_DMS, LON_DMS = (43.0, 6.0, 4.32), (131.0, 27.0, 7.56)
LAT, LON = 43.1012, 131.4521
HTML = b"<!doctype html><html><body><script>alert('x')</script></body></html>"


def photo_exif(taken: str | None = "2026:11:20 14:03:00", offset: str | None = None, lat=LAT_DMS, lat_ref="N",
               lon=LON_DMS, lon_ref="E", orientation: int | None = None, gps_status: str | None = None) -> Image.Exif:
    exif = Image.Exif()
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    tags = exif.get_ifd(ExifTags.IFD.Exif)
    if taken:
        tags[ExifTags.Base.DateTimeOriginal] = taken
    if offset:
        tags[ExifTags.Base.OffsetTimeOriginal] = offset
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    if lat is not None:
        gps.update({ExifTags.GPS.GPSLatitudeRef: lat_ref, ExifTags.GPS.GPSLatitude: lat,
                    ExifTags.GPS.GPSLongitudeRef: lon_ref, ExifTags.GPS.GPSLongitude: lon})
    if gps_status:
        gps[ExifTags.GPS.GPSStatus] = gps_status
    return exif


def image_bytes(fmt: str = "JPEG", size=(800, 600), color="#2a6", exif: Image.Exif | None = None,
                mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    image = Image.new(mode, size, color)
    options = {"exif": exif} if exif is not None else {}
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def jpeg(color="#2a6", **exif_fields) -> bytes:
    """A photo with EXIF time and GPS position (change them with photo_exif's arguments)."""
    return image_bytes("JPEG", color=color, exif=photo_exif(**exif_fields))


def png(color="#36c") -> bytes:
    return image_bytes("PNG", size=(64, 48), color=color, mode="RGBA")


def webp(color="#c63") -> bytes:
    return image_bytes("WEBP", size=(400, 300), color=color, exif=photo_exif())


def pdf(text: str = "Seizure record") -> bytes:
    """A tiny but well-formed one-page PDF."""
    stream = f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def upload(data: bytes, name: str, content_type: str = "application/octet-stream") -> FileStorage:
    return FileStorage(io.BytesIO(data), filename=name, content_type=content_type)


def part(data: bytes, name: str) -> tuple[io.BytesIO, str]:
    """A file part for the test client's multipart `data=`."""
    return io.BytesIO(data), name


def fetch(client, url: str):
    """GET with the body read and the file behind it closed (unclosed files warn, and warnings
    are errors in the suite)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response
