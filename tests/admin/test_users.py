from http.cookies import SimpleCookie

from sqlalchemy import select

from tests.support.factories import PASSWORD, make_user
from tracker.extensions import db
from tracker.models import Role, User

NEW_USER = {"username": "oleg", "display_name": "Oleg Petrov", "role": "ranger", "unit": "Bikin rangers",
            "language": "ru", "active": "y", "password": "snow on the cedar ridge"}


def get_user(app, username):
    with app.app_context():
        return db.session.scalar(select(User).where(User.username == username))


def test_admin_creates_a_user(app, client, login_as):
    login_as(Role.ADMIN)
    response = client.post("/admin/users/new", data=NEW_USER)
    assert response.status_code == 302
    user = get_user(app, "oleg")
    assert user.role is Role.RANGER and user.unit == "Bikin rangers" and user.language == "ru"
    assert "oleg" in client.get("/admin/users").get_data(as_text=True)


def test_duplicate_username_is_refused_and_input_kept(app, client, login_as):
    login_as(Role.ADMIN)
    with app.app_context():
        make_user(Role.RANGER, username="oleg")
    body = client.post("/admin/users/new", data={**NEW_USER, "display_name": "Second Oleg"}).get_data(as_text=True)
    assert "already taken" in body and 'value="Second Oleg"' in body
    with app.app_context():
        assert len(db.session.scalars(select(User).where(User.username == "oleg")).all()) == 1


def test_weak_initial_password_is_refused(app, client, login_as):
    login_as(Role.ADMIN)
    body = client.post("/admin/users/new", data={**NEW_USER, "password": "oleg-oleg-oleg-1"}).get_data(as_text=True)
    assert "must not contain the username" in body
    assert get_user(app, "oleg") is None


def test_admin_changes_role_and_unit(app, client, login_as):
    login_as(Role.ADMIN)
    with app.app_context():
        user_id = make_user(Role.RANGER, username="oleg").id
    client.post(f"/admin/users/{user_id}", data={"display_name": "Oleg", "role": "coordinator",
                                                 "unit": "HQ", "language": "", "active": "y", "submit": "1"})
    user = get_user(app, "oleg")
    assert user.role is Role.COORDINATOR and user.unit == "HQ"


def test_deactivation_ends_open_sessions(app, client, login_as):
    with app.app_context():
        user_id = make_user(Role.RANGER, username="oleg").id
    ranger = app.test_client()
    cookie = SimpleCookie(ranger.post("/login", data={"username": "oleg", "password": PASSWORD})
                          .headers["Set-Cookie"])["session"].value
    assert ranger.get("/").status_code == 200
    login_as(Role.ADMIN)
    client.post(f"/admin/users/{user_id}", data={"display_name": "Oleg", "role": "ranger", "unit": "A",
                                                 "language": "", "submit": "1"})  # active unchecked
    assert ranger.get("/").status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    assert replay.get("/").status_code == 302
    assert ranger.post("/login", data={"username": "oleg", "password": PASSWORD}).status_code == 200


def test_reset_password_unlocks_and_ends_sessions(app, client, login_as):
    with app.app_context():
        user = make_user(Role.RANGER, username="oleg", failed_logins=7)
        user_id, old_token = user.id, user.session_token
    login_as(Role.ADMIN)
    response = client.post(f"/admin/users/{user_id}", data={"reset-new_password": "the ussuri flows north",
                                                             "reset-submit_reset": "1"})
    assert response.status_code == 302
    user = get_user(app, "oleg")
    assert user.session_token != old_token and user.failed_logins == 0
    response = app.test_client().post("/login", data={"username": "oleg", "password": "the ussuri flows north"})
    assert response.status_code == 302


def test_admin_cannot_demote_themselves(app, client, login_as):
    admin_id = login_as(Role.ADMIN, username="boss")
    client.post(f"/admin/users/{admin_id}", data={"display_name": "Boss", "role": "ranger", "active": "y",
                                                  "language": "", "submit": "1"})
    assert get_user(app, "boss").role is Role.ADMIN


def test_role_change_asks_for_the_password_again_after_an_hour(app, client, login_as):
    import time

    login_as(Role.ADMIN)
    with client.session_transaction() as session:
        session["login_at"] = time.time() - 2 * 3600
    response = client.get("/admin/users/new")
    assert response.status_code == 302 and "reauth=1" in response.headers["Location"]
