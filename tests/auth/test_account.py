from sqlalchemy import select

from tests.support.factories import PASSWORD, make_user
from tracker.auth.passwords import verify_password
from tracker.extensions import db
from tracker.models import Role, User


def change(client, current, new, confirm=None):
    return client.post("/account", data={"pw-current_password": current, "pw-new_password": new,
                                         "pw-confirm": new if confirm is None else confirm, "pw-submit": "1"})


def password_hash(app, username="anna"):
    with app.app_context():
        return db.session.scalar(select(User.password_hash).where(User.username == username))


def signed_in(app, client):
    with app.app_context():
        make_user(Role.RANGER, username="anna")
    client.post("/login", data={"username": "anna", "password": PASSWORD})


def test_short_password_is_refused_next_to_the_field(app, client):
    signed_in(app, client)
    before = password_hash(app)
    body = change(client, PASSWORD, "short").get_data(as_text=True)
    assert "at least 12 characters" in body and 'aria-invalid="true"' in body
    assert password_hash(app) == before


def test_common_password_is_refused(app, client):
    signed_in(app, client)
    assert "too common" in change(client, PASSWORD, "qwerty123456").get_data(as_text=True)


def test_wrong_current_password_is_refused(app, client):
    signed_in(app, client)
    body = change(client, "not my password", "a perfectly fine passphrase").get_data(as_text=True)
    assert "current password is not right" in body


def test_long_passphrase_is_kept_whole(app, client):
    signed_in(app, client)
    passphrase = "tigers cross the ussuri at dawn " * 8  # 256 characters, no truncation
    assert change(client, PASSWORD, passphrase).status_code == 302
    stored = password_hash(app)
    assert verify_password(stored, passphrase)
    assert not verify_password(stored, passphrase[:72])


def test_language_preference_is_saved_and_used(app, client):
    signed_in(app, client)
    client.post("/account", data={"pref-language": "ru", "pref-timezone": "Asia/Vladivostok",
                                  "pref-submit_preferences": "1"})
    body = client.get("/account").get_data(as_text=True)
    assert '<html lang="ru"' in body and "Выйти" in body
