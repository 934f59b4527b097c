"""The main menu, filtered by role; a feature adds its entries here and they appear once its
blueprint is registered."""
from __future__ import annotations

from flask import Flask, current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tracker.models import Role

ALL = tuple(Role)
MENU = (
    ("incidents.create", _l("New incident"), (Role.RANGER, Role.COORDINATOR)),
    ("incidents.index", _l("Incidents"), ALL),
    ("dashboards.overview", _l("Dashboards"), ALL),
    ("reports.index", _l("Reports"), (Role.COORDINATOR, Role.MANAGER, Role.ADMIN)),
    ("admin.users", _l("Users"), (Role.ADMIN,)),
    ("admin.reference_list", _l("Reference data"), (Role.ADMIN,)),
)
ENDPOINT_ARGS = {"admin.reference_list": {"table": "categories"}}


def menu_items() -> list[dict]:
    if not current_user.is_authenticated:
        return []
    items = []
    for endpoint, label, roles in MENU:
        if current_user.role in roles and endpoint in current_app.view_functions:
            blueprint = endpoint.split(".")[0]
            items.append({"endpoint": endpoint, "label": label, "args": ENDPOINT_ARGS.get(endpoint, {}),
                          "current": request.blueprint == blueprint and (
                              request.endpoint == endpoint or blueprint not in ("incidents",))})
    return items


def register(app: Flask) -> None:
    @app.context_processor
    def navigation_context():
        return {"menu_items": menu_items(), "Role": Role}
