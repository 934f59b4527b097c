"""When: the one place that turns wall-clock times into instants and back, and decides which day
and month an instant belongs to.

- Instants are stored in UTC.
- People type and read times in their own time zone (their account's, else TIMEZONE), converted
  with the zone's historical rules (zoneinfo): Vladivostok was UTC+11 until October 2014,
  Mongolia kept summer time in 2015 and 2016, China in 1986-1991. A fixed offset, or pytz's
  `replace(tzinfo=...)` (which takes a zone's 19th-century local mean time), is never right.
- A wall time that does not exist (clocks jumped forward) is refused; one that happened twice
  (clocks went back) needs the offset it was meant in.
- Days and months (date filters, dashboards and their rollups, the exports' `occurred_date`, the
  CITES year, the PDF) are those of the reporting zone (TIMEZONE), with its historical rules too:
  in Python here, and in SQL by `local_sql()`, which agrees with Python to the second.
- Every date and time on a page, in a flash or in the PDF reads one way (`format_instant`,
  `format_day`): day before month, month as a word, 24-hour clock. `12/2/26, 6:55 AM` (CLDR's
  US English) is 12 February to a team in Russia, China and Mongolia.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, get_timezone_name
from flask import current_app
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _
from sqlalchemy import Integer, String, case, cast, func, literal_column
from sqlalchemy.sql.elements import ColumnElement

UTC = timezone.utc
SAFE_ZONE = re.compile(r"^[A-Za-z0-9_+\-/]+$")
SCAN_FROM = datetime(1900, 1, 1, tzinfo=UTC)
SCAN_TO = datetime(2100, 1, 1, tzinfo=UTC)


# --- zones -----------------------------------------------------------------------------------

def reporting_zone_name() -> str:
    """TIMEZONE, checked: it is also written into SQL as a literal."""
    name = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    ZoneInfo(name)  # an unknown zone fails here, not as SQL
    if not SAFE_ZONE.match(name):
        raise ValueError(f"unexpected time zone name {name!r}")
    return name


def reporting_zone() -> ZoneInfo:
    return ZoneInfo(reporting_zone_name())


def zone_name_of(user) -> str:
    """The zone a user reads and types times in: their account's, else the reporting zone."""
    return getattr(user, "timezone", None) or reporting_zone_name()


def zone_of(user) -> ZoneInfo:
    return ZoneInfo(zone_name_of(user))


def user_zone() -> ZoneInfo:
    """The zone of this request's user, as Flask-Babel shows times (i18n.select_timezone)."""
    return ZoneInfo(str(get_timezone()))


def aware_utc(value: datetime) -> datetime:
    """SQLite returns naive datetimes even for timezone-aware columns; they are stored in UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# --- wall clock <-> instant ------------------------------------------------------------------

@dataclass(frozen=True)
class LocalTimeProblem(Exception):
    """`kind` is 'missing' (skipped by a jump forward) or 'ambiguous' (repeated when clocks went
    back); `offsets` are the UTC offsets around the change, earlier one first."""

    kind: str
    wall: datetime
    offsets: tuple[timedelta, ...]


def offsets_of_wall(wall: datetime, zone: ZoneInfo) -> tuple[timedelta, ...]:
    """The UTC offsets at which `wall` (naive) happens in `zone`: none, one, or two."""
    found = []
    for fold in (0, 1):
        candidate = wall.replace(tzinfo=zone, fold=fold)
        offset = candidate.utcoffset()
        # A wall time exists at an offset if the instant it gives reads back as the same wall time.
        if candidate.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall and offset not in found:
            found.append(offset)
    return tuple(found)


def to_utc(wall: datetime, zone: ZoneInfo, offset: timedelta | None = None) -> datetime:
    """The instant of a wall-clock time in `zone`. `offset` chooses between the two instants of an
    ambiguous time; raises LocalTimeProblem for a missing time or an unresolved ambiguity."""
    offsets = offsets_of_wall(wall, zone)
    if not offsets:
        before = wall.replace(tzinfo=zone, fold=0).utcoffset()
        after = wall.replace(tzinfo=zone, fold=1).utcoffset()
        raise LocalTimeProblem("missing", wall, (before, after))
    if len(offsets) > 1 and offset not in offsets:
        raise LocalTimeProblem("ambiguous", wall, offsets)
    chosen = offset if offset in offsets else offsets[0]
    return (wall - chosen).replace(tzinfo=UTC)


def to_wall(instant: datetime, zone: ZoneInfo) -> tuple[datetime, timedelta]:
    """The naive wall-clock time of `instant` in `zone`, and the offset it is read at."""
    local = aware_utc(instant).astimezone(zone)
    return local.replace(tzinfo=None), local.utcoffset()


def format_offset(offset: timedelta) -> str:
    """+10:00, -03:30 (ISO 8601)."""
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def parse_offset(text: str | None) -> timedelta | None:
    match = re.fullmatch(r"([+-])(\d{2}):(\d{2})", text or "")
    if not match:
        return None
    value = timedelta(hours=int(match[2]), minutes=int(match[3]))
    return -value if match[1] == "-" else value


# --- days and months of the reporting zone ----------------------------------------------------

def local_date(instant: datetime) -> date:
    """The reporting zone's day of `instant`."""
    return aware_utc(instant).astimezone(reporting_zone()).date()


