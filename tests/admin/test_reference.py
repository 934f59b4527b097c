import pytest
from sqlalchemy import event, func, select, update

from tests.dashboards.test_rollups import recount
from tests.dashboards.test_rollups import stored as stored_rollups
from tests.support.factories import make_user
from tests.support.incidents import make_incident, seed
from tracker.extensions import db
from tracker.models import AuditEvent, Category, Incident, Place, Role, Species
from tracker.reference.seed import seed_reference


def seeded(app):
    with app.app_context():
        seed_reference(db.session)
        db.session.commit()


def test_lists_show_all_four_languages(app, client, login_as):
    seeded(app)
    login_as("admin")
    body = client.get("/admin/reference/species").get_data(as_text=True)
    assert "Panthera tigris altaica" in body and "Амурский тигр" in body and "东北虎" in body and "Амарын бар" in body


def test_admin_adds_a_species(app, client, login_as):
    login_as("admin")
    response = client.post("/admin/reference/species/new", data={
        "scientific_name": "Lynx lynx", "name_en": "Eurasian lynx", "name_ru": "Рысь", "name_zh": "猞猁",
        "name_mn": "Шилүүс", "group": "mammal", "cites_appendix": "II", "iucn_status": "LC", "active": "y"})
    assert response.status_code == 302
    with app.app_context():
        lynx = db.session.scalar(select(Species).where(Species.scientific_name == "Lynx lynx"))
        assert lynx.name_ru == "Рысь" and lynx.cites_appendix == "II" and not lynx.is_sensitive
        assert lynx.name_mn == "Шилүүс"


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


# Reference edits reach the incidents that depend on them, in the same transaction, and are
# recorded in the audit chain.

MUSK_DEER = "Moschus moschiferus"  # CITES II, IUCN VU: not sensitive as seeded


def species_form(species: Species, **changes) -> dict:
    data = {"scientific_name": species.scientific_name, "name_en": species.name_en, "name_ru": species.name_ru,
            "name_zh": species.name_zh, "group": species.group.value, "cites_appendix": species.cites_appendix or "",
            "iucn_status": species.iucn_status or "", "active": "y"}
    return {**data, **changes}


def place_form(place: Place, **changes) -> dict:
    data = {"name_en": place.name_en, "name_ru": place.name_ru, "name_zh": place.name_zh, "kind": place.kind.value,
            "country": place.country, "parent_id": str(place.parent_id or ""), "lat": str(place.lat),
            "lon": str(place.lon), "active": "y"}
    return {**data, **changes}


@pytest.fixture
def musk_incidents(app):
    """Two musk pod seizures (not sensitive), one of them also with a tiger paw (sensitive)."""
    seed(app)
    with app.app_context():
        reporter = make_user(Role.RANGER).id
        plain = make_incident(reporter, lat=43.1234, lon=131.4567, items=[("musk-pod", MUSK_DEER, "3", "pcs")])
        mixed = make_incident(reporter, items=[("musk-pod", MUSK_DEER, "1", "pcs"),
                                               ("paw", "Panthera tigris altaica", "2", "pcs")])
        species = db.session.scalar(select(Species).where(Species.scientific_name == MUSK_DEER))
        return plain.id, mixed.id, species.id


def sensitivity(app, *incident_ids) -> list[bool]:
    with app.app_context():
        return [db.session.get(Incident, i).sensitive for i in incident_ids]


def test_listing_a_species_in_appendix_i_makes_its_past_incidents_sensitive(app, client, login_as, musk_incidents):
    plain, mixed, species_id = musk_incidents
    login_as(Role.MANAGER)
    assert "43.12340, 131.45670" in client.get(f"/incidents/{plain}").get_data(as_text=True)
    login_as(Role.ADMIN)
    with app.app_context():
        species = db.session.get(Species, species_id)
    response = client.post(f"/admin/reference/species/{species_id}", data=species_form(species, cites_appendix="I"))
    assert response.status_code == 302
    assert sensitivity(app, plain, mixed) == [True, True]
    login_as(Role.MANAGER)  # the manager now sees the position generalised
    page = client.get(f"/incidents/{plain}").get_data(as_text=True)
    assert "43.12340" not in page and "43.15000, 131.45000" in page

    login_as(Role.ADMIN)  # and out again: only the incident with the tiger paw stays sensitive
    client.post(f"/admin/reference/species/{species_id}", data=species_form(species, cites_appendix="II"))
    assert sensitivity(app, plain, mixed) == [False, True]
    client.post(f"/admin/reference/species/{species_id}", data=species_form(species, iucn_status="CR"))
    assert sensitivity(app, plain, mixed) == [True, True]


