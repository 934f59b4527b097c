"""An incident written while an administrator changes its species waits for the change and
comes out right: it is never left with the sensitivity from before."""
import threading
import time

from sqlalchemy import select

from tests.support.factories import make_user
from tests.support.incidents import make_incident, seed
from tracker.extensions import db
from tracker.models import Incident, Role, Species
from tracker.reference.service import save_reference

MUSK_DEER = "Moschus moschiferus"


def test_an_incident_written_during_a_species_edit_gets_the_new_sensitivity(app):
    seed(app)
    with app.app_context():
        reporter = make_user(Role.RANGER).id
    written, started = {}, threading.Event()

    def record_a_seizure():
        with app.app_context():
            started.set()
            written["id"] = make_incident(reporter, items=[("musk-pod", MUSK_DEER, "3", "pcs")]).id
            db.session.remove()

    with app.app_context():
        musk = db.session.scalar(select(Species).where(Species.scientific_name == MUSK_DEER))
        save_reference(Species, musk, {"cites_appendix": "I"}, actor=None)  # not committed yet
        writer = threading.Thread(target=record_a_seizure)
        writer.start()
        started.wait(5)
        time.sleep(0.5)  # the writer gets as far as it can
        db.session.commit()
    writer.join(20)
    assert not writer.is_alive()
    with app.app_context():
        assert db.session.get(Incident, written["id"]).sensitive
