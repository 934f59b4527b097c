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


def test_a_store_that_cannot_be_written_is_not_ready(make_app, tmp_path):
    """The store's own check: here the evidence folder would have to be made inside a file."""
    (tmp_path / "a-file").write_text("not a folder")
    client = make_app(EVIDENCE_DIR=str(tmp_path / "a-file" / "evidence")).test_client()
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.json["checks"]["storage"] == "unavailable"
    assert "a-file" not in ready.get_data(as_text=True)
