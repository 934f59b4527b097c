"""/admin/import: managers and administrators only, CSRF, the confirmation of exactly the file that was
checked, large files in the background with a progress bar, and what the tracker records."""
from __future__ import annotations

import io
import re
import threading

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from tests.dashboards.test_rollups import recount, stored
from tests.imports.conftest import Checked, confirm, import_file, multipart, upload, wait_for
from tests.imports.files import csv_file, row
from tests.support.incidents import seed
from tracker.dashboards.rollups import rebuild
from tracker.extensions import db
from tracker.imports import importer
from tracker.incidents.demo import generate
from tracker.models import AuditEvent, Incident, ReferenceCounter, Role
from tracker.reports import jobs


@pytest.mark.parametrize("role", [Role.RANGER, Role.COORDINATOR])
def test_rangers_and_coordinators_may_not_import(app, client, login_as, role):
    login_as(role)
    assert client.get("/admin/import").status_code == 403
    response = client.post("/admin/import", **multipart({"file": FileStorage(io.BytesIO(csv_file([row(1)])),
                                                                             "a.csv"), "key": "incident_ref"}))
    assert response.status_code == 403


def test_a_manager_checks_and_imports_a_file_once(app, client, login_as):
    seed(app)
    login_as(Role.MANAGER, username="mira")
    assert 'href="/admin/import"' in client.get("/").get_data(as_text=True)
    data = csv_file([row(1), row(2)])

    imported = import_file(client, data)
    again = upload(client, data)

    assert imported.count("new") == 2 and again.count("new") == 0 and again.count("skipped") == 2
    with app.app_context():
        assert db.session.scalar(select(func.count(Incident.id))) == 2
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "import"))
        assert event.actor_name == "mira"


def test_another_administrators_import_is_unknown(app, client, login_as):
    seed(app)
    login_as(Role.ADMIN, username="first")
    checked = upload(client, csv_file([row(1)]))
    login_as(Role.ADMIN, username="second")
    for suffix in ("", "/status", "/report.csv"):
        assert client.get(checked.url + suffix).status_code == 404
    assert client.post(checked.url + "/confirm", data={"sha256": "0" * 64}).status_code == 404


def test_the_confirmation_imports_only_the_file_that_was_checked(app, client, admin):
    seed(app)
    checked = upload(client, csv_file([row(1), row(2)]))
    assert "Dry run: nothing has been written" in checked.page and checked.count("new") == 2
    assert client.post(checked.url + "/confirm", data={"sha256": "a" * 64}).status_code == 400
    with app.app_context():
        sha256 = re.search(r"SHA-256 ([0-9a-f]{64})", checked.page).group(1)
        # changed on the server meanwhile
        jobs.store().put_bytes(f"import-{sha256}.upload", csv_file([row(1), row(2), row(3)]))

    response = client.post(checked.url + "/confirm", data={"sha256": sha256}, follow_redirects=True)

    assert "The file that was checked is no longer on the server" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Incident.id))) == 0


def test_a_large_file_is_checked_and_imported_in_the_background(app, client, admin, monkeypatch):
    """Over IMPORT_SYNC_MAX_BYTES the check runs in the background and its page shows how far it
    got (held here after its first batch, so the page is seen mid-way)."""
    seed(app)
    app.config["IMPORT_SYNC_MAX_BYTES"] = 0
    monkeypatch.setattr(importer, "BATCH", 10)
    first_batch_done, go_on = threading.Event(), threading.Event()
    batch = importer.Importer._batch

    def held(self, rows):
        if self.summary.incidents > importer.BATCH:  # the second batch: the first one's progress is saved
            first_batch_done.set()
            go_on.wait(30)
        batch(self, rows)

    monkeypatch.setattr(importer.Importer, "_batch", held)
    data = csv_file([row(n) for n in range(1, 30)])
    response = client.post("/admin/import", **multipart({"file": FileStorage(io.BytesIO(data), "big.csv"),
                                                          "key": "incident_ref"}))
    url = response.headers["Location"]
    assert first_batch_done.wait(30)
    status = client.get(url + "/status").get_json()
    page = client.get(url).get_data(as_text=True)
    go_on.set()

    assert status["state"] == "running" and 0 < status["percent"] < 100
    assert f'<progress id="job-progress" max="100" value="{status["percent"]}"' in page
    assert "Checking:" in page and 'data-reload="1"' in page
    checked = Checked(url, wait_for(client, url))
    done = confirm(client, checked)

    assert checked.count("new") == 29 and done.count("written") == 1 and done.count("new") == 29
    assert client.get(done.url + "/status").get_json()["state"] == "done"


