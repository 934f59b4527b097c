"""A Hypothesis sweep over every form and filter of the app with hostile values: text with NUL
and control characters, huge and odd unicode, NaN, infinities, huge and many-decimal numbers,
malformed dates and the years 0001 and 9999, wrong choices, tampered hidden fields.

Whatever comes in, the answer is never a 5xx, and when the input is refused (a 4xx, the form
shown again, or an error message after a redirect) the database is unchanged, row for row.
Each test seeds one app and sends one request per example (tests/support/fuzz.py); it runs on
SQLite and PostgreSQL like the rest of the suite (TEST_DB).
"""
from __future__ import annotations

import io
import re
import uuid
from urllib.parse import quote

import pytest
from flask_wtf import FlaskForm
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from tests.admin.test_users import NEW_USER
from tests.evidence import files
from tests.imports.conftest import reports_dir, upload  # noqa: F401  (the fixture keeps job files in tmp)
from tests.imports.files import VALID, csv_file, row
from tests.incidents.test_create import valid_form
from tests.incidents.test_edit import edit_form
from tests.support.factories import PASSWORD, make_user
from tests.support.forms import database_digest
from tests.support.fuzz import COORDINATE, DATE, DATETIME, NUMBER, OFFSET, SWEEP, TEXT, changes, choice, send
from tests.support.incidents import make_incident, seed
from tracker.admin.reference import REFERENCE_TABLES
from tracker.extensions import db
from tracker.forms import Form
from tracker.i18n import LANGUAGE_NAMES
from tracker.incidents.forms import TRADE_FIELDS
from tracker.labels import TIMEZONES
from tracker.models import (
    CITES_APPENDICES,
    COUNTRIES,
    CURRENCIES,
    IUCN_CATEGORIES,
    UNITS,
    Category,
    DetectionMethod,
    IncidentStatus,
    Outcome,
    Place,
    Product,
    ProductScope,
    Role,
    Species,
    SpeciesGroup,
)

LANGUAGES = ("", *LANGUAGE_NAMES)
STATUSES = [s.value for s in IncidentStatus] + ["open", "verified-or-later"]


@pytest.fixture
def app_config(app_config):
    """The sweep sends hundreds of requests a minute: the rate limits are tested elsewhere."""
    app_config.LOGIN_RATE_LIMIT = app_config.EVIDENCE_STAGE_RATE_LIMIT = "100000 per minute"
    return app_config


def ids(model) -> list[int]:
    return db.session.scalars(select(model.id).order_by(model.id)).all()


def incident_fields() -> dict:
    """Every field of the incident form, and the row numbers and buttons a browser could send."""
    products, species = ids(Product), ids(Species)
    return {
        "category": choice(*db.session.scalars(select(Category.slug))), "occurred_at": DATETIME,
        "occurred_offset": OFFSET, "occurred_fold": OFFSET, "country": choice("", "RU", "CN", "MN", "XX"),
        "place": choice("", *ids(Place)), "lat": COORDINATE, "lon": COORDINATE, "location_text": TEXT,
        "description": TEXT, "patrol_ref": TEXT, "detection_method": choice(*(d.value for d in DetectionMethod)),
        "suspects": NUMBER, "arrests": NUMBER, "estimated_value": NUMBER, "currency": choice("", *CURRENCIES),
        **{name: TEXT for name in TRADE_FIELDS},
        "items-0-product": choice(*products), "items-0-species": choice("", *species), "items-0-quantity": NUMBER,
        "items-0-unit": choice(*UNITS), "items-0-notes": TEXT, "items-1-quantity": NUMBER,
        "items-²-product": choice(*products), "items-99999999999999999999-quantity": NUMBER,
        "items-77-product": choice(*products), "client_uuid": TEXT, "version": NUMBER, "remove_item": NUMBER,
        "add_item": st.just("Add item"), "pending_evidence": TEXT,
    }


def test_incident_form(app, client, login_as):
    seed(app)
    login_as(Role.RANGER, unit="Unit A")
    with app.app_context():
        fields = incident_fields()
    baseline = valid_form(app)

    @SWEEP
    @given(changes(fields))
    def sweep(change):
        send(app, client, "POST", "/incidents/new", data=baseline | {"client_uuid": str(uuid.uuid4())} | change)

    sweep()


def test_incident_edit_form(app, client, login_as):
    seed(app)
    ranger = login_as(Role.RANGER, unit="Unit A")
    with app.app_context():
        fields = incident_fields()
        incident_id = make_incident(ranger, status=IncidentStatus.DRAFT).id

    @SWEEP
    @given(changes(fields))
    def sweep(change):
        send(app, client, "POST", f"/incidents/{incident_id}/edit", data=edit_form(client, incident_id) | change)

    sweep()


