"""One incident of an import file, checked column by column and turned into the rows to insert.

Every value is checked by the rule the app already has for it, never a copy: coordinates and the
numbers through the incident form's own validators (rules.py), text lengths from the model's
columns, control characters by tracker/input_rules.py, codes by the models' enums and lists,
times by the incident form's range (time_entry.range_problem) and days by tracker/localtime.py.
Reference values are matched by matching.py. The derived facts are set by their one rule
(`Species.is_sensitive`, `derived.country_rule`); the file's `sensitive` is not read, and its
`country` must agree with what the place or the position says (as on the form).

Rows exported without the exact-location right are refused: their positions were moved to a
0.1° cell and their place descriptions withheld, and importing them would store false positions.

Each problem names its line (or sheet!row), its column and the reason; an incident with a
problem is not imported.
"""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime, timezone

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker import localtime
from tracker.imports import rules
from tracker.imports.matching import Names, References
from tracker.imports.sources import KINDS, Problem, SourceIncident
from tracker.incidents.derived import country_rule
from tracker.incidents.fields import TRADE_FIELDS
from tracker.incidents.forms import MAX_ITEMS
from tracker.incidents.time_entry import range_problem
from tracker.incidents.visibility import WITHHELD
from tracker.input_rules import has_control_characters
from tracker.models import (
    COUNTRIES,
    CURRENCIES,
    UNITS,
    DetectionMethod,
    Incident,
    IncidentItem,
    IncidentStatus,
    Outcome,
    utcnow,
)
from tracker.reports.columns import EXACT, GENERALISED, restore

# Free-text facts: the model's attribute and the file's column.
TEXTS = {name: name for name in ("location_text", "description", "patrol_ref", "penalty", *TRADE_FIELDS)}
TEXTS["unit"] = "reporting_unit"
TEXTS = {name: (column, Incident.__table__.c[name].type.length) for name, column in TEXTS.items()}
NOTES_LENGTH = IncidentItem.__table__.c.notes.type.length
TEXT_COLUMNS = frozenset(name for name, kind in KINDS.items() if kind == "text")
UTC_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z")
KEY_LENGTH = Incident.__table__.c.import_key.type.length
SHOWN = 60  # characters of a value quoted in a message


@dataclass
class Imported:
    """An incident ready to insert; its reference and id are decided by the import."""
    where: str
    ref: str          # incident_ref of the file
    key: str          # stored as Incident.import_key
    year: int         # of its report, for a new reference
    values: dict
    items: list[dict]


def shown(text: str) -> str:
    return text if len(text) <= SHOWN else text[:SHOWN - 1] + "…"


