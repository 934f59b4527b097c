"""The seizure details (the CITES report's fields) in the incident form of every category: a
collapsed section, open from the server when it holds values or errors or when the category is
the trade one, so it works without JavaScript; and a seizure recorded under poaching reaches the
CITES report."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.incidents.test_create import valid_form
from tests.reports.helpers import read_csv
from tests.support.incidents import make_incident, seed
from tracker.extensions import db
from tracker.incidents.fields import TRADE_FIELDS
from tracker.localtime import local_date
from tracker.models import Incident, IncidentStatus, Role


@pytest.fixture
def ranger(app, login_as):
    seed(app)
    return login_as(Role.RANGER, unit="Land of the Leopard rangers")


def seizure_section(html: str) -> tuple[str, str]:
    """The opening tag and body of the form's seizure section."""
    match = re.search(r"(<details[^>]*data-seizure-section[^>]*>)(.*?)</details>", html, re.S)
    assert match, "the form has no seizure section"
    return match.group(1), match.group(2)


def is_open(tag: str) -> bool:
    return re.search(r"\sopen(\s|>|=)", tag) is not None


def test_every_category_gets_the_section_collapsed(client, ranger):
    tag, body = seizure_section(client.get("/incidents/new").get_data(as_text=True))
    assert not is_open(tag)
    for name in TRADE_FIELDS:
        assert f'name="{name}"' in body
    assert "hidden" not in tag  # nothing hides it from a category


@pytest.mark.parametrize("category,extra,opened", [
    ("trafficking", {}, True),                                           # the trade category
    ("poaching", {}, False),
    ("poaching", {"seizure_reason": "Found on patrol"}, True),           # values typed
    ("poaching", {"seizure_reason": "x" * 301}, True),                   # an error in the section
])
def test_the_section_opens_for_the_trade_category_values_and_errors(app, client, ranger, category, extra, opened):
    # An empty date makes the form come back, as it does after any mistake.
    response = client.post("/incidents/new", data=valid_form(app, category=category, occurred_at="", **extra))
    assert response.status_code == 200
    tag, body = seizure_section(response.get_data(as_text=True))
    assert is_open(tag) is opened
    if "seizure_reason" in extra and len(extra["seizure_reason"]) < 300:
        assert 'value="Found on patrol"' in body  # kept as typed
    if len(extra.get("seizure_reason", "")) > 300:
        assert 'id="seizure_reason-error"' in body
    with app.app_context():
        assert db.session.scalar(select(Incident)) is None


def test_editing_a_recorded_seizure_shows_it_open(app, client, ranger):
    with app.app_context():
        incident = make_incident(ranger, category="poaching", status=IncidentStatus.DRAFT,
                                 seizure_reason="Found on patrol")
        plain = make_incident(ranger, category="poaching", status=IncidentStatus.DRAFT)
        urls = f"/incidents/{incident.id}/edit", f"/incidents/{plain.id}/edit"
    assert is_open(seizure_section(client.get(urls[0]).get_data(as_text=True))[0])
    assert not is_open(seizure_section(client.get(urls[1]).get_data(as_text=True))[0])


def test_paws_seized_on_a_poaching_patrol_reach_the_cites_report(app, client, login_as, ranger):
    """Recorded through the form as poaching with a reason for seizure, verified by a
    coordinator: the CITES report has the paws under their CITES term (FOO)."""
    response = client.post("/incidents/new", data=valid_form(
        app, category="poaching", seizure_reason="Carried out of the park", disposal="Held as evidence"))
    assert response.status_code == 302
    with app.app_context():
        incident = db.session.scalar(select(Incident))
        incident_id, ref, version = incident.id, incident.ref, incident.version
        year = local_date(incident.occurred_at).year
    login_as(Role.COORDINATOR)
    assert client.post(f"/incidents/{incident_id}/status",
                       data={"target": "verified", "verified-version": str(version)}).status_code == 302
    login_as(Role.MANAGER)
    rows = read_csv(client.get(f"/reports/cites-aitr.csv?year={year}").data)
    paws = [r for r in rows if ref in r["Additional information"]]
    assert [(r["Description of specimen"], r["Quantity"], r["Reason for seizure"], r["Disposal of specimens"])
            for r in paws] == [("FOO", "2", "Carried out of the park", "Held as evidence"),
                               ("BON", "3", "Carried out of the park", "Held as evidence")]
