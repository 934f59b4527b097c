"""The export page's form: the incident list's filters, one format of the registry (incident
data or the CITES report) and the CITES year, all in one GET form (templates/reports/index.html)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from wtforms import RadioField, SelectField
from wtforms.validators import Optional

from tracker.extensions import db
from tracker.forms import Form, choices
from tracker.incidents.filters import FilterForm
from tracker.localtime import local_date
from tracker.models import Incident, utcnow


class ReportForm(FilterForm):
    """The list's filters and one of the registry's formats: the page's one download button
    fetches the chosen one."""

    format = RadioField(_l("Format"), validators=[Optional()], default="csv")

    def __init__(self, formdata, formats: dict, **kwargs):
        super().__init__(formdata, **kwargs)
        self.format.choices = choices((key, fmt.label) for key, fmt in formats.items())

    @property
    def chosen_format(self) -> str:
        return self.format.data if self.format.data in {c.value for c in self.format.choices} else "csv"


class CitesForm(Form):
    class Meta:
        csrf = False  # a GET form

    year = SelectField(_l("Year"), validators=[Optional()])

    def __init__(self, formdata, **kwargs):
        super().__init__(formdata=formdata, **kwargs)
        years = report_years()
        self.year.choices = choices((y, y) for y in years)
        if self.year.data not in [str(y) for y in years]:
            self.year.data = str(years[1] if len(years) > 1 else years[0])  # last year: the report is due in October

    @property
    def chosen_year(self) -> int:
        return int(self.year.data)


def report_years() -> list[int]:
    """This year back to the year of the oldest incident (the reporting zone's years)."""
    oldest = db.session.scalar(select(func.min(Incident.occurred_at)))
    this_year = local_date(utcnow()).year
    first = min(local_date(oldest).year, this_year) if oldest else this_year - 1
    return list(range(this_year, first - 1, -1))
