"""The import blueprint (`/admin/import`, for managers and administrators); its command is `flask import`."""
from __future__ import annotations

from flask import Blueprint

from tracker.auth.decorators import role_required
from tracker.models import Role

bp = Blueprint("imports", __name__, url_prefix="/admin/import", cli_group=None)
IMPORTERS = (Role.MANAGER, Role.ADMIN)
may_import = role_required(*IMPORTERS)
