"""Who may call the API, and what they see (security promises 24, 26, 27, 30): never a redirect
to the sign-in page, JSON 401/403; a token reads what its user may read and no more; positions
of sensitive incidents generalised and their location descriptions withheld before any filter
works on them; CSRF on cookie writes only; rate limits per token."""
from __future__ import annotations

import io
import uuid
from datetime import datetime, timezone

import pytest

from tests.evidence import files
from tests.support.callers import issue_token
from tests.support.factories import make_user
from tests.support.incidents import make_incident
from tracker.models import IncidentStatus, Role

TRUE_LAT, TRUE_LON = 43.123456, 131.987654
CELL_LAT, CELL_LON = 43.15, 131.95
PLACE_TEXT = "Forest road 3 km N of Kedrovaya Pad cordon"
TIGER = ("skin", "Panthera tigris altaica", "1", "pcs")


def api_urls(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            url = rule.rule.replace("<ref>", "INC-2026-000001")
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield method, url


def test_every_api_operation_answers_json_401_without_credentials(app, client):
    urls = list(api_urls(app))
    assert len(urls) == 10
    for method, url in urls:
        response = client.open(url, method=method, json={})
        assert response.status_code == 401, (method, url)
        assert response.is_json and response.get_json()["code"] == "unauthenticated"
        assert "Location" not in response.headers and response.headers["Cache-Control"] == "no-store"


def test_a_bad_or_foreign_scheme_is_json_401(app, client, seeded):
    for header in ("Bearer wct_" + "x" * 43, "Bearer ", "Basic YWRtaW46YWRtaW4=", "wct_abc"):
        response = client.get("/api/v1/incidents", headers={"Authorization": header})
        assert response.status_code == 401 and response.get_json()["code"] == "invalid_token", header


def test_the_api_never_redirects_even_with_a_session_of_a_deactivated_user(app, client, login_as):
    login_as(Role.RANGER, active=False)
    response = client.get("/api/v1/incidents")
    assert response.status_code == 401 and response.is_json


@pytest.fixture
def two_units(app, seeded):
    with app.app_context():
        mine = make_user(Role.RANGER, unit="Unit A")
        other = make_user(Role.RANGER, unit="Unit B")
        own = make_incident(mine.id).ref
        foreign = make_incident(other.id).ref
        return mine.id, own, foreign


def test_a_rangers_token_reads_no_other_unit(app, client, two_units):
    ranger, own, foreign = two_units
    headers = {"Authorization": f"Bearer {issue_token(app, ranger)}"}
    listed = client.get("/api/v1/incidents", headers=headers).get_json()
    assert [item["ref"] for item in listed["items"]] == [own]
    pulled = client.get("/api/v1/incidents?updated_since=2000-01-01T00:00:00Z", headers=headers).get_json()
    assert [item["ref"] for item in pulled["items"]] == [own]
    assert client.get(f"/api/v1/incidents/{own}", headers=headers).status_code == 200
    response = client.get(f"/api/v1/incidents/{foreign}", headers=headers)
    assert response.status_code == 403 and response.get_json()["code"] == "forbidden"
    writes = (("PATCH", "", {"version": 1}), ("POST", "/status", {"version": 1, "target": "verified"}))
    for method, path, body in writes:
        assert client.open(f"/api/v1/incidents/{foreign}{path}", method=method, headers=headers,
                           json=body).status_code == 403, path
    assert client.post(f"/api/v1/incidents/{foreign}/evidence", headers=headers,
                       data={"files": (io.BytesIO(files.png()), "a.png")}).status_code == 403


def test_a_managers_token_may_read_but_not_write(app, client, two_units):
    _, own, _ = two_units
    with app.app_context():
        manager = make_user(Role.MANAGER).id
    headers = {"Authorization": f"Bearer {issue_token(app, manager)}"}
    assert len(client.get("/api/v1/incidents", headers=headers).get_json()["items"]) == 2
    body = {"client_uuid": str(uuid.uuid4()), "category": "poaching"}
    assert client.post("/api/v1/incidents", headers=headers, json=body).status_code == 403
    assert client.patch(f"/api/v1/incidents/{own}", headers=headers, json={"version": 1}).status_code == 403


@pytest.fixture
def tiger_site(app, seeded):
    with app.app_context():
        reporter = make_user(Role.RANGER, unit="Leopard team").id
        return make_incident(reporter, items=[TIGER], lat=TRUE_LAT, lon=TRUE_LON, location_text=PLACE_TEXT,
                             occurred_at=datetime(2026, 3, 1, 12, tzinfo=timezone.utc),
                             status=IncidentStatus.VERIFIED).ref


def token_of(app, role, **fields) -> dict:
    with app.app_context():
        user_id = make_user(role, **fields).id
    return {"Authorization": f"Bearer {issue_token(app, user_id)}"}


@pytest.mark.parametrize(("role", "fields", "sees_exact"), [
    (Role.MANAGER, {}, False), (Role.MANAGER, {"exact_location_grant": True}, True), (Role.COORDINATOR, {}, True)])
def test_sensitive_positions_and_descriptions_as_on_the_pages(app, client, tiger_site, role, fields, sees_exact):
    headers = token_of(app, role, **fields)
    listed = client.get("/api/v1/incidents", headers=headers).get_json()["items"][0]
    detail = client.get(f"/api/v1/incidents/{tiger_site}", headers=headers).get_json()
    for shown in (listed, detail):
        if sees_exact:
            assert (shown["lat"], shown["lon"], shown["coordinate_precision"]) == (TRUE_LAT, TRUE_LON, "exact")
            assert (shown["location_text"], shown["location_text_withheld"]) == (PLACE_TEXT, False)
        else:
            assert (shown["lat"], shown["lon"], shown["coordinate_precision"]) == (CELL_LAT, CELL_LON, "0.1deg")
            assert (shown["location_text"], shown["location_text_withheld"]) == ("", True)
    found = client.get("/api/v1/incidents", headers=headers, query_string={"q": "Kedrovaya"}).get_json()["items"]
    assert len(found) == (1 if sees_exact else 0)


def test_halving_a_box_through_the_api_finds_the_cell_centre_only(app, client, tiger_site):
    headers = token_of(app, Role.MANAGER)

    def found(west, south, east, north) -> bool:
        bbox = f"{west!r},{south!r},{east!r},{north!r}"
        return bool(client.get("/api/v1/incidents", headers=headers, query_string={"bbox": bbox}).get_json()["items"])

    west, south, east, north = 131.0, 43.0, 132.5, 44.0
    assert found(west, south, east, north)
    for _ in range(40):  # down to 1e-12°, where a float still tells the halves apart
        middle = (south + north) / 2
        south, north = (south, middle) if found(west, south, east, middle) else (middle, north)
        middle = (west + east) / 2
        west, east = (west, middle) if found(west, south, middle, north) else (middle, east)
    assert abs((south + north) / 2 - CELL_LAT) < 1e-9 and abs((west + east) / 2 - CELL_LON) < 1e-9


@pytest.fixture
def csrf_on(app_config):
    app_config.WTF_CSRF_ENABLED = True
    return app_config


def test_cookie_writes_need_the_csrf_header_token_writes_do_not(csrf_on, app, client, login_as, seeded):
    ranger = login_as(Role.RANGER)
    body = {"client_uuid": str(uuid.uuid4())}  # refused by the form (422) once past CSRF
    assert client.get("/api/v1/incidents").status_code == 200  # reading needs no header
    refused = client.post("/api/v1/incidents", json=body)
    assert refused.status_code == 400 and refused.get_json()["code"] == "csrf_failed"
    page = client.get("/account").get_data(as_text=True)
    csrf = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    assert client.post("/api/v1/incidents", json=body, headers={"X-CSRFToken": csrf}).status_code == 422
    token = {"Authorization": f"Bearer {issue_token(app, ranger)}"}
    assert app.test_client().post("/api/v1/incidents", json=body, headers=token).status_code == 422


@pytest.fixture
def three_a_day(app_config):
    app_config.API_RATE_LIMIT = "3 per day"  # a fixed window: a day boundary will not fall mid-test
    return app_config


def test_rate_limits_are_per_token(three_a_day, app, client, seeded):
    first, second = token_of(app, Role.RANGER), token_of(app, Role.RANGER)
    for _ in range(3):
        assert client.get("/api/v1/reference/categories", headers=first).status_code == 200
    limited = client.get("/api/v1/incidents", headers=first)
    assert limited.status_code == 429 and limited.get_json()["code"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) > 0
    assert client.get("/api/v1/reference/categories", headers=second).status_code == 200


def test_messages_in_the_callers_language(app, client, seeded):
    headers = {**token_of(app, Role.RANGER, language="en"), "Accept-Language": "ru"}
    response = client.post("/api/v1/incidents", headers=headers,
                           json={"client_uuid": str(uuid.uuid4()), "suspects": 1, "arrests": 2})
    body = response.get_json()
    assert response.status_code == 422
    assert body["errors"]["arrests"] == ["Число арестованных не может превышать число подозреваемых."]
    assert body["errors"]["category"] == ["Выберите категорию."]
