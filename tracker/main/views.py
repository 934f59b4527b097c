from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import select

from tracker.auth.decorators import login_required_any_role
from tracker.dashboards.charts import Drill
from tracker.dashboards.overview import Card, overview_cards
from tracker.dashboards.summary import Figure
from tracker.extensions import db
from tracker.forms import ActionForm
from tracker.i18n import SESSION_KEY as LANGUAGE_KEY
from tracker.incidents.filters import IncidentFilters
from tracker.incidents.queries import LIST_OPTIONS, count_incidents, incidents_stmt
from tracker.localtime import local_date
from tracker.models import Category, Role, utcnow
from tracker.reports.past import latest_exports
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
    if current_user.role is Role.MANAGER:
        context.update(_manager_figures(), exports=latest_exports(current_user))
    return render_template("main/home.html", **context)


def _manager_figures() -> dict:
    """This month and this year per category, each against the same days of the period before,
    from the dashboards' overview (rollups), every figure a link to the incidents it counts."""
    today = local_date(utcnow())
    categories = db.session.scalars(select(Category).where(Category.active.is_(True))
                                    .order_by(Category.position)).all()
    cards = overview_cards(categories, today, current_user)
    links = {card.category.id: Drill(IncidentFilters(category=card.category.slug)) for card in cards}
    links[None] = Drill(IncidentFilters())
    # Every category together; the periods are the same on every card.
    totals = {name: Figure(name, "", sum(getattr(card, name).count for card in cards), getattr(cards[0], name).drill)
              for name in ("this_month", "month_before", "this_year", "this_year_before")} if cards else None
    return {"cards": cards, "totals": totals, "today": today, "change": Card.change,
            "drill": lambda card, figure: links[card.category.id if card else None](figure.drill)}


@bp.route("/language", methods=["POST"])
def set_language():
    """Switch the language of this browser session (the footer switcher), signed in or not.
    The account's preference changes only on /account: see tracker/i18n.py for the order."""
    lang = request.form.get("lang", "")
    if ActionForm().validate_on_submit() and lang in current_app.config["LANGUAGES"]:
        session[LANGUAGE_KEY] = lang
    return redirect(safe_next(request.form.get("next")) or url_for("main.index"))

