"""The `tracker.audit` log (and every other line the app logs) never holds a password, an API
token or the exact position of a sensitive incident (issue 12, part 4; security promise 21)."""
from __future__ import annotations

import re

from sqlalchemy import select

from tests.incidents.test_create import valid_form
from tests.incidents.test_edit import edit_form
from tests.support.factories import PASSWORD, make_user
from tests.support.incidents import seed
from tracker.extensions import db
from tracker.models import Incident, Role

WRONG_PASSWORD = "Tr0ub4dor&3-wrong-guess"
POSITIONS = ("43.123457", "131.456789", "43.234561", "131.567891")
LOCATION = "Den under the third cedar"


def test_the_logs_of_sign_in_tokens_and_sensitive_incidents_hold_no_secret(app, client, caplog):
    seed(app)
    with app.app_context():
        make_user(Role.RANGER, username="anna", unit="Land of the Leopard rangers")
    caplog.set_level("DEBUG", logger="tracker")

    client.post("/login", data={"username": "anna", "password": WRONG_PASSWORD})
    assert client.post("/login", data={"username": "anna", "password": PASSWORD}).status_code == 302
    page = client.post("/account/tokens", data={"token-name": "laptop", "token-valid_for": "90"})
    token = re.search(r"wct_[A-Za-z0-9_-]{20,}", page.get_data(as_text=True)).group(0)
    assert client.get("/api/v1/incidents", headers={"Authorization": f"Bearer {token}"}).status_code == 200

    created = client.post("/incidents/new", data=valid_form(app, lat=POSITIONS[0], lon=POSITIONS[1],
                                                            location_text=LOCATION, submit=None, save_draft="Save"))
    assert created.status_code == 302
    with app.app_context():
        incident = db.session.scalar(select(Incident))
        assert incident.sensitive
    form = edit_form(client, incident.id)
    form.update(lat=POSITIONS[2], lon=POSITIONS[3])
    assert client.post(f"/incidents/{incident.id}/edit", data=form).status_code == 302

    audit = [r.getMessage() for r in caplog.records if r.name == "tracker.audit"]
    assert any("login user='anna'" in line for line in audit) and any("api-token-created" in line for line in audit)
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("tracker"))
    secrets = [PASSWORD, WRONG_PASSWORD, token, token[4:], LOCATION, *POSITIONS]
    assert [s for s in secrets if s in logged] == []
