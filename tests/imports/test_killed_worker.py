"""A worker killed (SIGKILL) in the middle of an import: nothing of it is in the database, its job
shows as failed, and the same file can be imported again from its dry run."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from tests.imports.conftest import confirm, upload
from tests.imports.files import csv_file, row
from tests.support.incidents import seed
from tests.support.kill import run_and_kill
from tracker.extensions import db
from tracker.models import Incident, IncidentItem, User
from tracker.reports import jobs


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(Incident)),
                db.session.scalar(select(func.count()).select_from(IncidentItem)))


def import_jobs(app) -> list[jobs.Job]:
    with app.app_context():
        found = [jobs.load(s.key[:-5]) for s in jobs.store().listing() if s.key.endswith(".json")]
    return [job for job in found if job and job.kind == "import-write"]


def test_a_killed_import_leaves_nothing_and_can_be_run_again(app, client, admin):
    seed(app)
    checked = upload(client, csv_file([row(n) for n in range(1, 21)]))
    assert checked.count("new") == 20
    sha256 = re.search(r'name="sha256" type="hidden" value="([0-9a-f]{64})"', checked.page).group(1)
    with app.app_context():
        token = db.session.get(User, admin).session_token

    printed = run_and_kill(app, token, checked.url + "/confirm", "import", {"sha256": sha256})

    assert "HOLDING" in printed  # killed after inserting rows, before the commit
    assert counts(app) == (0, 0)
    (killed,) = import_jobs(app)
    assert client.get(f"/admin/import/{killed.id}/status").get_json()["state"] == "failed"
    page = client.get(f"/admin/import/{killed.id}").get_data(as_text=True)
    assert "could not be read to the end" in page and checked.url in page  # back to the dry run

    done = confirm(client, checked)
    assert done.count("written") == 1 and done.count("new") == 20
    assert counts(app) == (20, 20)