def test_reference_writes_update_incidents_without_loading_them(app, client, login_as, musk_incidents):
    loaded = []
    listener = lambda target, _context: loaded.append(target)  # noqa: E731
    event.listen(Incident, "load", listener)
    try:
        login_as(Role.ADMIN)
        with app.app_context():
            species = db.session.get(Species, musk_incidents[2])
        client.post(f"/admin/reference/species/{species.id}", data=species_form(species, cites_appendix="I"))
    finally:
        event.remove(Incident, "load", listener)
    assert sensitivity(app, *musk_incidents[:2]) == [True, True] and loaded == []


@pytest.mark.parametrize("rebuild_share", [1, 0], ids=["rollups adjusted", "rollups recounted"])
def test_changing_a_places_country_moves_its_incidents_and_the_dashboards(app, client, login_as, monkeypatch,
                                                                          rebuild_share):
    monkeypatch.setattr("tracker.incidents.derived.REBUILD_SHARE", rebuild_share)
    seed(app)
    with app.app_context():
        reporter = make_user(Role.RANGER).id
        park = db.session.scalar(select(Place).where(
            Place.name_en == "Northeast China Tiger and Leopard National Park"))
        at_park = [make_incident(reporter, place_id=park.id, lat=43.4, lon=130.9).id for _ in range(3)]
        elsewhere = make_incident(reporter, place_id=None, lat=45.7567, lon=126.6424).id  # Harbin
        assert stored_rollups() == recount()
        park_id, form = park.id, place_form(park, country="RU")
    login_as(Role.ADMIN)
    response = client.post(f"/admin/reference/places/{park_id}", data=form)
    assert response.status_code == 302
    with app.app_context():
        countries = [db.session.get(Incident, i).country for i in (*at_park, elsewhere)]
        assert countries == ["RU", "RU", "RU", "CN"]
        assert stored_rollups() == recount()  # the dashboards equal a rebuild
    login_as(Role.COORDINATOR)
    body = client.get("/incidents?country=RU").get_data(as_text=True)
    assert all(f"/incidents/{i}\"" in body for i in at_park)


def test_reference_edits_are_in_the_audit_chain(app, client, login_as, runner, musk_incidents):
    admin = login_as(Role.ADMIN)
    with app.app_context():
        species = db.session.get(Species, musk_incidents[2])
    client.post(f"/admin/reference/species/{species.id}", data=species_form(species, cites_appendix="I"))
    client.post("/admin/reference/products/new", data={
        "slug": "horn", "name_en": "Horn", "applies_to": "animal", "default_unit": "pcs", "active": "y"})
    with app.app_context():
        edit, create = db.session.scalars(select(AuditEvent).where(AuditEvent.actor_id == admin)
                                          .order_by(AuditEvent.id)).all()
        assert (edit.actor_id, edit.action, edit.entity_type, edit.entity_id) == (admin, "edit", "species", species.id)
        assert edit.changes["key"] == {"scientific_name": MUSK_DEER}
        assert edit.changes["fields"] == {"cites_appendix": {"before": "II", "after": "I"}}
        assert edit.changes["incidents_updated"] == 1  # the other one has a tiger paw: sensitive already
        assert (create.action, create.changes["key"]) == ("create", {"slug": "horn"})
        assert create.changes["fields"]["name_en"] == {"before": None, "after": "Horn"}
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    with app.app_context():  # someone rewrites history: the species was never listed
        changes = {**edit.changes, "fields": {"cites_appendix": {"before": "II", "after": "II"}}}
        db.session.execute(update(AuditEvent).where(AuditEvent.id == edit.id).values(changes=changes))
        db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and f"BROKEN at event {edit.id}" in result.output


def test_saving_a_reference_row_unchanged_records_nothing(app, client, login_as, musk_incidents):
    login_as(Role.ADMIN)
    with app.app_context():
        species = db.session.get(Species, musk_incidents[2])
        events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    assert client.post(f"/admin/reference/species/{species.id}", data=species_form(species)).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events