class Converter:
    """Checks and converts the incidents of one file (reference data read once)."""

    def __init__(self, references: References, key: str):
        self.key = key
        self.zone_name, self.zone = localtime.reporting_zone_name(), localtime.reporting_zone()
        self.places = references.places
        self.category = _finder(references.categories, _l("No category has this identifier or name."))
        self.product = _finder(references.products, _l("No product has this identifier or name."))
        self.species = _finder(references.species, _l("No species has this scientific name or name."))

    def convert(self, source: SourceIncident) -> Imported | None:
        """The incident, or None when it has problems (added to `source.problems`)."""
        problems: list[Problem] = source.problems
        where = source.row.where
        if not source.row.cells:  # a row that could not be split into columns
            return None
        read = _Reader(where, problems, source.row.cells)
        values = self._incident(read)
        items = [self._item(_Reader(item.where, problems, item.cells), n) for n, item in enumerate(source.items)]
        if len(items) > MAX_ITEMS:
            problems.append((source.items[MAX_ITEMS].where, "item_no", _(
                "An incident can list at most %(limit)d items, as on the form. Record the other items as a second "
                "incident.", limit=MAX_ITEMS)))
        if problems:
            return None
        species = [item.pop("species") for item in items]
        values["sensitive"] = any(s is not None and s.is_sensitive for s in species)
        return Imported(where, read.text("incident_ref"), read.key, values["reported_at"].year, values, items)

    # --- the incident's columns --------------------------------------------------------------

    def _incident(self, read: _Reader) -> dict:
        self._identity(read)
        values = {
            **self._times(read),
            "category_id": getattr(read.value("category", self.category, required=True), "id", None),
            "status": read.value("status", _code(IncidentStatus), required=True),
            "detection_method": read.value("detection_method", _code(DetectionMethod), required=True),
            "outcome": read.value("outcome", _code(Outcome)),
            "currency": read.value("currency", _listed(CURRENCIES)),
            **self._position(read),
        }
        for attribute, (column, length) in TEXTS.items():
            values[attribute] = read.free_text(column, length)
        values["unit"] = values["unit"].strip() or None
        values["suspects"], values["arrests"] = read.pair(("suspects", "arrests"), rules.counts, (0, 0))
        values["estimated_value"] = read.value("estimated_value",
                                               lambda text: rules.estimated_value(text, values["currency"]))
        return values

    def _identity(self, read: _Reader) -> None:
        """The file's reference and the key (read.key)."""
        if not read.text("incident_ref"):
            read.problem("incident_ref", _("Empty: every incident needs its reference."))
        key = read.text(self.key)
        if not key:
            read.problem(self.key, _("Empty: this is the key column, which every incident needs."))
        read.key = f"{self.key}:{key}"
        if len(read.key) > KEY_LENGTH:
            read.problem(self.key, _("Too long to serve as the key (at most %(limit)d characters).",
                                     limit=KEY_LENGTH - len(self.key) - 1))

    def _times(self, read: _Reader) -> dict:
        occurred, wall = read.value("occurred_at_utc", self._instant, required=True) or (None, None)
        if wall is not None and read.text("occurred_date") not in ("", wall.date().isoformat()):
            read.problem("occurred_date", _(
                "Not the day of occurred_at_utc in the reporting time zone (%(zone)s), which is %(day)s.",
                zone=self.zone_name, day=wall.date().isoformat()))
        reported = read.value("reported_at_utc", self._instant)
        return {"occurred_at": occurred, "reported_at": reported[0] if reported else utcnow().replace(microsecond=0)}

    def _position(self, read: _Reader) -> dict:
        """Place, coordinates and country; rows whose position an export generalised are refused."""
        stated = read.value("country", _listed(COUNTRIES))
        place = read.value("place", lambda text: self._place(text, stated))
        lat, lon = read.pair(("lat", "lon"), rules.position)
        precision = read.text("coordinate_precision")
        if precision == GENERALISED:
            read.problem("coordinate_precision", _(
                "This position was moved to the centre of its 0.1° cell by an export made without the "
                "exact-location right: importing it would store a false position. Export again as a user with "
                "the right."))
        elif precision not in ("", EXACT):
            read.problem("coordinate_precision", _unknown_code(precision, ("", EXACT)))
        if read.text("location_text") == WITHHELD:
            read.problem("location_text", _(
                "The place description was withheld by an export made without the exact-location right: "
                "importing it would lose it. Export again as a user with the right."))
        place_country = place.country if place else None
        decided = country_rule(place_country, lat, lon, None)
        if stated and decided and stated != decided:
            read.problem("country", _("The place or position is in %(country)s, not %(stated)s.", country=decided,
                                      stated=stated))
        stated = None if decided else stated  # as on the form: it counts only when nothing else says
        return {"place_id": place.id if place else None, "lat": lat, "lon": lon, "stated_country": stated,
                "country": country_rule(place_country, lat, lon, stated)}

    def _instant(self, text: str) -> tuple[datetime, datetime]:
        """A time as the export writes it (UTC, ISO 8601 with a Z), and the reporting zone's clock
        at that instant."""
        try:
            if not UTC_TIME.fullmatch(text):
                raise ValueError(text)
            wall = datetime.fromisoformat(text[:-1])
        except ValueError:
            raise rules.Refused(_("Not a time in UTC as the export writes it, such as 2025-03-14T23:30:00Z.")) from None
        out_of_range = range_problem(wall)  # before any conversion: year 0001 would overflow it
        if out_of_range:
            raise rules.Refused(out_of_range)
        instant = wall.replace(tzinfo=timezone.utc)
        local = localtime.to_wall(instant, self.zone)[0]
        out_of_range = range_problem(local, instant)
        if out_of_range:
            raise rules.Refused(out_of_range)
        return instant, local

    def _place(self, text: str, country: str | None):
        places = self.places.find(text)
        if len(places) > 1 and country:
            places = [p for p in places if p.country == country]
        if len(places) > 1:
            raise rules.Refused(_("Several places have this name (in %(countries)s): fill in the country column.",
                                  countries=", ".join(sorted({p.country for p in places}))))
        if not places:
            raise rules.Refused(_("No protected area or region has this name in any language."))
        return places[0]

    # --- an item's columns -------------------------------------------------------------------

    def _item(self, read: _Reader, position: int) -> dict:
        product_column = "product" if read.text("product") or "product_name" not in read.cells else "product_name"
        product = read.value(product_column, self.product, required=True)
        species_column = "species_scientific_name" if read.text("species_scientific_name") else "species_name"
        species = read.value(species_column, self.species)
        unit = read.value("quantity_unit", _listed(UNITS)) or (product.default_unit if product else None)
        return {"position": position, "product_id": getattr(product, "id", None), "species": species,
                "species_id": getattr(species, "id", None),
                "quantity": read.value("quantity", rules.quantity, required=True), "unit": unit,
                "notes": read.free_text("item_notes", NOTES_LENGTH)}


