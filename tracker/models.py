"""Every table of the tracker. Models hold schema and small invariants; queries live in each
feature's queries.py, and cross-model side effects in services."""
from __future__ import annotations

import enum
import secrets
from datetime import datetime, timezone
from typing import Optional

from flask_babel import get_locale
from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, Enum, Float, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def str_enum(enum_class: type[enum.Enum], length: int = 32) -> Enum:
    """Stores an enum as VARCHAR of its values, so a new member is a code change only."""
    return Enum(
        enum_class,
        native_enum=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Role(str, enum.Enum):
    RANGER = "ranger"
    COORDINATOR = "coordinator"
    MANAGER = "manager"
    ADMIN = "admin"


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(str_enum(Role, 20))
    unit: Mapped[Optional[str]] = mapped_column(String(120), index=True)
    language: Mapped[Optional[str]] = mapped_column(String(5))
    timezone: Mapped[Optional[str]] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    # Admin-granted right to see exact positions of sensitive incidents (managers lack it by
    # default; rangers and coordinators work with exact positions).
    exact_location_grant: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    # Flask-Login stores get_id() in the session cookie; rotating this token on logout,
    # password change and deactivation makes every copy of an old cookie worthless.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    def get_id(self) -> str:
        return self.session_token

    @property
    def is_active(self) -> bool:
        return self.active

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and _aware(self.locked_until) > now

    @property
    def may_see_exact_locations(self) -> bool:
        return self.role in (Role.RANGER, Role.COORDINATOR, Role.ADMIN) or self.exact_location_grant

    def __repr__(self) -> str:
        return f"<User {self.username!r} {self.role.value}>"


def _aware(value: datetime) -> datetime:
    """SQLite returns naive datetimes even for timezone-aware columns; they are stored in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


class LocalizedNameMixin:
    """Reference rows carry their name in every interface language."""

    name_en: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200), default="", server_default="")
    name_zh: Mapped[str] = mapped_column(String(200), default="", server_default="")

    @property
    def name(self) -> str:
        locale = str(get_locale() or "en")[:2]
        return getattr(self, f"name_{locale}", None) or self.name_en


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

    @property
    def is_sensitive(self) -> bool:
        """CITES Appendix I or IUCN CR/EN: exact positions would help poachers."""
        return self.cites_appendix == "I" or self.iucn_status in SENSITIVE_IUCN


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
