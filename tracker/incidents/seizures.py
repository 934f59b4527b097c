"""What counts as a seizure, written once.

A seizure is an incident in the "Trade and seizures" category (its incidents are seizures by
definition) or an incident of any category with a reason for seizure recorded: two tiger paws
taken at a poaching camp are a seizure once the patrol records why they were seized.

The CITES annual illegal trade report selects with `is_seizure()`; its XLSX about-sheet and the
reports page state `seizure_rule()`; the README says the same in words; the incident form opens
its seizure section by default for `SEIZURE_CATEGORY`.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, func, or_, select

from tracker.extensions import db
from tracker.models import Category, Incident

SEIZURE_CATEGORY = "trafficking"


def is_seizure() -> ColumnElement[bool]:
    """SQL: the incident is a seizure (a reason of blanks only is no reason)."""
    category = select(Category.id).where(Category.slug == SEIZURE_CATEGORY).correlate(None).scalar_subquery()
    return or_(Incident.category_id == category, func.trim(Incident.seizure_reason) != "")


def seizure_rule() -> str:
    """The rule in words, in the current language, with the category's current name."""
    category = db.session.scalar(select(Category).where(Category.slug == SEIZURE_CATEGORY))
    return _("A seizure is an incident of the “%(category)s” category, or of any category with a reason for "
             "seizure recorded.", category=category.name if category else SEIZURE_CATEGORY)
