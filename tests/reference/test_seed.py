import shutil

import pytest
from sqlalchemy import func, select, update

from tests.support.factories import make_user
from tests.support.incidents import make_incident, seed
from tracker.extensions import db
from tracker.models import AuditEvent, Category, Incident, Place, Product, Role, Species
from tracker.reference.seed import DATA_DIR, read_rows


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
        assert park.name_mn == "«Ирвэсийн нутаг» үндэсний цэцэрлэгт хүрээлэн"


def test_names_in_mongolian_reach_a_database_seeded_before_them(app, runner):
    """A database upgraded to revision 0008 has empty Mongolian names: the next seed run fills
    them in, one audited change a row, and the run after that changes nothing."""
    runner.invoke(args=["seed-reference"])
    with app.app_context():
        for model in (Category, Species, Product, Place):
            db.session.execute(update(model).values(name_mn=""))
        db.session.commit()
        before = len(events())
    filled = runner.invoke(args=["seed-reference"]).output
    assert f"species {len(read_rows('species.csv'))} changed" in filled
    with app.app_context():
        taimen = db.session.scalar(select(Species).where(Species.scientific_name == "Hucho taimen"))
        assert taimen.name_mn == "Тул"
        new_events = events()[before:]
        assert len(new_events) == sum(len(read_rows(f)) for f in (
            "categories.csv", "species.csv", "products.csv", "places.csv"))
        assert new_events[0].changes["fields"] == {"name_mn": {"before": "", "after": "Хулгайн ан"}}
    again = runner.invoke(args=["seed-reference"]).output
    assert "categories 0 changed, species 0 changed, products 0 changed, places 0 changed" in again


@pytest.fixture
def edited_data(tmp_path, monkeypatch):
    """A copy of the reference files, editable by the test, that the loader reads instead."""
    for name in ("categories.csv", "species.csv", "products.csv", "places.csv"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    monkeypatch.setattr("tracker.reference.seed.DATA_DIR", tmp_path)

    def edit(name: str, old: str, new: str) -> None:
        path = tmp_path / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")

    return edit


def events():
    return db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()


def test_a_new_listing_in_the_files_reaches_past_incidents_and_the_audit_chain(app, runner, edited_data):
    seed(app)
    with app.app_context():
        musk = make_incident(make_user(Role.RANGER).id, items=[("musk-pod", "Moschus moschiferus", "3", "pcs")]).id
        assert not db.session.get(Incident, musk).sensitive
        before = len(events())
    edited_data("species.csv", "Moschus moschiferus,Siberian musk deer,Кабарга,原麝,mammal,II,VU",
                "Moschus moschiferus,Siberian musk deer,Кабарга,原麝,mammal,II,EN")
    result = runner.invoke(args=["seed-reference"])
    assert "species 1 changed" in result.output
    with app.app_context():
        assert db.session.get(Incident, musk).sensitive
        (event,) = events()[before:]
        assert (event.actor_id, event.actor_name, event.action, event.entity_type) == (None, "system", "edit",
                                                                                        "species")
        assert event.changes["key"] == {"scientific_name": "Moschus moschiferus"}
        assert event.changes["fields"] == {"iucn_status": {"before": "VU", "after": "EN"}}
        count_after_first = len(events())
    second = runner.invoke(args=["seed-reference"])
    assert "species 0 changed" in second.output
    with app.app_context():
        assert len(events()) == count_after_first  # a second run records nothing


def test_the_first_load_records_every_row(app, runner):
    runner.invoke(args=["seed-reference"])
    with app.app_context():
        created = [e for e in events() if e.action == "create"]
        assert len(created) == sum(len(read_rows(f)) for f in (
            "categories.csv", "species.csv", "products.csv", "places.csv"))
        park = next(e for e in created if e.changes["key"] == {
            "country": "RU", "name_en": "Land of the Leopard National Park"})
        assert park.entity_type == "places" and park.changes["fields"]["lat"]["after"] == 43.1
