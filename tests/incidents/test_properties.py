"""Property and concurrency checks on incident writes (security promises 14 and 23)."""
import threading

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.incidents.test_create import valid_form
from tests.support.factories import make_user
from tests.support.incidents import seed
from tracker.extensions import db
from tracker.models import Incident, Role

OUT_OF_RANGE_LAT = st.one_of(st.floats(min_value=90.0001, max_value=1e9), st.floats(max_value=-90.0001, min_value=-1e9))
NOT_POSITIVE = st.one_of(st.decimals(max_value=0, allow_nan=False, allow_infinity=False, places=3), st.just("0"))


def incident_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count(Incident.id)))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lat=OUT_OF_RANGE_LAT, quantity=NOT_POSITIVE)
def test_out_of_range_values_are_refused_and_nothing_is_stored(app, client, login_as, lat, quantity):
    if not incident_count(app) and not getattr(app, "_seeded", False):
        seed(app)
        login_as(Role.RANGER)
        app._seeded = True
    response = client.post("/incidents/new", data=valid_form(app, lat=repr(lat), **{"items-0-quantity": str(quantity)}))
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'id="lat-error"' in body and 'id="items-0-quantity-error"' in body
    assert incident_count(app) == 0


def test_concurrent_submissions_each_get_their_own_reference(app):
    seed(app)
    with app.app_context():
        tokens = [make_user(Role.RANGER, unit="Unit A").session_token for _ in range(4)]
    errors, statuses = [], []

    def submit(token):
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = token, True
        try:
            for _ in range(5):
                statuses.append(client.post("/incidents/new", data=valid_form(app)).status_code)
        except Exception as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=submit, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and statuses == [302] * 20
    with app.app_context():
        refs = db.session.scalars(select(Incident.ref)).all()
    assert len(refs) == len(set(refs)) == 20
