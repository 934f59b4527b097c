"""Request ids, request log lines and the proxy in front (issue 12, part 1)."""
from __future__ import annotations

import io
import logging
import re

import pytest

from tracker.extensions import db
from tracker.models import Role
from tracker.ops import requestlog


@pytest.fixture
def log_lines():
    """The lines the app's stderr handler writes while the test runs."""
    stream = io.StringIO()
    handler = requestlog.handler()
    handler.setStream(stream)
    logger = logging.getLogger("tracker")
    logger.addHandler(handler)
    yield lambda: stream.getvalue().splitlines()
    logger.removeHandler(handler)


def test_every_response_carries_a_request_id(client):
    first, second = client.get("/login"), client.get("/login")
    assert re.fullmatch(r"[0-9a-f]{32}", first.headers["X-Request-ID"])
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


def test_the_proxys_request_id_is_kept_when_it_looks_like_one(client):
    assert client.get("/login", headers={"X-Request-ID": "nginx-4f2a.9"}).headers["X-Request-ID"] == "nginx-4f2a.9"
    for forged in ("a b", "x" * 65, "id user=admin", "id;drop", "<script>"):
        kept = client.get("/login", headers={"X-Request-ID": forged}).headers["X-Request-ID"]
        assert kept != forged and re.fullmatch(r"[0-9a-f]{32}", kept)


def test_every_log_line_of_a_request_names_it_and_its_user(client, login_as, log_lines):
    user_id = login_as(Role.RANGER)
    client.get("/incidents", headers={"X-Request-ID": "req-42"})
    client.get("/admin/users", headers={"X-Request-ID": "req-43"})  # denied: an audit line too
    lines = log_lines()
    assert len([line for line in lines if "req-43" in line]) == 2
    assert all(f"user={user_id} " in line for line in lines)
    request_line = next(line for line in lines if "req-42" in line)
    assert re.search(r"logger=tracker.request request_id=req-42 user=\d+ request method=GET route=/incidents "
                     r"status=200 duration_ms=\d+\.\d", request_line)


def test_request_lines_name_the_route_not_the_values_in_the_path(client, login_as, log_lines):
    login_as(Role.MANAGER)
    client.get("/reports/jobs/" + "s3cr3t" * 4)
    assert "s3cr3t" not in "\n".join(log_lines())


def test_error_pages_and_api_errors_quote_the_request_id(client):
    page = client.get("/no/such/page", headers={"X-Request-ID": "req-404"})
    assert "req-404" in page.get_data(as_text=True)
    api = client.get("/api/v1/incidents", headers={"X-Request-ID": "req-401"})
    assert api.status_code == 401 and api.json["request_id"] == "req-401"


def test_behind_one_proxy_the_client_is_the_address_the_proxy_saw(make_app, caplog):
    """TRUSTED_PROXIES=1: the proxy appends the address it saw, so only the last one counts; a
    forged first entry is ignored. HTTPS at the proxy makes the app send HSTS."""
    client = make_app(TRUSTED_PROXIES=1).test_client()
    response = client.post("/login", data={"username": "nobody", "password": "wrong password 1"},
                           headers={"X-Forwarded-For": "198.51.100.9, 203.0.113.7", "X-Forwarded-Proto": "https"})
    assert "ip=203.0.113.7" in caplog.text and "198.51.100.9" not in caplog.text
    assert "Strict-Transport-Security" in response.headers


def test_without_a_trusted_proxy_forwarded_headers_are_ignored(client, caplog):
    response = client.post("/login", data={"username": "nobody", "password": "wrong password 1"},
                           headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"})
    assert "ip=127.0.0.1" in caplog.text and "203.0.113.7" not in caplog.text
    assert "Strict-Transport-Security" not in response.headers


def test_a_postgresql_pool_is_sized_from_the_configuration(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite keeps SQLAlchemy's own pool")
        assert db.engine.pool.size() == app.config["DB_POOL_SIZE"]
