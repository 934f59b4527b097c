"""PostgreSQL restarted under load (issue 12, part 6a): while it is down every request gets a
clear 503 (JSON under /api/), never a traceback; afterwards the app recovers by itself (the
pool's pre-ping), no incident is half-written and none that was acknowledged is lost.

The test runs its own cluster, so restarting it cannot disturb the rest of the suite, and serves
the app over HTTP from a threaded server, as requests arrive in production.
"""
from __future__ import annotations

import http.cookiejar
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from tests.api.test_writing import new_incident
from tests.conftest import TEST_DB, make_config
from tests.support.factories import PASSWORD, make_user
from tests.support.incidents import seed
from tests.support.pgcluster import PostgresUnavailable, pg_ctl, temporary_cluster
from tests.support.servers import running
from tracker import create_app
from tracker.audit.chain import verify_chain
from tracker.auth import tokens
from tracker.extensions import db
from tracker.models import AuditEvent, Incident, IncidentItem, Role

pytestmark = pytest.mark.skipif(TEST_DB != "postgres", reason="PostgreSQL only (TEST_DB=postgres)")


@pytest.fixture
def cluster():
    with running(lambda: temporary_cluster("tracker_fault"), PostgresUnavailable, "REQUIRE_POSTGRES",
                 "PostgreSQL not available") as url:
        yield url


class Served:
    """The app behind a threaded HTTP server, a ranger's token and a signed-in browser."""

    def __init__(self, url: str, tmp_path) -> None:
        self.app = create_app(make_config(url, EVIDENCE_DIR=str(tmp_path / "evidence")))
        with self.app.app_context():
            db.create_all()
            user = make_user(Role.RANGER, username="anna", unit="Leopard team")
            self.token = tokens.issue(user, "load", timedelta(days=1)).secret
            db.session.commit()
        seed(self.app)
        self.template = new_incident(self.app)  # its reference ids, read while the database is up
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.request("POST", "/login", form={"username": "anna", "password": PASSWORD}, opener=self.browser)

    def request(self, method, path, body=None, form=None, opener=None):
        """(status, content type, text, headers), whatever the status."""
        headers = {"Authorization": f"Bearer {self.token}"} if body is not None else {}
        data = None
        if body is not None:
            data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        elif form is not None:
            data = urllib.parse.urlencode(form).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with (opener or urllib.request.build_opener()).open(req, timeout=30) as response:
                return response.status, response.headers.get_content_type(), response.read().decode(), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get_content_type(), error.read().decode(), error.headers

    def new_incident(self) -> dict:
        return self.template | {"client_uuid": str(uuid.uuid4())}

    def submit(self, body):
        return self.request("POST", "/api/v1/incidents", body=body)

    def close(self):
        self.server.shutdown()
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def served(cluster, tmp_path):
    served = Served(cluster, tmp_path)
    yield served
    served.close()


def submit_until(served, stop: threading.Event, answers: list) -> None:
    while not stop.is_set():
        body = served.new_incident()
        answers.append((body["client_uuid"], *served.submit(body)[:3]))


def assert_clear_unavailable(status, content_type, text):
    assert status == 503, (status, text[:300])
    assert "Traceback" not in text


def test_postgresql_restarted_under_load(served, cluster):
    answers: list = []
    stop = threading.Event()
    writers = [threading.Thread(target=submit_until, args=(served, stop, answers)) for _ in range(3)]
    for writer in writers:
        writer.start()
    time.sleep(1.5)
    pg_ctl(cluster, "restart", "-m", "fast")
    time.sleep(1.5)
    stop.set()
    for writer in writers:
        writer.join(timeout=60)

    # During the restart: accepted, or a clear 503 in JSON; never a 500 or a traceback.
    assert {status for _, status, _, _ in answers} <= {201, 503}, sorted({a[1] for a in answers})
    for _, status, content_type, text in answers:
        if status == 503:
            assert content_type == "application/json" and json.loads(text)["code"] == "unavailable"
        assert "Traceback" not in text
    acknowledged = {client_uuid for client_uuid, status, _, _ in answers if status == 201}
    assert len(acknowledged) >= 2

    # Down: the API, a page and the readiness check say so; liveness does not.
    pg_ctl(cluster, "stop", "-m", "fast")
    status, content_type, text, headers = served.submit(served.new_incident())
    assert_clear_unavailable(status, content_type, text)
    assert content_type == "application/json" and json.loads(text)["code"] == "unavailable"
    assert headers["Retry-After"] == "30"
    status, content_type, text, _ = served.request("GET", "/incidents", opener=served.browser)
    assert_clear_unavailable(status, content_type, text)
    assert content_type == "text/html" and "The database cannot be reached at the moment" in text
    assert served.request("GET", "/readyz")[0] == 503 and served.request("GET", "/healthz")[0] == 200

    # Back: the very next requests work, without restarting the app.
    pg_ctl(cluster, "start")
    body = served.new_incident()
    assert served.submit(body)[0] == 201
    acknowledged.add(body["client_uuid"])
    assert served.request("GET", "/incidents", opener=served.browser)[0] == 200

    with served.app.app_context():
        stored = db.session.execute(select(Incident.client_uuid, Incident.id)).all()
        stored_uuids = [str(client_uuid) for client_uuid, _ in stored]
        assert acknowledged <= set(stored_uuids) and len(stored_uuids) == len(set(stored_uuids))
        items = dict(db.session.execute(select(IncidentItem.incident_id, func.count())
                                        .group_by(IncidentItem.incident_id)).all())
        creates = dict(db.session.execute(select(AuditEvent.incident_id, func.count())
                                          .where(AuditEvent.action == "create")
                                          .group_by(AuditEvent.incident_id)).all())
        assert all(items.get(incident_id) == 1 and creates.get(incident_id) == 1 for _, incident_id in stored)
        assert verify_chain().ok
