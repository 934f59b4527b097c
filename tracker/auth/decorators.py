"""Server-side permission checks for views."""
from __future__ import annotations

import logging
import time
from functools import wraps

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.models import Role

audit_log = logging.getLogger("tracker.audit")
LOGIN_AT_KEY = "login_at"


def role_required(*roles: Role):
    """Login first (redirect to /login), then 403 unless the user holds one of `roles`."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if current_user.role not in roles:
                audit_log.warning("denied user=%r role=%s path=%r", current_user.username,
                                  current_user.role.value, request.path)
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_roles = roles
        return wrapped

    return decorator


def login_required_any_role(view):
    """Any signed-in user, whatever the role."""
    return role_required(*Role)(view)


def recent_login_required(view):
    """Sensitive actions (exports, role changes) ask for the password again when the last
    sign-in is older than FRESH_LOGIN_MINUTES, so an unattended station cannot be abused."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        max_age = current_app.config["FRESH_LOGIN_MINUTES"] * 60
        if time.time() - session.get(LOGIN_AT_KEY, 0) > max_age:
            flash(_("Please confirm your password to continue."), "info")
            return redirect(url_for("auth.login", next=request.full_path, reauth=1))
        return view(*args, **kwargs)

    return wrapped
