"""Recording an incident through the form: every validation rule, input kept, one transaction."""
import uuid
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.support.incidents import place_id, product_id, seed, species_id
from tracker.extensions import db
from tracker.models import AuditEvent, Incident, IncidentItem, IncidentStatus, Role


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def ranger(app, login_as):
    seed(app)
    return login_as(Role.RANGER, unit="Land of the Leopard rangers")


def valid_form(app, **overrides):
    with app.app_context():
        data = {
            "client_uuid": str(uuid.uuid4()), "category": "poaching",
            "occurred_at": (datetime.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "place": str(place_id("Land of the Leopard National Park")), "lat": "43.1", "lon": "131.45",
            "location_text": "Near the ford", "description": "Two paws and bones in a bag.",
            "patrol_ref": "P-17", "detection_method": "patrol", "suspects": "1", "arrests": "1",
            "estimated_value": "", "currency": "",
            "items-0-product": str(product_id("paw")), "items-0-species": str(species_id("Panthera tigris altaica")),
            "items-0-quantity": "2", "items-0-unit": "pcs", "items-0-notes": "",
            "items-1-product": str(product_id("bone")), "items-1-species": str(species_id("Panthera tigris altaica")),
            "items-1-quantity": "3", "items-1-unit": "kg", "items-1-notes": "",
            "submit": "Submit for review",
        }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_ranger_records_a_seizure(app, client, ranger):
    response = client.post("/incidents/new", data=valid_form(app))
    assert response.status_code == 302
    with app.app_context():
        incident = db.session.scalar(select(Incident))
        assert incident.ref.startswith(f"INC-{datetime.now().year}-") and len(incident.ref) == 15
        assert incident.status is IncidentStatus.SUBMITTED and incident.sensitive
        assert [(i.product.slug, float(i.quantity), i.unit) for i in incident.items] == [
            ("paw", 2, "pcs"), ("bone", 3, "kg")]
        assert incident.unit == "Land of the Leopard rangers" and incident.country == "RU"
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.incident_id == incident.id)) == "create"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "recorded and submitted for review" in page and "Sensitive" in page


def test_save_as_draft(app, client, ranger):
    form = valid_form(app, submit=None, save_draft="Save as draft")
    client.post("/incidents/new", data=form)
    with app.app_context():
        assert db.session.scalar(select(Incident.status)) is IncidentStatus.DRAFT


def test_double_submission_creates_one_incident(app, client, ranger):
    form = valid_form(app)
    first = client.post("/incidents/new", data=form)
    second = client.post("/incidents/new", data=form)
    assert second.status_code == 302 and second.headers["Location"] == first.headers["Location"]
    with app.app_context():
        assert count(Incident) == 1


def test_references_are_consecutive_and_unique(app, client, ranger):
    for _ in range(3):
        client.post("/incidents/new", data=valid_form(app))
    with app.app_context():
        refs = db.session.scalars(select(Incident.ref).order_by(Incident.id)).all()
    assert [int(r[-6:]) for r in refs] == [1, 2, 3]


