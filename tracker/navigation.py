"""The main menu; a feature adds its entries here and they appear once its blueprint is
registered, to the roles its view admits (the view's own `role_required`: never a second list)."""
from __future__ import annotations

from flask import Flask, current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tracker.models import Role

MENU = (
    ("incidents.create", _l("New incident")),
    ("incidents.index", _l("Incidents")),
    ("dashboards.overview", _l("Dashboards")),
    ("reports.index", _l("Reports")),
    ("admin.users", _l("Users")),
    ("admin.reference_list", _l("Reference data")),
    ("imports.index", _l("Import")),
)
ENDPOINT_ARGS = {"admin.reference_list": {"table": "categories"}}


def menu_items() -> list[dict]:
    if not current_user.is_authenticated:
        return []
    items = []
    for endpoint, label in MENU:
        view = current_app.view_functions.get(endpoint)
        if view is not None and current_user.role in getattr(view, "required_roles", ()):
            blueprint = endpoint.split(".")[0]
            items.append({"endpoint": endpoint, "label": label, "args": ENDPOINT_ARGS.get(endpoint, {}),
                          "current": request.blueprint == blueprint and (
                              request.endpoint == endpoint or blueprint not in ("incidents",))})
    return items


def register(app: Flask) -> None:
    @app.context_processor
    def navigation_context():
        return {"menu_items": menu_items(), "Role": Role}