@st.composite
def status_steps(draw):
    """A step from the page's own forms (prefixed by their target), some of it hostile."""
    status = draw(st.sampled_from([IncidentStatus.DRAFT, IncidentStatus.SUBMITTED, IncidentStatus.VERIFIED]))
    target = draw(choice(*STATUSES))
    prefix = draw(st.one_of(st.just(target), TEXT))
    fields = {f"{prefix}-version": st.one_of(st.just("1"), NUMBER), f"{prefix}-reason": TEXT,
              f"{prefix}-outcome": choice(*(o.value for o in Outcome)), f"{prefix}-penalty": TEXT}
    return status, {"target": target, f"{prefix}-version": "1", f"{prefix}-reason": "Duplicate of another",
                    f"{prefix}-outcome": "convicted"} | draw(changes(fields))


def test_status_change(app, client, login_as):
    seed(app)
    coordinator = login_as(Role.COORDINATOR)

    @SWEEP
    @given(status_steps())
    def sweep(step):
        status, data = step
        with app.app_context():
            incident_id = make_incident(coordinator, status=status).id
        send(app, client, "POST", f"/incidents/{incident_id}/status", data=data)

    sweep()


def test_mark_duplicates(app, client, login_as):
    seed(app)
    coordinator = login_as(Role.COORDINATOR)
    with app.app_context():
        first, second = (make_incident(coordinator).id for _ in range(2))

    @SWEEP
    @given(st.one_of(st.just(str(second)), NUMBER))
    def sweep(other):
        send(app, client, "POST", f"/incidents/{first}/duplicates", data={"other": other})

    sweep()


CONTENTS = [files.png(), files.jpeg(), files.pdf(), b"", files.HTML, files.jpeg()[:200], b"%PDF-", b"\x89PNG\r\n\x1a\n"]
FILE_NAMES = st.one_of(TEXT, st.tuples(TEXT, st.sampled_from([".png", ".jpg", ".pdf", ".html", ""])).map("".join))


def test_evidence_uploads(app, client, login_as):
    seed(app)
    ranger = login_as(Role.RANGER, unit="Unit A")
    with app.app_context():
        incident_id = make_incident(ranger).id

    @SWEEP
    @given(st.sampled_from(CONTENTS) | st.binary(max_size=64), FILE_NAMES, st.sampled_from(["files", "file"]),
           st.booleans())
    def sweep(content, name, field, staged):
        path = "/evidence/stage" if staged else f"/incidents/{incident_id}/evidence"
        send(app, client, "POST", path, data={field: (io.BytesIO(content), name)}, content_type="multipart/form-data")

    sweep()


def test_account_forms(app, client, login_as):
    login_as(Role.RANGER, username="anna")
    password = {"pw-current_password": PASSWORD, "pw-new_password": "a long and fine passphrase",
                "pw-confirm": "a long and fine passphrase", "pw-submit": "1"}
    preferences = {"pref-language": "ru", "pref-timezone": "Asia/Vladivostok", "pref-submit_preferences": "1"}
    fields = {"pw-current_password": TEXT, "pw-new_password": TEXT, "pw-confirm": TEXT, "pw-submit": TEXT,
              "pref-language": choice(*LANGUAGES), "pref-timezone": choice(*TIMEZONES), "pref-submit_preferences": TEXT}

    @SWEEP
    @given(st.sampled_from([password, preferences]), changes(fields))
    def sweep(form, change):
        send(app, client, "POST", "/account", data=form | change)

    sweep()


def test_token_form(app, client, login_as):
    login_as(Role.RANGER)

    @SWEEP
    @given(changes({"token-name": TEXT, "token-valid_for": choice("7", "30", "90", "365"), "token-submit_token": TEXT}))
    def sweep(change):
        send(app, client, "POST", "/account/tokens",
             data={"token-name": "sync", "token-valid_for": "30", "token-submit_token": "1"} | change)

    sweep()


def test_sign_in_and_language(app, client):
    with app.app_context():
        make_user(Role.RANGER, username="anna")

    @SWEEP
    @given(changes({"username": choice("anna"), "password": choice(PASSWORD), "next": TEXT}),
           changes({"lang": choice(*LANGUAGE_NAMES), "next": TEXT}))
    def sweep(login, language):
        send(app, client, "POST", "/login", unchanged_if_refused=False,
             data={"username": "anna", "password": "wrong password"} | login)
        send(app, client, "POST", "/language", data=language)

    sweep()


