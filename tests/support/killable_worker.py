"""An app worker process that runs one job and is then killed by the test that started it
(tests/reports/test_killed_worker.py, tests/imports/test_killed_worker.py).

    python -m tests.support.killable_worker '<json>'

The JSON names the config (database, folders, store), the user to sign in as (by session token),
the URL to POST, and where to hold: `import` holds after the import's first rows are inserted
(inside its transaction), `export` holds while the workbook is being built (in the build's own
process, reports/building.py, which goes on without it). The process prints
HOLDING when it is there, then waits to be killed.
"""
from __future__ import annotations

import json
import sys
import threading
import time


def hold() -> None:
    print("HOLDING", flush=True)
    threading.Event().wait(600)


def main() -> None:
    spec = json.loads(sys.argv[1])
    from config import TestConfig
    from tracker import create_app

    config = TestConfig()
    for key, value in spec["config"].items():
        setattr(config, key, value)
    if spec["hold"] == "import":
        from tracker.imports import importer

        insert = importer.insert_rows

        def insert_then_hold(table, rows):
            insert(table, rows)
            if table is importer.items:
                hold()

        importer.insert_rows = insert_then_hold
    else:
        from tracker.reports import building

        def build_and_hold(*args, **kwargs):
            hold()

        building._outcome = build_and_hold
    app = create_app(config)
    client = app.test_client()
    with client.session_transaction() as session:
        session.update({"_user_id": spec["token"], "_fresh": True, "login_at": time.time()})
    response = client.post(spec["url"], data=spec.get("data", {}))
    print("ANSWERED", response.status_code, response.headers.get("Location"), flush=True)
    threading.Event().wait(600)  # a background job goes on in its thread until the kill


if __name__ == "__main__":
    main()
