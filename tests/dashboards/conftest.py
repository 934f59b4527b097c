"""Demo incidents for the dashboard tests: generated (seeded), with rollups rebuilt."""
import pytest

from tests.support.factories import make_user
from tests.support.incidents import seed
from tracker.dashboards.rollups import rebuild
from tracker.extensions import db
from tracker.incidents.demo import generate
from tracker.models import Role

DEMO_UNIT = "Land of the Leopard National Park rangers"


@pytest.fixture
def demo(app):
    """500 demo incidents over ten years (a third in the default 24 months)."""
    seed(app)
    with app.app_context():
        generate(500, seed=11)
        rebuild(db.session)
        db.session.commit()
    return app


@pytest.fixture
def ranger_id(demo):
    with demo.app_context():
        return make_user(Role.RANGER, unit=DEMO_UNIT).id
