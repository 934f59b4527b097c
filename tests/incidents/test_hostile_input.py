"""Input that used to give a 500 or store something wrong on the incident form (issue "Records
that hold up in court", defect 7). Each is refused with one message next to its field, the
form keeps what was typed, and nothing is stored; or it is understood as a ranger means it."""
import re
from decimal import Decimal

import pytest
from markupsafe import escape
from sqlalchemy import select

from tests.incidents.test_create import valid_form
from tests.incidents.test_edit import edit_form
from tests.support.forms import database_digest, field_errors
from tests.support.incidents import make_incident, seed
from tracker.extensions import db
from tracker.models import Incident, IncidentItem, Role

NOT_A_NUMBER = "Enter a number such as 12 or 1.5."
CONTROL = ("This text contains invisible control characters, which are not accepted. They have been "
           "removed: check the text and try again.")
THREE_PLACES = "Use at most 3 digits after the decimal point."
SIGN_AND_LETTER = "Use either a sign (-43) or a hemisphere letter (43 S), not both."
NULL_ISLAND = ("0°, 0° is in the open sea off West Africa: the position was probably not captured. "
               "Enter the real position, or leave both boxes empty.")

REFUSED = [
    ({"items-0-quantity": "NaN"}, "items-0-quantity", NOT_A_NUMBER),
    ({"items-0-quantity": "sNaN"}, "items-0-quantity", NOT_A_NUMBER),
    ({"items-0-quantity": "inf"}, "items-0-quantity", NOT_A_NUMBER),
    ({"items-0-quantity": "-inf"}, "items-0-quantity", NOT_A_NUMBER),
    ({"items-0-quantity": "-Infinity"}, "items-0-quantity", NOT_A_NUMBER),
    ({"items-0-quantity": "1e999"}, "items-0-quantity", "This quantity is too large."),
    ({"estimated_value": "NaN", "currency": "RUB"}, "estimated_value", NOT_A_NUMBER),
    ({"estimated_value": "Infinity", "currency": "RUB"}, "estimated_value", NOT_A_NUMBER),
    # Numeric(14, 2): PostgreSQL refuses 10^12 (a 500 before), SQLite stored it.
    ({"estimated_value": "1000000000000", "currency": "RUB"}, "estimated_value", "This number is too large."),
    # More decimals than the column keeps: rounded to 0 (the CHECK fires on PostgreSQL) or kept
    # as 1e-07 by SQLite and exported as 0.
    ({"items-0-quantity": "0.0000001"}, "items-0-quantity", THREE_PLACES),
    ({"items-0-quantity": "0.0004"}, "items-0-quantity", THREE_PLACES),
    ({"items-0-quantity": "1e-07"}, "items-0-quantity", THREE_PLACES),
    ({"items-0-quantity": "2.0005"}, "items-0-quantity", THREE_PLACES),
    ({"estimated_value": "1500.999", "currency": "RUB"}, "estimated_value",
     "Use at most 2 digits after the decimal point."),
    # One message, and the right one (no "too large" for what is not a number at all).
    ({"items-0-quantity": "lots"}, "items-0-quantity", "Not a valid decimal value."),
    ({"items-0-quantity": "1,500"}, "items-0-quantity",
     "Is it 1.500 or 1500? Write the number with a decimal point and without thousands separators."),
    ({"suspects": "many"}, "suspects", "Not a valid integer value."),
    # A sign and a hemisphere letter: N-43 was stored as 43° south.
    ({"lat": "N-43", "lon": "131"}, "lat", SIGN_AND_LETTER),
    ({"lat": "-43S", "lon": "131"}, "lat", SIGN_AND_LETTER),
    ({"lat": "43", "lon": "-131 E"}, "lon", SIGN_AND_LETTER),
    # Null Island: a GPS without a fix, or a form default, never a real incident here.
    ({"lat": "0", "lon": "0"}, "lon", NULL_ISLAND),
    ({"lat": "-0", "lon": "-0"}, "lon", NULL_ISLAND),
    ({"lat": "0°N", "lon": "0°00'00\"E"}, "lon", NULL_ISLAND),
]


@pytest.fixture
def ranger(app, login_as):
    seed(app)
    return login_as(Role.RANGER, unit="Unit A")


