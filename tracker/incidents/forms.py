"""The incident form: facts, items by product, position, and the trade fields of the CITES report."""
from __future__ import annotations

import uuid
from datetime import datetime

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import (
    FormField,
    HiddenField,
    IntegerField,
    MultipleFileField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from tracker.evidence.widgets import stage_attributes
from tracker.extensions import db
from tracker.forms import CountedFieldList, FitsColumn, Form, OptionalSelectField, TypedDecimalField, choices
from tracker.incidents import derived
from tracker.incidents.coordinates import CoordinateError, hemisphere_letters, is_null_island, parse_part, split_pair
from tracker.incidents.fields import TRADE_FIELDS, label
from tracker.incidents.filters import by_name, place_choices
from tracker.incidents.time_entry import TimeEntry
from tracker.labels import COUNTRY_LABELS, DETECTION_LABELS, UNIT_LABELS
from tracker.models import (
    COUNTRIES,
    CURRENCIES,
    UNITS,
    Category,
    DetectionMethod,
    Incident,
    IncidentItem,
    Product,
    Species,
)

MAX_ITEMS = 50
COORDINATE_REASONS = {
    "unreadable": _l("Not a coordinate we can read. Use decimal degrees (43.1083) or degrees, minutes, "
                     "seconds (43°06'30\"N)."),
    "minutes and seconds must be below 60": _l("Minutes and seconds must be below 60."),
    "hemisphere letter does not fit": _l("This hemisphere letter belongs to the other coordinate."),
    "out of range": _l("Out of range: latitude is between -90 and 90, longitude between -180 and 180."),
    "sign and hemisphere letter": _l("Use either a sign (-43) or a hemisphere letter (43 S), not both."),
}


def writers_letters() -> dict:
    """Hemisphere letters as the person filling in the form writes them (their interface language)."""
    return hemisphere_letters(str(get_locale() or "en")[:2])


class CoordinateField(StringField):
    """Keeps what the user typed; `.value` is the parsed decimal degrees (or None)."""

    def __init__(self, label=None, axis="lat", **kwargs):
        super().__init__(label, **kwargs)
        self.axis = axis
        self.value = None

    def pre_validate(self, form):
        self.value = None
        text = (self.data or "").strip()
        if not text:
            return
        try:
            self.value = parse_part(text, self.axis, writers_letters())
        except CoordinateError as error:
            raise ValidationError(COORDINATE_REASONS[str(error)]) from None


class ItemForm(Form):
    class Meta:
        csrf = False  # part of the incident form, which carries the token

    product = SelectField(_l("Product"), validators=[InputRequired(_l("Choose what was found or seized."))])
    species = OptionalSelectField(_l("Species"))
    quantity = TypedDecimalField(_l("Quantity"), places=None, validators=[
        InputRequired(_l("Enter a quantity.")),
        NumberRange(max=10**9, message=_l("This quantity is too large.")),
        FitsColumn(IncidentItem.__table__.c.quantity)])
    unit = SelectField(_l("Unit of measure"))
    notes = StringField(_l("Notes"), validators=[Length(max=500)])

    def validate_quantity(self, field):
        if field.data is not None and field.data <= 0:
            raise ValidationError(_l("The quantity must be greater than zero."))

    def fill_choices(self, products, species):
        self.product.choices = choices([("", _l("Choose…"))]) + [
            *[choice for p in products for choice in _product_choice(p)]]
        self.species.choices = choices([("", _l("Not applicable / unknown"))] + [(s.id, s.name) for s in species])
        self.unit.choices = choices((u, UNIT_LABELS[u]) for u in UNITS)


def _product_choice(product):
    from wtforms import SelectChoice

    return [SelectChoice(value=str(product.id), label=product.name, render_kw={"data-unit": product.default_unit})]




def text_field(name: str, field_class=StringField, **kwargs):
    """A free-text fact with its declared label and the length its column holds."""
    length = Incident.__table__.c[name].type.length or 10000
    return field_class(label(name), validators=[Length(max=length)], **kwargs)


class IncidentForm(TimeEntry, Form):
    client_uuid = HiddenField()
    version = HiddenField()
    category = SelectField(_l("Category"), validators=[InputRequired(_l("Choose a category."))])
    place = OptionalSelectField(_l("Protected area or region"))
    lat = CoordinateField(_l("Latitude"), axis="lat", render_kw={"inputmode": "decimal", "autocomplete": "off"})
    lon = CoordinateField(_l("Longitude"), axis="lon", render_kw={"inputmode": "decimal", "autocomplete": "off"})
    # After the place and the position: validate_country reads what they say.
    country = OptionalSelectField(_l("Country"), default="", description=_l(
        "Only needed when neither the place nor the position shows the country."))
    location_text = text_field("location_text", description=_l(
        "Landmarks, road, river, compartment number… Users without the exact-location right do not see this "
        "for sensitive species."))
    description = text_field("description", TextAreaField, render_kw={"rows": 5}, description=_l(
        "Keep exact positions out of this text: everyone who may see the incident reads it. Put them in the "
        "position and location description fields."))
    patrol_ref = text_field("patrol_ref")
    detection_method = SelectField(_l("How it was detected"), validators=[InputRequired()])
    suspects = IntegerField(_l("Suspects"), default=0, validators=[
        InputRequired(_l("Enter a number (0 if none).")), NumberRange(min=0, max=10000)])
    arrests = IntegerField(_l("Arrests"), default=0, validators=[
        InputRequired(_l("Enter a number (0 if none).")), NumberRange(min=0, max=10000)])
    estimated_value = TypedDecimalField(_l("Estimated value"), places=2, validators=[
        Optional(), NumberRange(min=0), FitsColumn(Incident.__table__.c.estimated_value)])
    currency = OptionalSelectField(_l("Currency"))
    seizure_reason = text_field("seizure_reason")
    transport_mode = text_field("transport_mode")
    concealment = text_field("concealment")
    origin_country = text_field("origin_country")
    transit_countries = text_field("transit_countries")
    destination_country = text_field("destination_country")
    offender_nationalities = text_field("offender_nationalities")
    disposal = text_field("disposal")
    items = CountedFieldList(FormField(ItemForm), min_entries=1, max_entries=MAX_ITEMS)
    files = MultipleFileField(_l("Photos and documents"),
                              description=_l("JPEG, PNG or WebP photos and PDF documents."))
    add_item = SubmitField(_l("Add item"))
    save_draft = SubmitField(_l("Save as draft"))
    submit = SubmitField(_l("Submit for review"))

    def __init__(self, *args, reference_lists: bool = True, **kwargs):
        """`reference_lists=False`: without the choices of categories, places, products and
        species (four queries), for a form whose values alone are wanted (the API's defaults)."""
        super().__init__(*args, **kwargs)
        if reference_lists:
            self._fill_reference_lists()
        self._key_damaged = False
        if self.submission_key is None:  # a first visit, or a key changed on the way
            self._key_damaged = bool(self.client_uuid.data)
            self.client_uuid.data = str(uuid.uuid4())
            self.client_uuid.raw_data = [self.client_uuid.data]  # nothing of the damaged one is kept
        self.files.render_kw = stage_attributes()  # upload at once, keep EXIF offers
        self.show_zone()

    def _fill_reference_lists(self) -> None:
        categories = db.session.scalars(select(Category).where(Category.active.is_(True)).order_by(Category.position))
        self.category.choices = choices([("", _l("Choose…"))]) + [
            *[c for cat in categories for c in choices([(cat.slug, cat.name)])]]
        self.place.choices = choices([("", _l("Not in a listed area"))]) + place_choices()
        self.country.choices = choices([("", _l("As the place or position shows"))] +
                                       [(c, COUNTRY_LABELS[c]) for c in COUNTRIES])
        self.detection_method.choices = choices((d.value, DETECTION_LABELS[d]) for d in DetectionMethod)
        self.currency.choices = choices([("", "—")] + [(c, c) for c in CURRENCIES])
        products = db.session.scalars(select(Product).where(Product.active.is_(True)).order_by(Product.id)).all()
        species = by_name(db.session.scalars(select(Species).where(Species.active.is_(True))))
        for entry in self.items:
            entry.form.fill_choices(products, species)
        self._products, self._species = products, species

    @property
    def submission_key(self) -> uuid.UUID | None:
        """The key the browser sends with this form; posting it again records nothing new."""
        try:
            return uuid.UUID(self.client_uuid.data or "")
        except ValueError:
            return None

    def append_item(self) -> None:
        if self.items.full:
            self.items.errors = [_("An incident can list at most %(limit)d items. Record the other items as a "
                                   "second incident.", limit=MAX_ITEMS)]
            return
        self.items.append_entry()
        self.items[-1].form.fill_choices(self._products, self._species)

    def remove_item(self, index: int) -> None:
        kept = [entry.data for n, entry in enumerate(self.items) if n != index] or [{}]
        while len(self.items):
            self.items.pop_entry()
        for data in kept:
            self.items.append_entry(data)
            self.items[-1].form.fill_choices(self._products, self._species)

    def split_pasted_pair(self) -> None:
        """A pair pasted into the latitude box (`43°06'30"N 131°27'E`) fills both boxes."""
        if self.lat.data and not self.lon.data:
            pair = split_pair(self.lat.data, writers_letters())
            if pair:
                self.lat.data, self.lon.data = pair[0].strip(), pair[1].strip()

    def validate_arrests(self, field):
        if field.data is not None and self.suspects.data is not None and field.data > self.suspects.data:
            raise ValidationError(_l("There cannot be more arrests than suspects."))

    def validate_client_uuid(self, field):
        if self._key_damaged:  # a fresh key is in the form: saving again works
            raise ValidationError(_l("The form arrived damaged. Check your input and save again."))

    def validate_items(self, field):
        if field.received > MAX_ITEMS:
            raise ValidationError(_("An incident can list at most %(limit)d items. This form had %(count)d rows; "
                                    "only the first %(limit)d are shown. Record the other items as a second "
                                    "incident.", limit=MAX_ITEMS, count=field.received))

    def validate_lon(self, field):
        """The pair's rules. An unreadable latitude has its own message, which is enough: a pair
        pasted there that could not be read is not also "enter the longitude"."""
        if self.lat.errors:
            return
        lat_given, lon_given = bool((self.lat.data or "").strip()), bool((field.data or "").strip())
        if lat_given and not lon_given:
            raise ValidationError(_l("Enter the longitude too, or leave both boxes empty. A pair pasted into the "
                                     "latitude box needs a space after the comma: 43.1, 131.4."))
        if lon_given and not lat_given:
            raise ValidationError(_l("Enter both latitude and longitude, or neither."))
        if lat_given and is_null_island(self.lat.value, field.value):
            raise ValidationError(_l("0°, 0° is in the open sea off West Africa: the position was probably not "
                                     "captured. Enter the real position, or leave both boxes empty."))

    def validate_country(self, field):
        if not field.data:
            return
        place_id = int(self.place.data) if (self.place.data or "").isdigit() else None
        decided = derived.decided_country(place_id, self.lat.value, self.lon.value)
        if decided and decided != field.data:
            raise ValidationError(_l("The place or position is in %(country)s. Choose that country or leave this "
                                     "empty.", country=COUNTRY_LABELS.get(decided, decided)))

    def validate_currency(self, field):
        if self.estimated_value.data is not None and not field.data:
            raise ValidationError(_l("Choose the currency of the estimated value."))

    def facts(self, stored_occurred_at: datetime | None = None) -> dict:
        """Incident column values from the validated form."""
        category_id = db.session.scalar(select(Category.id).where(Category.slug == self.category.data))
        values = {
            "category_id": category_id, "occurred_at": self.occurred_at_utc(stored_occurred_at),
            "place_id": int(self.place.data) if self.place.data else None,
            "lat": self.lat.value, "lon": self.lon.value,
            "location_text": _text(self.location_text), "description": _text(self.description),
            "patrol_ref": _text(self.patrol_ref), "detection_method": DetectionMethod(self.detection_method.data),
            "suspects": self.suspects.data, "arrests": self.arrests.data,
            "estimated_value": self.estimated_value.data, "currency": self.currency.data or None,
        }
        values.update({name: _text(getattr(self, name)) for name in TRADE_FIELDS})
        values["stated_country"] = self.country.data or None  # used only if place and position say nothing
        return values


def _text(field) -> str:
    return (field.data or "").strip()