USER_FIELDS = {"username": TEXT, "display_name": TEXT, "role": choice(*(r.value for r in Role)), "unit": TEXT,
               "language": choice(*LANGUAGES), "active": choice("y", ""), "exact_location_grant": choice("y", ""),
               "password": TEXT}


def test_admin_user_forms(app, client, login_as):
    login_as(Role.ADMIN)
    with app.app_context():
        other = make_user(Role.RANGER, username="oleg").id
    edit = {k: v for k, v in NEW_USER.items() if k not in ("username", "password")}

    @SWEEP
    @given(st.sampled_from(["create", "edit", "reset"]), changes(USER_FIELDS | {"reset-new_password": TEXT}))
    def sweep(action, change):
        if action == "create":
            data = NEW_USER | {"username": f"u{uuid.uuid4().hex[:12]}"}
            send(app, client, "POST", "/admin/users/new", data=data | change)
        elif action == "edit":
            send(app, client, "POST", f"/admin/users/{other}", data=edit | {"submit": "Save"} | change)
        else:
            data = {"reset-new_password": "snow on the cedar ridge", "reset-submit_reset": "1"}
            send(app, client, "POST", f"/admin/users/{other}", data=data | change)

    sweep()


NAMES = {"name_en": TEXT, "name_ru": TEXT, "name_zh": TEXT, "active": choice("y", "")}
REFERENCE_FORMS = {
    "categories": ({"name_en": "Snares", "description": "", "position": "3"},
                   {"slug": TEXT, "description": TEXT, "position": NUMBER}),
    "species": ({"name_en": "Lynx", "group": "mammal"},
                {"scientific_name": TEXT, "group": choice(*(g.value for g in SpeciesGroup)),
                 "cites_appendix": choice("", *CITES_APPENDICES), "iucn_status": choice("", *IUCN_CATEGORIES)}),
    "products": ({"name_en": "Claw", "applies_to": "animal", "default_unit": "pcs"},
                 {"slug": TEXT, "applies_to": choice(*(s.value for s in ProductScope)), "default_unit": choice(*UNITS),
                  "cites_term": TEXT}),
    "places": ({"name_en": "Bikin", "kind": "protected_area", "country": "RU", "parent_id": ""},
               {"kind": choice("protected_area", "region"), "country": choice(*COUNTRIES),
                "parent_id": NUMBER, "lat": COORDINATE, "lon": COORDINATE}),
}
UNIQUE_KEY = {"categories": "slug", "species": "scientific_name", "products": "slug", "places": "name_en"}


@pytest.mark.parametrize("table", sorted(REFERENCE_TABLES))
def test_reference_forms(app, client, login_as, table):
    seed(app)
    login_as(Role.ADMIN)
    baseline, fields = REFERENCE_FORMS[table]
    model = REFERENCE_TABLES[table].model
    with app.app_context():
        row_ids = ids(model)[:3]

    @SWEEP
    @given(st.sampled_from([None, *row_ids]), changes(NAMES | fields))
    def sweep(row_id, change):
        key = f"k{uuid.uuid4().hex[:10]}"
        path = f"/admin/reference/{table}/{row_id or 'new'}"
        send(app, client, "POST", path, data=baseline | {UNIQUE_KEY[table]: key} | change)

    sweep()


def filter_fields() -> dict:
    return {"q": TEXT, "category": choice(*db.session.scalars(select(Category.slug))), "status": choice(*STATUSES),
            "country": choice(*COUNTRIES), "place": choice(*ids(Place)), "species": choice(*ids(Species)),
            "product": choice(*ids(Product)), "detection": choice(*(d.value for d in DetectionMethod)),
            "reporter": NUMBER, "date_from": DATE, "date_to": DATE, "sensitive": choice("1"),
            "sort": choice("occurred", "created"), "cursor": TEXT, "page": NUMBER,
            "format": st.one_of(TEXT, choice("csv", "xlsx", "pdf", "cites-csv")), "year": NUMBER,
            "bbox": st.one_of(TEXT, st.lists(NUMBER, min_size=4, max_size=4).map(",".join))}


def with_incidents(app, login_as, role) -> int:
    seed(app)
    user = login_as(role, unit="Unit A")
    with app.app_context():
        reporter = user if role is Role.RANGER else make_user(Role.RANGER, unit="Unit A").id
        for status in (IncidentStatus.SUBMITTED, IncidentStatus.VERIFIED, IncidentStatus.DRAFT):
            make_incident(reporter, status=status)
    return user