def post_new(app, client, overrides):
    return client.post("/incidents/new", data=valid_form(app, **overrides))


def assert_refused(response, field, message, typed):
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert field_errors(body).get(field) == message, field_errors(body)
    assert str(escape(typed)) in body  # what was typed is still in the form


@pytest.mark.parametrize("overrides,field,message", REFUSED)
def test_new_incident_refuses_with_one_message_and_stores_nothing(app, client, ranger, overrides, field, message):
    with app.app_context():
        before = database_digest()
    assert_refused(post_new(app, client, overrides), field, message, overrides[field])
    with app.app_context():
        assert database_digest() == before


@pytest.mark.parametrize("overrides,field,message", REFUSED)
def test_edit_refuses_with_one_message_and_changes_nothing(app, client, ranger, overrides, field, message):
    with app.app_context():
        incident_id = make_incident(ranger).id
        before = database_digest()
    data = edit_form(client, incident_id) | {"currency": "RUB"} | overrides
    assert_refused(client.post(f"/incidents/{incident_id}/edit", data=data), field, message, overrides[field])
    with app.app_context():
        assert database_digest() == before


@pytest.mark.parametrize("field", ["description", "location_text", "patrol_ref", "items-0-notes", "concealment"])
def test_nul_and_control_characters_are_refused_and_removed_from_the_form(app, client, ranger, field):
    """PostgreSQL refuses NUL in text (this was a 500); other control characters are invisible
    junk in a court record. The form shows the text without them, to be checked and saved again."""
    with app.app_context():
        before = database_digest()
    response = post_new(app, client, {field: "Two paws\x00 and\x07 bones\x1b"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and field_errors(body).get(field) == CONTROL
    assert "Two paws and bones" in body and "\x00" not in body and "\x07" not in body
    with app.app_context():
        assert database_digest() == before
    # Saving the cleaned text again works; tabs and line breaks were never the problem.
    assert post_new(app, client, {field: "Two paws and bones"}).status_code == 302
    assert post_new(app, client, {"description": "Line one\r\nLine two\tand a tab"}).status_code == 302


@pytest.mark.parametrize("field,typed,shown", [
    ("lat", "43.1\x00", 'value="43.1"'), ("items-0-quantity", "2\x00", 'value="2"'), ("suspects", "1\x07", 'value="1"'),
    ("estimated_value", "\x00", 'name="estimated_value" step="any" type="number" value=""'),
])
def test_control_characters_in_other_fields_get_the_same_one_message(app, client, ranger, field, typed, shown):
    """Not "not a valid number": the visible text may be fine. The form shows it without them."""
    response = post_new(app, client, {field: typed, "currency": "RUB"})
    body = response.get_data(as_text=True)
    assert field_errors(body) == {field: CONTROL} and "\x00" not in body and "\x07" not in body
    assert shown in body


def test_a_missing_submission_key_is_issued_as_on_a_first_visit(app, client, ranger):
    assert client.post("/incidents/new", data=valid_form(app, client_uuid="")).status_code == 302


@pytest.mark.parametrize("tampered", ["None", "nan", "garbage", "\x00"])
def test_a_tampered_submission_key_is_refused_and_a_fresh_one_issued(app, client, ranger, tampered):
    form = valid_form(app, client_uuid=tampered)
    response = client.post("/incidents/new", data=form)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The form arrived damaged. Check your input and save again." in body
    assert 'value="Near the ford"' in body
    with app.app_context():
        assert db.session.scalar(select(Incident.id)) is None
    # Saving again, as the page invites, records the incident once.
    fresh = re.search(r'name="client_uuid" type="hidden" value="([0-9a-f-]{36})"', body).group(1)
    assert client.post("/incidents/new", data=form | {"client_uuid": fresh}).status_code == 302
    assert client.post("/incidents/new", data=form | {"client_uuid": fresh}).status_code == 302
    with app.app_context():
        assert len(db.session.scalars(select(Incident.id)).all()) == 1


def test_a_decimal_comma_is_understood_in_quantities(app, client, ranger):
    """Rangers with a Russian keyboard write 1,5 for one and a half."""
    assert post_new(app, client, {"items-0-quantity": "1,5", "items-1-quantity": "0,25"}).status_code == 302
    with app.app_context():
        quantities = db.session.scalars(select(IncidentItem.quantity).order_by(IncidentItem.position)).all()
    assert [Decimal(q) for q in quantities] == [Decimal("1.5"), Decimal("0.25")]


def test_three_decimals_are_kept_exactly(app, client, ranger):
    assert post_new(app, client, {"items-0-quantity": "0.001", "items-1-quantity": "2.500"}).status_code == 302
    with app.app_context():
        quantities = db.session.scalars(select(IncidentItem.quantity).order_by(IncidentItem.position)).all()
    assert [Decimal(q) for q in quantities] == [Decimal("0.001"), Decimal("2.5")]


def test_negative_zero_is_stored_as_zero(app, client, ranger):
    assert post_new(app, client, {"lat": "-0", "lon": "131.45"}).status_code == 302
    with app.app_context():
        assert str(db.session.scalar(select(Incident.lat))) == "0.0"


@pytest.mark.parametrize("typed", ["1,5;", "43,1:131,4"])
def test_an_unreadable_pasted_pair_gets_one_message_at_the_latitude(app, client, ranger, typed):
    """Not also "enter both latitude and longitude": the ranger did, in one box."""
    body = post_new(app, client, {"lat": typed, "lon": ""}).get_data(as_text=True)
    assert list(field_errors(body)) == ["lat"] and field_errors(body)["lat"].startswith("Not a coordinate")


def test_a_lone_decimal_comma_latitude_asks_for_the_longitude_rightly_either_way(app, client, ranger):
    """`1,5` in the latitude box is 1.5 (Russian habit) or the pair 1, 5: the one message is
    right for both readings."""
    body = post_new(app, client, {"lat": "1,5", "lon": ""}).get_data(as_text=True)
    assert field_errors(body) == {"lon": "Enter the longitude too, or leave both boxes empty. A pair pasted into "
                                         "the latitude box needs a space after the comma: 43.1, 131.4."}


def test_a_pair_with_decimal_commas_pasted_without_spaces_is_understood(app, client, ranger):
    assert post_new(app, client, {"lat": "43,1,131,45", "lon": ""}).status_code == 302
    with app.app_context():
        assert db.session.execute(select(Incident.lat, Incident.lon)).one() == (43.1, 131.45)


def items(form, count):
    rows = {key: value for key, value in form.items() if not key.startswith("items-")}
    for n in range(count):
        rows |= {f"items-{n}-product": form["items-0-product"], f"items-{n}-species": "",
                 f"items-{n}-quantity": str(n + 1), f"items-{n}-unit": "pcs", f"items-{n}-notes": ""}
    return rows


def test_more_than_fifty_items_are_refused_not_dropped(app, client, ranger):
    response = client.post("/incidents/new", data=items(valid_form(app), 55))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert ("An incident can list at most 50 items. This form had 55 rows; only the first 50 are shown. "
            "Record the other items as a second incident.") in body
    with app.app_context():
        assert db.session.scalar(select(Incident.id)) is None
    assert client.post("/incidents/new", data=items(valid_form(app), 50)).status_code == 302


def test_adding_a_fifty_first_item_explains_the_limit(app, client, ranger):
    """The form's own "Add item" button (without JavaScript) was a 500 at 50 rows."""
    form = items(valid_form(app, submit=None, add_item="Add item"), 50)
    response = client.post("/incidents/new", data=form)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "An incident can list at most 50 items. Record the other items as a second incident." in body
    assert 'name="items-49-product"' in body and 'name="items-50-product"' not in body
    assert 'data-max-items="50"' in body  # the browser stops adding rows there and asks the server


@pytest.mark.parametrize("index", ["²", "١", "99999999999999999999"])
def test_odd_row_numbers_do_not_break_the_form(app, client, ranger, index):
    """`str.isdigit()` is true for ², which int() refuses: row numbers and the remove button."""
    form = valid_form(app) | {f"items-{index}-product": "1", f"items-{index}-quantity": "1"}
    assert client.post("/incidents/new", data=form).status_code in (200, 302)
    form = valid_form(app, submit=None, save_draft=None, remove_item=index)
    assert client.post("/incidents/new", data=form).status_code in (200, 302)
