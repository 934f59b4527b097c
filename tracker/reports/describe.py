"""Words for what a file holds: its filters and its coordinate policy, as written into the XLSX
"about" sheet, the PDF and the page before a download."""
from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from tracker.extensions import db
from tracker.incidents.filters import SORTS, STATUS_GROUPS, IncidentFilters
from tracker.labels import COUNTRY_LABELS, DETECTION_LABELS, STATUS_LABELS, label
from tracker.models import Category, IncidentStatus, Place, Product, Species, User


def _name(model, value) -> str:
    row = db.session.get(model, value)
    return row.name if row is not None else str(value)


def describe_filters(f: IncidentFilters) -> list[tuple[str, str]]:
    """(label, value) for each filter that is set, in the language of the interface."""
    lines = []
    if f.q:
        lines.append((_("Search"), f.q))
    if f.category:
        category = db.session.scalar(select(Category).where(Category.slug == f.category))
        lines.append((_("Category"), category.name if category else f.category))
    if f.status:
        group = STATUS_GROUPS.get(f.status)  # "open" and "verified-or-later" are no single status
        lines.append((_("Status"), str(group[0]) if group else label(STATUS_LABELS, IncidentStatus(f.status))))
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
        lines.append((_("From"), format_date(f.date_from, "medium")))
    if f.date_to:
        lines.append((_("To"), format_date(f.date_to, "medium")))
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
