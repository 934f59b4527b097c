"""Load the reference CSVs into the database, updating rows by their natural key.

A deployment in another region replaces the files in data/; running the loader twice changes
nothing the second time. Every row written is audited (actor "system") and the incidents whose
derived facts depend on it follow (tracker/reference/service.py).
"""
from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Category, Place, PlaceKind, Product, ProductScope, Species, SpeciesGroup
from tracker.models.base import NAME_COLUMNS
from tracker.reference.service import NATURAL_KEYS, save_reference

DATA_DIR = Path(__file__).with_name("data")


def read_rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as f:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]


def _names(row: dict[str, str]) -> dict[str, str]:
    return {column: row[column] for column in NAME_COLUMNS}


def _upsert(session: Session, model, values: dict) -> bool:
    """Insert or update the row with these values' natural key; True if anything changed."""
    row = session.scalar(select(model).filter_by(**{name: values[name] for name in NATURAL_KEYS[model]}))
    return save_reference(model, row, values, actor=None)[1]


def seed_reference(session: Session) -> dict[str, int]:
    """Rows inserted or updated per table (all zero on a second run)."""
    counts = {"categories": 0, "species": 0, "products": 0, "places": 0}
    for position, row in enumerate(read_rows("categories.csv")):
        counts["categories"] += _upsert(session, Category, {
            "slug": row["slug"], **_names(row), "description": row["what_it_covers"], "position": position})
    for row in read_rows("species.csv"):
        counts["species"] += _upsert(session, Species, {
            "scientific_name": row["scientific_name"], **_names(row), "group": SpeciesGroup(row["group"]),
            "cites_appendix": row["cites_appendix"] or None, "iucn_status": row["iucn_status"] or None})
    for row in read_rows("products.csv"):
        counts["products"] += _upsert(session, Product, {
            "slug": row["slug"], **_names(row), "applies_to": ProductScope(row["applies_to"]),
            "default_unit": row["default_unit"], "cites_term": row["cites_term"] or None})
    places = read_rows("places.csv")
    # Regions first, so protected areas can point at their parent region.
    for row in sorted(places, key=lambda r: r["kind"] != "region"):
        parent_id = None
        if row["region"]:
            parent_id = session.scalar(select(Place.id).filter_by(country=row["country"], name_en=row["region"]))
        counts["places"] += _upsert(session, Place, {
            "country": row["country"], **_names(row), "kind": PlaceKind(row["kind"]),
            "parent_id": parent_id, "lat": float(row["lat"]), "lon": float(row["lon"])})
    session.flush()
    return counts
