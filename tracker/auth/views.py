"""Sign in, sign out and the user's own account page."""
from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta, timezone

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from tracker.audit.accounts import record_password_change
from tracker.auth import tokens
from tracker.auth.decorators import LOGIN_AT_KEY, login_required_any_role
from tracker.auth.forms import LoginForm, PasswordChangeForm, PreferencesForm, TokenForm
from tracker.auth.passwords import dummy_hash, hash_password, verify_password
from tracker.auth.throttling import count_failure, throttle_failed_sign_ins
from tracker.database import reads_first, write_phase
from tracker.extensions import db, login_manager
from tracker.forms import ActionForm
from tracker.i18n import SESSION_KEY as LANGUAGE_KEY
from tracker.models import User
from tracker.security import safe_next

bp = Blueprint("auth", __name__)
audit_log = logging.getLogger("tracker.audit")

login_manager.login_view = "auth.login"
login_manager.login_message = None  # the login page explains itself
# "basic" marks a session non-fresh when the client's address changes instead of ending it:
# rangers on mobile networks change address often. Sensitive actions re-ask the password.
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(session_token: str) -> User | None:
    """Sessions carry the user's rotating token, never the row id (see User.session_token)."""
    user = db.session.scalar(select(User).where(User.session_token == session_token))
    return user if user is not None and user.active else None


@bp.route("/login", methods=["GET", "POST"])
@reads_first
@throttle_failed_sign_ins
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
        if current_user.is_authenticated and not request.args.get("reauth"):
            return redirect(url_for("main.index"))
        if current_user.is_authenticated:
            form.username.data = current_user.username
    if form.validate_on_submit():
        user = authenticate(form.username.data.strip(), form.password.data)
        if user is not None:
            db.session.commit()
            language = session.get(LANGUAGE_KEY)  # chosen on this page: it carries into the session
            session.clear()  # nothing else from before the sign-in survives it
            session.permanent = True
            login_user(user)
            session[LOGIN_AT_KEY] = time.time()
            if language:
                session[LANGUAGE_KEY] = language
            audit_log.info("login user=%r", user.username)
            return redirect(safe_next(form.next.data) or url_for("main.index"))
        db.session.commit()  # keep the failure counter even though the sign-in failed
        count_failure()
        audit_log.warning("login-failed username=%r ip=%s", form.username.data, request.remote_addr)
        flash(_("Sign-in failed: check the username and password. After repeated failures an "
                "account is locked for 15 minutes."), "error")
    return render_template("auth/login.html", form=form)


def authenticate(username: str, password: str) -> User | None:
    """The user if the password is right and the account may sign in.

    Every failure takes one password check and looks the same to the caller (no account
    enumeration); wrong passwords count towards a temporary lock. The check (deliberately slow)
    runs before the write lock is taken; the account is read again under it, so the failure
    count is exact and a password changed meanwhile is not accepted.
    """
    config = current_app.config
    now = datetime.now(timezone.utc)
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        verify_password(dummy_hash(config["PASSWORD_HASH_METHOD"]), password)
        return None
    user_id, checked = user.id, user.password_hash
    password_ok = verify_password(checked, password)
    write_phase()
    # Read again under the lock (PostgreSQL: the row's), over what the read phase loaded.
    user = db.session.get(User, user_id, with_for_update=True, populate_existing=True)
    password_ok = password_ok and user.password_hash == checked
    if not user.active or user.is_locked(now):
        return None
    if not password_ok:
        user.failed_logins += 1
        if user.failed_logins >= config["LOCKOUT_THRESHOLD"]:
            user.locked_until = now + timedelta(minutes=config["LOCKOUT_MINUTES"])
            user.failed_logins = 0
            audit_log.warning("account-locked user=%r", user.username)
        return None
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    return user


@bp.route("/logout", methods=["POST"])
@login_required_any_role
def logout():
    if ActionForm().validate_on_submit():
        current_user.rotate_session_token()  # every copy of this session's cookie dies
        db.session.commit()
        audit_log.info("logout user=%r", current_user.username)
        logout_user()
        session.clear()
        flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required_any_role
def account():
    password_form = PasswordChangeForm(prefix="pw")
    preferences_form = PreferencesForm(prefix="pref", language=current_user.language or "",
                                       timezone=current_user.timezone or current_app.config["BABEL_DEFAULT_TIMEZONE"])
    if password_form.submit.data and password_form.validate_on_submit():
        if not verify_password(current_user.password_hash, password_form.current_password.data):
            password_form.current_password.errors.append(_("The current password is not right."))
        else:
            current_user.password_hash = hash_password(password_form.new_password.data)
            current_user.rotate_session_token()  # sessions elsewhere end; this one continues
            record_password_change(current_user)
            revoked = tokens.revoke_all(current_user, current_user, "password_change")
            db.session.commit()
            login_user(current_user._get_current_object())
            session[LOGIN_AT_KEY] = time.time()
            audit_log.info("password-changed user=%r", current_user.username)
            flash(_("Your password has been changed. Other sessions have been signed out."), "success")
            if revoked:
                flash(ngettext("Your API token has been revoked: create a new one for the programs that used it.",
                               "Your %(num)d API tokens have been revoked: create new ones for the programs that "
                               "used them.", revoked), "info")
            return redirect(url_for("auth.account"))
    elif preferences_form.submit_preferences.data and preferences_form.validate_on_submit():
        current_user.language = preferences_form.language.data or None
        current_user.timezone = preferences_form.timezone.data
        db.session.commit()
        session.pop(LANGUAGE_KEY, None)  # the explicit choice replaces this session's switcher choice
        flash(_("Your preferences have been saved."), "success")
        return redirect(url_for("auth.account"))
    return account_page(password_form=password_form, preferences_form=preferences_form)


def account_page(status: int = 200, **forms):
    """The account page; forms not given are shown empty."""
    forms.setdefault("password_form", PasswordChangeForm(prefix="pw"))
    forms.setdefault("preferences_form", PreferencesForm(
        prefix="pref", language=current_user.language or "",
        timezone=current_user.timezone or current_app.config["BABEL_DEFAULT_TIMEZONE"]))
    forms.setdefault("token_form", TokenForm(prefix="token", formdata=None))
    return render_template("auth/account.html", tokens=tokens.tokens_of(current_user), action_form=ActionForm(),
                           **forms), status


# The API token routes share this blueprint and the account page.
from tracker.auth import token_views  # noqa: E402,F401
