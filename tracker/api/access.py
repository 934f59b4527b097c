"""Who is calling the API: a personal token (`Authorization: Bearer wct_...`) or the browser's
session cookie.

- A token request acts as the token's user (tracker/auth/tokens.py) and ignores any cookie; it
  needs no CSRF token (a browser never adds the header to a forged request by itself).
- A cookie request is the signed-in user, and a state-changing one needs the X-CSRFToken header
  (the page's `csrf-token` meta tag), as every form does.
- Nobody, or a bad token: JSON 401. The API never redirects to the sign-in page: an offline
  client would take the page's 200 for success.

Rate limits (API_RATE_LIMIT) are per token, else per signed-in user, else per address.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import current_user
from werkzeug.exceptions import Unauthorized

from tracker.auth import tokens
from tracker.database import SAFE_METHODS
from tracker.extensions import csrf, db, limiter, login_manager
from tracker.models import User


@dataclass(frozen=True)
class TokenIdentity:
    token_id: int
    user_id: int


def presented_token() -> str | None:
    """The token of an `Authorization: Bearer` header ('' for another scheme), None without one."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, value = header.strip().partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def token_identity() -> TokenIdentity | None:
    """The usable token of this request, looked up once per request."""
    if "api_token" not in g:
        secret = presented_token()
        found = tokens.authenticate(secret) if secret else None
        g.api_token = TokenIdentity(*found) if found else None
    return g.api_token


def client_key() -> str:
    """Flask-Limiter's key for the API: the token, else the signed-in user, else the address."""
    if presented_token() is not None:
        identity = token_identity()
        return f"api-token:{identity.token_id}" if identity else f"api-address:{get_remote_address()}"
    if current_user.is_authenticated:
        return f"api-user:{current_user.id}"
    return f"api-address:{get_remote_address()}"


def refuse(message) -> Unauthorized:
    error = Unauthorized()
    error.data = {"code": "invalid_token", "message": message}
    return error


def authenticate() -> None:
    """Before every API view: set the token's user, or check CSRF on a cookie request."""
    if presented_token() is not None:
        identity = token_identity()
        user = db.session.get(User, identity.user_id) if identity else None
        if user is None or not user.active:
            raise refuse(_l("This API token is not valid: it is unknown, expired or revoked, or its account "
                            "is deactivated. Create a new one under My account."))
        login_manager._update_request_context_with_user(user)  # for this request only: no cookie
        return
    if (current_user.is_authenticated and request.method not in SAFE_METHODS
            and current_app.config.get("WTF_CSRF_ENABLED", True)):
        csrf.protect()


def challenge(response):
    """Tell a client that was refused how to authenticate."""
    if response.status_code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def install(bp) -> None:
    """Once, when the blueprint is made (a blueprint takes no new hooks once an app has it)."""
    # role_required answers 401 instead of redirecting to the sign-in page for this blueprint.
    login_manager.blueprint_login_views[bp.name] = None
    csrf.exempt(bp)  # checked in authenticate(), for cookie requests only
    limiter.shared_limit(lambda: current_app.config["API_RATE_LIMIT"], scope="api", key_func=client_key)(bp)
    bp.before_request(authenticate)
    bp.after_request(challenge)
