"""Users and roles."""
from __future__ import annotations

import enum
import secrets
from datetime import datetime
from typing import Optional

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db
from tracker.models.base import aware, str_enum


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
    # How the incident list shows incidents to this user: cards, a compact table or a map
    # (tracker/incidents/list_views.py); empty means cards.
    list_view: Mapped[Optional[str]] = mapped_column(String(8))
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
        return self.locked_until is not None and aware(self.locked_until) > now

    def __repr__(self) -> str:
        return f"<User {self.username!r} {self.role.value}>"


