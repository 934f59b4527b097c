"""Filter values the sweep (tests/test_form_fuzz.py) found to give a 500: each page of the shared
incident filters (list, reports, dashboards and the dashboard map) answers them."""
import pytest

from tests.support.factories import make_user
from tests.support.forms import field_errors
from tests.support.incidents import make_incident, seed
from tracker.models import Role

PAGES = [(Role.COORDINATOR, "/incidents"), (Role.MANAGER, "/reports"), (Role.COORDINATOR, "/dashboards/poaching"),
         (Role.COORDINATOR, "/dashboards/poaching/map.json")]


@pytest.fixture
def incidents(app):
    seed(app)
    with app.app_context():
        make_incident(make_user(Role.RANGER).id)


@pytest.mark.parametrize("role,path", PAGES)
@pytest.mark.parametrize("query", [
    "date_from=0001-01-01",  # year 1 in UTC+10 is before the first instant Python has
    "date_to=9999-12-31",  # and the day after the last one
    "detection=%20", "status=%20", "place=%20", "country=%20",  # blank: no filter, not a failed query
    "status=open", "status=verified-or-later",  # a group of statuses, as the dashboards' links send
    "reporter=" + "9" * 40, "reporter=2147483648",  # no INTEGER column holds it (PostgreSQL refused the query)
])
def test_filter_values_that_failed_are_answered(app, client, login_as, incidents, role, path, query):
    login_as(role)
    response = client.get(f"{path}?{query}")
    assert response.status_code == 200


@pytest.mark.parametrize("role,path", PAGES[:2])
def test_a_date_outside_the_years_we_know_is_refused_next_to_the_field(app, client, login_as, incidents, role, path):
    login_as(role)
    body = client.get(f"{path}?date_from=0001-01-01&date_to=9999-12-31").get_data(as_text=True)
    assert field_errors(body) == {"date_from": "Enter a date between 1900 and 2099.",
                                  "date_to": "Enter a date between 1900 and 2099."}


@pytest.mark.parametrize("other", ["9" * 40, "2147483648", "-2147483649"])
def test_marking_a_duplicate_of_an_impossible_incident_is_a_bad_request(app, client, login_as, incidents, other):
    login_as(Role.COORDINATOR)
    assert client.post("/incidents/1/duplicates", data={"other": other}).status_code == 400
