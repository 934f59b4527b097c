"""A real S3 server for the tests: moto's standalone server, on 127.0.0.1 on a free port.

moto pins its own Flask, so it lives in its own virtualenv (`.venv-moto/`, from the pinned
requirements-moto.txt), made here on first use (or by `make moto`). Used by the S3 tests and,
with TEST_STORAGE=s3, by the evidence, reports and imports suites.
"""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
VENV = PROJECT / ".venv-moto"
REQUIREMENTS = PROJECT / "requirements-moto.txt"
# moto accepts any credentials; boto3 insists on having some, and on a region.
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}


class S3Unavailable(RuntimeError):
    pass


def ensure_venv() -> Path:
    """The moto_server program, installing the virtualenv first if it is missing or stale."""
    server, stamp = VENV / "bin" / "moto_server", VENV / ".installed"
    if server.exists() and stamp.exists() and stamp.read_text() == REQUIREMENTS.read_text():
        return server
    try:
        if not (VENV / "bin" / "python").exists():
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, capture_output=True)
        subprocess.run([str(VENV / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check", "-r",
                        str(REQUIREMENTS)], check=True, capture_output=True, timeout=600)
    except (OSError, subprocess.SubprocessError) as error:
        detail = getattr(error, "stderr", b"") or b""
        raise S3Unavailable(f"could not install moto into {VENV}: {error} {detail.decode()[-500:]}") from error
    stamp.write_text(REQUIREMENTS.read_text())
    return server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def moto_server():
    """Yields the endpoint URL of a running S3 server; stops it afterwards."""
    server = ensure_venv()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen([str(server), "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env={**os.environ, **CREDENTIALS})
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "/moto-api/", timeout=1).close()
                break
            except (urllib.error.URLError, OSError):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise S3Unavailable(f"moto_server did not start on port {port}") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
