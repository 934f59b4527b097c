"""`flask --app wsgi incidents recompute-derived` repairs an existing database whose derived facts
went stale (written by older versions), keeps the dashboards exact and keeps reporters' choices."""
import pytest
from sqlalchemy import update

from tests.dashboards.test_rollups import recount, stored
from tests.support.factories import make_user
from tests.support.incidents import make_incident, seed
from tracker.dashboards.rollups import rebuild
from tracker.extensions import db
from tracker.models import Incident, Role


@pytest.mark.parametrize("rebuild_share", [1, 0], ids=["rollups adjusted", "rollups recounted"])
def test_recompute_derived_repairs_stale_incidents(app, runner, monkeypatch, rebuild_share):
    monkeypatch.setattr("tracker.incidents.derived.REBUILD_SHARE", rebuild_share)
    seed(app)
    with app.app_context():
        reporter = make_user(Role.RANGER).id
        tiger = make_incident(reporter).id  # Land of the Leopard (RU), a tiger paw: sensitive
        harbin = make_incident(reporter, place_id=None, lat=45.7567, lon=126.6424).id
        stated = make_incident(reporter, place_id=None, lat=None, lon=None, stated_country="MN").id
        musk = make_incident(reporter, items=[("musk-pod", "Moschus moschiferus", "3", "pcs")]).id
        fine = make_incident(reporter).id
        assert [db.session.get(Incident, i).country for i in (tiger, harbin, stated)] == ["RU", "CN", "MN"]
        stale = {tiger: {"sensitive": False, "country": "CN"}, harbin: {"country": None},
                 stated: {"country": None}, musk: {"sensitive": True}}
        for incident_id, values in stale.items():  # as an older version left them
            db.session.execute(update(Incident).where(Incident.id == incident_id).values(**values))
        rebuild(db.session)
        db.session.commit()

    result = runner.invoke(args=["incidents", "recompute-derived"])
    assert result.exit_code == 0, result.output
    assert "4 incidents changed (sensitivity 2, country 3)" in result.output
    with app.app_context():
        facts = {i: (db.session.get(Incident, i).sensitive, db.session.get(Incident, i).country)
                 for i in (tiger, harbin, stated, musk, fine)}
        assert facts == {tiger: (True, "RU"), harbin: (True, "CN"), stated: (True, "MN"), musk: (False, "RU"),
                         fine: (True, "RU")}
        assert db.session.get(Incident, stated).stated_country == "MN"
        assert stored() == recount()
    again = runner.invoke(args=["incidents", "recompute-derived"])
    assert "0 incidents changed" in again.output
