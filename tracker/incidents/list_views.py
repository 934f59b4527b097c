"""How the incident list shows the filtered incidents: as cards, as a compact table or on a map.
Each user's choice is remembered on their account (`users.list_view`).

The map asks `/incidents/map.json` for the incidents in its visible box: the dashboard map's
payload (tracker/dashboards/mapdata.py) over the list's own filters, so sensitive positions reach
users without the exact-location right generalised exactly as on the dashboards.
"""
from __future__ import annotations

from flask import abort, jsonify, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tracker.auth.decorators import login_required_any_role
from tracker.dashboards.mapdata import map_payload, parse_bbox
from tracker.extensions import db
from tracker.forms import ActionForm
from tracker.incidents.blueprint import bp
from tracker.incidents.filters import FilterForm
from tracker.models import User
from tracker.security import safe_next

LIST_VIEWS = {"cards": _l("Cards"), "table": _l("Table"), "map": _l("Map")}
DEFAULT_VIEW = "cards"


def list_view_of(user: User) -> str:
    return user.list_view if user.list_view in LIST_VIEWS else DEFAULT_VIEW


@bp.route("/view", methods=["POST"])
@login_required_any_role
def choose_view():
    """Remember how this user wants the list shown, and go back to the list they were on."""
    view = request.form.get("view", "")
    if not ActionForm().validate_on_submit() or view not in LIST_VIEWS:
        abort(400)
    if current_user.list_view != view:
        current_user.list_view = view
        db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("incidents.index"))


@bp.route("/map.json")
@login_required_any_role
def map_data():
    """The list's map: the incidents of the list's filters inside the visible box."""
    f = FilterForm(request.args).filters()
    return jsonify(map_payload(f, current_user, parse_bbox(request.args.get("bbox"))))
