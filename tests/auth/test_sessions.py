"""Logout, password change and deactivation really end sessions (security promise 9)."""
from http.cookies import SimpleCookie

from tests.support.factories import PASSWORD, make_user
from tracker.models import Role


def signed_in_cookie(app, client, username="anna"):
    with app.app_context():
        make_user(Role.RANGER, username=username)
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    cookie = SimpleCookie(response.headers["Set-Cookie"])
    return cookie["session"].value


def replay(app, cookie_value):
    other = app.test_client()
    other.set_cookie("session", cookie_value)
    return other.get("/")


def test_cookie_copied_before_logout_is_refused_after_it(app, client):
    cookie = signed_in_cookie(app, client)
    assert replay(app, cookie).status_code == 200
    client.post("/logout")
    response = replay(app, cookie)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_password_change_ends_other_sessions_but_keeps_this_one(app, client):
    cookie = signed_in_cookie(app, client)
    new = "a brand new long passphrase"
    response = client.post("/account", data={"pw-current_password": PASSWORD, "pw-new_password": new,
                                              "pw-confirm": new, "pw-submit": "1"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert replay(app, cookie).status_code == 302


def test_logout_needs_post(app, client, login_as):
    login_as(Role.RANGER)
    assert client.get("/logout").status_code == 405


def test_a_late_background_answer_does_not_undo_a_language_switch(app, client):
    """The offline app's worker refreshes pages with the cookie it had when it started; if its
    answer set the cookie again, the browser would go back to the session before the switch."""
    before_switch = signed_in_cookie(app, client)
    client.post("/language", data={"lang": "mn"})
    worker = app.test_client()
    worker.set_cookie("session", before_switch)

    background = worker.get("/offline/state", headers={"X-Background-Refresh": "1"})
    foreground = worker.get("/offline/state")

    assert background.status_code == 200 and "Set-Cookie" not in background.headers
    assert "session=" in foreground.headers["Set-Cookie"]  # what the browser would have been sent
    assert 'lang="mn"' in client.get("/").get_data(as_text=True)


def test_background_requests_do_not_keep_a_session_alive(app, client):
    """Only what the user does slides the idle timeout; a phone left open keeps no session for ever."""
    signed_in_cookie(app, client)
    assert "Set-Cookie" not in client.get("/offline/state", headers={"X-Background-Refresh": "1"}).headers
    assert "Set-Cookie" in client.get("/offline/state").headers


def test_static_files_and_the_workers_script_never_set_the_session_cookie(app, client):
    """The worker fetches every static file when it installs, and the browser re-reads /sw.js on
    its own: those answers, too, could land after a language switch."""
    signed_in_cookie(app, client)
    for path in ("/static/css/app.css", "/sw.js", "/manifest.webmanifest"):
        with client.get(path) as answer:
            assert answer.status_code == 200 and "Set-Cookie" not in answer.headers, path
    assert "Set-Cookie" in client.get("/").headers
