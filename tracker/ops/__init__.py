"""Running the tracker as a service: request ids and request logs, the 503 page when the database
is away, health endpoints for a load balancer, and `flask check-config`."""
from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Request logging first, so its id exists before any other hook can log or fail."""
    from tracker.ops import checks, health, outage, requestlog

    requestlog.register(app)
    outage.register(app)
    app.register_blueprint(health.bp)
    app.cli.add_command(checks.check_config_command)
