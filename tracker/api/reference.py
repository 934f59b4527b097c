"""Reference data: what the ids in incidents stand for, with names in every language.

The names are read from the model's `name_*` columns, so a language added to the tracker (a
new column) appears here by itself.
"""
from __future__ import annotations

from sqlalchemy import select

from tracker.api import present, schemas
from tracker.api.blueprint import READ_ERRORS, bp, errors
from tracker.auth.decorators import login_required_any_role
from tracker.extensions import db
from tracker.models import Category, Place, Product, Species

NAME_PREFIX = "name_"


def names(row) -> dict[str, str]:
    return {column.name[len(NAME_PREFIX):]: getattr(row, column.key) for column in row.__table__.columns
            if column.name.startswith(NAME_PREFIX)}


def _rows(model, *order):
    return db.session.scalars(select(model).order_by(*order)).all()


@bp.route("/reference/categories")
@login_required_any_role
@errors(*READ_ERRORS)
@bp.response(200, schemas.CategorySchema(many=True))
def categories():
    """Incident categories"""
    return present.send([{"id": c.id, "slug": c.slug, "names": names(c), "description": c.description,
                          "active": c.active} for c in _rows(Category, Category.position, Category.id)])


@bp.route("/reference/species")
@login_required_any_role
@errors(*READ_ERRORS)
@bp.response(200, schemas.SpeciesSchema(many=True))
def species():
    """Species"""
    return present.send([{"id": s.id, "scientific_name": s.scientific_name, "names": names(s), "group": s.group.value,
             "cites_appendix": s.cites_appendix, "iucn_status": s.iucn_status, "sensitive": bool(s.is_sensitive),
             "active": s.active} for s in _rows(Species, Species.id)])


@bp.route("/reference/products")
@login_required_any_role
@errors(*READ_ERRORS)
@bp.response(200, schemas.ProductSchema(many=True))
def products():
    """Products (what was found or seized)"""
    return present.send([{"id": p.id, "slug": p.slug, "names": names(p), "applies_to": p.applies_to.value,
             "default_unit": p.default_unit, "cites_term": p.cites_term, "active": p.active}
            for p in _rows(Product, Product.id)])


@bp.route("/reference/places")
@login_required_any_role
@errors(*READ_ERRORS)
@bp.response(200, schemas.PlaceSchema(many=True))
def places():
    """Protected areas and regions"""
    return present.send([{"id": p.id, "names": names(p), "kind": p.kind.value, "country": p.country,
                          "parent_id": p.parent_id, "lat": p.lat, "lon": p.lon, "active": p.active}
                         for p in _rows(Place, Place.country, Place.id)])
