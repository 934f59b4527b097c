"""The import blueprint (`/admin/import`, administrators only); its command is `flask import`."""
from __future__ import annotations

from flask import Blueprint

from tracker.auth.decorators import role_required
from tracker.models import Role

bp = Blueprint("imports", __name__, url_prefix="/admin/import", cli_group=None)
admin_only = role_required(Role.ADMIN)
