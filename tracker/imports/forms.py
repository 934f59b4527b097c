"""The import's forms: the upload for a dry run, and the confirmation of what the dry run checked."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Regexp

from tracker.forms import Form
from tracker.imports.uploads import SHA256


def strip(value):
    return value.strip() if isinstance(value, str) else value


class ImportForm(Form):
    file = FileField(_l("File"), validators=[FileRequired(_l("Choose the file to import."))], description=_l(
        "The incident CSV (UTF-8) or XLSX workbook as the export writes it."), render_kw={
        "accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
    key = StringField(_l("Key column"), default="incident_ref", filters=[strip], validators=[
        DataRequired(), Length(max=100)], description=_l(
        "The column that identifies an incident, so that importing the file again creates nothing new: "
        "incident_ref, or a column of your own."))
    submit = SubmitField(_l("Check the file"))


class ConfirmImportForm(Form):
    """Names the file the dry run checked by its SHA-256; the view compares it with the kept file."""

    sha256 = HiddenField(validators=[DataRequired(), Regexp(SHA256.pattern)])
    submit = SubmitField(_l("Import now"))
