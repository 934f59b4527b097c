"""Dates as people mean them: a date filter or a month bucket is a day or month in the
reporting time zone (TIMEZONE, e.g. Vladivostok), while instants are stored in UTC.

The region's zones keep a fixed offset all year (no daylight saving since 2014-2017), so a SQL
aggregation can shift UTC instants by one fixed offset.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app

from tracker.models import aware


def reporting_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def utc_offset() -> timedelta:
    return datetime.now(reporting_zone()).utcoffset() or timedelta(0)


def start_of_day_utc(day: date) -> datetime:
    """The UTC instant at which `day` begins in the reporting zone."""
    return datetime.combine(day, time.min, tzinfo=reporting_zone()).astimezone(timezone.utc)


def local_date(instant: datetime) -> date:
    return aware(instant).astimezone(reporting_zone()).date()


def month_key(instant: datetime) -> int:
    """200401-style month number of an instant in the reporting zone."""
    day = local_date(instant)
    return day.year * 100 + day.month


def month_bounds(key: int) -> tuple[date, date]:
    """First and last day of a 200401-style month."""
    year, month = divmod(key, 100)
    first = date(year, month, 1)
    next_first = date(year + month // 12, month % 12 + 1, 1)
    return first, next_first - timedelta(days=1)
