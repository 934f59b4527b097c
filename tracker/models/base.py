"""Shared column types and mixins."""
from __future__ import annotations

import enum
from datetime import datetime, timezone

from flask_babel import get_locale
from sqlalchemy import Enum, String
from sqlalchemy.orm import Mapped, mapped_column


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


def aware(value: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes even for timezone-aware columns; they are stored in UTC."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


# One column a language: the names of a reference row, in the order the admin pages show them.
NAME_COLUMNS = ("name_en", "name_ru", "name_zh", "name_mn")


class LocalizedNameMixin:
    """Reference rows carry their name in every interface language (NAME_COLUMNS)."""

    name_en: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200), default="", server_default="")
    name_zh: Mapped[str] = mapped_column(String(200), default="", server_default="")
    name_mn: Mapped[str] = mapped_column(String(200), default="", server_default="")

    @property
    def name(self) -> str:
        """The name in the page's language; the English one where that name is empty (its SQL
        twin is `localised_name` in tracker/reports/exports/sqltext.py)."""
        locale = str(get_locale() or "en")[:2]
        return getattr(self, f"name_{locale}", None) or self.name_en


