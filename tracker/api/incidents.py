"""Reading incidents: the list (filtered, keyset pages, incremental pulls) and one incident."""
from __future__ import annotations

from dataclasses import fields
from datetime import datetime, timezone

from flask import abort, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.api import inputs, present, schemas
from tracker.api.blueprint import bp, errors
from tracker.api.errors import invalid, problem
from tracker.api.listing import BadCursor, incidents_page
from tracker.auth.decorators import login_required_any_role
from tracker.dashboards.mapdata import parse_bbox
from tracker.extensions import db
from tracker.incidents import visibility
from tracker.incidents.filters import FilterForm, IncidentFilters
from tracker.models import Evidence, Incident, IncidentItem

DEFAULT_LIMIT, MAX_LIMIT = 50, 200


def _limit() -> int:
    text = request.args.get("limit", "")
    if not text:
        return DEFAULT_LIMIT
    if not text.isdecimal() or not 1 <= int(text) <= MAX_LIMIT:
        raise invalid({"limit": [_l("Give a whole number from 1 to %(most)d.", most=MAX_LIMIT)]})
    return int(text)


def _updated_since() -> datetime | None:
    text = request.args.get("updated_since")
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise invalid({"updated_since": [schemas.TYPE_MESSAGES["format"]]})
    try:
        return value.astimezone(timezone.utc)
    except OverflowError:
        raise invalid({"updated_since": [schemas.TYPE_MESSAGES["format"]]}) from None


def _bbox():
    text = request.args.get("bbox")
    if text is None:
        return None
    bbox = parse_bbox(text)
    if bbox is None:
        raise invalid({"bbox": [_l("Give west,south,east,north in degrees, e.g. 130.5,42.5,131.5,43.5.")]})
    return bbox


FILTERS = {field.name for field in fields(IncidentFilters)}


def _filters() -> IncidentFilters:
    """The list's filters from the query string, refused with the form's messages when wrong.
    (Without any, the form and its choices need not be built: a pull page is then cheaper.)"""
    if FILTERS.isdisjoint(request.args):
        return IncidentFilters()
    form = FilterForm(request.args, meta={"csrf": False})
    if not form.validate():
        raise invalid(form.errors)
    return form.filters()


@bp.route("/incidents")
@login_required_any_role
@bp.doc(parameters=[{"in": "query", "schema": inputs.IncidentQuerySchema}])
@errors(400, 401, 422, 429)
@bp.response(200, schemas.IncidentPageSchema)
def list_incidents():
    """Incidents you may see, a page at a time

    The filters are the incident list's, and work on what you may see: a sensitive incident's
    position is its generalised one for `bbox`, and a withheld location description is not
    searched by `q`. Follow `next` until it is null.
    """
    limit, since, bbox = _limit(), _updated_since(), _bbox()
    try:
        page = incidents_page(_filters(), current_user, request.args.get("cursor"), limit, since, bbox)
    except BadCursor:
        raise problem(400, "invalid_cursor", _l("This cursor is not valid for this list: start again "
                                                "without it, or use the `next` link as it was given.")) from None
    next_url = None
    if page.next_cursor:
        args = {k: v for k, v in request.args.items(multi=True) if k != "cursor"}
        next_url = url_for("api.list_incidents", _external=True, **args, cursor=page.next_cursor)
    return present.send({"items": [present.incident(row, current_user) for row in page.rows], "next": next_url,
                         "next_cursor": page.next_cursor,
                         "next_updated_since": present.instant(page.next_updated_since)})


def visible_incident(ref: str, *options) -> Incident:
    """The incident with this reference if the user may see it: 404 if there is none, 403 if
    it is another unit's."""
    incident = db.session.scalar(select(Incident).where(Incident.ref == ref).options(*options))
    if incident is None:
        abort(404)
    if not visibility.can_view(current_user, incident):
        abort(403)
    return incident


DETAIL_OPTIONS = (selectinload(Incident.items).joinedload(IncidentItem.product),
                  selectinload(Incident.evidence).joinedload(Evidence.uploaded_by))


@bp.route("/incidents/<ref>")
@login_required_any_role
@errors(401, 403, 404, 429)
@bp.response(200, schemas.IncidentDetailSchema, headers={"ETag": {"description": "The version, quoted",
                                                                   "schema": {"type": "string"}}})
def get_incident(ref: str):
    """One incident, with its items, evidence (metadata) and status history"""
    incident = visible_incident(ref, *DETAIL_OPTIONS)
    return present.send(present.incident_detail(incident, current_user), 200, {"ETag": f'"{incident.version}"'})
