"""Waiting for a background export job, as the progress page does."""
from __future__ import annotations

import time


def wait_for(client, job_url: str, timeout: float = 30) -> dict:
    """The job's status once it is done or failed (polling its /status)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = client.get(job_url + "/status").get_json()
        if status["state"] in ("done", "failed"):
            return status
        time.sleep(0.05)
    raise AssertionError("the job did not finish")
