from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FloatField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from tracker.auth.passwords import PasswordPolicy
from tracker.forms import Form, OptionalSelectField, choices
from tracker.i18n import LANGUAGE_NAMES
from tracker.labels import COUNTRY_LABELS, ROLE_LABELS
from tracker.models import (
    CITES_APPENDICES,
    COUNTRIES,
    IUCN_CATEGORIES,
    UNITS,
    PlaceKind,
    ProductScope,
    Role,
    SpeciesGroup,
)


def none_if_empty(value):
    return value or None


def strip(value):
    return value.strip() if isinstance(value, str) else value


def role_choices():
    return choices((role.value, ROLE_LABELS[role]) for role in Role)


BROWSER_LANGUAGE = _l("As the browser prefers")


def language_choices():
    return choices([("", BROWSER_LANGUAGE)] + list(LANGUAGE_NAMES.items()))


# Labels of the account's fields, shared by the user form and the user's history.
ACCOUNT_LABELS = {
    "username": _l("Username"),
    "display_name": _l("Full name"),
    "role": _l("Role"),
    "unit": _l("Unit"),
    "language": _l("Language"),
    "active": _l("Active (may sign in)"),
    "exact_location_grant": _l("May see exact positions of sensitive incidents"),
    # Changes recorded in the history only (tracker/audit/accounts.py).
    "api_token": _l("API token"),
    "expires_at": _l("Expires"),
    "reason": _l("Reason"),
}


class UserEditForm(Form):
    display_name = StringField(ACCOUNT_LABELS["display_name"], validators=[DataRequired(), Length(max=120)],
                               filters=[strip])
    role = SelectField(ACCOUNT_LABELS["role"], coerce=Role)
    unit = StringField(ACCOUNT_LABELS["unit"], validators=[Length(max=120)], filters=[strip, none_if_empty],
                       description=_l("The ranger team; rangers see their unit's incidents."))
    language = OptionalSelectField(ACCOUNT_LABELS["language"])
    active = BooleanField(ACCOUNT_LABELS["active"])
    exact_location_grant = BooleanField(
        ACCOUNT_LABELS["exact_location_grant"],
        description=_l("Rangers, coordinators and administrators always may; managers only with this right."))
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()
        self.language.choices = language_choices()


class UserCreateForm(UserEditForm):
    username = StringField(ACCOUNT_LABELS["username"], validators=[
        DataRequired(), Length(min=2, max=64),
        Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Use Latin letters, digits, dots, dashes or underscores."))],
        filters=[strip])
    password = PasswordField(_l("Initial password"), validators=[DataRequired(), PasswordPolicy()],
                             render_kw={"autocomplete": "new-password"})


class PasswordResetForm(Form):
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), PasswordPolicy()],
                                 render_kw={"autocomplete": "new-password"})
    submit_reset = SubmitField(_l("Set password and end the user's sessions"))


class _NamesForm(Form):
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=200)], filters=[strip])
    name_ru = StringField(_l("Name (Russian)"), validators=[Length(max=200)], filters=[strip])
    name_zh = StringField(_l("Name (Chinese)"), validators=[Length(max=200)], filters=[strip])
    name_mn = StringField(_l("Name (Mongolian)"), validators=[Length(max=200)], filters=[strip])
    active = BooleanField(_l("In use"), default=True)
    submit = SubmitField(_l("Save"))


SLUG = Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$", message=_l("Lower-case letters, digits and single dashes."))


class CategoryForm(_NamesForm):
    slug = StringField(_l("Identifier in URLs"), validators=[DataRequired(), Length(max=64), SLUG], filters=[strip])
    description = TextAreaField(_l("What it covers"), validators=[Length(max=2000)], filters=[strip])
    position = IntegerField(_l("Order"), default=0, validators=[NumberRange(min=0, max=1000)])


class SpeciesForm(_NamesForm):
    scientific_name = StringField(_l("Scientific name"), validators=[DataRequired(), Length(max=200)], filters=[strip])
    group = SelectField(_l("Group"), coerce=SpeciesGroup)
    cites_appendix = OptionalSelectField(_l("CITES appendix"))
    iucn_status = OptionalSelectField(_l("IUCN Red List category"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.group.choices = choices((g.value, g.value) for g in SpeciesGroup)
        self.cites_appendix.choices = choices([("", _l("Not listed"))] + [(a, a) for a in CITES_APPENDICES])
        self.iucn_status.choices = choices([("", _l("Not assessed"))] + [(c, c) for c in IUCN_CATEGORIES])


class ProductForm(_NamesForm):
    slug = StringField(_l("Identifier"), validators=[DataRequired(), Length(max=64), SLUG], filters=[strip])
    applies_to = SelectField(_l("Applies to"), coerce=ProductScope)
    default_unit = SelectField(_l("Default unit"))
    cites_term = StringField(_l("CITES term code"), validators=[Length(max=8)], filters=[strip, none_if_empty])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.applies_to.choices = choices((s.value, s.value) for s in ProductScope)
        self.default_unit.choices = choices((u, u) for u in UNITS)


class PlaceForm(_NamesForm):
    kind = SelectField(_l("Kind"), coerce=PlaceKind)
    country = SelectField(_l("Country"))
    parent_id = SelectField(_l("Within region"), coerce=lambda v: int(v) if v not in (None, "", "None") else None)
    lat = FloatField(_l("Latitude of centre"), validators=[Optional(), NumberRange(min=-90, max=90)])
    lon = FloatField(_l("Longitude of centre"), validators=[Optional(), NumberRange(min=-180, max=180)])

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = choices([(PlaceKind.PROTECTED_AREA.value, _l("Protected area")),
                                     (PlaceKind.REGION.value, _l("Region"))])
        self.country.choices = choices((c, COUNTRY_LABELS[c]) for c in COUNTRIES)
        self.parent_id.choices = choices([("", "—")] + [(r.id, r.name) for r in regions])
