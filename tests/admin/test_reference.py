from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Category, Place, Species
from tracker.reference.seed import seed_reference


def seeded(app):
    with app.app_context():
        seed_reference(db.session)
        db.session.commit()


def test_lists_show_all_three_languages(app, client, login_as):
    seeded(app)
    login_as("admin")
    body = client.get("/admin/reference/species").get_data(as_text=True)
    assert "Panthera tigris altaica" in body and "Амурский тигр" in body and "东北虎" in body


def test_admin_adds_a_species(app, client, login_as):
    login_as("admin")
    response = client.post("/admin/reference/species/new", data={
        "scientific_name": "Lynx lynx", "name_en": "Eurasian lynx", "name_ru": "Рысь", "name_zh": "猞猁",
        "group": "mammal", "cites_appendix": "II", "iucn_status": "LC", "active": "y"})
    assert response.status_code == 302
    with app.app_context():
        lynx = db.session.scalar(select(Species).where(Species.scientific_name == "Lynx lynx"))
        assert lynx.name_ru == "Рысь" and lynx.cites_appendix == "II" and not lynx.is_sensitive


def test_admin_edits_a_category_and_duplicate_slug_is_refused(app, client, login_as):
    seeded(app)
    login_as("admin")
    with app.app_context():
        poaching_id = db.session.scalar(select(Category.id).where(Category.slug == "poaching"))
    body = client.post(f"/admin/reference/categories/{poaching_id}", data={
        "slug": "snaring", "name_en": "Poaching!", "position": "0", "active": "y"}).get_data(as_text=True)
    assert "Another row already uses this value" in body and 'value="Poaching!"' in body
    client.post(f"/admin/reference/categories/{poaching_id}", data={
        "slug": "poaching", "name_en": "Poaching of animals", "name_ru": "Браконьерство",
        "name_zh": "盗猎", "position": "0", "active": "y"})
    with app.app_context():
        assert db.session.get(Category, poaching_id).name_en == "Poaching of animals"


def test_place_coordinates_are_range_checked(app, client, login_as):
    login_as("admin")
    body = client.post("/admin/reference/places/new", data={
        "name_en": "Nowhere", "kind": "region", "country": "RU", "parent_id": "", "lat": "95",
        "lon": "131"}).get_data(as_text=True)
    assert "between -90 and 90" in body.replace("\u00a0", " ") or "-90" in body
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Place)) == 0


def test_unknown_table_is_404(client, login_as):
    login_as("admin")
    assert client.get("/admin/reference/users").status_code == 404
