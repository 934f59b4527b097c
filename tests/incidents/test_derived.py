"""An incident's country and sensitivity follow from what it says now: the place, else the
position, else the country the reporter chose (refused when it contradicts them)."""
import pytest
from sqlalchemy import func, select

from tests.incidents.test_create import valid_form
from tests.incidents.test_edit import edit_form as posted_back
from tests.support.incidents import make_incident, place_id, seed
from tracker.extensions import db
from tracker.models import Incident, Role

HARBIN = {"lat": "45.7567", "lon": "126.6424"}
SEA = {"lat": "42.0", "lon": "134.0"}


@pytest.fixture
def ranger(app, login_as):
    seed(app)
    return login_as(Role.RANGER, unit="Unit A")


def edit_form(client, incident_id) -> dict:
    """The edit form as posted back ("" for a select left on its empty choice)."""
    return {name: "" if value is None else value for name, value in posted_back(client, incident_id).items()}


def stored(app) -> Incident:
    with app.app_context():
        incident = db.session.scalar(select(Incident))
        db.session.expunge(incident)
        return incident


@pytest.mark.parametrize(("where", "chosen", "country"), [
    ({}, "", "RU"),                                                  # the place decides
    ({"place": "", **HARBIN}, "", "CN"),                             # no place: the position decides
    ({"place": "", "lat": "", "lon": ""}, "MN", "MN"),               # neither: the reporter's choice
    ({"place": "", **SEA}, "RU", "RU"),                              # a position at sea decides nothing
    ({"place": "", "lat": "", "lon": ""}, "", None),
    ({}, "RU", "RU"),                                                # agreeing with the place is fine
])
def test_country_of_a_new_incident(app, client, ranger, where, chosen, country):
    response = client.post("/incidents/new", data=valid_form(app, country=chosen, **where))
    assert response.status_code == 302
    incident = stored(app)
    assert incident.country == country and incident.stated_country == (chosen or None)


@pytest.mark.parametrize(("where", "chosen", "decided"), [
    ({}, "CN", "Russia"),                         # the place is in Russia
    ({"place": "", **HARBIN}, "RU", "China"),     # the position is in China
])
def test_a_country_contradicting_place_or_position_is_refused(app, client, ranger, where, chosen, decided):
    response = client.post("/incidents/new", data=valid_form(app, country=chosen, **where))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="country-error"' in body and decided in body
    assert f'<option selected value="{chosen}">' in body or f'value="{chosen}" selected' in body  # kept
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Incident)) == 0


def test_the_form_offers_the_country_next_to_the_position(app, client, ranger):
    body = client.get("/incidents/new").get_data(as_text=True)
    position = body.index('name="lon"')
    assert position < body.index('name="country"') < body.index('name="location_text"')


def test_clearing_the_place_takes_the_country_from_the_position(app, client, ranger):
    with app.app_context():
        incident_id = make_incident(ranger).id
    assert stored(app).country == "RU"
    data = edit_form(client, incident_id)
    client.post(f"/incidents/{incident_id}/edit", data={**data, "place": "", **HARBIN})
    assert stored(app).country == "CN"
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert "<del>Russia</del>" in page and "<ins>China</ins>" in page  # the history names both
    data = edit_form(client, incident_id)
    client.post(f"/incidents/{incident_id}/edit", data={**data, "lat": "", "lon": ""})
    assert stored(app).country is None


def test_the_reporters_country_is_shown_again_and_kept(app, client, ranger):
    client.post("/incidents/new", data=valid_form(app, place="", lat="", lon="", country="MN"))
    incident_id = stored(app).id
    data = edit_form(client, incident_id)
    assert data["country"] == "MN"
    client.post(f"/incidents/{incident_id}/edit", data={**data, "description": "Snares along the river"})
    incident = stored(app)
    assert (incident.country, incident.stated_country, incident.version) == ("MN", "MN", 2)
    body = client.post(f"/incidents/{incident_id}/edit", data={**data, **HARBIN}).get_data(as_text=True)
    assert 'id="country-error"' in body  # a position in China contradicts it
    assert stored(app).lat is None


def test_moving_an_incident_to_another_place_moves_its_country(app, client, ranger):
    with app.app_context():
        incident_id = make_incident(ranger).id
        onon_balj = place_id("Onon-Balj National Park")
    data = edit_form(client, incident_id)
    client.post(f"/incidents/{incident_id}/edit", data={**data, "place": str(onon_balj)})
    assert stored(app).country == "MN"


def test_derived_facts_are_never_given_by_a_caller(app, ranger):
    with app.app_context(), pytest.raises(ValueError, match="country"):
        make_incident(ranger, place_id=None, country="MN")