def test_a_reference_taken_here_gets_a_new_one_and_the_counter_moves_past_kept_ones(app, client, admin):
    seed(app)
    with app.app_context():
        generate(100, 3)
        rebuild(db.session)
        db.session.commit()
        taken = db.session.scalar(select(func.min(Incident.ref)))
    data = csv_file([row(1, incident_ref=taken), row(2, incident_ref="INC-2025-000040"),
                     row(3, incident_ref="legacy-17")])

    checked = upload(client, data)

    assert checked.count("new") == 3 and checked.problems == [(
        "2", "incident_ref", "Note: Another incident in this tracker has this reference: this one gets a new "
        "reference. If the file is an export of this tracker, its incidents are probably here already.")]
    confirm(client, checked)
    with app.app_context():
        refs = set(db.session.scalars(select(Incident.ref)))
        year = int(taken[4:8])
        assert "INC-2025-000040" in refs and len(refs) == 103
        new = set(db.session.scalars(select(Incident.ref).where(Incident.import_key.is_not(None))))
        assert len(new) == 3 and "INC-2025-000040" in new and taken not in new
        assert all(ref.startswith(("INC-2025-", f"INC-{year}-")) for ref in new)
        assert db.session.get(ReferenceCounter, 2025).last_number >= 40  # the tracker never gives 40 again
        assert db.session.scalar(select(Incident.import_key).where(Incident.ref == "INC-2025-000040")) == \
            "incident_ref:INC-2025-000040"
        # A few incidents added to many: the rollups were increased, not recounted, and are exact.
        assert stored() == recount()


def test_one_audit_event_per_import(app, client, admin):
    seed(app)
    import_file(client, csv_file([row(1), row(2)]), "two.csv")
    with app.app_context():
        (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "import")).all()
        assert (event.action, event.entity_type, event.incident_id) == ("import", "import", None)
        assert {k: event.changes[k] for k in ("file", "format", "key", "incidents", "items", "new", "skipped")} == {
            "file": "two.csv", "format": "csv", "key": "incident_ref", "incidents": 2, "items": 2, "new": 2,
            "skipped": 0}


@pytest.fixture
def csrf_on(app_config):
    app_config.WTF_CSRF_ENABLED = True
    return app_config


def test_posts_without_the_csrf_token_are_refused(csrf_on, app, client, admin):
    seed(app)
    data = multipart({"file": FileStorage(io.BytesIO(csv_file([row(1)])), "a.csv"), "key": "incident_ref"})
    assert client.post("/admin/import", **data).status_code == 400
    page = client.get("/admin/import").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/admin/import", **multipart({"file": FileStorage(io.BytesIO(csv_file([row(1)])),
                                                                             "a.csv"), "key": "incident_ref",
                                                         "csrf_token": token}))
    assert response.status_code == 302
    checked_page = wait_for(client, response.headers["Location"])
    sha256 = re.search(r'name="sha256" type="hidden" value="([0-9a-f]{64})"', checked_page).group(1)
    assert client.post(response.headers["Location"] + "/confirm", data={"sha256": sha256}).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Incident.id))) == 0


def test_an_upload_over_the_request_limit_gets_413(app, client, admin):
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    data = csv_file([row(n) for n in range(1, 400)])
    assert len(data) > 64 * 1024
    response = client.post("/admin/import", **multipart({"file": FileStorage(io.BytesIO(data), "big.csv"),
                                                          "key": "incident_ref"}))
    assert response.status_code == 413 and "too large" in response.get_data(as_text=True)
