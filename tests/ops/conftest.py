"""A real Redis for the tests of shared rate limits: skipped, with the reason, only when the
binary is missing and REQUIRE_REDIS is not set (CI sets it)."""
from __future__ import annotations

import pytest

from tests.support.redisserver import RedisUnavailable, temporary_redis
from tests.support.servers import running
from tracker.extensions import limiter


@pytest.fixture
def redis_server():
    try:
        with running(temporary_redis, RedisUnavailable, "REQUIRE_REDIS",
                     "Redis not available, shared rate-limit tests SKIPPED") as server:
            yield server
    finally:
        # The limiter is one object for every app of the process; a test that stopped Redis
        # leaves it counting in memory, which must not carry into the next test.
        limiter._storage_dead = False


@pytest.fixture
def make_app(_schema, app_config):
    """`make_app(**settings)`: another app server on the test database (each call a new app, as
    a second gunicorn worker or server would be); tables emptied and engines closed afterwards."""
    import copy

    from tests.conftest import empty_all_tables
    from tracker import create_app
    from tracker.extensions import db

    apps = []

    def make(**settings):
        config = copy.copy(app_config)
        for key, value in settings.items():
            setattr(config, key, value)
        apps.append(create_app(config))
        return apps[-1]

    yield make
    emptied = False
    for app in apps:
        with app.app_context():
            db.session.remove()
            if not emptied and app.config["SQLALCHEMY_DATABASE_URI"] == app_config.SQLALCHEMY_DATABASE_URI:
                empty_all_tables()
                emptied = True
            db.engine.dispose()
