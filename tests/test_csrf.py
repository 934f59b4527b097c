"""The one path of the suite with CSRF protection on (security promise 1)."""
import re

import pytest

from tests.support.factories import PASSWORD, make_user
from tracker.models import Role


@pytest.fixture
def app_config(app_config):
    app_config.WTF_CSRF_ENABLED = True
    return app_config


def test_post_without_token_gets_400(app, client):
    with app.app_context():
        make_user(Role.RANGER, username="anna")
    response = client.post("/login", data={"username": "anna", "password": PASSWORD})
    assert response.status_code == 400


def test_post_with_token_signs_in(app, client):
    with app.app_context():
        make_user(Role.RANGER, username="anna")
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"username": "anna", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302


def test_logout_without_token_does_not_end_the_session(app, client):
    with app.app_context():
        make_user(Role.RANGER, username="anna")
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"username": "anna", "password": PASSWORD, "csrf_token": token})
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200
