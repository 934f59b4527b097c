"""The reference tables an administrator may edit, described once for the generic views."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from tracker.admin.forms import CategoryForm, PlaceForm, ProductForm, SpeciesForm
from tracker.models import Category, Place, Product, Species
from tracker.models.base import NAME_COLUMNS
from tracker.reference.service import NATURAL_KEYS


@dataclass(frozen=True)
class ReferenceTable:
    model: type
    form: type
    title: object
    columns: tuple[str, ...]
    order_by: tuple[str, ...]

    @property
    def natural_key(self) -> tuple[str, ...]:
        return NATURAL_KEYS[self.model]


REFERENCE_TABLES = {
    "categories": ReferenceTable(Category, CategoryForm, _l("Categories"),
                                 ("slug", *NAME_COLUMNS, "active"), ("position", "id")),
    "species": ReferenceTable(Species, SpeciesForm, _l("Species"),
                              ("scientific_name", *NAME_COLUMNS, "cites_appendix", "iucn_status",
                               "active"),
                              ("scientific_name",)),
    "products": ReferenceTable(Product, ProductForm, _l("Products"),
                               ("slug", *NAME_COLUMNS, "default_unit", "cites_term", "active"),
                               ("applies_to", "id")),
    "places": ReferenceTable(Place, PlaceForm, _l("Places"),
                             (*NAME_COLUMNS, "kind", "country", "active"),
                             ("country", "kind", "name_en")),
}

COLUMN_LABELS = {
    "slug": _l("Identifier"), "name_en": _l("English"), "name_ru": _l("Russian"), "name_zh": _l("Chinese"),
    "name_mn": _l("Mongolian"),
    "active": _l("In use"), "scientific_name": _l("Scientific name"), "cites_appendix": _l("CITES"),
    "iucn_status": _l("IUCN"), "default_unit": _l("Default unit"), "cites_term": _l("CITES term"),
    "kind": _l("Kind"), "country": _l("Country"),
}
