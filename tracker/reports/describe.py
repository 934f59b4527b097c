"""Words for what a file holds: its filters and its coordinate policy, as written into the XLSX
"about" sheet, the PDF and the page before a download."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from tracker.extensions import db
from tracker.incidents.filters import SORTS, STATUS_GROUPS, IncidentFilters
from tracker.labels import COUNTRY_LABELS, DETECTION_LABELS, STATUS_LABELS, label
from tracker.localtime import format_day
from tracker.models import Category, IncidentStatus, Place, Product, Species, User


def _name(model, value) -> str:
    row = db.session.get(model, value)
    return row.name if row is not None else str(value)


def _status(code: str) -> str:
    """A status, or a group of statuses ("open", "verified-or-later") as the filter offers it."""
    if code in STATUS_GROUPS:
        return str(STATUS_GROUPS[code][0])
    return label(STATUS_LABELS, IncidentStatus(code))


def describe_filters(f: IncidentFilters) -> list[tuple[str, str]]:
    """(label, value) for each filter that is set, in the language of the interface."""
    lines = []
    if f.q:
        lines.append((_("Search"), f.q))
    if f.category:
        category = db.session.scalar(select(Category).where(Category.slug == f.category))
        lines.append((_("Category"), category.name if category else f.category))
    if f.status:
        lines.append((_("Status"), _status(f.status)))
    if f.country:
        lines.append((_("Country"), label(COUNTRY_LABELS, f.country)))
    lines += [(title, _name(model, value)) for title, model, value in (
        (_("Place"), Place, f.place), (_("Species"), Species, f.species), (_("Product"), Product, f.product))
        if value]
    if f.detection:
        lines.append((_("Detection method"), label(DETECTION_LABELS, f.detection)))
    if f.reporter:
        reporter = db.session.get(User, f.reporter)
        lines.append((_("Reporter"), reporter.display_name if reporter else str(f.reporter)))
    if f.date_from:
        lines.append((_("From"), format_day(f.date_from)))
    if f.date_to:
        lines.append((_("To"), format_day(f.date_to)))
    if f.sensitive:
        lines.append((_("Sensitive"), _("Sensitive only")))
    if f.sort != "occurred":
        lines.append((_("Sort by"), str(SORTS.get(f.sort, f.sort))))
    return lines


def coordinate_policy(exact: bool) -> str:
    if exact:
        return _("Exact coordinates: the exporting user may see exact positions of sensitive incidents.")
    return _("Coordinates of sensitive incidents are generalised to the centre of their 0.1° grid cell "
             "(about 11 km); other incidents are exact.")
