"""The offline app's server side: manifest per language, the worker at the root with its scope,
what the worker may keep per role, and the version that renames its caches."""
import json

import pytest

from tracker.models import Role
from tracker.offline import version


@pytest.mark.parametrize("lang,name", [("en", "Wildlife Crime Tracker"), ("ru", "Учёт преступлений"),
                                       ("zh", "野生动植物犯罪"), ("mn", "")])
def test_the_manifest_names_the_app_in_each_language(client, lang, name):
    response = client.get(f"/manifest.webmanifest?lang={lang}")
    assert response.status_code == 200 and response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data(as_text=True))
    assert manifest["lang"] == lang and name in manifest["name"]
    assert lang == "en" or manifest["name"] != "Wildlife Crime Tracker"
    assert manifest["start_url"] == "/incidents/new" and manifest["scope"] == "/"
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
    for icon in manifest["icons"]:
        with client.get(icon["src"]) as answer:
            assert answer.status_code == 200


def test_every_page_links_the_manifest_in_its_language(client, login_as):
    login_as(Role.RANGER)
    client.post("/language", data={"lang": "mn"})
    page = client.get("/").get_data(as_text=True)
    assert 'rel="manifest" href="/manifest.webmanifest?lang=mn"' in page
    assert 'id="offline-config"' in page and "data-outbox-status" in page


def test_the_worker_is_served_from_the_root_with_this_deployments_version(app, client):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    source = response.get_data(as_text=True)
    assert '"__CONFIG__"' not in source
    with app.app_context():
        assert json.dumps(version.current()) in source
    assert "/static/vendor/outline/region-countries.geojson" in source


def test_the_version_changes_with_the_forms_field_names(app, monkeypatch):
    with app.app_context():
        before, form_before = version.compute(), version.form_version()
        monkeypatch.setattr(version, "form_field_names", lambda: ["category", "a_new_field"])
        assert version.compute() != before and version.form_version() != form_before


def test_state_answers_json_401_without_a_session(client):
    response = client.get("/offline/state")
    assert response.status_code == 401 and response.is_json
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("role,keeps_form", [(Role.RANGER, True), (Role.COORDINATOR, True),
                                             (Role.MANAGER, False), (Role.ADMIN, False)])
def test_state_names_what_the_worker_keeps_for_each_role(client, login_as, role, keeps_form):
    user = login_as(role)
    state = client.get("/offline/state").get_json()
    assert state["user"] == user and state["csrf_token"]
    assert ("/incidents/new" in state["pages"]) is keeps_form
    assert bool(state["data"]) is keeps_form
    for url in state["pages"] + state["data"] + state["static"]:
        with client.get(url) as answer:
            assert answer.status_code == 200, url


@pytest.mark.parametrize("role", list(Role))
def test_the_outbox_page_opens_for_every_role(client, login_as, role):
    login_as(role)
    assert client.get("/offline/outbox").status_code == 200


def test_the_outbox_page_needs_a_login(client):
    response = client.get("/offline/outbox")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_island_carries_plural_messages_per_language(client, login_as):
    login_as(Role.RANGER)
    client.post("/language", data={"lang": "ru"})
    page = client.get("/").get_data(as_text=True)
    island = json.loads(page.split('id="offline-config">', 1)[1].split("</script>", 1)[0])
    waiting = island["messages"]["waiting"]
    assert set(waiting) >= {"one", "few", "many"}
    assert waiting["one"].endswith("%(num)s ждёт отправки") and waiting["few"].endswith("%(num)s ждут отправки")
