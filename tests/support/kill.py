"""Running a job in a worker process of its own and killing it with SIGKILL mid-way."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
PASSED = ("SQLALCHEMY_DATABASE_URI", "EVIDENCE_DIR", "REPORTS_DIR", "STORAGE_BACKEND", "S3_BUCKET", "S3_PREFIX",
          "S3_ENDPOINT_URL", "REPORTS_SYNC_MAX_ROWS", "IMPORT_SYNC_MAX_BYTES")


def run_and_kill(app, token: str, url: str, hold: str, data: dict | None = None, timeout: float = 60) -> list[str]:
    """POST `url` as the user of `token` in a new worker process of `app`'s config, wait until the
    job reaches `hold` ("import" or "export"), SIGKILL the process. Returns what it printed."""
    spec = {"config": {key: app.config[key] for key in PASSED if key in app.config}, "token": token, "url": url,
            "hold": hold, "data": data or {}}
    process = subprocess.Popen([sys.executable, "-m", "tests.support.killable_worker", json.dumps(spec)],
                               cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONWARNINGS": "ignore"})
    lines = []
    deadline = threading.Timer(timeout, process.kill)  # a worker that never holds fails the test, not hangs it
    deadline.start()
    try:
        for line in process.stdout:
            lines.append(line.strip())
            if line.startswith("HOLDING"):
                break
        else:
            raise AssertionError(f"the worker ended before holding: {lines} {process.stderr.read()[-3000:]}")
    finally:
        deadline.cancel()
        process.send_signal(signal.SIGKILL)
        process.wait(timeout)
        process.stdout.close()
        process.stderr.close()
    return lines
