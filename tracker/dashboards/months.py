"""Month buckets computed by the database, agreeing to the second with
tracker.reporting_time.month_key() and with the day boundaries of the list's date filter.

PostgreSQL converts with the zone's own rules. SQLite has no time zones, so the instant is
shifted by the zone's UTC offset; zones that changed their offset (Vladivostok was UTC+11 until
October 2014) get one shift per period between changes, newest first, so the usual case costs
one comparison.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import Integer, case, cast, func, literal_column
from sqlalchemy.sql.elements import ColumnElement

SAFE_ZONE = re.compile(r"^[A-Za-z0-9_+\-/]+$")
SCAN_FROM = datetime(1900, 1, 1, tzinfo=timezone.utc)
SCAN_TO = datetime(2100, 1, 1, tzinfo=timezone.utc)


def _zone_name() -> str:
    name = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    ZoneInfo(name)  # an unknown zone fails here, not as SQL
    if not SAFE_ZONE.match(name):
        raise ValueError(f"unexpected time zone name {name!r}")
    return name


@lru_cache(maxsize=8)
def offset_periods(zone_name: str) -> tuple[tuple[datetime | None, int], ...]:
    """(UTC instant from which it applies, offset in seconds), newest first; the oldest has None."""
    zone = ZoneInfo(zone_name)

    def offset(instant: datetime) -> int:
        return int(instant.astimezone(zone).utcoffset().total_seconds())

    periods: list[tuple[datetime | None, int]] = [(None, offset(SCAN_FROM))]
    step, instant = timedelta(days=7), SCAN_FROM
    while instant < SCAN_TO:
        following = instant + step
        if offset(following) != periods[-1][1]:
            low, high = 0, int(step.total_seconds())  # first second with the new offset
            while high - low > 1:
                middle = (low + high) // 2
                if offset(instant + timedelta(seconds=middle)) == periods[-1][1]:
                    low = middle
                else:
                    high = middle
            periods.append((instant + timedelta(seconds=high), offset(following)))
        instant = following
    return tuple(reversed(periods))


def month_sql(column, dialect_name: str) -> ColumnElement[int]:
    """200401-style month of a UTC timestamp column in the reporting zone (literals only, so the
    expression can appear in SELECT and GROUP BY alike)."""
    zone = _zone_name()
    if dialect_name == "postgresql":
        local = func.timezone(literal_column(f"'{zone}'"), column)
        return cast(func.to_char(local, literal_column("'YYYYMM'")), Integer)

    def shifted(seconds: int):
        return cast(func.strftime(literal_column("'%Y%m'"), column, literal_column(f"'{seconds:+d} seconds'")),
                    Integer)

    periods = offset_periods(zone)
    if len(periods) == 1:
        return shifted(periods[0][1])
    whens = [(column >= literal_column(f"'{start:%Y-%m-%d %H:%M:%S}.000000'"), shifted(seconds))
             for start, seconds in periods[:-1]]
    return case(*whens, else_=shifted(periods[-1][1]))


def add_months(key: int, count: int) -> int:
    year, month = divmod(key, 100)
    index = year * 12 + month - 1 + count
    return (index // 12) * 100 + index % 12 + 1


def month_range(first: int, last: int) -> list[int]:
    keys = []
    while first <= last:
        keys.append(first)
        first = add_months(first, 1)
    return keys


def key_of(day: date) -> int:
    return day.year * 100 + day.month
