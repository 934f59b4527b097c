"""Finding reference rows (categories, products, species, places) by the text a file gives.

A row is named by its identifier (a category's or product's slug, a species' scientific name) or
by its name in any language the tracker has (every column of `NAME_COLUMNS`, so a language added
to the models is matched without a change here). Case and spacing do not matter.
Retired rows (not "in use") are matched too: old records may name them.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Category, Place, Product, Species
from tracker.models.base import NAME_COLUMNS


def folded(text: str) -> str:
    return " ".join(text.split()).casefold()


class Names:
    """The rows of one reference table by every text that names one."""

    def __init__(self, model, identifier: str | None):
        self.rows: dict[str, dict[int, object]] = {}
        attributes = ([identifier] if identifier else []) + list(NAME_COLUMNS)
        for row in db.session.scalars(select(model)):
            for attribute in attributes:
                text = getattr(row, attribute)
                if text:
                    self.rows.setdefault(folded(text), {})[row.id] = row

    def find(self, text: str) -> list:
        """Every row the text names (none, one, or several when it is ambiguous)."""
        return list(self.rows.get(folded(text), {}).values())


@dataclass
class References:
    categories: Names
    products: Names
    species: Names
    places: Names

    @classmethod
    def load(cls) -> References:
        """Read once per import: the tables are small (tens of rows)."""
        return cls(Names(Category, "slug"), Names(Product, "slug"), Names(Species, "scientific_name"),
                   Names(Place, None))
