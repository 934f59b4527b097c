"""POST /evidence/stage (the incident form's JavaScript) and the staged thumbnails."""
import re

import pytest

from tests.evidence import files
from tracker.models import Role


def stage(client, data, name, **headers):
    return client.post("/evidence/stage", data={"file": files.part(data, name)}, content_type="multipart/form-data",
                       headers={"Accept": "application/json", **headers})


def test_staging_a_photo_returns_its_token_and_exif_facts(client, login_as):
    login_as(Role.RANGER)
    response = stage(client, files.jpeg(), "trap.jpg")
    assert response.status_code == 200
    body = response.get_json()
    assert body["name"] == "trap.jpg" and body["content_type"] == "image/jpeg" and body["size"] > 0
    assert body["taken_at"] == "2026-11-20T04:03:00+00:00"
    assert body["taken_at_local"] == "2026-11-20T14:03"  # Vladivostok, the default zone
    assert (body["lat"], body["lon"]) == (files.LAT, files.LON)
    assert body["thumbnail_url"] == f"/evidence/staged/{body['token']}/thumbnail"
    thumbnail = files.fetch(client, body["thumbnail_url"])
    assert thumbnail.status_code == 200 and thumbnail.headers["Content-Type"] == "image/jpeg"


def test_a_camera_clock_is_read_in_the_users_time_zone(client, login_as):
    """A camera shows the time where the ranger is: 14:03 on it is 14:03 in the ranger's zone."""
    login_as(Role.RANGER, timezone="Asia/Shanghai")
    body = stage(client, files.jpeg(), "trap.jpg").get_json()
    assert (body["taken_at"], body["taken_at_local"]) == ("2026-11-20T06:03:00+00:00", "2026-11-20T14:03")


def test_a_document_has_no_photo_facts(client, login_as):
    login_as(Role.COORDINATOR)
    body = stage(client, files.pdf(), "act.pdf").get_json()
    assert (body["taken_at"], body["taken_at_local"], body["lat"], body["lon"], body["thumbnail_url"]) == (
        None, None, None, None, None)


@pytest.mark.parametrize("data,name,status,error", [
    (files.HTML, "page.jpg", 400, "page.jpg: this type of file is not accepted."),
    (b"", "empty.jpg", 400, "empty.jpg: the file is empty."),
    (b"%PDF-" + b"0" * 100 * 1024, "big.pdf", 413, "big.pdf: the file is larger than 0.1 MB."),
])
def test_refused_files_get_an_error_message(app, client, login_as, data, name, status, error):
    app.config["EVIDENCE_MAX_BYTES"] = 100 * 1024
    login_as(Role.RANGER)
    response = stage(client, data, name)
    assert response.status_code == status and response.get_json()["error"].startswith(error)


def test_a_request_without_a_file_is_400(client, login_as):
    login_as(Role.RANGER)
    response = client.post("/evidence/stage", data={}, headers={"Accept": "application/json"})
    assert response.status_code == 400 and response.get_json() == {"error": "Choose a file to upload."}


def test_request_over_the_size_limit_gets_413_as_json(app, client, login_as):
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    login_as(Role.RANGER)
    response = stage(client, b"%PDF-" + b"0" * 100 * 1024, "big.pdf")
    assert response.status_code == 413 and response.get_json()["message"] == "The upload is too large."


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMIN])
def test_only_rangers_and_coordinators_stage_files(client, login_as, role):
    login_as(role)
    assert stage(client, files.pdf(), "act.pdf").status_code == 403


def test_staged_thumbnails_are_only_for_their_uploader(client, login_as):
    login_as(Role.RANGER)
    url = stage(client, files.jpeg(), "trap.jpg").get_json()["thumbnail_url"]
    login_as(Role.RANGER)  # a colleague of the same unit
    assert files.fetch(client, url).status_code == 404
    assert files.fetch(client, "/evidence/staged/forged/thumbnail").status_code == 404


def test_a_staged_document_has_no_thumbnail(client, login_as):
    login_as(Role.RANGER)
    token = stage(client, files.pdf(), "act.pdf").get_json()["token"]
    assert files.fetch(client, f"/evidence/staged/{token}/thumbnail").status_code == 404


class TestWithCsrf:
    @pytest.fixture
    def app_config(self, app_config):
        app_config.WTF_CSRF_ENABLED = True
        return app_config

    def test_the_csrf_header_is_required(self, client, login_as):
        login_as(Role.RANGER)
        page = client.get("/").get_data(as_text=True)
        token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
        assert stage(client, files.pdf(), "act.pdf").status_code == 400
        assert stage(client, files.pdf(), "act.pdf", **{"X-CSRFToken": token}).status_code == 200
