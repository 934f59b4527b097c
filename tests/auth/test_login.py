import logging
import re

from sqlalchemy import select

from tests.support.factories import PASSWORD, make_user
from tracker.extensions import db
from tracker.models import Role, User


def login(client, username, password, ip="10.1.1.1", **extra):
    return client.post("/login", data={"username": username, "password": password, **extra},
                       environ_base={"REMOTE_ADDR": ip})


def test_login_succeeds_and_lands_on_home(app, client):
    with app.app_context():
        make_user(Role.RANGER, username="anna")
    response = login(client, "anna", PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Welcome, Test ranger" in client.get("/").get_data(as_text=True)


def test_wrong_password_and_unknown_user_look_the_same(app, client):
    with app.app_context():
        make_user(Role.RANGER, username="anna")
    wrong = login(client, "anna", "not the password at all", ip="10.0.0.1")
    unknown = login(client, "nobody", "not the password at all", ip="10.0.0.2")
    assert wrong.status_code == unknown.status_code == 200
    def strip(r):
        """The page without the names typed and the CSRF tokens, which carry the second they
        were signed in (two pages a second apart differ only there)."""
        page = r.get_data(as_text=True).replace("anna", "X").replace("nobody", "X")
        return re.sub(r'(name="csrf[-_]token"[^>]*?(?:content|value)=)"[^"]*"', r'\1"T"', page)
    assert 'name="csrf-token" content="T"' in strip(wrong)
    assert strip(wrong) == strip(unknown)
    assert "Sign-in failed" in wrong.get_data(as_text=True)


def test_unknown_user_still_checks_a_password_hash(app, client, monkeypatch):
    calls = []
    import tracker.auth.views as views

    original = views.verify_password
    monkeypatch.setattr(views, "verify_password", lambda h, p: calls.append(h) or original(h, p))
    login(client, "nobody", "whatever password here")
    assert len(calls) == 1


def test_fourth_failure_from_one_client_gets_429(app, client):
    with app.app_context():
        make_user(Role.RANGER, username="anna")
    codes = [login(client, "anna", f"wrong password {i}").status_code for i in range(4)]
    assert codes == [200, 200, 200, 429]


def test_successful_logins_do_not_count_against_the_rate_limit(app, client):
    with app.app_context():
        make_user(Role.RANGER, username="anna")
    for _ in range(5):
        assert login(client, "anna", PASSWORD).status_code == 302
        client.post("/logout")


def test_ten_failures_lock_the_account_even_with_the_right_password(app, client):
    with app.app_context():
        make_user(Role.RANGER, username="anna")
    for i in range(10):  # a distributed attack: one attempt per address
        login(client, "anna", "wrong password!!", ip=f"10.2.0.{i}")
    response = login(client, "anna", PASSWORD, ip="10.3.0.1")
    assert response.status_code == 200 and "Sign-in failed" in response.get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "anna"))
        assert user.locked_until is not None


def test_deactivated_user_cannot_sign_in(app, client):
    with app.app_context():
        make_user(Role.RANGER, username="anna", active=False)
    assert login(client, "anna", PASSWORD).status_code == 200


def test_passwords_are_stored_with_scrypt_by_default(app):
    from werkzeug.security import generate_password_hash

    from config import Config

    assert Config.PASSWORD_HASH_METHOD == "scrypt"
    assert generate_password_hash("x" * 12, method=Config.PASSWORD_HASH_METHOD).startswith("scrypt:")


def test_audit_log_has_sign_ins_but_never_passwords(app, client, caplog):
    with app.app_context():
        make_user(Role.RANGER, username="anna")
    with caplog.at_level(logging.INFO, logger="tracker.audit"):
        login(client, "anna", "a wrong password\nforged line", ip="10.9.9.9")
        login(client, "anna", PASSWORD, ip="10.9.9.8")
    assert "login-failed username='anna'" in caplog.text
    assert "login user='anna'" in caplog.text
    assert PASSWORD not in caplog.text and "forged line" not in caplog.text


def test_session_cookie_flags(app, client):
    with app.app_context():
        make_user(Role.RANGER, username="anna")
    cookie = login(client, "anna", PASSWORD).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Expires=" in cookie  # a 12-hour lifetime, not a browser-session or 31-day one
    assert app.permanent_session_lifetime.total_seconds() == 12 * 3600


def test_session_survives_a_change_of_client_address(app, client):
    """Rangers on mobile networks change IP: session protection is 'basic' on purpose."""
    with app.app_context():
        make_user(Role.RANGER, username="anna")
    login(client, "anna", PASSWORD, ip="10.0.0.1")
    response = client.get("/", environ_base={"REMOTE_ADDR": "10.99.0.1"})
    assert response.status_code == 200
