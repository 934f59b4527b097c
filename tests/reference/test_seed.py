from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Category, Place, Product, Species
from tracker.reference.seed import read_rows


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_seed_reference_is_idempotent(app, runner):
    first = runner.invoke(args=["seed-reference"])
    assert first.exit_code == 0, first.output
    with app.app_context():
        counts = [count(m) for m in (Category, Species, Product, Place)]
    assert counts == [len(read_rows(f)) for f in ("categories.csv", "species.csv", "products.csv", "places.csv")]
    second = runner.invoke(args=["seed-reference"])
    assert "categories 0 changed, species 0 changed, products 0 changed, places 0 changed" in second.output
    with app.app_context():
        assert [count(m) for m in (Category, Species, Product, Place)] == counts


def test_seed_updates_rows_by_natural_key(app, runner):
    runner.invoke(args=["seed-reference"])
    with app.app_context():
        tiger = db.session.scalar(select(Species).where(Species.scientific_name == "Panthera tigris altaica"))
        tiger.name_en = "Changed by hand"
        db.session.commit()
    assert "species 1 changed" in runner.invoke(args=["seed-reference"]).output
    with app.app_context():
        tiger = db.session.scalar(select(Species).where(Species.scientific_name == "Panthera tigris altaica"))
        assert tiger.name_en == "Amur tiger" and tiger.is_sensitive


def test_protected_areas_point_at_their_region(app, runner):
    runner.invoke(args=["seed-reference"])
    with app.app_context():
        park = db.session.scalar(select(Place).where(Place.name_en == "Land of the Leopard National Park"))
        assert park.parent.name_en == "Primorsky Krai" and park.country == "RU"
        assert park.name_zh == "豹之乡国家公园"
