"""A worker killed (SIGKILL) while it builds a background export: the job shows as failed, no file
is offered, and the export can be started again."""
from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.support.jobs import wait_for
from tests.support.kill import run_and_kill
from tracker.extensions import db
from tracker.models import Role, User


def test_a_killed_export_is_failed_and_can_be_started_again(app, client, login_as, dataset):
    app.config["REPORTS_SYNC_MAX_ROWS"] = 1
    manager_id = login_as(Role.MANAGER)
    with app.app_context():
        token = db.session.get(User, manager_id).session_token

    printed = run_and_kill(app, token, "/reports/jobs?kind=xlsx&category=trafficking", "export")

    job_url = next(line.split()[2] for line in printed if line.startswith("ANSWERED"))
    assert client.get(job_url + "/status").get_json() == {"state": "failed", "percent": 0, "done": 0, "total": 3,
                                                          "download": None}
    assert client.get(job_url + "/file").status_code == 404
    page = client.get(job_url).get_data(as_text=True)
    assert "The file could not be built" in page
    again = page.split('id="job-restart"', 1)[1].split('action="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert again == "/reports/jobs?kind=xlsx&category=trafficking"

    response = client.post(again)
    assert response.status_code == 302 and response.headers["Location"] != job_url
    assert wait_for(client, response.headers["Location"])["state"] == "done"
    download = client.get(response.headers["Location"] + "/file")
    book = load_workbook(io.BytesIO(download.data))
    download.close()
    assert len(list(book["items"].iter_rows(min_row=2))) == 3
