from datetime import timedelta

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from tracker.auth.passwords import PasswordPolicy
from tracker.forms import Form, choices
from tracker.i18n import LANGUAGE_NAMES
from tracker.labels import TIMEZONES


class LoginForm(Form):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)],
                           render_kw={"autocomplete": "username", "autocapitalize": "none"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)],
                             render_kw={"autocomplete": "current-password"})
    next = HiddenField()
    submit = SubmitField(_l("Sign in"))


class PasswordChangeForm(Form):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()],
                                     render_kw={"autocomplete": "current-password"})
    new_password = PasswordField(
        _l("New password"), validators=[DataRequired(), PasswordPolicy(username_field=None)],
        description=_l("At least 12 characters. A phrase of several words is easy to remember."),
        render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("new_password", _l("The passwords do not match."))],
                            render_kw={"autocomplete": "new-password"})
    submit = SubmitField(_l("Change password"))


class PreferencesForm(Form):
    language = SelectField(_l("Interface language"),
                           description=_l("The language used after you sign in. The language buttons at the "
                                          "foot of each page change only the current session."))
    timezone = SelectField(_l("Time zone"), description=_l("Dates and times are shown and entered in this zone."))
    submit_preferences = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = choices([("", _l("As my browser prefers"))] + list(LANGUAGE_NAMES.items()))
        self.timezone.choices = choices(TIMEZONES.items())


# How long a new API token works; there are no tokens that never expire.
TOKEN_LIFETIMES = {"7": (timedelta(days=7), _l("7 days")), "30": (timedelta(days=30), _l("30 days")),
                   "90": (timedelta(days=90), _l("90 days")), "365": (timedelta(days=365), _l("1 year"))}


class TokenForm(Form):
    name = StringField(_l("Name of the token"), validators=[DataRequired(), Length(max=100)],
                       description=_l("What it is for, e.g. the station laptop's sync or the ministry's warehouse."))
    valid_for = SelectField(_l("Valid for"), default="90")
    submit_token = SubmitField(_l("Create token"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.valid_for.choices = choices((key, label) for key, (_, label) in TOKEN_LIFETIMES.items())

    @property
    def lifetime(self) -> timedelta:
        return TOKEN_LIFETIMES[self.valid_for.data][0]
