"""Personal API tokens (security promise 26): made on the account page and shown once, stored as a
SHA-256 only, listed, revocable, and killed by deactivation and by a password change or reset;
creation and revocation are chained audit events (promise 28)."""
from __future__ import annotations

import hashlib
import json
import re
import time
from datetime import timedelta

from sqlalchemy import select, update

from tests.support.callers import issue_token
from tests.support.factories import PASSWORD, make_user
from tracker.extensions import db
from tracker.models import ApiToken, AuditEvent, Role, User, utcnow

NEW_PASSWORD = "the amur freezes in december"
TOKEN = re.compile(r'<code class="token-secret">(wct_[A-Za-z0-9_-]{43})</code>')


def create_on_account_page(client, name="Station laptop sync", valid_for="30"):
    return client.post("/account/tokens", data={"token-name": name, "token-valid_for": valid_for,
                                                 "token-submit_token": "1"})


def api_status(app, token: str) -> tuple[int, dict]:
    response = app.test_client().get("/api/v1/incidents", headers={"Authorization": f"Bearer {token}"})
    return response.status_code, response.get_json()


def test_a_token_is_shown_once_and_only_its_hash_is_stored(app, client, login_as):
    user_id = login_as(Role.RANGER)
    response = create_on_account_page(client)
    assert response.status_code == 201
    secret = TOKEN.search(response.get_data(as_text=True)).group(1)
    with app.app_context():
        row = db.session.scalar(select(ApiToken))
        assert (row.user_id, row.name, row.token_sha256) == (user_id, "Station laptop sync",
                                                              hashlib.sha256(secret.encode()).hexdigest())
        assert abs((row.expires_at.replace(tzinfo=None) - utcnow().replace(tzinfo=None)) - timedelta(days=30)) \
            < timedelta(minutes=1)
        stored = json.dumps([list(r) for r in db.session.execute(select(AuditEvent.changes)).all()])
    assert secret not in stored
    page = client.get("/account").get_data(as_text=True)
    assert secret not in page and "Station laptop sync" in page and "never" in page
    assert api_status(app, secret)[0] == 200
    page = client.get("/account").get_data(as_text=True)
    assert "never" not in page.split("Station laptop sync", 1)[1].split("</tr>", 1)[0]  # last used is shown


def test_a_token_needs_a_name_and_a_listed_lifetime(app, client, login_as):
    login_as(Role.RANGER)
    body = create_on_account_page(client, name=" ", valid_for="36500").get_data(as_text=True)
    assert 'id="token-name-error"' in body and 'id="token-valid_for-error"' in body
    with app.app_context():
        assert db.session.scalar(select(ApiToken)) is None


def test_making_a_token_asks_for_the_password_again_on_an_old_session(app, client, login_as):
    login_as(Role.RANGER)
    with client.session_transaction() as session:
        session["login_at"] = time.time() - 2 * 3600
    response = create_on_account_page(client)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(ApiToken)) is None


def test_revoked_token_gets_json_401(app, client, login_as):
    user_id = login_as(Role.RANGER)
    token = issue_token(app, user_id)
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 302
    status, body = api_status(app, token)
    assert status == 401 and body["code"] == "invalid_token"
    assert "Station" not in client.get("/account").get_data(as_text=True)


def test_nobody_revokes_another_users_token(app, client, login_as):
    with app.app_context():
        owner = make_user(Role.RANGER, username="owner").id
    token = issue_token(app, owner)
    login_as(Role.RANGER)
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 404
    assert api_status(app, token)[0] == 200


