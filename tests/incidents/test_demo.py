import re

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from tests.support.incidents import seed
from tracker.extensions import db
from tracker.incidents.countries import country_at
from tracker.incidents.demo_vocabulary import (
    CATEGORY_DETECTION,
    CATEGORY_PRODUCTS,
    DESCRIPTIONS,
    NOT_DETECTED_BY,
    PRODUCT_SPECIES,
)
from tracker.models import DetectionMethod, Incident, IncidentItem, IncidentStatus, Place, User


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


TIGERS_AND_LEOPARDS = ("Panthera tigris altaica", "Panthera pardus orientalis")
IN_A_CAR_OR_ON_SALE = (DetectionMethod.MARKET_INSPECTION, DetectionMethod.ONLINE_MONITORING, DetectionMethod.CHECKPOINT)


def test_demo_data_is_believable(app, runner):
    """What a newcomer sees first: products that fit the category, species that fit the product
    and live in the place's country, a way of detection that fits both, a position and a ranger
    of the place's country, and a description in that country's language."""
    seed(app)
    assert runner.invoke(args=["demo", "--incidents", "1500", "--seed", "4"]).exit_code == 0
    with app.app_context():
        incidents = db.session.scalars(select(Incident).options(
            selectinload(Incident.items).joinedload(IncidentItem.product),
            selectinload(Incident.items).joinedload(IncidentItem.species),
            joinedload(Incident.place), joinedload(Incident.category))).unique().all()
        units = {f"{p.name_en} rangers": p.country for p in db.session.scalars(select(Place))}
        reporters = dict(db.session.execute(select(User.id, User.unit)).all())
        outside = 0
        for incident in incidents:
            country, category = incident.place.country, incident.category.slug
            assert incident.country == country and units[reporters[incident.reporter_id]] == country
            outside += country_at(incident.lat, incident.lon) != country
            assert incident.description in DESCRIPTIONS[country][incident.detection_method], incident.ref
            assert incident.currency == {"RU": "RUB", "CN": "CNY", "MN": "MNT"}[country]
            assert incident.detection_method in dict(CATEGORY_DETECTION[category])
            products = [item.product.slug for item in incident.items]
            assert len(products) == len(set(products)), products  # a product once, its quantity summed
            for item in incident.items:
                product, name = item.product.slug, item.species.scientific_name if item.species else None
                assert product in CATEGORY_PRODUCTS[category], (category, product)
                assert incident.detection_method not in NOT_DETECTED_BY.get(product, ()), (product, incident.ref)
                assert name is None or name in PRODUCT_SPECIES[product], (product, name)
                # A few facts by hand, beside the tables: no tigers or caviar in Mongolia, musk
                # pods from musk deer, gall bladders from bears, snares found where they lie.
                assert not (country == "MN" and (name in TIGERS_AND_LEOPARDS or product == "caviar"))
                assert product != "musk-pod" or name in (None, "Moschus moschiferus")
                assert product != "gall-bladder" or name in (None, "Ursus arctos", "Ursus thibetanus")
                assert product != "snare" or incident.detection_method not in IN_A_CAR_OR_ON_SALE
        languages = {incident.place.country: incident.description for incident in incidents}
        assert set(languages) == {"RU", "CN", "MN"}
        assert re.search("[\u4e00-\u9fff]", languages["CN"]) and re.search("[ӨөҮү]", "".join(
            i.description for i in incidents if i.place.country == "MN"))
        # Positions are drawn in the place's country; a jitter of about 500 m may cross a border
        # drawn at 1:50M only where a drawn position lies that close to it.
        assert outside <= len(incidents) // 100, outside
