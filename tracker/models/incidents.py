"""Incidents and their items (what was found or seized, by product)."""
from __future__ import annotations

import enum
import uuid
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Optional

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    Uuid,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.base import str_enum, utcnow

if TYPE_CHECKING:
    from tracker.models.accounts import User
    from tracker.models.evidence import Evidence
    from tracker.models.reference import Category, Place, Product, Species


class IncidentStatus(str, enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    VERIFIED = "verified"
    UNDER_INVESTIGATION = "under_investigation"
    CLOSED = "closed"
    REJECTED = "rejected"


# Statuses that mean a coordinator has checked the record.
VERIFIED_STATUSES = (IncidentStatus.VERIFIED, IncidentStatus.UNDER_INVESTIGATION, IncidentStatus.CLOSED)
OPEN_STATUSES = tuple(s for s in IncidentStatus if s not in (IncidentStatus.CLOSED, IncidentStatus.REJECTED))


class DetectionMethod(str, enum.Enum):
    PATROL = "patrol"
    CAMERA_TRAP = "camera_trap"
    INFORMANT = "informant"
    CHECKPOINT = "checkpoint"
    MARKET_INSPECTION = "market_inspection"
    ONLINE_MONITORING = "online_monitoring"
    OTHER = "other"


class Outcome(str, enum.Enum):
    NO_SUSPECT = "no_suspect"
    ADMINISTRATIVE_FINE = "administrative_fine"
    CRIMINAL_CASE = "criminal_case"
    CONVICTION = "conviction"
    ACQUITTAL = "acquittal"


CURRENCIES = ("RUB", "CNY", "MNT", "USD", "EUR")


class Incident(db.Model):
    __tablename__ = "incidents"
    __table_args__ = (
        CheckConstraint("suspects >= 0", name="suspects_not_negative"),
        CheckConstraint("arrests >= 0", name="arrests_not_negative"),
        CheckConstraint("lat IS NULL OR (lat >= -90 AND lat <= 90)", name="lat_range"),
        CheckConstraint("lon IS NULL OR (lon >= -180 AND lon <= 180)", name="lon_range"),
        CheckConstraint("estimated_value IS NULL OR estimated_value >= 0", name="value_not_negative"),
        # Keyset pagination and the default sort walk these.
        Index("ix_incidents_occurred_at_id", "occurred_at", "id"),
        Index("ix_incidents_created_at_id", "created_at", "id"),
        # The API's incremental pull walks this (tracker/api/listing.py).
        Index("ix_incidents_updated_at_id", "updated_at", "id"),
        # Category and period, with the position and whether it is sensitive, so that the
        # dashboard map's grid counts read no (wide) incident row, also for users who see
        # sensitive positions generalised; also serves the duplicate search and category filters.
        Index("ix_incidents_category_map", "category_id", "occurred_at", "lat", "lon", "sensitive"),
        Index("ix_incidents_unit_occurred", "unit", "occurred_at"),
        Index("ix_incidents_lat_lon", "lat", "lon"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(20), unique=True)
    client_uuid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=uuid.uuid4)
    # SHA-256 of the API request that created the incident: a retry with the same client_uuid is
    # answered with the incident only if it sent the same body (tracker/api/writes.py).
    submission_sha256: Mapped[Optional[str]] = mapped_column(String(64))
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # The reporter's unit when the incident was recorded: a ranger sees their unit's incidents.
    unit: Mapped[Optional[str]] = mapped_column(String(120))
    place_id: Mapped[Optional[int]] = mapped_column(ForeignKey("places.id"), index=True)
    # Derived (tracker/incidents/derived.py): the place's country, else the one the position lies
    # in, else the reporter's own choice, which is kept apart so that recomputing never loses it.
    country: Mapped[Optional[str]] = mapped_column(String(2), index=True)
    stated_country: Mapped[Optional[str]] = mapped_column(String(2))
    lat: Mapped[Optional[float]] = mapped_column(Float)
    lon: Mapped[Optional[float]] = mapped_column(Float)
    location_text: Mapped[str] = mapped_column(String(500), default="", server_default="")
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    status: Mapped[IncidentStatus] = mapped_column(str_enum(IncidentStatus, 30), index=True,
                                                   default=IncidentStatus.DRAFT)
    patrol_ref: Mapped[str] = mapped_column(String(100), default="", server_default="")
    detection_method: Mapped[DetectionMethod] = mapped_column(str_enum(DetectionMethod, 30))
    suspects: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    arrests: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    estimated_value: Mapped[Optional[Decimal]] = mapped_column(Numeric(14, 2))
    currency: Mapped[Optional[str]] = mapped_column(String(3))
    outcome: Mapped[Optional[Outcome]] = mapped_column(str_enum(Outcome, 30))
    penalty: Mapped[str] = mapped_column(String(500), default="", server_default="")
    rejection_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Derived from the items' species (tracker/incidents/derived.py), kept current by incident
    # writes and by reference edits.
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0", index=True)
    # Trade fields of the CITES annual illegal trade report (shown for trafficking, optional).
    seizure_reason: Mapped[str] = mapped_column(String(300), default="", server_default="")
    transport_mode: Mapped[str] = mapped_column(String(100), default="", server_default="")
    concealment: Mapped[str] = mapped_column(String(300), default="", server_default="")
    origin_country: Mapped[str] = mapped_column(String(100), default="", server_default="")
    transit_countries: Mapped[str] = mapped_column(String(300), default="", server_default="")
    destination_country: Mapped[str] = mapped_column(String(100), default="", server_default="")
    offender_nationalities: Mapped[str] = mapped_column(String(300), default="", server_default="")
    disposal: Mapped[str] = mapped_column(String(300), default="", server_default="")
    # Set by the application's clock to the microsecond (SQLite's CURRENT_TIMESTAMP has whole
    # seconds, in another text format), so that keyset pages and the API's incremental pulls
    # compare like with like; the server default is for rows written outside the app.
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now(),
                                                 onupdate=utcnow)
    # Optimistic locking: an UPDATE that finds another version raises StaleDataError, so two
    # people editing at once cannot silently overwrite each other.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    category: Mapped["Category"] = relationship()
    place: Mapped[Optional["Place"]] = relationship()
    reporter: Mapped["User"] = relationship()
    items: Mapped[list["IncidentItem"]] = relationship(
        back_populates="incident", cascade="all, delete-orphan", order_by="IncidentItem.position")
    evidence: Mapped[list["Evidence"]] = relationship(
        back_populates="incident", cascade="all, delete-orphan", order_by="Evidence.id")

    def __repr__(self) -> str:
        return f"<Incident {self.ref}>"


class IncidentItem(db.Model):
    __tablename__ = "incident_items"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    species_id: Mapped[Optional[int]] = mapped_column(ForeignKey("species.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    unit: Mapped[str] = mapped_column(String(8))
    notes: Mapped[str] = mapped_column(String(500), default="", server_default="")

    incident: Mapped[Incident] = relationship(back_populates="items")
    product: Mapped["Product"] = relationship()
    species: Mapped[Optional["Species"]] = relationship()


class ReferenceCounter(db.Model):
    """Last public reference number given per year; numbers only ever go up, so a reference is
    never reused even if an incident is deleted."""

    __tablename__ = "reference_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class DuplicateLink(db.Model):
    """Two incidents a coordinator marked as records of the same event (stored once, low id first)."""

    __tablename__ = "duplicate_links"
    __table_args__ = (CheckConstraint("first_id < second_id", name="ordered_pair"),)

    first_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True)
    second_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True,
                                           index=True)
    marked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    marked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
