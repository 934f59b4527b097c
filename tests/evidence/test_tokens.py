"""Staged uploads travel as signed tokens: only their uploader can use them, for 24 hours."""
import time

import pytest
from itsdangerous import URLSafeTimedSerializer

from tests.evidence import files
from tests.support.factories import make_user
from tracker.evidence import storage
from tracker.evidence.uploads import TOKEN_SALT, accept_file, load_pending
from tracker.models import Role


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield make_user(Role.RANGER)


def test_a_token_brings_back_everything_about_the_upload(ctx):
    upload = accept_file(files.upload(files.jpeg(), "snare.jpg"), ctx)
    assert load_pending([upload.token], ctx) == [upload]


def test_the_same_file_twice_is_pending_once(ctx):
    first = accept_file(files.upload(files.pdf(), "a.pdf"), ctx)
    second = accept_file(files.upload(files.pdf(), "b.pdf"), ctx)
    assert load_pending([first.token, second.token, first.token], ctx) == [first]


def test_tokens_of_another_user_are_ignored(ctx):
    upload = accept_file(files.upload(files.jpeg(), "snare.jpg"), ctx)
    other = make_user(Role.RANGER, unit=ctx.unit)
    assert load_pending([upload.token], other) == []


@pytest.mark.parametrize("tamper", [
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # signature changed
    lambda t: "x" + t,                                              # payload changed
    lambda t: "",
    lambda t: "not.a.token",
])
def test_tampered_tokens_are_ignored(ctx, tamper):
    upload = accept_file(files.upload(files.jpeg(), "snare.jpg"), ctx)
    assert load_pending([tamper(upload.token)], ctx) == []


def test_a_token_for_a_file_the_user_never_uploaded_is_refused(app, ctx):
    # Signed with another key (e.g. copied from another installation): worthless here.
    forged = URLSafeTimedSerializer("another-secret", salt=TOKEN_SALT).dumps(
        {"user": ctx.id, "original_name": "x.jpg", "content_type": "image/jpeg", "size": 1, "sha256": "0" * 64,
         "storage_key": "00/00/" + "0" * 64 + ".jpg", "has_thumbnail": False, "taken_at": None,
         "gps_lat": None, "gps_lon": None})
    assert load_pending([forged], ctx) == []


class _Yesterday(URLSafeTimedSerializer):
    """Signs as a server would have 25 hours ago."""

    def make_signer(self, salt=None):
        signer = super().make_signer(salt)
        signer.get_timestamp = lambda: int(time.time()) - 25 * 3600
        return signer


def test_tokens_expire_after_a_day(app, ctx):
    upload = accept_file(files.upload(files.jpeg(), "snare.jpg"), ctx)
    fresh = URLSafeTimedSerializer(app.secret_key, salt=TOKEN_SALT)
    old = _Yesterday(app.secret_key, salt=TOKEN_SALT).dumps(fresh.loads(upload.token))
    assert load_pending([old], ctx) == []


def test_a_token_whose_file_is_gone_is_ignored(ctx):
    upload = accept_file(files.upload(files.pdf(), "a.pdf"), ctx)
    storage.store().delete(upload.storage_key)
    assert load_pending([upload.token], ctx) == []
