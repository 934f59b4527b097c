"""The figures of the PDF management report: a handful of aggregate queries over the same
filtered set as the list and the exports (so the PDF counts what the CSV holds)."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from sqlalchemy import Float, Select, case, cast, distinct, func, select

from tracker.extensions import db
from tracker.incidents.filters import IncidentFilters
from tracker.incidents.queries import scoped
from tracker.localtime import local_date, month_sql
from tracker.models import VERIFIED_STATUSES, Category, Incident, IncidentItem, Place, Product, Species, User

TOP = 10
TOP_IN_CATEGORY = 3


@dataclass
class CategoryFigures:
    name: str
    incidents: int = 0
    items: int = 0
    sensitive: int = 0
    arrests: int = 0
    species: list[tuple[str, int]] = field(default_factory=list)
    products: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class Summary:
    incidents: int = 0
    items: int = 0
    sensitive: int = 0
    suspects: int = 0
    arrests: int = 0
    verified: int = 0
    first: date | None = None
    last: date | None = None
    values: list[tuple[str, float]] = field(default_factory=list)
    months: list[tuple[int, int]] = field(default_factory=list)
    products: list[tuple[str, int, int]] = field(default_factory=list)
    species: list[tuple[str, str, int]] = field(default_factory=list)
    places: list[tuple[str, int]] = field(default_factory=list)
    categories: list[CategoryFigures] = field(default_factory=list)


def build_summary(f: IncidentFilters, user: User, progress: Callable[[int, int], None] = lambda done, total: None
                  ) -> Summary:
    """Every figure of the report; `progress(done, total)` after each query."""

    def over_incidents(*columns) -> Select:
        return scoped(select(*columns), f, user)

    def over_items(*columns) -> Select:
        return scoped(select(*columns).select_from(IncidentItem).join(Incident), f, user)

    names = _names()
    month = month_sql(Incident.occurred_at, db.engine.dialect.name)
    s = Summary()
    steps = [
        lambda: _kpis(s, over_incidents),
        lambda: setattr(s, "items", db.session.scalar(over_items(func.count(IncidentItem.id)))),
        lambda: setattr(s, "values", [(cur, total) for cur, total in db.session.execute(
            over_incidents(Incident.currency, func.sum(cast(Incident.estimated_value, Float)))
            .where(Incident.estimated_value.is_not(None)).group_by(Incident.currency).order_by(Incident.currency))]),
        lambda: setattr(s, "months", [tuple(r) for r in db.session.execute(
            over_incidents(month.label("m"), func.count()).group_by("m").order_by("m"))]),
        lambda: setattr(s, "products", [(names["products"].get(pid, "?"), n, k) for pid, n, k in db.session.execute(
            over_items(IncidentItem.product_id, func.count(), func.count(distinct(IncidentItem.incident_id)))
            .group_by(IncidentItem.product_id).order_by(func.count().desc(), IncidentItem.product_id).limit(TOP))]),
        lambda: setattr(s, "species", [(*names["species"].get(sid, ("?", "")), k) for sid, k in db.session.execute(
            over_items(IncidentItem.species_id, func.count(distinct(IncidentItem.incident_id)))
            .where(IncidentItem.species_id.is_not(None)).group_by(IncidentItem.species_id)
            .order_by(func.count(distinct(IncidentItem.incident_id)).desc(), IncidentItem.species_id).limit(TOP))]),
        lambda: setattr(s, "places", [(names["places"].get(pid, "?"), n) for pid, n in db.session.execute(
            over_incidents(Incident.place_id, func.count()).where(Incident.place_id.is_not(None))
            .group_by(Incident.place_id).order_by(func.count().desc(), Incident.place_id).limit(TOP))]),
        lambda: _categories(s, names, over_incidents, over_items),
    ]
    for done, step in enumerate(steps, 1):
        step()
        progress(done, len(steps))
    return s


def _names() -> dict:
    return {"products": {p.id: p.name for p in db.session.scalars(select(Product))},
            "species": {x.id: (x.name, x.scientific_name) for x in db.session.scalars(select(Species))},
            "places": {p.id: p.name for p in db.session.scalars(select(Place))},
            "categories": [(c.id, c.name) for c in db.session.scalars(select(Category).order_by(Category.position))]}


def _kpis(s: Summary, over_incidents) -> None:
    row = db.session.execute(over_incidents(
        func.count(Incident.id), func.sum(case((Incident.sensitive.is_(True), 1), else_=0)),
        func.sum(Incident.suspects), func.sum(Incident.arrests),
        func.sum(case((Incident.status.in_(VERIFIED_STATUSES), 1), else_=0)),
        func.min(Incident.occurred_at), func.max(Incident.occurred_at))).one()
    s.incidents, s.sensitive, s.suspects, s.arrests, s.verified = (int(v or 0) for v in row[:5])
    s.first, s.last = (local_date(v) if v else None for v in row[5:])


def _categories(s: Summary, names: dict, over_incidents, over_items) -> None:
    figures = {cid: CategoryFigures(name) for cid, name in names["categories"]}
    for cid, n, sensitive, arrests in db.session.execute(over_incidents(
            Incident.category_id, func.count(), func.sum(case((Incident.sensitive.is_(True), 1), else_=0)),
            func.sum(Incident.arrests)).group_by(Incident.category_id)):
        figures[cid].incidents, figures[cid].sensitive, figures[cid].arrests = n, int(sensitive or 0), int(arrests or 0)
    # One pass over the items: counted per species and per product (items, not incidents).
    species, products = defaultdict(Counter), defaultdict(Counter)
    for cid, product_id, species_id, n in db.session.execute(
            over_items(Incident.category_id, IncidentItem.product_id, IncidentItem.species_id, func.count())
            .group_by(Incident.category_id, IncidentItem.product_id, IncidentItem.species_id)):
        products[cid][names["products"].get(product_id, "?")] += n
        if species_id is not None:
            species[cid][names["species"].get(species_id, ("?", ""))[0]] += n
    for cid, fig in figures.items():
        fig.items = sum(products[cid].values())  # every item has a product
        fig.species, fig.products = _top(species[cid]), _top(products[cid])
    s.categories = [fig for fig in figures.values() if fig.incidents]


def _top(counts: Counter) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda p: (-p[1], p[0]))[:TOP_IN_CATEGORY]
