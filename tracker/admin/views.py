"""Administration: users (create, change role or unit, deactivate, reset password) and the
reference tables."""
from __future__ import annotations

import logging
from types import SimpleNamespace

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from tracker.admin.forms import PasswordResetForm, UserCreateForm, UserEditForm
from tracker.admin.reference import COLUMN_LABELS, REFERENCE_TABLES
from tracker.admin.user_history import user_history
from tracker.audit.accounts import account_snapshot, record_password_reset, record_user_changed, record_user_created
from tracker.auth import tokens
from tracker.auth.decorators import recent_login_required, role_required
from tracker.auth.passwords import hash_password
from tracker.extensions import db
from tracker.models import Place, PlaceKind, Role, User
from tracker.reference.service import save_reference

bp = Blueprint("admin", __name__, url_prefix="/admin")
audit_log = logging.getLogger("tracker.audit")
admin_only = role_required(Role.ADMIN)


@bp.route("/users")
@admin_only
def users():
    rows = db.session.scalars(select(User).order_by(User.active.desc(), User.username)).all()
    return render_template("admin/users.html", users=rows)


@bp.route("/users/new", methods=["GET", "POST"])
@admin_only
@recent_login_required
def user_create():
    form = UserCreateForm(active=True)
    if form.validate_on_submit():
        if db.session.scalar(select(User.id).where(User.username == form.username.data)):
            form.username.errors.append(_("This username is already taken."))
        else:
            user = User(username=form.username.data, password_hash=hash_password(form.password.data))
            _apply_user_form(form, user)
            db.session.add(user)
            record_user_created(current_user, user)
            db.session.commit()
            audit_log.info("user-created by=%r user=%r role=%s", current_user.username, user.username, user.role.value)
            flash(_("User %(name)s created.", name=user.username), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_only
@recent_login_required
def user_edit(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserEditForm(obj=user)
    reset_form = PasswordResetForm(prefix="reset")
    reset_form.policy_username = user.username
    if form.submit.data and form.validate_on_submit():
        if user.id == current_user.id and (form.role.data != Role.ADMIN or not form.active.data):
            flash(_("You cannot remove your own administrator access."), "error")
        else:
            before = account_snapshot(user)
            _apply_user_form(form, user)
            changes = record_user_changed(current_user, user, before)
            if not user.active and before["active"]:
                user.rotate_session_token()  # a deactivated user's open sessions end now
                tokens.revoke_all(user, current_user, "deactivated")  # and their API tokens
            db.session.commit()
            audit_log.info("user-changed by=%r user=%r changes=%r", current_user.username, user.username, changes)
            flash(_("Changes to %(name)s saved.", name=user.username), "success")
            return redirect(url_for("admin.users"))
    elif reset_form.submit_reset.data and reset_form.validate_on_submit():
        user.password_hash = hash_password(reset_form.new_password.data)
        user.rotate_session_token()
        user.failed_logins = 0
        user.locked_until = None
        record_password_reset(current_user, user)
        tokens.revoke_all(user, current_user, "password_reset")
        db.session.commit()
        audit_log.info("password-reset by=%r user=%r", current_user.username, user.username)
        flash(_("New password set for %(name)s; their sessions have ended.", name=user.username), "success")
        return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, reset_form=reset_form, user=user,
                           history=user_history(user.id))


def _apply_user_form(form: UserEditForm, user: User) -> None:
    user.display_name = form.display_name.data
    user.role = form.role.data
    user.unit = form.unit.data
    user.language = form.language.data or None
    user.active = form.active.data
    user.exact_location_grant = form.exact_location_grant.data


def _reference_table(table: str):
    spec = REFERENCE_TABLES.get(table)
    if spec is None:
        abort(404)
    return spec


def _reference_form(spec, obj=None):
    extra = {}
    if spec.model is Place:
        extra["regions"] = db.session.scalars(
            select(Place).where(Place.kind == PlaceKind.REGION).order_by(Place.country, Place.name_en)).all()
    return spec.form(obj=obj, **extra)


def _column_values(form, model) -> dict:
    """The form's values for the model's columns, as populate_obj would set them."""
    values = SimpleNamespace()
    form.populate_obj(values)
    return {name: value for name, value in vars(values).items() if name in model.__table__.columns}


@bp.route("/reference/<table>")
@admin_only
def reference_list(table: str):
    spec = _reference_table(table)
    order = [getattr(spec.model, column) for column in spec.order_by]
    rows = db.session.scalars(select(spec.model).order_by(*order)).all()
    return render_template("admin/reference_list.html", table=table, spec=spec, rows=rows,
                           labels=COLUMN_LABELS, tables=REFERENCE_TABLES)


@bp.route("/reference/<table>/new", methods=["GET", "POST"])
@bp.route("/reference/<table>/<int:row_id>", methods=["GET", "POST"])
@admin_only
def reference_edit(table: str, row_id: int | None = None):
    spec = _reference_table(table)
    row = db.get_or_404(spec.model, row_id) if row_id else None
    form = _reference_form(spec, obj=row)
    if form.validate_on_submit():
        key_field = getattr(form, spec.natural_key[0])
        same_key = [getattr(spec.model, name) == getattr(form, name).data for name in spec.natural_key]
        clash = db.session.scalar(select(spec.model.id).where(*same_key, spec.model.id != (row_id or 0)))
        if clash:
            key_field.errors.append(_("Another row already uses this value."))
        else:
            row, changed = save_reference(spec.model, row, _column_values(form, spec.model), current_user)
            db.session.commit()
            if changed:
                audit_log.info("reference-saved by=%r table=%s id=%s", current_user.username, table, row.id)
            flash(_("Saved: %(name)s.", name=row.name), "success")
            return redirect(url_for("admin.reference_list", table=table))
    return render_template("admin/reference_form.html", table=table, spec=spec, form=form, row=row)
