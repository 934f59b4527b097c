"""NUL and other control characters, in every form and every URL (issue "Records that hold up in
court", defect 7). PostgreSQL refuses NUL in text: wherever one reached a query it was a 500.
Forms now refuse them next to the field; a URL naming a record with one finds nothing."""
import io

import pytest
from sqlalchemy import select

from tests.evidence import files
from tests.support.forms import database_digest, field_errors
from tests.support.incidents import make_incident, seed
from tracker.extensions import db
from tracker.models import Evidence, IncidentStatus, Role

NUL = "Tiger\x00 paw"
CONTROL = ("This text contains invisible control characters, which are not accepted. They have been "
           "removed: check the text and try again.")

# (role, path, form data, field id whose message the page shows)
FORMS = [
    (None, "/login", {"username": NUL, "password": "whatever it is"}, "username"),
    (Role.RANGER, "/account", {"pref-language": "ru\x00", "pref-timezone": "Asia/Vladivostok",
                               "pref-submit_preferences": "1"}, "pref-language"),
    (Role.ADMIN, "/admin/users/new", {"username": "oleg", "display_name": NUL, "role": "ranger", "unit": "",
                                      "language": "", "active": "y", "password": "snow on the cedar ridge"},
     "display_name"),
    (Role.ADMIN, "/admin/users/new", {"username": "oleg", "display_name": "Oleg", "role": "ranger", "unit": NUL,
                                      "language": "", "active": "y", "password": "snow on the cedar ridge"}, "unit"),
    (Role.ADMIN, "/admin/reference/species/new", {"scientific_name": "Lynx lynx", "name_en": NUL, "group": "mammal"},
     "name_en"),
    (Role.ADMIN, "/admin/reference/categories/new", {"slug": "snares", "name_en": "Snares", "description": NUL,
                                                     "position": "3"}, "description"),
    (Role.ADMIN, "/admin/reference/places/new", {"name_en": "Bikin", "name_ru": NUL, "kind": "protected_area",
                                                 "country": "RU", "parent_id": ""}, "name_ru"),
]


@pytest.mark.parametrize("role,path,data,field", FORMS, ids=[f"{path}:{field}" for _, path, _, field in FORMS])
def test_forms_refuse_control_characters_next_to_the_field(app, client, login_as, role, path, data, field):
    seed(app)
    if role:
        login_as(role)
    with app.app_context():
        before = database_digest()
    response = client.post(path, data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert CONTROL in field_errors(body).get(field, "") or "Not a valid choice." in field_errors(body).get(field, "")
    assert "\x00" not in body
    with app.app_context():
        assert database_digest() == before


@pytest.mark.parametrize("role,path", [
    (Role.COORDINATOR, "/incidents?q=Tiger%00paw"),
    (Role.MANAGER, "/reports?q=Tiger%00paw"),
])
def test_search_filters_refuse_control_characters_next_to_the_box(app, client, login_as, role, path):
    seed(app)
    login_as(role)
    response = client.get(path)
    assert response.status_code == 200 and field_errors(response.get_data(as_text=True))["q"] == CONTROL


@pytest.mark.parametrize("path", [
    "/dashboards/poaching?q=%00", "/dashboards/poaching?place=%00&species=%00", "/dashboards/poaching/map.json?q=%00",
    "/incidents?cursor=%00", "/incidents?page=%00", "/reports/cites-aitr.csv?year=%00",
])
def test_query_strings_with_nul_never_fail(app, client, login_as, path):
    seed(app)
    login_as(Role.COORDINATOR)
    assert client.get(path).status_code in (200, 400)


@pytest.mark.parametrize("path", [
    "/dashboards/%00", "/dashboards/poach%00ing/map.json", "/admin/reference/spec%00ies", "/reports/jobs/%00",
    "/evidence/staged/%00/thumbnail",
])
def test_a_url_naming_a_record_with_a_control_character_finds_nothing(app, client, login_as, path):
    seed(app)
    login_as(Role.ADMIN if path.startswith("/admin") else Role.COORDINATOR)
    assert client.get(path).status_code == 404


def test_status_change_refuses_a_reason_with_nul(app, client, login_as):
    seed(app)
    coordinator = login_as(Role.COORDINATOR)
    with app.app_context():
        incident = make_incident(coordinator, status=IncidentStatus.SUBMITTED)
        incident_id, version = incident.id, incident.version
        before = database_digest()
    response = client.post(f"/incidents/{incident_id}/status", data={
        "target": "rejected", "rejected-version": str(version), "rejected-reason": "Dup\x00licate"})
    assert response.status_code == 302
    with client.session_transaction() as session:
        assert (("error", CONTROL) in session["_flashes"])
    with app.app_context():
        assert database_digest() == before


def test_evidence_file_names_lose_their_control_characters(app, client, login_as):
    seed(app)
    ranger = login_as(Role.RANGER)
    with app.app_context():
        incident_id = make_incident(ranger).id
    response = client.post(f"/incidents/{incident_id}/evidence", content_type="multipart/form-data",
                           data={"files": [(io.BytesIO(files.png()), "trap\x00\x07.png")]})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Evidence.original_name)) == "trap.png"
    staged = client.post("/evidence/stage", content_type="multipart/form-data",
                         data={"file": (io.BytesIO(files.png("#123")), "\x00.png")})
    assert staged.status_code == 200 and staged.get_json()["name"] == ".png"
