"""`/healthz` and `/readyz` (issue 12, part 4)."""
from __future__ import annotations

from tests.support.redisserver import free_port


def test_ready_when_database_limits_and_storage_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "checks": {"database": "ok", "rate_limits": "ok", "storage": "ok"}}
    assert "Set-Cookie" not in response.headers


def test_alive_but_not_ready_without_the_database(make_app):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://tracker@127.0.0.1:{free_port()}/tracker")
    client = app.test_client()
    alive = client.get("/healthz")
    assert alive.status_code == 200 and alive.json == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json == {"status": "unavailable", "checks": {"database": "unavailable", "rate_limits": "ok",
                                                              "storage": "ok"}}
    assert "127.0.0.1" not in ready.get_data(as_text=True)


def test_the_store_branch_can_install_its_own_probe(app, client):
    app.extensions["tracker.storage_probe"] = lambda: "bucket evidence unreachable"
    assert client.get("/readyz").json["checks"]["storage"] == "unavailable"