class _Reader:
    """The cells of one row, read column by column; each problem is noted once per column."""

    def __init__(self, where: str, problems: list[Problem], cells: dict[str, str]):
        self.where, self.problems, self.key = where, problems, ""
        if has_control_characters("\n".join(cells.values())):  # rare: then find the cells
            cells = {name: self._usable(name, value) for name, value in cells.items()}
        self.cells = {name: restore(value) if name in TEXT_COLUMNS else value for name, value in cells.items()}

    def _usable(self, name: str, value: str) -> str:
        if has_control_characters(value):
            self.problem(name, _("Contains invisible control characters, which are not accepted."))
            return ""
        return value

    def problem(self, column: str, message: str) -> None:
        if not any(p[0] == self.where and p[1] == column for p in self.problems):
            self.problems.append((self.where, column, message))

    def text(self, column: str) -> str:
        """A code, number, time or name, without surrounding spaces."""
        return self.cells.get(column, "").strip()

    def free_text(self, column: str, length: int | None) -> str:
        """Free text exactly as the file has it (an export's text comes back as it was stored),
        within its column's length."""
        text = self.cells.get(column, "")
        if length is not None and len(text) > length:
            self.problem(column, _("Longer than the %(limit)d characters this field holds.", limit=length))
        return text

    def value(self, column: str, convert, required: bool = False):
        """`convert(text)` of a cell, or None (empty, or refused with a problem)."""
        text = self.text(column)
        if not text:
            if required and column in self.cells:  # a missing column is reported once, by its header
                self.problem(column, _("Empty: this column needs a value."))
            return None
        try:
            return convert(text)
        except rules.Refused as refused:
            self.problem(refused.column or column, refused.message)
            return None

    def pair(self, columns: tuple[str, str], convert, fallback=(None, None)):
        """Two cells checked together (one may refuse the other)."""
        try:
            return convert(*(self.text(column) for column in columns))
        except rules.Refused as refused:
            self.problem(refused.column or columns[1], refused.message)
            return fallback


def _unknown_code(text: str, allowed) -> str:
    return _("Unknown value “%(value)s”: use one of %(values)s.", value=shown(text),
             values=", ".join(v for v in allowed if v) or "—")


def _code(enum_class: type[enum.Enum]):
    def code(text: str):
        try:
            return enum_class(text).value
        except ValueError:
            raise rules.Refused(_unknown_code(text, [m.value for m in enum_class])) from None
    return code


def _listed(allowed):
    def listed(text: str) -> str:
        if text not in allowed:
            raise rules.Refused(_unknown_code(text, allowed))
        return text
    return listed


def _finder(names: Names, unknown):
    def find(text: str):
        rows = names.find(text)
        if len(rows) != 1:
            raise rules.Refused(unknown if not rows else _("This names several rows of the reference data: use "
                                                           "the identifier."))
        return rows[0]
    return find