@pytest.mark.parametrize("role,path", [(Role.RANGER, "/incidents"), (Role.MANAGER, "/incidents/map.json"),
                                       (Role.MANAGER, "/reports"), (Role.MANAGER, "/reports/download")])
def test_list_and_report_filters(app, client, login_as, role, path):
    with_incidents(app, login_as, role)
    with app.app_context():
        fields = filter_fields()

    @SWEEP
    @given(changes(fields, most=4))
    def sweep(query):
        send(app, client, "GET", path, query_string=query)

    sweep()


def test_list_view_choice(app, client, login_as):
    with_incidents(app, login_as, Role.COORDINATOR)

    @SWEEP
    @given(changes({"view": choice("cards", "table", "map"), "next": TEXT}, most=2))
    def sweep(data):
        send(app, client, "POST", "/incidents/view", data=data)
        send(app, client, "GET", "/incidents")

    sweep()


def test_dashboard_filters_and_map(app, client, login_as):
    with_incidents(app, login_as, Role.COORDINATOR)
    with app.app_context():
        fields = filter_fields()
        slugs = db.session.scalars(select(Category.slug)).all()

    @SWEEP
    @given(choice(*slugs), st.sampled_from(["", "/map.json"]), changes(fields, most=4))
    def sweep(slug, page, query):
        send(app, client, "GET", f"/dashboards/{quote(slug, safe='')}{page}", query_string=query)

    sweep()


def import_files() -> st.SearchStrategy[bytes]:
    """A valid import CSV with a few cells replaced by hostile values, or a file that is no CSV."""
    cells = {name: TEXT for name in VALID} | {
        "occurred_at_utc": st.one_of(DATETIME.map(lambda moment: moment + ":00Z"), TEXT), "occurred_date": DATE,
        "reported_at_utc": st.one_of(DATETIME, TEXT), "lat": COORDINATE, "lon": COORDINATE, "suspects": NUMBER,
        "arrests": NUMBER, "estimated_value": NUMBER, "quantity": NUMBER, "currency": choice("", *CURRENCIES),
        "status": choice(*(s.value for s in IncidentStatus)), "quantity_unit": choice("", *UNITS),
        "country": choice("", *COUNTRIES), "coordinate_precision": choice("", "exact", "0.1deg")}
    rows = st.lists(changes(cells), min_size=1, max_size=3).map(
        lambda changed: csv_file([row(n, **change) for n, change in enumerate(changed, 1)]))
    others = st.sampled_from([files.png(), b"", b"PK\x03\x04zip", "Следы".encode("cp1251"), b"\xff\xfea\x00"])
    return st.one_of(rows, others, st.binary(max_size=256), TEXT.map(str.encode))


def test_import_forms(app, client, login_as):
    """The upload and its dry run (which never writes, whatever the file holds) and the confirmation."""
    seed(app)
    login_as(Role.ADMIN)
    checked = upload(client, csv_file([row(1)]))
    sha256 = re.search(r'name="sha256" type="hidden" value="([0-9a-f]{64})"', checked.page).group(1)

    @SWEEP
    @given(import_files(), FILE_NAMES, choice("incident_ref", "patrol_ref", "description"), choice(sha256))
    def sweep(content, name, key, confirmed):
        with app.app_context():
            before = database_digest()
        send(app, client, "POST", "/admin/import", data={"file": (io.BytesIO(content), name), "key": key},
             content_type="multipart/form-data")
        with app.app_context():
            assert database_digest() == before
        send(app, client, "POST", checked.url + "/confirm", data={"sha256": confirmed})

    sweep()


def test_every_form_is_swept_and_keeps_the_input_rules(app):
    """A form added to the app derives from tracker.forms.Form (so the input rules apply to it)
    and gets a place in this sweep: the list below names them all."""
    swept = {"IncidentForm", "ItemForm", "StatusForm", "PasswordChangeForm", "PreferencesForm", "TokenForm",
             "LoginForm", "ActionForm", "UserCreateForm", "UserEditForm", "PasswordResetForm", "CategoryForm",
             "SpeciesForm", "ProductForm", "PlaceForm", "FilterForm", "ReportForm", "CitesForm", "_NamesForm", "Form",
             "ImportForm", "ConfirmImportForm"}

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    forms = [cls for cls in subclasses(FlaskForm) if cls.__module__.startswith("tracker.")]
    assert [cls.__name__ for cls in forms if not issubclass(cls, Form)] == []
    assert {cls.__name__ for cls in forms} == swept
