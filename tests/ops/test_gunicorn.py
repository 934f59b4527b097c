"""gunicorn.conf.py serves the app with the workers and threads the environment asks for."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_runs_the_configured_workers_and_answers_health(tmp_path):
    port = free_port()
    env = {**os.environ, "TRACKER_ENV": "production", "SECRET_KEY": "x" * 64, "TRACKER_INSTANCE": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path}/t.db", "WEB_CONCURRENCY": "2", "GUNICORN_THREADS": "3",
           "GUNICORN_BIND": f"127.0.0.1:{port}"}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"], cwd=PROJECT,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    body, request_id = json.load(response), response.headers["X-Request-ID"]
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        assert body == {"status": "ok"} and request_id
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert output.count("Booting worker") == 2
    assert "Using worker: gthread" in output
