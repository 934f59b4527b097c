"""/dashboards: the overview of every category, one dashboard per category, and its map data.

Coordinators, managers and administrators see every incident. Rangers see the same pages over
their unit's incidents only (the list's record-level rule), so every drill-down still matches.
"""
from __future__ import annotations

from dataclasses import replace

from flask import abort, jsonify, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker.auth.decorators import login_required_any_role
from tracker.dashboards.blueprint import bp
from tracker.dashboards.charts import Drill, chart_data, month_label
from tracker.dashboards.mapdata import map_payload, parse_bbox
from tracker.dashboards.months import add_months, key_of, month_bounds
from tracker.dashboards.overview import Card, overview_cards
from tracker.dashboards.queries import dashboard_rows
from tracker.dashboards.summary import Names, summarise
from tracker.extensions import db
from tracker.incidents.filters import FilterForm, IncidentFilters
from tracker.incidents.queries import incidents_stmt
from tracker.labels import COUNTRY_LABELS, DETECTION_LABELS, STATUS_LABELS, UNIT_LABELS
from tracker.localtime import local_date
from tracker.models import Category, Incident, Place, Product, Species, utcnow

DEFAULT_MONTHS = 24
SHOWN_FILTERS = ("date_from", "date_to", "country", "place", "species", "status")
LATEST = 10

__all__ = ["bp"]


@bp.context_processor
def formatting() -> dict:
    return {"month_label": month_label}


def _categories() -> list[Category]:
    return db.session.scalars(select(Category).where(Category.active.is_(True)).order_by(Category.position)).all()


@bp.route("")
@login_required_any_role
def overview():
    today = local_date(utcnow())
    categories = _categories()
    cards = overview_cards(categories, today, current_user)
    links = {card.category.id: Drill(IncidentFilters(category=card.category.slug)) for card in cards}
    return render_template("dashboards/overview.html", cards=cards, change=Card.change, today=today,
                           drill=lambda card, figure: links[card.category.id](figure.drill))


def _filters(category: Category) -> tuple[FilterForm, IncidentFilters]:
    """The list's filter form over the query string; with no dates given, the last 24 months."""
    form = FilterForm(request.args)
    f = replace(form.filters(), category=category.slug, sort="occurred")
    if "date_from" not in request.args and "date_to" not in request.args:
        month = key_of(local_date(utcnow()))
        f = replace(f, date_from=month_bounds(add_months(month, 1 - DEFAULT_MONTHS))[0], date_to=month_bounds(month)[1])
        form.date_from.data, form.date_to.data = f.date_from, f.date_to
    return form, f


def _names() -> Names:
    return Names(
        status={s.value: str(label) for s, label in STATUS_LABELS.items()},
        detection={d.value: str(label) for d, label in DETECTION_LABELS.items()},
        country={code: str(label) for code, label in COUNTRY_LABELS.items()},
        products={str(p.id): p.name for p in db.session.scalars(select(Product))},
        species={str(s.id): s.name for s in db.session.scalars(select(Species))},
        places={p.id: p for p in db.session.scalars(select(Place))},
        unit={code: str(label) for code, label in UNIT_LABELS.items()})


def _category_or_404(slug: str) -> Category:
    category = db.session.scalar(select(Category).where(Category.slug == slug))
    if category is None:
        abort(404)
    return category


@bp.route("/<slug>")
@login_required_any_role
def category(slug: str):
    category = _category_or_404(slug)
    form, f = _filters(category)
    rows, from_rollups = dashboard_rows(category.id, f, current_user)
    window = (key_of(f.date_from) if f.date_from else None, key_of(f.date_to) if f.date_to else None)
    summary = summarise(rows, f, window, _names())
    latest = db.session.scalars(incidents_stmt(f, current_user).options(joinedload(Incident.place))
                                .limit(LATEST)).all()
    # Filters the dashboard does not offer still show when a link brought them.
    extra = tuple(name for name in f.to_args() if name not in SHOWN_FILTERS + ("category",))
    drill = Drill(f)
    return render_template(
        "dashboards/category.html", category=category, form=form, filters=f, summary=summary,
        latest=latest, from_rollups=from_rollups, filter_names=SHOWN_FILTERS + extra, charts=chart_data(summary, drill),
        drill=lambda figure: drill(figure.drill if figure else None),
        list_url=drill({}), map_url=url_for("dashboards.map_data", slug=slug, **f.to_args(category=None)))


@bp.route("/<slug>/map.json")
@login_required_any_role
def map_data(slug: str):
    category = _category_or_404(slug)
    _, f = _filters(category)
    return jsonify(map_payload(f, current_user, parse_bbox(request.args.get("bbox"))))
