"""What a user may see of incidents, in one place. The list, the incident page, the dashboards and
their map, every export, the duplicate hints and the evidence all go through it.

- **Records.** Rangers see their unit's incidents (their own if they have no unit); coordinators,
  managers and administrators see all.
- **Positions.** Exact positions of tigers and leopards help poachers. Users without the
  exact-location right see a sensitive incident's position as the centre of its 0.1° cell (about
  11 km), and they see it that way *before* any filter, box, grid or hint works on it: a query can
  never tell them more than the cell (a box halved fifty times around the point ends at the cell).
- **Free text.** The location description of a sensitive incident is withheld from them, shown as
  withheld, and text searches do not look into it.

Rangers, coordinators and administrators work with exact positions; managers need an
administrator's grant. Both Python (for loaded incidents) and SQL (for lists, maps and exports)
forms are here, and they agree.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import Float, Integer, Select, and_, case, cast, false, literal, literal_column
from sqlalchemy.sql.elements import ColumnElement

from tracker.models import Incident, Role, User

CELL_DEGREES = 0.1
CELLS_PER_DEGREE = 10
# A true position lies at most half a cell (plus float rounding) from its cell's centre.
HALF_CELL = 0.051
WITHHELD = "[withheld]"  # in data files; pages say it in the user's language
POSITION_FIELDS = ("lat", "lon", "location_text")


# --- records ---------------------------------------------------------------------------------

def visible_to(stmt: Select, user: User) -> Select:
    """Record-level access on a statement over incidents."""
    if user.role is Role.RANGER:
        if user.unit:
            return stmt.where(Incident.unit == user.unit)
        return stmt.where(Incident.reporter_id == user.id)
    return stmt


def can_view(user: User, incident: Incident) -> bool:
    """Python twin of visible_to() for one loaded incident."""
    if user.role is not Role.RANGER:
        return True
    return incident.unit == user.unit if user.unit else incident.reporter_id == user.id


# --- positions and place descriptions -----------------------------------------------------------

def sees_exact_positions(user: User) -> bool:
    return user.role in (Role.RANGER, Role.COORDINATOR, Role.ADMIN) or bool(user.exact_location_grant)


def hides_position(user: User, incident: Incident) -> bool:
    return bool(incident.sensitive) and not sees_exact_positions(user)


def cell_centre(value: float | None) -> float | None:
    """The centre of the 0.1° cell holding `value` (the SQL twin is `_cell_centre_sql`)."""
    if value is None:
        return None
    return (math.floor(value * CELLS_PER_DEGREE) + 0.5) / CELLS_PER_DEGREE


@dataclass(frozen=True)
class ShownPlace:
    """An incident's position and location description as one user may see them."""

    lat: float | None
    lon: float | None
    generalised: bool
    location_text: str
    text_withheld: bool


def shown_place(user: User, incident: Incident) -> ShownPlace:
    return shown(user, incident.sensitive, incident.lat, incident.lon, incident.location_text)


def shown(user: User, sensitive: bool, lat: float | None, lon: float | None, text: str = "") -> ShownPlace:
    """A position (an incident's, or a photo's of that incident) as `user` may see it."""
    hidden = bool(sensitive) and not sees_exact_positions(user)
    located = lat is not None and lon is not None
    if not hidden:
        return ShownPlace(lat, lon, False, text or "", False)
    return ShownPlace(cell_centre(lat) if located else None, cell_centre(lon) if located else None, located, "",
                      bool(text))


def _floor_sql(expression) -> ColumnElement[int]:
    """floor() that needs none of SQLite's optional math functions."""
    truncated = cast(expression, Integer)
    return truncated - cast(expression < truncated, Integer)


def _cell_centre_sql(column) -> ColumnElement[float]:
    """SQL twin of cell_centre(). Constants are literal SQL: PostgreSQL matches a grouped
    expression (the map's grid) to the selected one only if they are written the same."""
    per_degree, half = literal_column(str(CELLS_PER_DEGREE), Float), literal_column("0.5", Float)
    return (cast(_floor_sql(column * per_degree), Float) + half) / per_degree


def lat_sql(user: User) -> ColumnElement[float]:
    """The latitude `user` may see, for SELECT, WHERE and GROUP BY alike."""
    if sees_exact_positions(user):
        return Incident.lat
    return case((Incident.sensitive.is_(True), _cell_centre_sql(Incident.lat)), else_=Incident.lat)


def lon_sql(user: User) -> ColumnElement[float]:
    if sees_exact_positions(user):
        return Incident.lon
    return case((Incident.sensitive.is_(True), _cell_centre_sql(Incident.lon)), else_=Incident.lon)


def generalised_sql(user: User) -> ColumnElement[bool]:
    """True where the position shown is a cell centre."""
    if sees_exact_positions(user):
        return false()
    return and_(Incident.sensitive.is_(True), Incident.lat.is_not(None), Incident.lon.is_not(None))


def location_text_sql(user: User) -> ColumnElement[str]:
    """The location description `user` may read ('' where withheld): also what searches look in."""
    if sees_exact_positions(user):
        return Incident.location_text
    return case((Incident.sensitive.is_(True), literal("")), else_=Incident.location_text)


def text_withheld_sql(user: User) -> ColumnElement[bool]:
    if sees_exact_positions(user):
        return false()
    return and_(Incident.sensitive.is_(True), Incident.location_text != "")


def in_box(user: User, west: float, south: float, east: float, north: float) -> ColumnElement[bool]:
    """Incidents whose position, as `user` sees it, lies in the box. For users who see cell
    centres the true position is first narrowed to the box grown by half a cell, which the
    (lat, lon) index answers and which keeps exactly the same incidents."""
    lat, lon = lat_sql(user), lon_sql(user)
    shown_inside = and_(lat.between(south, north), lon.between(west, east))
    if sees_exact_positions(user):
        return shown_inside
    near = and_(Incident.lat.between(south - HALF_CELL, north + HALF_CELL),
                Incident.lon.between(west - HALF_CELL, east + HALF_CELL))
    return and_(near, shown_inside)


def withheld_fields(user: User, incident: Incident) -> frozenset[str]:
    """Fields of an incident's history that `user` may not read in full."""
    return frozenset(POSITION_FIELDS) if hides_position(user, incident) else frozenset()

