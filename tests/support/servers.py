"""Real servers for the tests (PostgreSQL, Redis, S3): skipped where they cannot run here,
unless the run requires them (CI sets REQUIRE_POSTGRES, REQUIRE_REDIS, REQUIRE_S3)."""
from __future__ import annotations

import contextlib
import os

import pytest


@contextlib.contextmanager
def running(start, unavailable: type[Exception], required_by: str, skipped: str, required: bool = False):
    """Yields what `start()` yields (a context manager that starts the server and stops it);
    if it raises `unavailable`, the test is skipped with the message `skipped: reason`, or fails
    when the environment variable `required_by` is 1 (or `required`)."""
    try:
        with start() as server:
            yield server
    except unavailable as error:
        if required or os.environ.get(required_by) == "1":
            raise
        pytest.skip(f"{skipped}: {error}")
