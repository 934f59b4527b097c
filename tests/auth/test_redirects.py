"""`next` after sign-in only ever leads to a path on this site (security promise 3)."""
import pytest

from tests.support.factories import PASSWORD, make_user
from tracker.models import Role
from tracker.security import safe_next

HOSTILE = ["https://evil.example", "//evil.example", "/\\evil.example", "\\\\evil.example",
           "/\t/evil.example", "//[", "http:/evil.example", "javascript:alert(1)", "/\n/evil.example",
           "///evil.example", " //evil.example"]


@pytest.mark.parametrize("target", HOSTILE)
def test_hostile_next_lands_on_home(app, client, target):
    with app.app_context():
        make_user(Role.RANGER, username="anna")
    response = client.post("/login", data={"username": "anna", "password": PASSWORD, "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_local_next_is_followed(app, client):
    with app.app_context():
        make_user(Role.ADMIN, username="root1")
    response = client.post("/login", data={"username": "root1", "password": PASSWORD, "next": "/admin/users?x=1"})
    assert response.headers["Location"] == "/admin/users?x=1"


@pytest.mark.parametrize("target", HOSTILE + ["", None, "relative/path"])
def test_safe_next_rejects(target):
    assert safe_next(target) is None


def test_language_switch_does_not_redirect_away(client):
    response = client.post("/language", data={"lang": "zh", "next": "//evil.example"})
    assert response.headers["Location"] == "/"
