"""Personal API tokens on the account page: made (and shown once), and revoked by their owner."""
from __future__ import annotations

import logging

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.auth import tokens
from tracker.auth.decorators import login_required_any_role, recent_login_required
from tracker.auth.forms import TokenForm
from tracker.auth.views import account_page, bp
from tracker.extensions import db
from tracker.forms import ActionForm
from tracker.models import ApiToken

audit_log = logging.getLogger("tracker.audit")


@bp.route("/account/tokens", methods=["POST"])
@login_required_any_role
@recent_login_required  # a token outlives the session: a left-open session must not make one
def create_token():
    """Make an API token and show it on this response only: it is not stored, so it cannot be
    shown again (the page is not a redirect, and is never cached)."""
    form = TokenForm(prefix="token")
    if not form.validate_on_submit():
        return account_page(token_form=form)
    issued = tokens.issue(current_user, form.name.data.strip(), form.lifetime)
    db.session.commit()
    audit_log.info("api-token-created user=%r token=%s", current_user.username, issued.row.id)
    return account_page(201, new_token=issued)


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required_any_role
def revoke_token(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    if ActionForm().validate_on_submit():
        tokens.revoke(token, current_user, "revoked")
        db.session.commit()
        audit_log.info("api-token-revoked user=%r token=%s", current_user.username, token.id)
        flash(_("The token %(name)s has been revoked; programs using it can no longer sign in with it.",
                name=token.name), "success")
    return redirect(url_for("auth.account"))
