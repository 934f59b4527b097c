"""When and where a photo was taken, read from EXIF; broken EXIF is unknown, never an error."""
from datetime import datetime, timezone

import pytest
from PIL import TiffImagePlugin

from tests.evidence import files
from tests.support.factories import make_user
from tracker.evidence.uploads import accept_file
from tracker.models import Role


@pytest.fixture
def ranger(app):
    with app.test_request_context():
        yield make_user(Role.RANGER)


def facts(data: bytes, ranger, name="photo.jpg"):
    upload = accept_file(files.upload(data, name), ranger)
    return upload.taken_at, upload.gps_lat, upload.gps_lon


def test_time_and_position_of_a_jpeg(ranger):
    # 14:03 in Vladivostok (UTC+10, the ranger's zone: the reporting zone) is 04:03 UTC.
    assert facts(files.jpeg(), ranger) == (datetime(2026, 11, 20, 4, 3, tzinfo=timezone.utc), files.LAT, files.LON)


def test_webp_photos_are_read_too(ranger):
    assert facts(files.webp(), ranger, "phone.webp")[1:] == (files.LAT, files.LON)


def test_offset_written_by_the_camera_wins_over_the_reporting_zone(ranger):
    taken_at, _, _ = facts(files.jpeg(offset="+08:00"), ranger)
    assert taken_at == datetime(2026, 11, 20, 6, 3, tzinfo=timezone.utc)


def test_a_camera_time_is_read_in_the_uploading_rangers_zone(app, ranger):
    ranger.timezone = "Asia/Ulaanbaatar"  # UTC+8
    assert facts(files.jpeg(), ranger)[0] == datetime(2026, 11, 20, 6, 3, tzinfo=timezone.utc)
    ranger.timezone = None
    app.config["BABEL_DEFAULT_TIMEZONE"] = "UTC"  # no zone of their own: the reporting zone
    assert facts(files.jpeg(), ranger)[0] == datetime(2026, 11, 20, 14, 3, tzinfo=timezone.utc)


def test_southern_and_western_positions_are_negative(ranger):
    assert facts(files.jpeg(lat_ref="S", lon_ref="W"), ranger)[1:] == (-files.LAT, -files.LON)


@pytest.mark.parametrize("fields", [
    {"taken": None, "lat": None},                                     # no EXIF at all
    {"taken": "0000:00:00 00:00:00", "lat": None},                     # camera without a clock
    {"taken": "20.11.2026 14:03", "lat": None},                        # not the EXIF format
    {"taken": None, "lat": (0.0, 0.0, 0.0), "lon": (0.0, 0.0, 0.0)},   # no fix written as zeros
    {"taken": None, "gps_status": "V"},                                # the receiver said: void
    {"taken": None, "lat": (91.0, 0.0, 0.0)},                          # out of range
    {"taken": None, "lat": (43.0, 75.0, 0.0)},                         # 75 minutes
    {"taken": None, "lat_ref": "X"},                                   # no hemisphere
    {"taken": None, "lat": (43.0, 6.0)},                               # two parts instead of three
])
def test_missing_or_broken_values_are_unknown(ranger, fields):
    assert facts(files.jpeg(**fields), ranger) == (None, None, None)


def test_a_zero_denominator_is_unknown_not_an_error(ranger):
    broken = (TiffImagePlugin.IFDRational(43, 0), TiffImagePlugin.IFDRational(6), TiffImagePlugin.IFDRational(4))
    assert facts(files.jpeg(taken=None, lat=broken), ranger) == (None, None, None)


def test_an_unreadable_offset_falls_back_to_the_reporting_zone(ranger):
    assert facts(files.jpeg(offset="+9"), ranger)[0] == datetime(2026, 11, 20, 4, 3, tzinfo=timezone.utc)


# Pillow warns about corrupt EXIF; the server does not turn warnings into errors as pytest does.
@pytest.mark.filterwarnings("ignore:Corrupt EXIF data:UserWarning")
def test_garbage_in_the_exif_segment_is_ignored(ranger):
    data = files.image_bytes("JPEG")
    # An APP1 "Exif" segment whose TIFF structure is nonsense, right after the SOI marker.
    garbage = b"Exif\x00\x00MM\x00\x2a\xff\xff\xff\xf0" + b"\xde\xad" * 20
    segment = b"\xff\xe1" + (len(garbage) + 2).to_bytes(2, "big") + garbage
    assert facts(data[:2] + segment + data[2:], ranger) == (None, None, None)


def test_png_without_exif_has_no_facts(ranger):
    assert facts(files.png(), ranger, "plan.png") == (None, None, None)


def test_a_broken_exif_directory_is_ignored(ranger):
    # IFD0 is fine but points to an Exif directory far past the end of the segment.
    tiff = b"MM\x00\x2a\x00\x00\x00\x08\x00\x01" + b"\x87\x69\x00\x04\x00\x00\x00\x01\x00\x00\x10\x00" + b"\x00" * 4
    body = b"Exif\x00\x00" + tiff
    data = files.image_bytes("JPEG")
    data = data[:2] + b"\xff\xe1" + (len(body) + 2).to_bytes(2, "big") + body + data[2:]
    assert facts(data, ranger) == (None, None, None)
