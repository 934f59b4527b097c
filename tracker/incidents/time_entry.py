"""The time of an incident as people type it: in their own zone, converted with the zone's
historical rules (tracker/localtime.py), a time skipped by the clocks refused with the reason, a
time that happened twice asked for, and a stored time shown so that saving it again never moves it.
`TimeEntry` adds the fields and their checks to the incident form."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, HiddenField, RadioField
from wtforms.validators import InputRequired, ValidationError

from tracker import localtime
from tracker.forms import choices
from tracker.incidents.fields import label
from tracker.models import utcnow

EARLIEST = datetime(1990, 1, 1)  # as the user reads the clock
FUTURE_TOLERANCE_MINUTES = 10
MINUTES_FIRST = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S")
SECONDS_FIRST = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M")


def range_problem(wall: datetime, instant: datetime | None = None):
    """Why the time of an incident cannot be stored, else None: before 1990 on the clock it was
    read on, or in the future. Without the instant, the wall clock alone is judged (with two days
    for any zone's offset), so that a year such as 0001 is refused before any conversion; the form
    and the import (on the reporting zone's clock) both ask this."""
    if wall < EARLIEST:
        return _l("The date cannot be before 1990.")
    now = utcnow()
    if wall > now.replace(tzinfo=None) + timedelta(days=2):
        return _l("The date is in the future.")
    if instant is not None and (instant - now).total_seconds() > FUTURE_TOLERANCE_MINUTES * 60:
        return _l("The date is in the future.")
    return None


class TimeEntry:
    """Fields and checks of "When it happened", mixed into the incident form."""

    occurred_at = DateTimeLocalField(label("occurred_at"), format=list(MINUTES_FIRST),
                                     validators=[InputRequired(_l("Enter the date and time."))])
    # The UTC offset the time is read at: set by the edit form, and by the choice below when the
    # time happened twice (clocks went back), so that saving again keeps the same instant.
    occurred_offset = HiddenField()
    occurred_fold = RadioField(_l("Which one?"), validate_choice=False)

    def show_zone(self) -> None:
        """The zone the time is typed in, next to the input: a ranger who sets the clock of a
        camera trap or a borrowed phone needs to know which one is meant."""
        self.occurred_at.description = _("Your time zone: %(zone)s (change it on your account page).",
                                         zone=localtime.zone_label())

    def show_time(self, instant: datetime) -> None:
        """Fill the time fields with a stored instant as the user reads it: with seconds only
        where the instant has them, and the offset that tells a repeated hour's two instants apart."""
        wall, offset = localtime.to_wall(instant, localtime.user_zone())
        self.occurred_at.data = wall.replace(microsecond=0)
        self.occurred_offset.data = localtime.format_offset(offset)
        if wall.second:
            self.occurred_at.format = list(SECONDS_FIRST)
            self.occurred_at.render_kw = {**(self.occurred_at.render_kw or {}), "step": "1"}

    def validate_occurred_at(self, field):
        self._occurred = None
        wall = field.data
        if wall is None:
            return
        out_of_range = range_problem(wall)  # on the wall clock first: year 0001 minus an offset would overflow
        if out_of_range:
            raise ValidationError(out_of_range)
        chosen = localtime.parse_offset(self.occurred_fold.data) or localtime.parse_offset(self.occurred_offset.data)
        try:
            instant = localtime.to_utc(wall, localtime.user_zone(), chosen)
        except localtime.LocalTimeProblem as problem:
            raise ValidationError(self._explain(problem)) from None
        out_of_range = range_problem(wall, instant)
        if out_of_range:
            raise ValidationError(out_of_range)
        self._occurred = instant
        # Carried if the form comes back for another reason, so a repeated hour is asked once.
        self.occurred_offset.data = localtime.format_offset(localtime.to_wall(instant, localtime.user_zone())[1])

    def _explain(self, problem: localtime.LocalTimeProblem) -> str:
        """Why a wall time cannot be stored as it is; for a repeated time, offer both."""
        earlier, later = (localtime.format_offset(o) for o in problem.offsets)
        if problem.kind == "missing":
            moment = (problem.wall - problem.offsets[0]).replace(tzinfo=localtime.UTC)
            return _("This time did not exist here: that night the clocks jumped forward from UTC%(earlier)s "
                     "to UTC%(later)s. Check the time; %(same)s is the same moment.",
                     earlier=earlier, later=later, same=localtime.format_instant(moment))
        time = problem.wall.strftime("%H:%M")
        self.occurred_fold.choices = choices([
            (earlier, _("%(time)s at UTC%(offset)s, before the clocks went back", time=time, offset=earlier)),
            (later, _("%(time)s at UTC%(offset)s, after the clocks went back", time=time, offset=later))])
        return _("This time happened twice that night, when the clocks went back from UTC%(earlier)s to "
                 "UTC%(later)s. Choose which one below.", earlier=earlier, later=later)

    @property
    def asks_which_time(self) -> bool:
        """True when the form must show the choice between the two instants of a repeated time."""
        return bool(self.occurred_fold.choices)

    def occurred_at_utc(self, stored: datetime | None = None) -> datetime:
        """The instant of the validated time. On an edit, `stored` itself as long as the form
        shows it unchanged (the form drops fractions of a second), so saving never moves it."""
        if stored is not None:
            zone = localtime.user_zone()
            wall, offset = localtime.to_wall(stored, zone)
            if (wall.replace(microsecond=0), offset) == localtime.to_wall(self._occurred, zone):
                return stored
        return self._occurred

    def entered_time(self) -> dict:
        """What was typed, in which zone and at which offset: kept in the audit trail as the
        record of how the stored instant came about."""
        zone = localtime.user_zone()
        return {"local": self.occurred_at.data.isoformat(), "zone": zone.key,
                "offset": localtime.format_offset(localtime.to_wall(self._occurred, zone)[1])}