BAD_INPUT = [
    ({"lat": "95", "lon": "131"}, "lat", "Out of range"),
    ({"lat": "43.1", "lon": "200"}, "lon", "Out of range"),
    ({"lat": "forty three", "lon": "131"}, "lat", "Not a coordinate we can read"),
    ({"lat": "43.1", "lon": ""}, "lon", "Enter the longitude too"),
    ({"lat": "", "lon": "131.45"}, "lon", "Enter both latitude and longitude"),
    ({"items-0-quantity": "0"}, "items-0-quantity", "greater than zero"),
    ({"items-0-quantity": "-3"}, "items-0-quantity", "greater than zero"),
    ({"items-0-quantity": "lots"}, "items-0-quantity", "Not a valid decimal"),
    ({"items-0-product": ""}, "items-0-product", "Choose what was found or seized"),
    ({"category": ""}, "category", "Choose a category"),
    ({"category": "no-such-category"}, "category", "Not a valid choice"),
    ({"occurred_at": (datetime.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")}, "occurred_at", "in the future"),
    ({"occurred_at": "1985-05-01T10:00"}, "occurred_at", "before 1990"),
    ({"occurred_at": ""}, "occurred_at", "Enter the date and time"),
    ({"suspects": "1", "arrests": "3"}, "arrests", "more arrests than suspects"),
    ({"suspects": "-1"}, "suspects", "between 0 and 10000"),
    ({"estimated_value": "5000", "currency": ""}, "currency", "Choose the currency"),
    ({"description": "x" * 10001}, "description", "10000"),
]


@pytest.mark.parametrize("overrides,field,message", BAD_INPUT)
def test_bad_input_is_refused_next_to_the_field_and_input_kept(app, client, ranger, overrides, field, message):
    form = valid_form(app, **overrides)
    response = client.post("/incidents/new", data=form)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="{field}-error"' in body and message in body.replace("\u00a0", " ")
    assert 'value="Near the ford"' in body  # input kept
    assert "description" in overrides or "Two paws and bones in a bag." in body
    assert body.count('name="items-') >= 10  # both item rows kept
    with app.app_context():
        assert count(Incident) == 0 and count(IncidentItem) == 0
        assert db.session.scalar(select(func.count()).where(AuditEvent.actor_id == ranger)) == 0


def test_no_items_is_refused(app, client, ranger):
    form = {k: v for k, v in valid_form(app).items() if not k.startswith("items-")}
    body = client.post("/incidents/new", data=form).get_data(as_text=True)
    assert "Choose what was found or seized" in body
    with app.app_context():
        assert count(Incident) == 0


def test_degrees_minutes_seconds_are_understood(app, client, ranger):
    body = client.post("/incidents/new", data=valid_form(app, lat="43°06'30\"N 131°27'E", lon="",
                                                        category="")).get_data(as_text=True)
    assert "Understood as 43.108333, 131.450000" in body
    client.post("/incidents/new", data=valid_form(app, lat="43°06'30\"N", lon="131°27'E"))
    with app.app_context():
        incident = db.session.scalar(select(Incident))
        assert (round(incident.lat, 6), incident.lon) == (43.108333, 131.45)


def test_add_and_remove_item_without_javascript(app, client, ranger):
    body = client.post("/incidents/new", data=valid_form(app, submit=None, add_item="Add item")).get_data(as_text=True)
    assert 'name="items-2-product"' in body
    with app.app_context():
        assert count(Incident) == 0
    body = client.post("/incidents/new", data=valid_form(app, submit=None, remove_item="0")).get_data(as_text=True)
    assert 'name="items-1-product"' not in body and 'value="3"' in body


def test_script_in_description_is_shown_as_text(app, client, ranger):
    attack = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    response = client.post("/incidents/new", data=valid_form(app, description=attack))
    body = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<img src=x" not in body


def test_nothing_is_half_written_when_the_save_fails(app, client, ranger, monkeypatch):
    import tracker.incidents.services as services

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.chain, "record", broken)
    app.testing = False
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert client.post("/incidents/new", data=valid_form(app)).status_code == 500
    with app.app_context():
        assert count(Incident) == 0 and count(IncidentItem) == 0


def test_managers_and_admins_cannot_record(app, client, login_as):
    seed(app)
    login_as(Role.MANAGER)
    assert client.get("/incidents/new").status_code == 403
    assert client.post("/incidents/new", data=valid_form(app)).status_code == 403


def test_trade_fields_are_stored(app, client, ranger):
    client.post("/incidents/new", data=valid_form(app, category="trafficking", transport_mode="Truck",
                                                  concealment="Under a load of cabbages", origin_country="RU",
                                                  destination_country="CN"))
    with app.app_context():
        incident = db.session.scalar(select(Incident))
        assert (incident.transport_mode, incident.destination_country) == ("Truck", "CN")


def test_a_mongolian_ranger_records_an_incident_in_mongolian(app, client, login_as):
    """Labels, WTForms' and the app's messages, species and place names and the flash, all in
    Mongolian (Cyrillic); what was typed comes back after an error and nothing is stored."""
    seed(app)
    login_as(Role.RANGER, unit="Онон-Балж", language="mn", timezone="Asia/Ulaanbaatar")
    page = client.get("/incidents/new").get_data(as_text=True)
    for text in ("Ангилал", "Хэзээ, хаана", "Тусгай хамгаалалттай газар нутаг эсвэл бүс нутаг", "Тоо хэмжээ",
                 "Онон-Балжийн байгалийн цогцолборт газар", "Тарвага", "Хулгайн ан", "Хянуулахаар илгээх"):
        assert text in page, text
    with app.app_context():
        place, skin, marmot = place_id("Onon-Balj National Park"), product_id("skin"), species_id("Marmota sibirica")
    form = valid_form(app, place=str(place), lat="49.15", lon="111.6", description="Тарваганы 12 арьс хураан авав.",
                      detection_method="", **{"items-0-product": str(skin), "items-0-species": str(marmot),
                                              "items-0-quantity": "", "items-1-product": None, "items-1-species": None,
                                              "items-1-quantity": None, "items-1-unit": None, "items-1-notes": None})
    refused = client.post("/incidents/new", data=form).get_data(as_text=True)
    assert "Энэ талбарыг заавал бөглөнө." in refused  # WTForms' own message, from the app's catalog
    assert "Тоо хэмжээг оруулна уу." in refused and "Тарваганы 12 арьс хураан авав." in refused
    with app.app_context():
        assert count(Incident) == 0
    recorded = client.post("/incidents/new", data={**form, "detection_method": "patrol", "items-0-quantity": "12"},
                           follow_redirects=True).get_data(as_text=True)
    with app.app_context():
        incident = db.session.scalar(select(Incident))
        assert incident.country == "MN" and incident.sensitive  # the marmot is IUCN EN
    assert f"{incident.ref} дугаартай тохиолдлыг бүртгэж, хянуулахаар илгээлээ." in recorded
    for text in ("Тарвага", "Арьс", "Онон-Балжийн байгалийн цогцолборт газар", "Нууцлалтай", "Эргүүл"):
        assert text in recorded, text
