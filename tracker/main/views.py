from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import text

from tracker.auth.decorators import login_required_any_role
from tracker.extensions import db
from tracker.forms import ActionForm
from tracker.i18n import SESSION_KEY as LANGUAGE_KEY
from tracker.incidents.filters import IncidentFilters
from tracker.incidents.queries import LIST_OPTIONS, count_incidents, incidents_stmt
from tracker.models import Role
from tracker.security import safe_next

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required_any_role
def index():
    """Each role starts where its work is: rangers at their latest incidents and the form,
    coordinators at what awaits review, managers at reports and dashboards."""
    context = {}
    if current_user.role in (Role.RANGER, Role.COORDINATOR):
        recent = incidents_stmt(IncidentFilters(), current_user).limit(5).options(*LIST_OPTIONS)
        context["recent"] = db.session.scalars(recent).all()
    if current_user.role is Role.COORDINATOR:
        context["awaiting_review"] = count_incidents(IncidentFilters(status="submitted"), current_user)
    if current_user.role is Role.RANGER:
        context["my_drafts"] = count_incidents(IncidentFilters(status="draft", reporter=current_user.id), current_user)
    return render_template("main/home.html", **context)


@bp.route("/language", methods=["POST"])
def set_language():
    """Switch the language of this browser session (the footer switcher), signed in or not.
    The account's preference changes only on /account: see tracker/i18n.py for the order."""
    lang = request.form.get("lang", "")
    if ActionForm().validate_on_submit() and lang in current_app.config["LANGUAGES"]:
        session[LANGUAGE_KEY] = lang
    return redirect(safe_next(request.form.get("next")) or url_for("main.index"))


@bp.route("/healthz")
def healthz():
    """Liveness plus a database round trip, for a load balancer."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means "not ready"
        current_app.logger.exception("health check failed")
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
