"""The incident list, the incident page, and the actions taken from it."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.audit import chain
from tracker.auth.decorators import login_required_any_role, role_required
from tracker.extensions import db
from tracker.forms import ActionForm
from tracker.incidents import permissions, visibility
from tracker.incidents.blueprint import bp
from tracker.incidents.duplicates import linked_duplicates, mark_duplicates, possible_duplicates
from tracker.incidents.filters import FilterForm
from tracker.incidents.list_views import LIST_VIEWS, list_view_of
from tracker.incidents.queries import count_incidents, keyset_page
from tracker.incidents.workflow import StatusForm, allowed_transitions, apply_transition
from tracker.input_rules import integer_id
from tracker.models import AuditEvent, Evidence, Incident, IncidentItem, Role, User

PER_PAGE = 50


@bp.route("")
@login_required_any_role
def index():
    """The filtered incidents as cards, a table (a page at a time) or a map, as the user chose."""
    form = FilterForm(request.args)
    filters = form.filters()
    view = list_view_of(current_user)
    page = keyset_page(filters, current_user, request.args.get("cursor"), PER_PAGE) if view != "map" else None
    page_number = request.args.get("page", "1")
    page_number = int(page_number) if page_number.isdecimal() and int(page_number) > 0 else 1
    return render_template("incidents/list.html", form=form, filters=filters, page=page,
                           total=count_incidents(filters, current_user), page_number=page_number,
                           per_page=PER_PAGE, can_record=permissions.can_record(current_user),
                           view=view, views=LIST_VIEWS, action_form=ActionForm(),
                           map_url=url_for("incidents.map_data", **filters.to_args()))


def _visible_incident(incident_id: int) -> Incident:
    incident = db.get_or_404(Incident, incident_id, options=[
        selectinload(Incident.items).joinedload(IncidentItem.product),
        selectinload(Incident.items).joinedload(IncidentItem.species),
        selectinload(Incident.evidence).joinedload(Evidence.uploaded_by)])
    if not visibility.can_view(current_user, incident):
        abort(403)
    return incident


@bp.route("/<int:incident_id>")
@login_required_any_role
def detail(incident_id: int):
    incident = _visible_incident(incident_id)
    history = db.session.scalars(select(AuditEvent).where(AuditEvent.incident_id == incident.id)
                                 .order_by(AuditEvent.id.desc())).all()
    transitions = allowed_transitions(current_user, incident)
    forms = {t.target.value: StatusForm(prefix=t.target.value, transition=t, target=t.target.value,
                                        version=str(incident.version)) for t in transitions}
    return render_template(
        "incidents/detail.html", incident=incident, place=visibility.shown_place(current_user, incident),
        withheld=visibility.withheld_fields(current_user, incident),
        history=history, users=_actor_names(history), transitions=transitions, status_forms=forms,
        duplicates=possible_duplicates(incident, current_user), linked=linked_duplicates(incident, current_user),
        can_edit=permissions.can_edit(current_user, incident),
        can_delete=permissions.can_delete(current_user, incident),
        can_mark=permissions.can_mark_duplicates(current_user), action_form=ActionForm(),
        map_tiles=current_app.config["MAP_TILE_URL"])


def _actor_names(history) -> dict[int, str]:
    ids = {event.actor_id for event in history if event.actor_id}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all())


@bp.route("/<int:incident_id>/status", methods=["POST"])
@role_required(Role.RANGER, Role.COORDINATOR)
def change_status(incident_id: int):
    incident = _visible_incident(incident_id)
    target = request.form.get("target", "")
    transition = next((t for t in allowed_transitions(current_user, incident) if t.target.value == target), None)
    if transition is None:
        abort(403)
    form = StatusForm(prefix=target, transition=transition)
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
    elif form.version.data != str(incident.version):
        flash(_("Someone else changed this incident in the meantime; check it again before you act."), "error")
    else:
        apply_transition(incident, transition, form, current_user)
        db.session.commit()
        flash(str(transition.done) % {"ref": incident.ref}, "success")
    return redirect(url_for("incidents.detail", incident_id=incident.id))


@bp.route("/<int:incident_id>/delete", methods=["POST"])
@role_required(Role.RANGER, Role.COORDINATOR)
def delete(incident_id: int):
    incident = _visible_incident(incident_id)
    if not permissions.can_delete(current_user, incident) or not ActionForm().validate_on_submit():
        abort(403)
    chain.record("delete", current_user, "incident", incident.id, None, {"ref": incident.ref})
    db.session.delete(incident)
    db.session.commit()
    flash(_("Draft %(ref)s deleted.", ref=incident.ref), "success")
    return redirect(url_for("incidents.index"))


@bp.route("/<int:incident_id>/duplicates", methods=["POST"])
@role_required(Role.COORDINATOR)
def mark_duplicate(incident_id: int):
    incident = _visible_incident(incident_id)
    other_id = integer_id(request.form.get("other"))
    other = db.session.get(Incident, other_id) if other_id else None
    if other is None or other.id == incident.id or not ActionForm().validate_on_submit():
        abort(400)
    if mark_duplicates(incident, other, current_user):
        db.session.commit()
        flash(_("%(a)s and %(b)s are marked as duplicates of each other.", a=incident.ref, b=other.ref), "success")
    return redirect(url_for("incidents.detail", incident_id=incident.id))