def month_key(instant: datetime) -> int:
    """200401-style month of `instant` in the reporting zone."""
    day = local_date(instant)
    return day.year * 100 + day.month


def start_of_day_utc(day: date) -> datetime:
    """The UTC instant at which `day` begins in the reporting zone: its first midnight, or the
    end of a jump forward over midnight (fold 0 of a missing time has the offset before it)."""
    zone = reporting_zone()
    midnight = datetime.combine(day, time.min)
    offsets = offsets_of_wall(midnight, zone)
    offset = offsets[0] if offsets else midnight.replace(tzinfo=zone, fold=0).utcoffset()
    return (midnight - offset).replace(tzinfo=UTC)


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


def local_sql(column, dialect_name: str, pattern: str) -> ColumnElement[str]:
    """A UTC timestamp column as text of the reporting zone's wall clock, `pattern` being
    'YYYYMM' or 'YYYY-MM-DD'. Literals only, so the expression can appear in SELECT and GROUP BY.

    PostgreSQL converts with the zone's own rules. SQLite has no time zones, so the instant is
    shifted by the zone's UTC offset, one shift per period between offset changes, newest first:
    the usual case costs one comparison.
    """
    zone = reporting_zone_name()
    if dialect_name == "postgresql":
        return func.to_char(func.timezone(literal_column(f"'{zone}'"), column), literal_column(f"'{pattern}'"))
    strftime_pattern = {"YYYYMM": "%Y%m", "YYYY-MM-DD": "%Y-%m-%d"}[pattern]

    def shifted(seconds: int):
        return func.strftime(literal_column(f"'{strftime_pattern}'"), column,
                             literal_column(f"'{seconds:+d} seconds'"), type_=String)

    periods = offset_periods(zone)
    if len(periods) == 1:
        return shifted(periods[0][1])
    whens = [(column >= literal_column(f"'{start:%Y-%m-%d %H:%M:%S}.000000'"), shifted(seconds))
             for start, seconds in periods[:-1]]
    return case(*whens, else_=shifted(periods[-1][1]))


def month_sql(column, dialect_name: str) -> ColumnElement[int]:
    """SQL twin of month_key()."""
    return cast(local_sql(column, dialect_name, "YYYYMM"), Integer)


def date_sql(column, dialect_name: str) -> ColumnElement[str]:
    """SQL twin of local_date(), as ISO text."""
    return local_sql(column, dialect_name, "YYYY-MM-DD")


# --- how an instant reads ---------------------------------------------------------------------

# English takes its date patterns from British English: "2 Dec 2026", never "12/2/26". The other
# languages' CLDR medium dates already put the day in its place ("2 дек. 2026 г.", "2026年12月2日").
DAY_FIRST_LOCALES = {"en": "en_GB"}
CLOCK = "%H:%M"  # 24 hours in every language


def _date_locale() -> Locale:
    locale = get_locale() or Locale.parse("en")
    return Locale.parse(DAY_FIRST_LOCALES.get(locale.language, str(locale)))


def format_day(day: date, width: str = "medium") -> str:
    """2 Dec 2026 (medium) or 2 December 2026 (long), in the interface language."""
    return format_date(day, width, locale=_date_locale())


def format_offset_short(offset: timedelta) -> str:
    """+10, +5:30, -3 (for reading; format_offset is the ISO form)."""
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours}:{rest:02d}" if rest else f"{sign}{hours}"


def zone_name(zone: ZoneInfo | None = None) -> str:
    """The zone's generic name in the interface language ("Vladivostok Time", "Владивосток",
    "中国时间"), from CLDR; the user's zone by default."""
    zone = zone or user_zone()
    if zone.key in ("UTC", "Etc/UTC"):
        return "UTC"
    return get_timezone_name(zone, "long", locale=get_locale() or Locale.parse("en"))


def zone_label(instant: datetime | None = None, zone: ZoneInfo | None = None) -> str:
    """The zone an instant is read in, and its offset then: "Vladivostok Time, UTC+10" (UTC+11
    before October 2014). Without an instant, the offset of now."""
    zone = zone or user_zone()
    if zone.key in ("UTC", "Etc/UTC"):
        return "UTC"
    offset = aware_utc(instant or datetime.now(UTC)).astimezone(zone).utcoffset()
    return _("%(zone)s, UTC%(offset)s", zone=zone_name(zone), offset=format_offset_short(offset))


def format_instant(instant: datetime | None, zone: ZoneInfo | None = None, with_zone: bool = False) -> str:
    """An instant as the user reads it, in their zone (or `zone`): "2 Dec 2026, 06:55", and with
    `with_zone` "2 Dec 2026, 06:55 (Vladivostok Time, UTC+10)"."""
    if instant is None:
        return ""
    zone = zone or user_zone()
    local = aware_utc(instant).astimezone(zone)
    locale = _date_locale()
    text = locale.datetime_formats["medium"].format(local.strftime(CLOCK), format_date(local.date(), "medium",
                                                                                       locale=locale))
    if with_zone:
        return _("%(time)s (%(zone)s)", time=text, zone=zone_label(instant, zone))
    return text
