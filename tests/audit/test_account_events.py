"""Access changes are evidence too (security promise 28): creating a user, changing role, unit,
exact-location right, active flag, name or language, an administrator's password reset and a
user's own password change each append a chained event with before and after values (never a
password or its hash), and `audit verify` breaks when any of those rows is edited."""
import json

import pytest
from sqlalchemy import select, update

from tests.support.factories import PASSWORD, make_user
from tracker.extensions import db
from tracker.models import AuditEvent, Role, User

NEW_PASSWORD = "the amur freezes in december"


def account_events(app) -> list[AuditEvent]:
    with app.app_context():
        return db.session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "user")
                                  .order_by(AuditEvent.id)).all()


def edit_form(user: User, **changes) -> dict:
    """The admin edit form as the browser posts it, with `changes` applied (False unticks a box)."""
    data = {"display_name": user.display_name, "role": user.role.value, "unit": user.unit or "",
            "language": user.language or "", "active": user.active,
            "exact_location_grant": user.exact_location_grant, "submit": "1", **changes}
    return {key: ("y" if value is True else value) for key, value in data.items() if value is not False}


def admin_edits(app, client, login_as, user_fields: dict, **changes) -> int:
    with app.app_context():
        user = make_user(**{"username": "oleg", "role": Role.RANGER, **user_fields})
        user_id, form = user.id, edit_form(user, **changes)
    login_as(Role.ADMIN, username="boss")
    assert client.post(f"/admin/users/{user_id}", data=form).status_code == 302
    return user_id


def created_by_admin(app, client, runner, login_as):
    login_as(Role.ADMIN, username="boss")
    response = client.post("/admin/users/new", data={
        "username": "oleg", "display_name": "Oleg Petrov", "role": "manager", "unit": "HQ", "language": "ru",
        "active": "y", "exact_location_grant": "y", "password": NEW_PASSWORD})
    assert response.status_code == 302
    return "user_create", "boss", {
        "username": {"before": None, "after": "oleg"}, "display_name": {"before": None, "after": "Oleg Petrov"},
        "role": {"before": None, "after": "manager"}, "unit": {"before": None, "after": "HQ"},
        "language": {"before": None, "after": "ru"}, "active": {"before": None, "after": True},
        "exact_location_grant": {"before": None, "after": True}}


def created_by_cli(app, client, runner, login_as):
    result = runner.invoke(args=["create-user", "--username", "oleg", "--role", "coordinator", "--name",
                                 "Oleg Petrov", "--password-stdin"], input=NEW_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    return "user_create", "system", {
        "username": {"before": None, "after": "oleg"}, "display_name": {"before": None, "after": "Oleg Petrov"},
        "role": {"before": None, "after": "coordinator"}, "unit": {"before": None, "after": None},
        "language": {"before": None, "after": None}, "active": {"before": None, "after": True},
        "exact_location_grant": {"before": None, "after": False}}


def role_changed(app, client, runner, login_as):
    admin_edits(app, client, login_as, {}, role="coordinator")
    return "user_edit", "boss", {"role": {"before": "ranger", "after": "coordinator"}}


def unit_changed(app, client, runner, login_as):
    admin_edits(app, client, login_as, {"unit": "Bikin rangers"}, unit="")
    return "user_edit", "boss", {"unit": {"before": "Bikin rangers", "after": None}}


def right_granted(app, client, runner, login_as):
    admin_edits(app, client, login_as, {"role": Role.MANAGER}, exact_location_grant=True)
    return "user_edit", "boss", {"exact_location_grant": {"before": False, "after": True}}


def right_revoked(app, client, runner, login_as):
    admin_edits(app, client, login_as, {"role": Role.MANAGER, "exact_location_grant": True},
                exact_location_grant=False)
    return "user_edit", "boss", {"exact_location_grant": {"before": True, "after": False}}


def deactivated(app, client, runner, login_as):
    admin_edits(app, client, login_as, {}, active=False)
    return "user_edit", "boss", {"active": {"before": True, "after": False}}


def reactivated(app, client, runner, login_as):
    admin_edits(app, client, login_as, {"active": False}, active=True)
    return "user_edit", "boss", {"active": {"before": False, "after": True}}


def name_and_language_changed(app, client, runner, login_as):
    admin_edits(app, client, login_as, {"display_name": "Oleg", "language": "ru"},
                display_name="Oleg Petrov", language="zh")
    return "user_edit", "boss", {"display_name": {"before": "Oleg", "after": "Oleg Petrov"},
                                 "language": {"before": "ru", "after": "zh"}}


def password_reset(app, client, runner, login_as):
    with app.app_context():
        user_id = make_user(Role.RANGER, username="oleg").id
    login_as(Role.ADMIN, username="boss")
    response = client.post(f"/admin/users/{user_id}", data={"reset-new_password": NEW_PASSWORD,
                                                            "reset-submit_reset": "1"})
    assert response.status_code == 302
    return "password_reset", "boss", {}


def own_password_changed(app, client, runner, login_as):
    with app.app_context():
        user_id = make_user(Role.RANGER, username="oleg").id
    login_as(user_id)
    response = client.post("/account", data={"pw-current_password": PASSWORD, "pw-new_password": NEW_PASSWORD,
                                             "pw-confirm": NEW_PASSWORD, "pw-submit": "1"})
    assert response.status_code == 302
    return "password_change", "oleg", {}


ACCESS_CHANGES = [created_by_admin, created_by_cli, role_changed, unit_changed, right_granted, right_revoked,
                  deactivated, reactivated, name_and_language_changed, password_reset, own_password_changed]


@pytest.mark.parametrize("change", ACCESS_CHANGES, ids=lambda change: change.__name__)
def test_access_change_is_a_chained_event_with_before_and_after(app, client, runner, login_as, change):
    action, actor, changes = change(app, client, runner, login_as)
    events = account_events(app)
    assert len(events) == 1, [(e.action, e.changes) for e in events]
    event = events[0]
    with app.app_context():
        oleg = db.session.scalar(select(User).where(User.username == "oleg"))
        hashes = [oleg.password_hash]
    assert (event.action, event.actor_name, event.entity_id, event.incident_id) == (action, actor, oleg.id, None)
    assert event.changes == changes
    stored = json.dumps(event.changes)
    assert not any(secret in stored for secret in [PASSWORD, NEW_PASSWORD, *hashes, "pbkdf2", "scrypt"])
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


@pytest.mark.parametrize("change", ACCESS_CHANGES, ids=lambda change: change.__name__)
def test_editing_an_access_event_breaks_the_chain(app, client, runner, login_as, change):
    change(app, client, runner, login_as)
    event = account_events(app)[-1]
    with app.app_context():
        forged = {"role": {"before": "ranger", "after": "ranger"}}
        db.session.execute(update(AuditEvent).where(AuditEvent.id == event.id).values(changes=forged))
        db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and f"BROKEN at event {event.id}" in result.output


def test_saving_an_unchanged_user_records_nothing(app, client, login_as):
    admin_edits(app, client, login_as, {})
    assert account_events(app) == []


def test_refused_change_records_nothing(app, client, login_as):
    admin_id = login_as(Role.ADMIN, username="boss")
    with app.app_context():
        form = edit_form(db.session.get(User, admin_id), role="ranger")
    client.post(f"/admin/users/{admin_id}", data=form)  # an admin cannot demote themselves
    assert account_events(app) == []
