"""The users of the load benchmark, run by locust from its own virtualenv (bench/load.py starts it;
this file imports nothing from the app, whose Flask locust's own would clash with).

BENCH_LOAD_CONFIG names the JSON file load.py writes: the base URLs (users are spread over them
in turn, as a load balancer would), the accounts, the rangers' API tokens, reference codes and a
photo. Every acknowledged submission (201 or 200 for the incident, then for its photo) is
appended to BENCH_LOAD_ACKS, one JSON line each, for load.py to look up in the database, and
every request to BENCH_LOAD_TIMELINE (when it started, how long it took), from which load.py
takes its percentiles. People arrive one by one over their first pause, as a day's work starts,
rather than all in the same second.
"""
from __future__ import annotations

import base64
import itertools
import json
import os
import random
import re
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone

from locust import HttpUser, between, events, task

CONFIG = json.loads(open(os.environ["BENCH_LOAD_CONFIG"], encoding="utf-8").read())
PHOTO = base64.b64decode(CONFIG["photo"])
CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
_acks = open(os.environ["BENCH_LOAD_ACKS"], "a", encoding="utf-8")
_timeline = open(os.environ["BENCH_LOAD_TIMELINE"], "w", encoding="utf-8")
_acks_lock = threading.Lock()
_turn = itertools.count()
START = "(start)"


def acknowledged(**record) -> None:
    with _acks_lock:
        _acks.write(json.dumps(record) + "\n")
        _acks.flush()


@events.test_start.add_listener
def _started(**kwargs) -> None:
    _timeline.write(f"{time.time():.3f},{START},0,1\n")


@events.request.add_listener
def _timed(name: str, response_time: float, exception=None, **kwargs) -> None:
    """Each request as `started (epoch s),name,milliseconds,ok`: bench/load.py's figures."""
    _timeline.write(f"{time.time() - response_time / 1000:.3f},{name},{response_time:.1f},{int(exception is None)}\n")
    _timeline.flush()


class Account:
    """One account per simulated person, taken in turn from the configuration."""

    def __init__(self, kind: str):
        self.accounts = iter(CONFIG["accounts"][kind])

    def next(self) -> dict:
        return next(self.accounts)


ACCOUNTS = {kind: Account(kind) for kind in ("ranger", "coordinator", "manager")}


class Person(HttpUser):
    abstract = True
    host = CONFIG["base_urls"][0]
    kind = ""
    signs_in = True  # through the sign-in page, as a browser; False: an API token instead

    def on_start(self) -> None:
        self.client.base_url = CONFIG["base_urls"][next(_turn) % len(CONFIG["base_urls"])]
        self.account = ACCOUNTS[self.kind].next()
        self.wait()  # people arrive one by one, not all in the same second
        if self.signs_in:
            self.sign_in()

    def sign_in(self) -> None:
        page = self.client.get("/login", name="sign in (form)")
        token = _csrf(page.text)
        self.client.post("/login", data={"csrf_token": token, "username": self.account["username"],
                                         "password": self.account["password"]}, name="sign in")
        self.csrf = _csrf(self.client.get("/account", name="account").text)


def _csrf(html: str) -> str:
    found = CSRF.search(html)
    if not found:
        raise RuntimeError("no CSRF token on the page")
    return found.group(1)


