from sqlalchemy import select

from tracker.auth.passwords import verify_password
from tracker.extensions import db
from tracker.models import Role, User


def test_create_user_reads_password_from_stdin(app, runner):
    result = runner.invoke(args=["create-user", "--username", "irina", "--role", "coordinator",
                                 "--password-stdin"], input="a long enough passphrase\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "irina"))
        assert user.role is Role.COORDINATOR and verify_password(user.password_hash, "a long enough passphrase")


def test_create_user_refuses_weak_password_and_duplicates(app, runner):
    weak = runner.invoke(args=["create-user", "--username", "irina", "--role", "ranger", "--password-stdin"],
                         input="short\n")
    assert weak.exit_code != 0 and "at least 12" in weak.output
    runner.invoke(args=["create-user", "--username", "irina", "--role", "ranger", "--password-stdin"],
                  input="a long enough passphrase\n")
    again = runner.invoke(args=["create-user", "--username", "irina", "--role", "ranger", "--password-stdin"],
                          input="a long enough passphrase\n")
    assert again.exit_code != 0 and "exists already" in again.output


def test_demo_users_only_in_development(app, runner):
    result = runner.invoke(args=["demo-users"])
    assert result.exit_code != 0 and "development" in result.output
    app.config["DEMO_USERS"] = True
    result = runner.invoke(args=["demo-users"])
    assert result.output.count("password:") == 4
    assert runner.invoke(args=["demo-users"]).output.count("password:") == 0  # only once
