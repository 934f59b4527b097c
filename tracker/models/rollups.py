"""Monthly rollups of incidents, so that dashboards add up a few thousand rows instead of
grouping a million incidents.

One row counts the incidents of a category in a month (reporting time zone) that fall on one
value of one dimension, e.g. dimension 'product', value '12': incidents with at least one item
of product 12. Rows are kept for three slices of the data, each a filter the dashboards offer:
every incident (status '*', country '*', place -1), one status (country '*', place -1), and one
location (status '*'). Location rows name the incident's place (0: none) and country ('': none).

The dashboards package keeps the rows current in the transaction of every incident write and
rebuilds them with `flask --app wsgi rollups rebuild`.
"""
from __future__ import annotations

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db

ALL_STATUSES = "*"
ALL_COUNTRIES = "*"
ALL_PLACES = -1
NO_PLACE = 0


class IncidentRollup(db.Model):
    __tablename__ = "incident_rollups"
    # The key is the table on SQLite (no rowid), so a dashboard reads one contiguous range per
    # slice, dimension and month range.
    __table_args__ = {"sqlite_with_rowid": False}

    category_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    status: Mapped[str] = mapped_column(String(30), primary_key=True)
    country: Mapped[str] = mapped_column(String(2), primary_key=True)
    place_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    dimension: Mapped[str] = mapped_column(String(20), primary_key=True)
    month: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    value: Mapped[str] = mapped_column(String(40), primary_key=True)
    incidents: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Quantities in thousandths of their unit (items hold at most 3 decimals), so that adding
    # and subtracting stays exact on SQLite, which has no decimal type.
    quantity_milli: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    arrests: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

