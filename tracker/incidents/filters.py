"""The incident filters, parsed once and shared by the list, dashboards, exports and the API.

`FilterForm` reads the query string (GET, no CSRF); `.filters()` gives an `IncidentFilters`
value that queries apply and that turns back into query-string arguments for drill-down links.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import DateField, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import DateRange, Length, NumberRange, Optional, ValidationError

from tracker.extensions import db
from tracker.forms import Form, choices
from tracker.labels import COUNTRY_LABELS, DETECTION_LABELS, STATUS_LABELS
from tracker.models import (
    COUNTRIES,
    OPEN_STATUSES,
    VERIFIED_STATUSES,
    Category,
    DetectionMethod,
    IncidentStatus,
    Place,
    Product,
    Species,
)

SORTS = {"occurred": _l("Date of incident"), "created": _l("Date recorded")}
# Dates a filter may name: the reporting zone's offsets are known for these years
# (dashboards/months.py), and year 1 or 9999 overflowed when turned into UTC instants.
FILTER_DATES = DateRange(min=date(1900, 1, 1), max=date(2099, 12, 31),
                         message=_l("Enter a date between %(first)d and %(last)d.", first=1900, last=2099))
# A status filter may also name a group of statuses (the dashboards count these).
STATUS_GROUPS = {"open": (_l("Open (not closed or rejected)"), OPEN_STATUSES),
                 "verified-or-later": (_l("Verified, under investigation or closed"), VERIFIED_STATUSES)}


def status_values(code: str) -> tuple[str, ...]:
    """The stored statuses that a status filter value stands for."""
    group = STATUS_GROUPS.get(code)
    return tuple(s.value for s in group[1]) if group else (code,)


@dataclass(frozen=True)
class IncidentFilters:
    category: str | None = None          # slug
    status: str | None = None
    country: str | None = None
    place: int | None = None             # a place, or a region with the places inside it
    species: int | None = None
    product: int | None = None
    detection: str | None = None
    reporter: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    q: str | None = None
    sensitive: bool | None = None
    sort: str = "occurred"

    def to_args(self, **changes) -> dict[str, str]:
        """Query-string arguments (only the set ones), e.g. for a drill-down link."""
        args = {}
        for key, value in asdict(replace(self, **changes)).items():
            if value is None or value == "" or (key == "sort" and value == "occurred"):
                continue
            args[key] = value.isoformat() if isinstance(value, date) else ("1" if value is True else str(value))
        return args

    @property
    def active(self) -> bool:
        return any(getattr(self, f.name) not in (None, "") for f in fields(self) if f.name != "sort")


class FilterForm(Form):
    class Meta:
        csrf = False  # a GET form whose state lives in the URL

    q = StringField(_l("Search"), validators=[Optional(), Length(max=200)],
                    description=_l("Reference, description or location"))
    category = SelectField(_l("Category"), validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()])
    country = SelectField(_l("Country"), validators=[Optional()])
    place = SelectField(_l("Place"), validators=[Optional()])
    species = SelectField(_l("Species"), validators=[Optional()])
    product = SelectField(_l("Product"), validators=[Optional()])
    detection = SelectField(_l("Detection method"), validators=[Optional()])
    reporter = IntegerField(_l("Reporter"), validators=[Optional(), NumberRange(min=1)])
    date_from = DateField(_l("From"), validators=[Optional(), FILTER_DATES])
    date_to = DateField(_l("To"), validators=[Optional(), FILTER_DATES])
    sensitive = SelectField(_l("Sensitive"), validators=[Optional()])
    sort = SelectField(_l("Sort by"), validators=[Optional()])

    def __init__(self, formdata, **kwargs):
        super().__init__(formdata=formdata, **kwargs)
        any_ = ("", _l("Any"))
        self.category.choices = choices([any_] + [(c.slug, c.name) for c in _active(Category, Category.position)])
        self.status.choices = choices([any_] + [(s.value, STATUS_LABELS[s]) for s in IncidentStatus]
                                      + [(code, label) for code, (label, _) in STATUS_GROUPS.items()])
        self.country.choices = choices([any_] + [(c, COUNTRY_LABELS[c]) for c in COUNTRIES])
        self.place.choices = [*choices([any_])] + place_choices()
        self.species.choices = choices([any_] + [(s.id, s.name) for s in by_name(_active(Species, Species.id))])
        self.product.choices = choices([any_] + [(p.id, p.name) for p in _active(Product, Product.id)])
        self.detection.choices = choices([any_] + [(d.value, DETECTION_LABELS[d]) for d in DetectionMethod])
        self.sensitive.choices = choices([any_, ("1", _l("Sensitive only"))])
        self.sort.choices = choices(SORTS.items())

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))

    def filters(self) -> IncidentFilters:
        """The valid part of the query string; invalid values are ignored (and shown as errors).

        A reversed date range (end before start) is the exception: both dates are valid on their
        own, so both apply as typed and nothing matches, while the error next to "To" says why.
        Dropping either date would count a range nobody asked for, and the list, dashboards,
        exports and their drill-down links would each have to repeat the repair.
        """
        self.validate()

        def ok(field, convert=lambda v: v or None):
            # Optional() lets blank input through unchecked (even past a select's choices): no filter.
            blank = field.data is None or (isinstance(field.data, str) and not field.data.strip())
            return None if field.errors or blank else convert(field.data)

        return IncidentFilters(
            category=ok(self.category), status=ok(self.status), country=ok(self.country),
            place=ok(self.place, int), species=ok(self.species, int), product=ok(self.product, int),
            detection=ok(self.detection), reporter=ok(self.reporter),
            date_from=_within_range(self.date_from.data), date_to=_within_range(self.date_to.data),
            q=ok(self.q, lambda v: v.strip() or None),
            sensitive=True if ok(self.sensitive) == "1" else None, sort=ok(self.sort) or "occurred")


def _within_range(day: date | None) -> date | None:
    """A date the filters can use: outside FILTER_DATES it is shown as an error and left out."""
    return day if day is not None and FILTER_DATES.min <= day <= FILTER_DATES.max else None


def by_name(rows):
    """Reference rows in the order of their names in the user's language."""
    return sorted(rows, key=lambda row: row.name.casefold())


def _active(model, order):
    return db.session.scalars(select(model).where(model.active.is_(True)).order_by(order)).all()


def place_choices():
    """Places grouped by country, regions before the protected areas inside them."""
    places = db.session.scalars(select(Place).where(Place.active.is_(True))
                                .order_by(Place.country, Place.kind.desc(), Place.name_en)).all()
    return [SelectChoice(value=str(place.id), label=place.name,
                         optgroup=str(COUNTRY_LABELS.get(place.country, place.country)),
                         render_kw={"data-lat": place.lat, "data-lon": place.lon} if place.lat is not None else {})
            for place in places]
