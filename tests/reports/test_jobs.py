"""Large XLSX and PDF files: built by a background job, followed on a progress page, fetched
only by the user who asked for them."""
from __future__ import annotations

import io
import json
import subprocess
import time

import pytest
from openpyxl import load_workbook

from tests.reports.helpers import export_events
from tests.support import stored
from tests.support.jobs import wait_for
from tracker.models import Role
from tracker.reports import jobs


@pytest.fixture
def small_limit(app):
    """Everything above one row counts as large."""
    app.config["REPORTS_SYNC_MAX_ROWS"] = 1


def start(client, query: str) -> str:
    response = client.post("/reports/jobs?" + query)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/reports/jobs/")
    return response.headers["Location"]


def test_a_large_xlsx_is_offered_as_a_background_build(client, login_as, dataset, small_limit):
    login_as(Role.MANAGER)
    response = client.get("/reports/incidents.xlsx?category=poaching")
    assert response.status_code == 302
    assert response.headers["Location"] == "/reports/download?format=xlsx&category=poaching"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "too large to build while you wait" in page and "<form" in page
    assert 'action="/reports/jobs?kind=xlsx&amp;category=poaching"' in page


def test_the_job_builds_the_file_for_its_owner_only(app, client, login_as, dataset, small_limit):
    login_as(Role.MANAGER, username="owner")
    job_url = start(client, "kind=xlsx&category=trafficking")
    page = client.get(job_url).get_data(as_text=True)
    assert "<progress" in page and "reports.js" in page
    status = wait_for(client, job_url)
    assert status["state"] == "done" and status["percent"] == 100 and status["total"] == 3
    assert status["download"] == job_url + "/file"
    response = client.get(status["download"])
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment; filename=incidents-")
    book = load_workbook(io.BytesIO(response.data))
    response.close()
    assert [r[0] for r in book["items"].iter_rows(min_row=2, values_only=True)] == [
        dataset.refs["musk-draft"], dataset.refs["tiger"], dataset.refs["tiger"]]
    with app.app_context():
        (event,) = export_events()
        assert event.actor_name == "owner"
        assert event.changes == {"format": "xlsx", "filters": {"category": "trafficking"}, "rows": 3,
                                 "generalised": True}

    login_as(Role.MANAGER, username="someone-else")
    for suffix in ("", "/status", "/file"):
        assert client.get(job_url + suffix).status_code == 404


def test_a_pdf_job_in_the_users_language(client, login_as, dataset, small_limit, tmp_path):
    login_as(Role.MANAGER, language="zh")
    job_url = start(client, "kind=pdf")
    assert wait_for(client, job_url)["state"] == "done"
    response = client.get(job_url + "/file")
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF-")
    response.close()
    path = tmp_path / "job.pdf"
    path.write_bytes(response.data)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    assert "野生动植物犯罪报告" in text


@pytest.mark.parametrize("query,rows", [("", 3),                    # header and the two tiger rows
                                        ("&category=poaching", 1)])  # the list's filters apply
def test_a_cites_job(app, client, login_as, dataset, small_limit, query, rows):
    login_as(Role.MANAGER)
    job_url = start(client, "kind=cites-xlsx&year=2025" + query)
    assert wait_for(client, job_url)["state"] == "done"
    response = client.get(job_url + "/file")
    book = load_workbook(io.BytesIO(response.data))
    response.close()
    assert book["illegal trade report"].max_row == rows
    with app.app_context():
        (event,) = export_events()
        assert event.changes["filters"] == {"year": "2025", **({"category": "poaching"} if query else {})}


def test_a_get_of_the_start_url_returns_to_the_form(client, login_as):
    """Where a password confirmation lands after the POST: nothing is started by a GET."""
    login_as(Role.MANAGER)
    response = client.get("/reports/jobs?kind=pdf&category=poaching")
    assert response.status_code == 302
    assert response.headers["Location"] == "/reports/download?format=pdf&category=poaching"


def test_unknown_kinds_and_jobs_are_not_found(client, login_as):
    login_as(Role.MANAGER)
    assert client.post("/reports/jobs?kind=exe").status_code == 404
    assert client.get("/reports/jobs/../../etc/passwd/status").status_code == 404
    assert client.get("/reports/jobs/" + "x" * 22 + "/status").status_code == 404


def test_a_job_whose_process_died_is_reported_as_failed(app, client, login_as, reports_dir):
    user_id = login_as(Role.MANAGER)
    with app.app_context():
        job = jobs.Job(id="z" * 22, owner_id=user_id, kind="xlsx", args={}, locale="en", filename="x.xlsx",
                       total=10, state="running")
        jobs.save(job)
    status_key = "z" * 22 + ".json"
    data = json.loads(stored.read(app, status_key, "exports"))
    data["updated_at"] -= jobs.STALE_SECONDS + 1
    stored.store(app, "exports").put_bytes(status_key, json.dumps(data).encode())
    assert client.get("/reports/jobs/" + "z" * 22 + "/status").get_json()["state"] == "failed"
    page = client.get("/reports/jobs/" + "z" * 22).get_data(as_text=True)
    assert "The file could not be built" in page


def test_old_files_are_deleted(app, reports_dir, monkeypatch):
    with app.app_context():
        jobs.store().put_bytes("old.xlsx", b"x")
        time.sleep(1.1)  # S3 keeps times to the second
        jobs.store().put_bytes("new.xlsx", b"x")
        times = {s.key: s.modified for s in jobs.store().listing()}
        between = (times["old.xlsx"] + times["new.xlsx"]) / 2
        monkeypatch.setattr(jobs.time, "time", lambda: between + app.config["REPORTS_KEEP_HOURS"] * 3600)
        jobs.cleanup()
    assert stored.stored_keys(app, "exports") == ["new.xlsx"]


def test_starting_a_job_needs_the_csrf_token(app, client, login_as, small_limit):
    app.config["WTF_CSRF_ENABLED"] = True
    login_as(Role.MANAGER)
    assert client.post("/reports/jobs?kind=xlsx").status_code == 400
    assert stored.stored_keys(app, "exports") == []


