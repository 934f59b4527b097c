"""Two app servers sharing one S3 bucket: what one stores, the other serves, with the same checks."""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

from openpyxl import load_workbook

from tests.evidence import files
from tests.filestore.conftest import sign_in
from tests.reports.conftest import build_dataset
from tests.support.factories import make_user
from tests.support.jobs import wait_for
from tests.support.stored import stored_keys
from tracker.extensions import db
from tracker.models import Evidence, Role


def test_an_export_built_on_one_server_is_downloaded_through_the_other(servers):
    a, b = servers
    with a.app_context():
        dataset = build_dataset()
        manager_id = make_user(Role.MANAGER, username="manager").id
    a.config["REPORTS_SYNC_MAX_ROWS"] = 1
    on_a, on_b = a.test_client(), b.test_client()
    sign_in(a, on_a, manager_id)
    sign_in(b, on_b, manager_id)

    response = on_a.post("/reports/jobs?kind=xlsx&category=trafficking")
    job_url = response.headers["Location"]
    assert wait_for(on_a, job_url)["state"] == "done"

    assert on_b.get(job_url + "/status").get_json()["state"] == "done"  # b never ran it
    response = on_b.get(job_url + "/file")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert [r[0] for r in book["items"].iter_rows(min_row=2, values_only=True)] == [
        dataset.refs["musk-draft"], dataset.refs["tiger"], dataset.refs["tiger"]]
    assert stored_keys(b, "exports") == sorted([job_url.rsplit("/", 1)[1] + ".json",
                                                job_url.rsplit("/", 1)[1] + ".xlsx"])
    assert not list(Path(a.config["REPORTS_DIR"]).glob("*.xlsx"))  # not kept on the server that built it

    with b.app_context():
        other_id = make_user(Role.MANAGER, username="other").id
    sign_in(b, on_b, other_id)
    assert on_b.get(job_url + "/file").status_code == 404  # only its owner, on every server


def test_evidence_stored_through_one_server_is_served_by_the_other_with_the_same_checks(servers, make_incident_on):
    a, b = servers
    with a.app_context():
        ranger_id = make_user(Role.RANGER, unit="North").id
        stranger_id = make_user(Role.RANGER, unit="South").id
        viewer_id = make_user(Role.MANAGER).id
    incident_id = make_incident_on(a, ranger_id, sensitive=True)
    on_a, on_b = a.test_client(), b.test_client()
    sign_in(a, on_a, ranger_id)
    photo = files.jpeg()
    response = on_a.post(f"/incidents/{incident_id}/evidence", data={"files": [files.part(photo, "snare.jpg")]},
                         content_type="multipart/form-data")
    assert response.status_code == 302
    with a.app_context():
        evidence = db.session.query(Evidence).one()
        evidence_id, sha256 = evidence.id, evidence.sha256
    assert sha256 == hashlib.sha256(photo).hexdigest()
    assert stored_keys(b) == sorted([f"{sha256[:2]}/{sha256[2:4]}/{sha256}.jpg",
                                     f"{sha256[:2]}/{sha256[2:4]}/{sha256}.thumb.jpg"])

    sign_in(b, on_b, ranger_id)
    original = files.fetch(on_b, f"/evidence/{evidence_id}")
    assert original.status_code == 200 and original.data == photo
    assert files.fetch(on_b, f"/evidence/{evidence_id}/thumbnail").status_code == 200

    sign_in(b, on_b, viewer_id)  # no exact-location right: the copy without EXIF, from the bucket
    copy = files.fetch(on_b, f"/evidence/{evidence_id}")
    assert copy.status_code == 200 and copy.headers["X-Evidence-Copy"] == "metadata-removed"
    assert copy.data != photo and b"Exif" not in copy.data[:200]

    sign_in(b, on_b, stranger_id)
    assert files.fetch(on_b, f"/evidence/{evidence_id}").status_code == 403
