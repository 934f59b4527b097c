"""XLSX and PDF files are built in a process of their own (tracker/reports/building.py), so that
writing them does not hold up the worker's other requests: the file is still the user's (their
rows, their language), and a build that fails or whose process dies says so instead of handing
over a broken file."""
from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time

import pytest
from openpyxl import load_workbook

from tests.support.jobs import wait_for
from tracker.extensions import db
from tracker.models import Role, User
from tracker.reports import building
from tracker.reports.formats import FORMATS


class BuildKiller(threading.Thread):
    """Kills the first build process that appears (SIGKILL, as the out-of-memory killer would)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.killed: int | None = None
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            for child in multiprocessing.active_children():
                if child.name.startswith("build-"):
                    os.kill(child.pid, signal.SIGKILL)
                    self.killed = child.pid
                    return
            time.sleep(0.001)


def test_the_workbook_is_built_elsewhere_as_the_user_in_their_language(app, login_as, dataset, tmp_path):
    manager_id = login_as(Role.MANAGER, language="ru")
    path = tmp_path / "incidents.xlsx"
    with app.test_request_context():
        user = db.session.get(User, manager_id)
        tally = building.build(FORMATS["xlsx"], {"category": "trafficking"}, user, "ru", str(path))
        author = f"{user.display_name} ({user.username})"
    assert (tally.incidents, tally.items) == (2, 3)
    book = load_workbook(path)
    assert [row[0] for row in book["items"].iter_rows(min_row=2, values_only=True)] == [
        dataset.refs["musk-draft"], dataset.refs["tiger"], dataset.refs["tiger"]]
    about = dict(book["about"].iter_rows(values_only=True))
    assert (about["Отчёт"], about["Кем создан"], about["Категория"]) == (
        "Инциденты", author, "Торговля и изъятия")


def test_a_build_that_fails_says_why(app, login_as, dataset, tmp_path):
    login_as(Role.MANAGER)
    nobody = User(id=10**9, username="gone", display_name="Gone", role=Role.MANAGER)
    with app.test_request_context(), pytest.raises(building.BuildFailed, match="Traceback"):
        building.build(FORMATS["xlsx"], {}, nobody, "en", str(tmp_path / "never.xlsx"))


def test_a_killed_build_fails_its_job_which_can_be_started_again(app, client, login_as, dataset):
    app.config["REPORTS_SYNC_MAX_ROWS"] = 1
    login_as(Role.MANAGER)
    killer = BuildKiller()
    killer.start()
    job_url = client.post("/reports/jobs?kind=xlsx&category=trafficking").headers["Location"]
    status = wait_for(client, job_url)
    killer.stop.set()
    assert killer.killed not in (None, os.getpid())  # the build was a process of its own
    assert status["state"] == "failed" and status["download"] is None
    assert client.get(job_url + "/file").status_code == 404

    again = client.post("/reports/jobs?kind=xlsx&category=trafficking").headers["Location"]
    assert wait_for(client, again)["state"] == "done"
