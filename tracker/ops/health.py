"""`/healthz` and `/readyz` for a load balancer or an orchestrator: public, JSON, no data.

- `/healthz` (liveness): the process answers. It touches nothing else, so a database outage
  does not get every worker restarted.
- `/readyz` (readiness): the database, the rate-limit store (when shared) and the evidence store
  answer; 503 and the name of what failed otherwise, so the balancer sends requests elsewhere.
  The details go to the log only.
"""
from __future__ import annotations

import logging

from flask import Blueprint, jsonify

from tracker.ops import probes

bp = Blueprint("health", __name__)
log = logging.getLogger("tracker.ops")


@bp.route("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.route("/readyz")
def readyz():
    problems = {"database": probes.database_problem(), "rate_limits": probes.rate_limit_store_problem(),
                "storage": probes.storage_problem()}
    for problem in filter(None, problems.values()):
        log.warning("not ready: %s", problem)
    ready = not any(problems.values())
    checks = {name: "unavailable" if problem else "ok" for name, problem in problems.items()}
    return jsonify(status="ok" if ready else "unavailable", checks=checks), 200 if ready else 503
