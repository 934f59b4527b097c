from sqlalchemy import func, select

from tests.support.incidents import seed
from tracker.extensions import db
from tracker.models import Incident, IncidentItem, IncidentStatus


def test_demo_is_seeded_realistic_and_repeatable(app, runner):
    seed(app)
    assert runner.invoke(args=["demo", "--incidents", "500", "--seed", "9"]).exit_code == 0
    with app.app_context():
        refs = db.session.scalars(select(Incident.ref)).all()
        assert len(refs) == len(set(refs)) == 500
        items = db.session.scalar(select(func.count()).select_from(IncidentItem))
        assert 500 <= items <= 1500
        statuses = set(db.session.scalars(select(Incident.status).distinct()))
        assert {IncidentStatus.CLOSED, IncidentStatus.SUBMITTED} <= statuses
        years = {r[4:8] for r in refs}
        assert len(years) >= 8  # ten years of history
        first = db.session.scalars(select(Incident.lat).order_by(Incident.id).limit(5)).all()
    assert "Incidents exist already" in runner.invoke(args=["demo", "--incidents", "5", "--if-empty"]).output
    with app.app_context():
        db.session.execute(IncidentItem.__table__.delete())
        db.session.execute(Incident.__table__.delete())
        db.session.commit()
    runner.invoke(args=["demo", "--incidents", "500", "--seed", "9"])
    with app.app_context():
        assert db.session.scalars(select(Incident.lat).order_by(Incident.id).limit(5)).all() == first


def test_demo_needs_reference_data(runner):
    result = runner.invoke(args=["demo", "--incidents", "5"])
    assert result.exit_code != 0 and "seed-reference" in result.output
