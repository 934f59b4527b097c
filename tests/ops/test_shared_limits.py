"""Rate limits shared by several app servers through a real Redis, and what happens when Redis
goes away (issue 12, parts 2a and 6b)."""
from __future__ import annotations

import redis

from tests.support.factories import PASSWORD, make_user
from tracker.models import Role

WRONG = {"username": "anna", "password": "not her password"}


def fail_sign_ins(app, times: int) -> list[int]:
    client = app.test_client()
    return [client.post("/login", data=WRONG).status_code for _ in range(times)]


def test_two_app_servers_count_failed_sign_ins_together_through_redis(make_app, redis_server):
    first = make_app(RATELIMIT_STORAGE_URI=redis_server.url)
    assert fail_sign_ins(first, 3) == [200, 200, 200]
    second = make_app(RATELIMIT_STORAGE_URI=redis_server.url)
    assert fail_sign_ins(second, 1) == [429]
    assert redis.Redis.from_url(redis_server.url).keys("LIMITS*")


def test_limits_kept_in_memory_are_not_shared(make_app):
    """Why the setting matters: each process counts alone (the case check-config refuses)."""
    first = make_app(RATELIMIT_STORAGE_URI="memory://")
    assert fail_sign_ins(first, 3) == [200, 200, 200]
    second = make_app(RATELIMIT_STORAGE_URI="memory://")
    assert fail_sign_ins(second, 1) == [200]


def test_with_redis_down_sign_in_works_and_the_limiter_warns(make_app, redis_server, caplog):
    app = make_app(RATELIMIT_STORAGE_URI=redis_server.url)
    with app.app_context():
        make_user(Role.RANGER, username="anna")
    redis_server.stop()
    client = app.test_client()
    response = client.post("/login", data={"username": "anna", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert any(r.name == "flask-limiter" and r.levelname == "WARNING" and "unreachable" in r.getMessage()
               for r in caplog.records)
    # Until Redis is back, this process still throttles on its own.
    client.post("/logout")
    assert fail_sign_ins(app, 4) == [200, 200, 200, 429]


def test_readiness_names_the_rate_limit_store_when_redis_is_down(make_app, redis_server):
    client = make_app(RATELIMIT_STORAGE_URI=redis_server.url).test_client()
    assert client.get("/readyz").json == {"status": "ok", "checks": {"database": "ok", "rate_limits": "ok",
                                                                      "storage": "ok"}}
    redis_server.stop()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "checks": {"database": "ok", "rate_limits": "unavailable",
                                                                 "storage": "ok"}}
