"""The list: filters return exactly the matching incidents; keyset pages visit each once."""
import base64
import json
import random
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.support.factories import make_user
from tests.support.incidents import make_incident, seed
from tracker.extensions import db
from tracker.incidents.demo import generate
from tracker.incidents.filters import IncidentFilters
from tracker.incidents.queries import count_incidents, keyset_page
from tracker.localtime import local_date
from tracker.models import Category, Incident, IncidentItem, Place, Role, User, aware


@pytest.fixture
def demo(app):
    seed(app)
    with app.app_context():
        generate(400, seed=7)
        db.session.commit()


def python_count(f: IncidentFilters) -> int:
    """An independent count in Python over all rows."""
    places = {p.id: p for p in db.session.scalars(select(Place))}
    categories = {c.id: c.slug for c in db.session.scalars(select(Category))}
    items = {}
    for item in db.session.scalars(select(IncidentItem)):
        items.setdefault(item.incident_id, []).append(item)
    total = 0
    for i in db.session.scalars(select(Incident)):
        mine = items.get(i.id, [])
        if f.category and categories[i.category_id] != f.category:
            continue
        if f.status and i.status.value != f.status:
            continue
        if f.country and i.country != f.country:
            continue
        if f.place and not (i.place_id == f.place or (i.place_id and places[i.place_id].parent_id == f.place)):
            continue
        if f.product and not any(x.product_id == f.product for x in mine):
            continue
        if f.species and not any(x.species_id == f.species for x in mine):
            continue
        if f.detection and i.detection_method.value != f.detection:
            continue
        day = local_date(aware(i.occurred_at))
        if (f.date_from and day < f.date_from) or (f.date_to and day > f.date_to):
            continue
        total += 1
    return total


FILTERS = [
    IncidentFilters(category="snaring"), IncidentFilters(status="closed"), IncidentFilters(country="CN"),
    IncidentFilters(place=10), IncidentFilters(place=1), IncidentFilters(product=21), IncidentFilters(species=1),
    IncidentFilters(detection="camera_trap"), IncidentFilters(category="poaching", status="verified", country="RU"),
    IncidentFilters(date_from=date.today() - timedelta(days=700), date_to=date.today() - timedelta(days=300)),
]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.to_args().items()))
def test_filters_return_exactly_the_matching_incidents(app, client, login_as, demo, filters):
    login_as(Role.COORDINATOR)
    with app.app_context():
        expected = python_count(filters)
        coordinator = db.session.scalar(select(User).where(User.role == Role.COORDINATOR))
        assert count_incidents(filters, coordinator) == expected
    body = client.get("/incidents", query_string=filters.to_args()).get_data(as_text=True)
    assert f'id="result-count" data-count="{expected}"' in body


@pytest.mark.parametrize("sort", ["occurred", "created"])
def test_keyset_pages_visit_every_incident_exactly_once(app, demo, sort):
    with app.app_context():
        coordinator = make_user(Role.COORDINATOR)
        seen, cursor, pages = [], None, []
        while True:
            page = keyset_page(IncidentFilters(sort=sort), coordinator, cursor, per_page=37)
            seen += [i.id for i in page.rows]
            pages.append(page)
            if not page.next_cursor:
                break
            cursor = page.next_cursor
        assert len(seen) == len(set(seen)) == 400
        back = keyset_page(IncidentFilters(sort=sort), coordinator, pages[2].prev_cursor, per_page=37)
        assert [i.id for i in back.rows] == [i.id for i in pages[1].rows]


def test_list_pages_through_http(app, client, login_as, demo):
    login_as(Role.COORDINATOR)
    first = client.get("/incidents").get_data(as_text=True)
    assert first.count('class="incident-card"') == 50 and 'rel="next"' in first
    import re
    next_url = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = client.get(next_url).get_data(as_text=True)
    assert "Page 2" in second and 'rel="prev"' in second


def test_rangers_see_only_their_units_incidents(app, client, login_as):
    seed(app)
    with app.app_context():
        mine = make_user(Role.RANGER, unit="Bikin rangers")
        other = make_user(Role.RANGER, unit="Lazovsky rangers")
        own_id = make_incident(mine.id, description="ours").id
        theirs = make_incident(other.id, description="theirs").id
    login_as(Role.RANGER, unit="Bikin rangers")
    body = client.get("/incidents").get_data(as_text=True)
    assert 'id="result-count" data-count="1"' in body
    assert client.get(f"/incidents/{own_id}").status_code == 200
    assert client.get(f"/incidents/{theirs}").status_code == 403


def test_text_search_uses_bound_parameters(app, client, login_as):
    seed(app)
    with app.app_context():
        author = make_user(Role.RANGER)
        make_incident(author.id, description="Snare line near the salt lick")
        make_incident(author.id, description="100% sure: tiger tracks")
    login_as(Role.COORDINATOR)
    assert 'id="result-count" data-count="0"' in client.get("/incidents?q=' OR 1=1 --").get_data(as_text=True)
    assert 'id="result-count" data-count="1"' in client.get("/incidents?q=salt lick").get_data(as_text=True)
    assert 'id="result-count" data-count="1"' in client.get("/incidents?q=100%").get_data(as_text=True)


def test_invalid_filter_values_are_ignored_not_500(app, client, login_as):
    seed(app)
    login_as(Role.COORDINATOR)
    response = client.get("/incidents?place=abc&date_from=yesterday&cursor=garbage&page=-3")
    assert response.status_code == 200


@pytest.mark.parametrize("position", [["2026-01-01T00:00:00+00:00", 10**30, "next"],
                                      ["2026-01-01T00:00:00+00:00", -(2**63) - 1, "prev"]])
def test_a_tampered_cursor_is_ignored_not_500(app, client, login_as, position):
    """An id no database integer holds (SQLite's driver and PostgreSQL refuse it as a parameter)."""
    login_as(Role.COORDINATOR)
    cursor = base64.urlsafe_b64encode(json.dumps(position).encode()).decode().rstrip("=")
    assert client.get(f"/incidents?cursor={cursor}").status_code == 200


def test_random_filter_combinations_match(app, demo):
    rng = random.Random(5)
    with app.app_context():
        coordinator = make_user(Role.COORDINATOR)
        for _ in range(15):
            f = IncidentFilters(category=rng.choice([None, "poaching", "snaring", "trafficking"]),
                                status=rng.choice([None, "closed", "submitted", "verified"]),
                                country=rng.choice([None, "RU", "CN", "MN"]), product=rng.choice([None, 1, 3, 21]))
            assert count_incidents(f, coordinator) == python_count(f)


def test_text_search_ignores_case_in_russian(app, client, login_as):
    seed(app)
    with app.app_context():
        author = make_user(Role.RANGER)
        make_incident(author.id, description="Следы ТИГРА у солонца")
    login_as(Role.COORDINATOR)
    assert 'id="result-count" data-count="1"' in client.get("/incidents?q=тигра").get_data(as_text=True)


def test_species_are_listed_by_their_name_in_the_users_language(app, client, login_as):
    seed(app)
    login_as(Role.COORDINATOR, language="ru")
    body = client.get("/incidents").get_data(as_text=True)
    assert body.index("Амурский осётр") < body.index("Бурый медведь") < body.index("Японский журавль")
