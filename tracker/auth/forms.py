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
