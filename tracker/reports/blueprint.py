"""The reports blueprint, who may use it (coordinators, managers and administrators; rangers get
403), and how a request names what to export."""
from __future__ import annotations

from flask import Blueprint, abort, request

from tracker.auth.decorators import role_required
from tracker.incidents.filters import FilterForm, IncidentFilters
from tracker.models import Role, utcnow
from tracker.reports.forms import report_years

bp = Blueprint("reports", __name__, url_prefix="/reports")
may_export = role_required(Role.COORDINATOR, Role.MANAGER, Role.ADMIN)


def requested_filters() -> IncidentFilters:
    """The same filters, parsed the same way, as the incident list."""
    return FilterForm(request.args).filters()


def requested_year() -> int:
    """The CITES report's year (CITES came into force in 1975); any other value is refused
    rather than silently replaced."""
    year = request.args.get("year", type=int)
    if year is None or not 1975 <= year <= report_years()[0]:
        abort(400)
    return year


def stamp() -> str:
    """For file names: when (UTC) the file was made."""
    return utcnow().strftime("%Y%m%d-%H%M")
