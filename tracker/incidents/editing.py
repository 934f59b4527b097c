"""Recording and editing incidents (POST-redirect-GET, one transaction per save)."""
from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from tracker.auth.decorators import role_required
from tracker.database import reads_first, write_phase
from tracker.evidence.service import attach
from tracker.evidence.uploads import accept_files, load_pending
from tracker.evidence.validation import Refused
from tracker.extensions import db
from tracker.incidents import services
from tracker.incidents.blueprint import bp
from tracker.incidents.duplicates import possible_duplicates
from tracker.incidents.fields import TRADE_FIELDS
from tracker.incidents.forms import IncidentForm
from tracker.incidents.permissions import can_edit
from tracker.models import Incident, IncidentStatus, Role

recorders = role_required(Role.RANGER, Role.COORDINATOR)


def _button_pressed(form: IncidentForm) -> str | None:
    """'add', 'remove:<n>' or None: buttons that change the form instead of saving it."""
    if form.add_item.data:
        return "add"
    if request.form.get("remove_item", "").isdecimal():  # not isdigit: int("²") fails
        return "remove:" + request.form["remove_item"]
    return None


def _rearrange(form: IncidentForm, action: str) -> None:
    if action == "add":
        form.append_item()
    else:
        form.remove_item(int(action.split(":")[1]))


def item_data(form: IncidentForm) -> list[services.ItemData]:
    """The validated form's item rows, as the service layer takes them."""
    return [services.ItemData(product_id=int(e.form.product.data),
                              species_id=int(e.form.species.data) if e.form.species.data else None,
                              quantity=e.form.quantity.data, unit=e.form.unit.data,
                              notes=(e.form.notes.data or "").strip()) for e in form.items]


def _stage_files(form: IncidentForm):
    """Files of this attempt, kept (as signed tokens) even when the form is refused."""
    form.split_pasted_pair()
    try:
        pending, stage_errors = load_pending(request.form.getlist("pending_evidence"), current_user), []
    except Refused as refusal:  # the store cannot be asked: the form is shown again, nothing saved
        pending, stage_errors = [], [str(refusal.message)]
    accepted, errors = accept_files([f for f in (form.files.data or []) if f and f.filename], current_user)
    errors = stage_errors + errors
    seen = {p.sha256 for p in pending}
    pending += [p for p in accepted if p.sha256 not in seen]
    return pending, errors


@bp.route("/new", methods=["GET", "POST"])
@reads_first
@recorders
def create():
    form = IncidentForm()
    pending, file_errors = ([], [])
    if request.method == "POST":
        pending, file_errors = _stage_files(form)
        existing = _already_recorded(form.submission_key)
        if existing is not None:  # double click, refresh or retry: one incident only
            return _recorded_before(existing)
        action = _button_pressed(form)
        if action:
            _rearrange(form, action)
        elif form.validate_on_submit() and not file_errors:
            status = IncidentStatus.SUBMITTED if form.submit.data else IncidentStatus.DRAFT
            write_phase()  # checked, files stored: the lock is held only for the rows
            existing = _already_recorded(form.submission_key)
            if existing is not None:
                return _recorded_before(existing)
            try:
                incident = services.create_incident(
                    {**form.facts(), "client_uuid": form.submission_key}, item_data(form),
                    current_user, status, entered=form.entered_time())
                attach(incident, pending, current_user)
                db.session.commit()
            except IntegrityError:  # a concurrent duplicate submission won the race
                db.session.rollback()
                existing = _already_recorded(form.submission_key)
                if existing is None:
                    raise
                return redirect(url_for("incidents.detail", incident_id=existing.id))
            _flash_saved(incident, status)
            return redirect(url_for("incidents.detail", incident_id=incident.id))
    elif request.args.get("place", "").isdecimal():
        form.place.data = request.args["place"]
    return render_template("incidents/form.html", form=form, incident=None, pending=pending,
                           file_errors=file_errors, conflict=None)


def _recorded_before(existing: Incident):
    flash(_("Incident %(ref)s was already recorded.", ref=existing.ref), "info")
    return redirect(url_for("incidents.detail", incident_id=existing.id))


def _already_recorded(key: uuid.UUID) -> Incident | None:
    return db.session.scalar(select(Incident).where(Incident.client_uuid == key))


def _flash_saved(incident: Incident, status: IncidentStatus) -> None:
    if status is IncidentStatus.DRAFT:
        flash(_("Draft %(ref)s saved. Submit it for review when it is complete.", ref=incident.ref), "success")
    else:
        flash(_("Incident %(ref)s recorded and submitted for review.", ref=incident.ref), "success")
    duplicates = possible_duplicates(incident, current_user)
    if duplicates:
        flash(_("Possible duplicate: %(refs)s recorded nearby within two days. Check the incident page.",
                refs=", ".join(d.ref for d in duplicates)), "warning")


@bp.route("/<int:incident_id>/edit", methods=["GET", "POST"])
@recorders
def edit(incident_id: int):
    incident = db.get_or_404(Incident, incident_id)
    if not can_edit(current_user, incident):
        abort(403)
    form = IncidentForm(obj=None if request.method == "POST" else FormValues(incident))
    if request.method != "POST":
        form.show_time(incident.occurred_at)
    pending, file_errors, conflict = [], [], None
    if request.method == "POST":
        pending, file_errors = _stage_files(form)
        action = _button_pressed(form)
        if action:
            _rearrange(form, action)
        elif form.validate_on_submit() and not file_errors:
            if str(incident.version) != form.version.data:
                conflict = incident
            else:
                try:
                    changes = services.update_incident(incident, form.facts(incident.occurred_at), item_data(form),
                                                      current_user, entered=form.entered_time())
                    attach(incident, pending, current_user)
                    db.session.commit()
                except StaleDataError:  # saved by someone else between our read and our write
                    db.session.rollback()
                    conflict = db.session.get(Incident, incident_id)
                else:
                    flash(_("Changes to %(ref)s saved.", ref=incident.ref) if changes or pending
                          else _("Nothing was changed in %(ref)s.", ref=incident.ref), "info")
                    return redirect(url_for("incidents.detail", incident_id=incident.id))
            if conflict is not None:
                form.version.data = str(conflict.version)  # saving again now is a deliberate choice
                flash(_("Someone else saved this incident while you were editing. Compare both "
                        "versions below; your input is kept. Save again to replace their version."), "error")
    return render_template("incidents/form.html", form=form, incident=incident, pending=pending,
                           file_errors=file_errors, conflict=conflict)


class FormValues:
    """An incident seen through the form's field names (the edit form's initial values, also
    the API's starting point for a PATCH)."""

    def __init__(self, incident: Incident):
        self.version = str(incident.version)
        self.client_uuid = str(incident.client_uuid)
        self.category = incident.category.slug
        self.place = str(incident.place_id) if incident.place_id else ""
        self.lat = "" if incident.lat is None else f"{incident.lat:.6f}".rstrip("0").rstrip(".")
        self.lon = "" if incident.lon is None else f"{incident.lon:.6f}".rstrip("0").rstrip(".")
        self.country = incident.stated_country or ""
        self.detection_method = incident.detection_method.value
        self.items = [{"product": str(i.product_id), "species": str(i.species_id or ""), "quantity": i.quantity,
                       "unit": i.unit, "notes": i.notes} for i in incident.items]
        for name in ("location_text", "description", "patrol_ref", "suspects", "arrests", "estimated_value",
                     "currency", *TRADE_FIELDS):
            setattr(self, name, getattr(incident, name))
