"""The administrator's user page lists that account's access changes: who, when, what, before → after,
in the reader's language."""
import html
import re

from tests.support.factories import make_user
from tracker.extensions import db
from tracker.models import Role, User


def history_lines(client, user_id: int) -> list[str]:
    """The history section's entries as text, one per change or event line."""
    page = client.get(f"/admin/users/{user_id}").get_data(as_text=True)
    section = re.search(r'<section class="user-history">(.*?)</section>', page, re.S)
    assert section, "no history section on the user page"
    text = re.sub(r"<h2>.*?</h2>|<li[^>]*>", "\n", section.group(1))
    text = re.sub(r"<[^>]+>", "", text)
    return [" ".join(html.unescape(line).split()) for line in text.splitlines() if line.strip()]


def edit(client, user_id, **changes):
    """Post the edit form; a None value leaves that field out (an unticked box)."""
    data = {"display_name": "Oleg", "role": "manager", "unit": "HQ", "language": "", "active": "y", "submit": "1",
            **changes}
    response = client.post(f"/admin/users/{user_id}", data={k: v for k, v in data.items() if v is not None})
    assert response.status_code == 302


def test_history_shows_who_changed_what_before_and_after(app, client, login_as):
    with app.app_context():
        oleg = make_user(Role.MANAGER, username="oleg", display_name="Oleg", unit="HQ").id
    login_as(Role.ADMIN, username="boss", display_name="Irina Boss")
    edit(client, oleg, role="coordinator", unit="Bikin rangers")
    edit(client, oleg, role="coordinator", unit="Bikin rangers", exact_location_grant="y", active=None)
    lines = history_lines(client, oleg)
    assert lines[0].endswith("Irina Boss · changed the account")
    assert lines[1:3] == ["Active (may sign in): Yes → No",
                          "May see exact positions of sensitive incidents: No → Yes"]
    assert lines[3].endswith("Irina Boss · changed the account")
    assert lines[4:] == ["Role: Manager → Coordinator", "Unit: HQ → Bikin rangers"]


def test_history_is_in_the_readers_language(app, client, login_as):
    with app.app_context():
        oleg = make_user(Role.MANAGER, username="oleg", display_name="Oleg", unit="HQ").id
    login_as(Role.ADMIN, username="boss", language="ru")
    edit(client, oleg, role="ranger")
    assert "Роль: Руководитель → Инспектор" in history_lines(client, oleg)


def test_history_names_the_command_line_and_only_this_users_events(app, client, runner, login_as):
    runner.invoke(args=["create-user", "--username", "oleg", "--role", "ranger", "--unit", "Bikin rangers",
                        "--password-stdin"], input="the amur freezes in december\n")
    with app.app_context():
        other = make_user(Role.MANAGER, username="anna", display_name="Anna", unit="HQ").id
        oleg = db.session.query(User.id).filter_by(username="oleg").scalar()
    login_as(Role.ADMIN, username="boss")
    edit(client, other, display_name="Anna", role="coordinator")
    lines = history_lines(client, oleg)
    assert lines[0].endswith("System (command line) · created the account")
    assert lines[1:] == ["Username: oleg", "Full name: oleg", "Role: Ranger", "Unit: Bikin rangers",
                         "Active (may sign in): Yes"]
    assert history_lines(client, other)[1:] == ["Role: Manager → Coordinator"]


def test_password_events_show_no_values(app, client, login_as):
    with app.app_context():
        oleg = make_user(Role.RANGER, username="oleg").id
    login_as(Role.ADMIN, username="boss", display_name="Irina Boss")
    client.post(f"/admin/users/{oleg}", data={"reset-new_password": "the ussuri flows north",
                                              "reset-submit_reset": "1"})
    assert [line.split(" · ", 1)[1] for line in history_lines(client, oleg)] == [
        "Irina Boss · set a new password and ended the user's sessions"]


def test_user_without_recorded_changes(app, client, login_as):
    with app.app_context():
        oleg = make_user(Role.RANGER, username="oleg").id
    login_as(Role.ADMIN)
    assert history_lines(client, oleg) == ["No changes recorded yet."]