def test_expired_token_gets_json_401(app, login_as):
    user_id = login_as(Role.RANGER)
    token = issue_token(app, user_id)
    with app.app_context():
        db.session.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    response = app.test_client().get("/api/v1/reference/species", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401 and response.is_json and "Location" not in response.headers
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_own_password_change_kills_the_users_tokens(app, client, login_as):
    user_id = login_as(Role.RANGER)
    token = issue_token(app, user_id)
    response = client.post("/account", data={"pw-current_password": PASSWORD, "pw-new_password": NEW_PASSWORD,
                                             "pw-confirm": NEW_PASSWORD, "pw-submit": "1"})
    assert response.status_code == 302
    assert api_status(app, token)[0] == 401


def test_password_reset_and_deactivation_kill_the_users_tokens(app, client, login_as):
    with app.app_context():
        reset_id = make_user(Role.RANGER, username="reset").id
        gone = make_user(Role.COORDINATOR, username="gone")
        gone_id, form = gone.id, {"display_name": gone.display_name, "role": "coordinator", "unit": gone.unit,
                                  "language": "", "submit": "1"}  # "active" unticked
    reset_token, gone_token = issue_token(app, reset_id), issue_token(app, gone_id)
    login_as(Role.ADMIN)
    assert client.post(f"/admin/users/{reset_id}", data={"reset-new_password": NEW_PASSWORD,
                                                         "reset-submit_reset": "1"}).status_code == 302
    assert client.post(f"/admin/users/{gone_id}", data=form).status_code == 302
    assert api_status(app, reset_token)[0] == 401 and api_status(app, gone_token)[0] == 401
    with app.app_context():
        revoked = dict(db.session.execute(select(ApiToken.user_id, ApiToken.revoked_at)).all())
    assert revoked[reset_id] is not None and revoked[gone_id] is not None


def test_a_deactivated_users_token_stops_at_once(app):
    """Also without the revocation (an account switched off in the database by hand)."""
    with app.app_context():
        user_id = make_user(Role.RANGER).id
    token = issue_token(app, user_id)
    with app.app_context():
        db.session.execute(update(User).values(active=False))
        db.session.commit()
    assert api_status(app, token)[0] == 401


def test_token_requests_set_no_cookie(app):
    with app.app_context():
        user_id = make_user(Role.RANGER).id
    response = app.test_client().get("/api/v1/incidents",
                                     headers={"Authorization": f"Bearer {issue_token(app, user_id)}"})
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def token_events(app):
    with app.app_context():
        return [(e.action, e.actor_name, e.entity_id, e.changes) for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("token_%")).order_by(AuditEvent.id))]


def test_creation_and_revocations_are_chained_events(app, client, runner, login_as):
    user_id = login_as(Role.RANGER, username="anna")
    create_on_account_page(client, name="laptop")
    create_on_account_page(client, name="phone")
    with app.app_context():
        laptop, phone = db.session.scalars(select(ApiToken).order_by(ApiToken.id)).all()
        laptop_id, phone_id, expires = laptop.id, phone.id, laptop.expires_at
    client.post(f"/account/tokens/{laptop_id}/revoke")
    client.post("/account", data={"pw-current_password": PASSWORD, "pw-new_password": NEW_PASSWORD,
                                  "pw-confirm": NEW_PASSWORD, "pw-submit": "1"})
    events = token_events(app)
    assert [e[:3] for e in events] == [("token_create", "anna", user_id)] * 2 + [("token_revoke", "anna", user_id)] * 2
    assert events[0][3]["api_token"] == {"before": None, "after": f"laptop (#{laptop_id})"}
    assert events[0][3]["expires_at"]["after"].startswith(expires.isoformat()[:16])
    assert events[2][3] == {"api_token": {"before": f"laptop (#{laptop_id})", "after": None},
                            "reason": {"before": None, "after": "revoked"}}
    assert events[3][3] == {"api_token": {"before": f"phone (#{phone_id})", "after": None},
                            "reason": {"before": None, "after": "password_change"}}
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    with app.app_context():
        event_id = db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "token_create"))
        db.session.execute(update(AuditEvent).where(AuditEvent.id == event_id).values(
            changes={"api_token": {"before": None, "after": "something else"}}))
        db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and f"BROKEN at event {event_id}" in result.output


def test_the_admin_sees_token_events_in_the_users_history(app, client, login_as):
    with app.app_context():
        user_id = make_user(Role.RANGER, username="oleg").id
    issue_token(app, user_id, name="warehouse")
    login_as(Role.ADMIN)
    page = client.get(f"/admin/users/{user_id}").get_data(as_text=True)
    assert "created an API token" in page and "warehouse (#" in page and "Expires" in page
