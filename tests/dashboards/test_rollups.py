"""The rollups stay equal to a recount of the incidents whatever the ORM writes: creates, edits
of facts and items, status changes, deletes, several flushes in one transaction, rollbacks."""
import random
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.support.factories import make_user
from tests.support.incidents import seed
from tracker.dashboards.contributions import AMOUNT_NAMES, KEY_NAMES, contributions
from tracker.dashboards.rollups import rebuild, sliced
from tracker.extensions import db
from tracker.incidents.demo import generate
from tracker.incidents.services import ItemData, create_incident, update_incident
from tracker.models import (
    UNITS,
    Category,
    DetectionMethod,
    Incident,
    IncidentItem,
    IncidentRollup,
    IncidentStatus,
    Place,
    Product,
    Role,
    Species,
    User,
)


def stored() -> dict:
    rows = db.session.execute(select(IncidentRollup.__table__)).mappings()
    return {tuple(row[n] for n in KEY_NAMES): [row[n] for n in AMOUNT_NAMES] for row in rows}


def recount() -> dict:
    """What the rollups should hold: every incident's contributions, summed into the slices."""
    fine = {}
    for row in db.session.execute(contributions(db.engine.dialect.name)).mappings():
        fine[tuple(row[n] for n in KEY_NAMES)] = [row[n] for n in AMOUNT_NAMES]
    return {key: amounts for key, amounts in sliced(fine).items() if any(amounts)}


class RandomWriter:
    """Seeded random incident writes through the ORM, as the incident pages make them."""

    def __init__(self, rng: random.Random, reporter: User):
        self.rng, self.reporter = rng, reporter
        self.categories = db.session.scalars(select(Category.id)).all()
        self.places = db.session.scalars(select(Place.id)).all()
        self.products = db.session.scalars(select(Product.id)).all()
        self.species = db.session.scalars(select(Species.id)).all()

    def occurred(self) -> datetime:
        # Often just around a month boundary in Vladivostok (UTC+10), where buckets go wrong.
        base = datetime(2026, self.rng.randint(1, 10), 1, tzinfo=timezone.utc) - timedelta(hours=10)
        return base + timedelta(minutes=self.rng.choice((-90, -1, 0, 1, 90, 60 * 24 * 9)))

    def items(self) -> list[ItemData]:
        rng, product = self.rng, self.rng.choice(self.products)
        # Repeats of one product, also in another unit: counted once, summed per unit.
        return [ItemData(rng.choice((product, rng.choice(self.products))),
                         rng.choice((None, *self.species[:4])), Decimal(rng.randint(1, 9999)) / 1000,
                         rng.choice(UNITS[:3])) for _ in range(rng.randint(0, 3))]

    def facts(self) -> dict:
        rng = self.rng
        place = rng.choice((None, *self.places))
        return {"category_id": rng.choice(self.categories), "occurred_at": self.occurred(), "place_id": place,
                "stated_country": None if place else rng.choice((None, "RU", "MN")),
                "detection_method": rng.choice(list(DetectionMethod)), "arrests": rng.randint(0, 3)}

    def step(self) -> None:
        rng = self.rng
        incidents = db.session.scalars(select(Incident).order_by(Incident.id)).all()
        action = rng.choice(("create", "create", "edit", "items", "status", "delete")) if incidents else "create"
        if action == "create":
            create_incident(self.facts(), self.items(), self.reporter, rng.choice(list(IncidentStatus)))
            return
        incident = rng.choice(incidents)
        if action == "edit":
            facts = {k: v for k, v in self.facts().items() if rng.random() < 0.5}
            update_incident(incident, facts, self.items() if rng.random() < 0.5 else [
                ItemData(i.product_id, i.species_id, i.quantity, i.unit) for i in incident.items], self.reporter)
        elif action == "items" and incident.items:
            item = rng.choice(incident.items)
            change = rng.choice(("quantity", "unit", "remove", "add"))
            if change == "quantity":
                item.quantity = Decimal(rng.randint(1, 9999)) / 1000
            elif change == "unit":
                item.unit = rng.choice(UNITS)
            elif change == "remove":
                incident.items.remove(item)
            else:
                incident.items.append(IncidentItem(product_id=rng.choice(self.products), quantity=Decimal("1.5"),
                                                   unit="kg", species_id=rng.choice(self.species)))
        elif action == "status":
            incident.status = rng.choice(list(IncidentStatus))
        elif action == "delete":
            db.session.delete(incident)


@pytest.mark.parametrize("seed_value", [1, 2, 3])
def test_random_writes_keep_rollups_equal_to_a_recount(app, seed_value):
    seed(app)
    with app.app_context():
        writer = RandomWriter(random.Random(seed_value), make_user(Role.COORDINATOR))
        for transaction in range(25):
            for _ in range(writer.rng.randint(1, 3)):
                writer.step()
                if writer.rng.random() < 0.5:
                    db.session.flush()  # several flushes in one transaction
            if writer.rng.random() < 0.15:
                db.session.rollback()
            else:
                db.session.commit()
            assert stored() == recount(), f"after transaction {transaction}"
        assert db.session.scalar(select(Incident.id).limit(1)) is not None


def test_rebuild_after_bulk_insert_then_incremental_upkeep(app):
    seed(app)
    with app.app_context():
        generate(300, seed=5)
        assert stored() == {}  # bulk Core inserts bypass the listener
        rebuild(db.session)
        db.session.commit()
        assert stored() == recount()
        writer = RandomWriter(random.Random(9), make_user(Role.COORDINATOR))
        for _ in range(10):
            writer.step()
        db.session.commit()
        assert stored() == recount()
        before = stored()
        rebuild(db.session)
        db.session.commit()
        assert stored() == before


def test_rollup_rows_are_removed_when_their_last_incident_goes(app):
    seed(app)
    with app.app_context():
        writer = RandomWriter(random.Random(4), make_user(Role.COORDINATOR))
        writer.step()
        db.session.commit()
        assert stored()
        db.session.delete(db.session.scalars(select(Incident)).one())
        db.session.commit()
        assert stored() == {}


def test_rebuild_command_and_demo_command(app, runner):
    seed(app)
    result = runner.invoke(args=["demo", "--incidents", "120", "--seed", "3"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert stored() == recount() != {}
        db.session.execute(IncidentRollup.__table__.delete())
        db.session.commit()
    result = runner.invoke(args=["rollups", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "rollup rows" in result.output
    with app.app_context():
        assert stored() == recount()
