"""The reports blueprint and who may use it (coordinators, managers and administrators; rangers
get 403)."""
from __future__ import annotations

from flask import Blueprint

from tracker.auth.decorators import role_required
from tracker.models import Role, utcnow

bp = Blueprint("reports", __name__, url_prefix="/reports")
may_export = role_required(Role.COORDINATOR, Role.MANAGER, Role.ADMIN)


def stamp() -> str:
    """For file names: when (UTC) the file was made."""
    return utcnow().strftime("%Y%m%d-%H%M")
