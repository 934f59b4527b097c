"""Files are judged by their content, stored once under their SHA-256, and never under a name
that came from the user."""
import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image

from tests.evidence import files
from tests.support.factories import make_user
from tests.support.stored import read, stored_keys, stored_names
from tracker.evidence import storage
from tracker.evidence.uploads import accept_file, accept_files
from tracker.evidence.validation import Refused
from tracker.models import Role


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield make_user(Role.RANGER)


def stored_files(app) -> list[str]:
    return stored_names(app)


@pytest.mark.parametrize("data,name,content_type", [
    (files.jpeg(), "photo.jpg", "image/jpeg"),
    (files.png(), "sketch.png", "image/png"),
    (files.webp(), "phone.webp", "image/webp"),
    (files.pdf(), "protocol.pdf", "application/pdf"),
    (files.jpeg(), "photo-without-extension", "image/jpeg"),
    (files.png(), "misnamed.jpg", "image/png"),
])
def test_type_comes_from_the_content(app, ctx, data, name, content_type):
    upload = accept_file(files.upload(data, name, "text/html"), ctx)
    assert upload.content_type == content_type and upload.original_name == name
    assert upload.size == len(data) and upload.sha256 == hashlib.sha256(data).hexdigest()
    assert read(app, upload.storage_key) == data
    extension = content_type.split("/")[1].replace("jpeg", "jpg")
    assert upload.storage_key.rsplit("/", 1)[1] == f"{upload.sha256}.{extension}"
    assert upload.has_thumbnail == content_type.startswith("image/")


@pytest.mark.parametrize("data,name,problem", [
    (files.HTML, "photo.jpg", "this type of file is not accepted"),
    (b"MZ\x90\x00 windows program", "setup.pdf", "this type of file is not accepted"),
    (b"", "empty.jpg", "the file is empty"),
    (files.jpeg()[:600], "cut.jpg", "the image is damaged or incomplete"),
    (b"\xff\xd8\xff\xe0 not really a jpeg" * 10, "fake.jpg", "the image is damaged or incomplete"),
    (b"RIFF\x00\x00\x00\x00WEBPVP8 nonsense", "fake.webp", "the image is damaged or incomplete"),
])
def test_refused_files_leave_nothing_behind(app, ctx, data, name, problem):
    accepted, errors = accept_files([files.upload(data, name, "image/jpeg")], ctx)
    assert accepted == [] and len(errors) == 1 and errors[0].startswith(f"{name}: {problem}")
    assert stored_files(app) == []


def test_oversized_file_is_refused_naming_the_limit(app, ctx):
    app.config["EVIDENCE_MAX_BYTES"] = 1024 * 1024
    accepted, errors = accept_files([files.upload(b"%PDF-1.4\n" + b"0" * 1024 * 1024, "scan.pdf")], ctx)
    assert accepted == [] and errors == ["scan.pdf: the file is larger than 1 MB."]
    assert stored_files(app) == []


def test_limit_below_a_megabyte_is_still_readable(app, ctx):
    app.config["EVIDENCE_MAX_BYTES"] = 512 * 1024
    with pytest.raises(Refused) as refusal:
        accept_file(files.upload(b"%PDF-" + b"0" * 600 * 1024, "scan.pdf"), ctx)
    assert str(refusal.value.message) == "the file is larger than 0.5 MB." and refusal.value.too_large


def test_images_with_too_many_pixels_are_refused(app, ctx):
    app.config["EVIDENCE_MAX_PIXELS"] = 1000
    with pytest.raises(Refused, match="too many pixels"):
        accept_file(files.upload(files.png(), "huge.png"), ctx)
    assert stored_files(app) == []


def test_same_bytes_are_stored_once(app, ctx):
    data = files.jpeg()
    first = accept_file(files.upload(data, "a.jpg"), ctx)
    second = accept_file(files.upload(data, "copy of a.jpg"), ctx)
    assert first.storage_key == second.storage_key and second.original_name == "copy of a.jpg"
    assert stored_files(app) == [f"{first.sha256}.jpg", f"{first.sha256}.thumb.jpg"]


@pytest.mark.parametrize("name,kept", [
    ("../../x.jpg", "x.jpg"), ("..\\..\\windows\\x.jpg", "x.jpg"), ("/etc/passwd", "passwd"),
    ("..", ".."), ("a\x00b\n.jpg", "ab.jpg"), ("", None),
])
def test_user_names_never_become_paths(app, ctx, tmp_path, name, kept):
    upload = accept_file(files.upload(files.jpeg(), name), ctx)
    assert upload.original_name == (kept or "unnamed file")
    assert all(storage.KEY.fullmatch(key) or key.endswith(".thumb.jpg") for key in stored_keys(app))
    root = Path(app.config["EVIDENCE_DIR"]).resolve()
    assert not (root.parent / "x.jpg").exists() and not (root.parent.parent / "x.jpg").exists()
    assert upload.storage_key == f"{upload.sha256[:2]}/{upload.sha256[2:4]}/{upload.sha256}.jpg"


def test_long_names_keep_their_extension(app, ctx):
    upload = accept_file(files.upload(files.pdf(), "протокол " * 60 + ".pdf"), ctx)
    assert len(upload.original_name) == 255 and upload.original_name.endswith(".pdf")


def test_thumbnail_is_small_upright_and_without_exif(app, ctx):
    upload = accept_file(files.upload(files.jpeg(orientation=6), "sideways.jpg"), ctx)
    with Image.open(io.BytesIO(read(app, storage.thumbnail_key(upload.storage_key)))) as thumb:
        assert thumb.format == "JPEG" and thumb.size == (240, 320)  # 800x600 turned a quarter
        assert not thumb.getexif().get_ifd(0x8825)


def test_transparent_png_gets_a_white_thumbnail(app, ctx):
    data = files.image_bytes("PNG", size=(10, 10), color=(0, 0, 0, 0), mode="RGBA")
    upload = accept_file(files.upload(data, "clear.png"), ctx)
    with Image.open(io.BytesIO(read(app, storage.thumbnail_key(upload.storage_key)))) as thumb:
        assert thumb.getpixel((5, 5)) == (255, 255, 255)


def test_storage_failure_is_reported_not_crashed(app, ctx, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    app.config["EVIDENCE_DIR"] = str(blocker)
    accepted, errors = accept_files([files.upload(files.pdf(), "scan.pdf")], ctx)
    assert accepted == [] and errors == ["scan.pdf: the server could not store the file. Please try again later, "
                                         "or tell an administrator."]


def test_parts_without_a_file_are_skipped(app, ctx):
    assert accept_files([files.upload(b"", ""), None], ctx) == ([], [])


def test_foreign_storage_keys_are_refused(app):
    with app.app_context():
        for key in ("../../etc/passwd", "ab/cd/x.jpg", "ab/cd/" + "a" * 64 + ".html"):
            with pytest.raises(ValueError):
                storage.checked(key)