class Ranger(Person):
    """Records an incident through the API (as the offline app sends it), then adds its photo."""

    kind = "ranger"
    signs_in = False
    fixed_count = CONFIG["users"]["ranger"]
    wait_time = between(*CONFIG["ranger_pause"])

    def on_start(self) -> None:
        super().on_start()
        self.headers = {"Authorization": f"Bearer {self.account['token']}", "Accept": "application/json"}

    @task
    def submit(self) -> None:
        key = str(uuid.uuid4())
        when = datetime.now(timezone.utc) - timedelta(hours=random.randint(1, 72))
        body = {"client_uuid": key, "category": random.choice(CONFIG["categories"]),
                "occurred_at": when.isoformat(timespec="seconds"), "lat": round(random.uniform(42.5, 48.5), 5),
                "lon": round(random.uniform(131.0, 139.0), 5), "detection_method": "patrol",
                "description": f"Load test {key[:8]}: snare line found on patrol",
                "items": [{"product": random.choice(CONFIG["products"]), "quantity": random.randint(1, 12),
                           "unit": "pcs"}]}
        response = self.client.post("/api/v1/incidents", json=body, headers=self.headers, name="submit incident")
        if response.status_code not in (200, 201):
            return
        ref = response.json()["ref"]
        acknowledged(kind="incident", client_uuid=key, ref=ref)
        files = {"files": (f"{key[:8]}.jpg", PHOTO, "image/jpeg")}
        response = self.client.post(f"/api/v1/incidents/{ref}/evidence", files=files, headers=self.headers,
                                    name="add photo")
        if response.status_code in (200, 201):
            acknowledged(kind="photo", client_uuid=key, ref=ref)


class Coordinator(Person):
    """Browses the list and the dashboards, and verifies submitted incidents."""

    kind = "coordinator"
    fixed_count = CONFIG["users"]["coordinator"]
    wait_time = between(1, 3)

    @task(4)
    def incident_list(self) -> None:
        self.client.get("/incidents", name="incident list")

    @task(2)
    def incident_list_filtered(self) -> None:
        self.client.get(f"/incidents?category={random.choice(CONFIG['categories'])}&status=submitted",
                        name="incident list (filtered)")

    @task(2)
    def overview(self) -> None:
        self.client.get("/dashboards", name="dashboard overview")

    @task(3)
    def category_dashboard(self) -> None:
        self.client.get(f"/dashboards/{random.choice(CONFIG['categories'])}", name="dashboard (category)")

    @task(2)
    def verify(self) -> None:
        listing = self.client.get("/api/v1/incidents?status=submitted&limit=10", name="submitted (API)",
                                  headers={"Accept": "application/json"})
        incidents = listing.json()["items"] if listing.status_code == 200 else []
        if not incidents:
            return
        incident = random.choice(incidents)
        with self.client.post(f"/api/v1/incidents/{incident['ref']}/status", name="verify",
                              json={"target": "verified", "version": incident["version"]},
                              headers={"X-CSRFToken": self.csrf, "Accept": "application/json"},
                              catch_response=True) as response:
            if response.status_code == 409:  # another coordinator was first: the right answer
                response.success()


class Manager(Person):
    """Downloads the CSV of the last year (streamed: its first byte, which is the header, its first
    row and its end are timed) and an XLSX of the last fortnight."""

    kind = "manager"
    fixed_count = CONFIG["users"]["manager"]
    wait_time = between(2, 5)

    @task(2)
    def csv(self) -> None:
        since = (datetime.now(timezone.utc) - timedelta(days=365)).date().isoformat()
        started = time.perf_counter()
        with self.client.get(f"/reports/incidents.csv?date_from={since}", name="CSV export (first byte)",
                             stream=True, catch_response=True) as response:
            size = lines = 0
            for chunk in response.iter_content(None):  # as the server sends them
                size += len(chunk)
                if lines < 2 and (lines := lines + chunk.count(b"\n")) >= 2:  # the header, then a row
                    self.timed("CSV export (first row)", started, size)
            if response.status_code != 200 or not size:
                response.failure(f"CSV: {response.status_code}, {size} bytes")
        self.timed("CSV export (whole)", started, size)

    @staticmethod
    def timed(name: str, started: float, size: int) -> None:
        events.request.fire(request_type="GET", name=name, response_time=(time.perf_counter() - started) * 1000,
                            response_length=size, exception=None, context={})

    @task(1)
    def xlsx(self) -> None:
        since = (datetime.now(timezone.utc) - timedelta(days=14)).date().isoformat()
        with self.client.get(f"/reports/incidents.xlsx?date_from={since}", name="XLSX export",
                             catch_response=True, allow_redirects=False) as response:
            if response.status_code != 200 or not response.content.startswith(b"PK"):
                response.failure(f"XLSX: {response.status_code}")
