"""Reference tables: categories, species, products, places (seeded, editable by admins)."""
from __future__ import annotations

import enum
from typing import Optional

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text, or_
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.base import LocalizedNameMixin, str_enum


class Category(LocalizedNameMixin, db.Model):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")


class SpeciesGroup(str, enum.Enum):
    MAMMAL = "mammal"
    BIRD = "bird"
    FISH = "fish"
    REPTILE = "reptile"
    AMPHIBIAN = "amphibian"
    INVERTEBRATE = "invertebrate"
    PLANT = "plant"
    TREE = "tree"
    FUNGUS = "fungus"


CITES_APPENDICES = ("I", "II", "III")
IUCN_CATEGORIES = ("EX", "EW", "CR", "EN", "VU", "NT", "LC", "DD")
SENSITIVE_IUCN = ("CR", "EN")


class Species(LocalizedNameMixin, db.Model):
    __tablename__ = "species"

    id: Mapped[int] = mapped_column(primary_key=True)
    scientific_name: Mapped[str] = mapped_column(String(200), unique=True)
    group: Mapped[SpeciesGroup] = mapped_column(str_enum(SpeciesGroup, 20))
    cites_appendix: Mapped[Optional[str]] = mapped_column(String(3))
    iucn_status: Mapped[Optional[str]] = mapped_column(String(2))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")

    @hybrid_property
    def is_sensitive(self) -> bool:
        """CITES Appendix I or IUCN CR/EN: exact positions would help poachers."""
        return self.cites_appendix == "I" or self.iucn_status in SENSITIVE_IUCN

    @is_sensitive.inplace.expression
    @classmethod
    def _is_sensitive_sql(cls):
        """The same rule in SQL, for set-based updates of the incidents that depend on it."""
        return or_(cls.cites_appendix == "I", cls.iucn_status.in_(SENSITIVE_IUCN))


class ProductScope(str, enum.Enum):
    ANIMAL = "animal"
    PLANT = "plant"
    TIMBER = "timber"
    GEAR = "gear"


UNITS = ("pcs", "kg", "g", "m3", "l")


class Product(LocalizedNameMixin, db.Model):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    applies_to: Mapped[ProductScope] = mapped_column(str_enum(ProductScope, 20))
    default_unit: Mapped[str] = mapped_column(String(8))
    cites_term: Mapped[Optional[str]] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")


class PlaceKind(str, enum.Enum):
    PROTECTED_AREA = "protected_area"
    REGION = "region"


COUNTRIES = ("RU", "CN", "MN")


class Place(LocalizedNameMixin, db.Model):
    __tablename__ = "places"
    __table_args__ = (db.UniqueConstraint("country", "name_en"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[PlaceKind] = mapped_column(str_enum(PlaceKind, 20))
    country: Mapped[str] = mapped_column(String(2), index=True)
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("places.id"))
    lat: Mapped[Optional[float]] = mapped_column(Float)
    lon: Mapped[Optional[float]] = mapped_column(Float)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")

    parent: Mapped[Optional["Place"]] = relationship(remote_side=[id])
