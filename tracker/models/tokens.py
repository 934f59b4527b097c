"""Personal API tokens. Only the SHA-256 of a token is stored: the token itself is shown once,
when it is made, and a copy of the database cannot be used to call the API."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import DateTime, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.base import aware

if TYPE_CHECKING:
    from tracker.models.accounts import User


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Written at most every few minutes (tracker/auth/tokens.py), so a pull of many pages is not
    # a write per request.
    last_used_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    # Kept after revocation: audit events name the token, and its owner sees it was revoked.
    revoked_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))

    user: Mapped["User"] = relationship()

    def usable_at(self, now: datetime) -> bool:
        return self.revoked_at is None and aware(self.expires_at) > now

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.name!r}>"
