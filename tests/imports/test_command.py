"""`flask import FILE`: the same dry run and import for an operator, on behalf of a manager or an administrator."""
from __future__ import annotations

import csv

from sqlalchemy import func, select

from tests.imports.files import csv_file, row
from tests.support.factories import make_user
from tests.support.incidents import seed
from tracker.extensions import db
from tracker.models import AuditEvent, Incident, Role


def test_check_then_apply(app, runner, tmp_path):
    seed(app)
    with app.app_context():
        make_user(Role.ADMIN, username="operator")
    path = tmp_path / "incidents.csv"
    path.write_bytes(csv_file([row(1), row(2)]))

    checked = runner.invoke(args=["import", str(path), "--user", "operator"])
    assert checked.exit_code == 0, checked.output
    assert "Would import 2 incidents with 2 items" in checked.output and "--apply" in checked.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Incident.id))) == 0

    applied = runner.invoke(args=["import", str(path), "--user", "operator", "--apply"])
    assert applied.exit_code == 0 and "Imported 2 incidents" in applied.output
    again = runner.invoke(args=["import", str(path), "--user", "operator", "--apply"])
    assert again.exit_code == 0 and "2 imported before" in again.output and "Would import 0" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Incident.id))) == 2
        assert db.session.scalar(select(func.count()).where(AuditEvent.action == "import")) == 1


def test_problems_are_listed_and_written_to_the_report(app, runner, tmp_path):
    seed(app)
    with app.app_context():
        make_user(Role.ADMIN, username="operator")
    path, report = tmp_path / "broken.csv", tmp_path / "report.csv"
    path.write_bytes(csv_file([row(1), row(2, quantity="-1")]))

    result = runner.invoke(args=["import", str(path), "--user", "operator", "--apply", "--report", str(report)])

    assert result.exit_code == 1
    assert "error: 3 quantity: The quantity must be greater than zero." in result.output
    assert "Nothing was imported." in result.output
    assert list(csv.reader(report.read_text(encoding="utf-8").splitlines()))[1] == [
        "3", "quantity", "The quantity must be greater than zero.", "error"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Incident.id))) == 0


def test_only_an_active_manager_or_administrator(app, runner, tmp_path):
    seed(app)
    with app.app_context():
        make_user(Role.COORDINATOR, username="cora")
        make_user(Role.MANAGER, username="mira")
        make_user(Role.ADMIN, username="gone", active=False)
    path = tmp_path / "a.csv"
    path.write_bytes(csv_file([row(1)]))
    for username in ("cora", "gone", "nobody"):
        result = runner.invoke(args=["import", str(path), "--user", username])
        assert result.exit_code != 0 and "not an active manager or administrator" in result.output
    result = runner.invoke(args=["import", str(path), "--user", "mira", "--apply"])
    assert result.exit_code == 0 and "Imported 1 incidents" in result.output
