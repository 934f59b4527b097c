"""Every dashboard figure equals an independent count in Python over the generated incidents,
for the default view and each filter, from the rollups or counted live."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.dashboards.expected import figures, matching
from tests.dashboards.pages import DashboardPage
from tests.support.incidents import category_id, place_id, species_id
from tracker.dashboards.months import add_months, key_of, month_bounds, month_range
from tracker.dashboards.queries import dashboard_rows
from tracker.dashboards.summary import summarise
from tracker.dashboards.views import _names
from tracker.extensions import db
from tracker.incidents.filters import IncidentFilters
from tracker.localtime import local_date
from tracker.models import Role, User, utcnow

CASES = {
    "default": {},
    "country": {"country": "CN"},
    "region": {"place": ("Primorsky Krai",)},
    "protected area": {"place": ("Bikin National Park",)},
    "status": {"status": "verified"},
    "status group": {"status": "open"},
    "species (live)": {"species": ("Panthera tigris altaica",)},
    "dates inside months (live)": {"date_from": date(2025, 3, 17), "date_to": date(2026, 2, 3)},
    "all dates": {"date_from": None, "date_to": None},
    "status and place (live)": {"status": "closed", "place": ("Primorsky Krai",)},
}


def resolved(case: dict) -> dict:
    """Names in a case become ids; dates default to the dashboard's last 24 months."""
    month = key_of(local_date(utcnow()))
    values = {"date_from": month_bounds(add_months(month, -23))[0], "date_to": month_bounds(month)[1]}
    for key, value in case.items():
        if key == "place":
            value = place_id(value[0])
        elif key == "species":
            value = species_id(value[0])
        values[key] = value
    return values


def summary_for(app, user_id: int, slug: str, values: dict):
    with app.test_request_context():
        user = db.session.get(User, user_id)
        f = IncidentFilters(category=slug, **values)
        rows, from_rollups = dashboard_rows(category_id(slug), f, user)
        window = (key_of(f.date_from) if f.date_from else None, key_of(f.date_to) if f.date_to else None)
        return summarise(rows, f, window, _names()), from_rollups


def check(summary, expected, values) -> None:
    assert summary.incidents == expected["incidents"]
    assert summary.arrests == expected["arrests"]
    assert summary.verified.count == expected["verified"]
    assert {f.key: f.count for f in summary.quantities} == expected["quantities"]
    trend = {f.key: f.count for f in summary.trend}
    assert {k: v for k, v in trend.items() if v} == dict(expected["trend"])
    if values.get("date_from") and values.get("date_to"):
        assert list(trend) == month_range(key_of(values["date_from"]), key_of(values["date_to"]))
    assert {f.key: f.count for f in summary.by_status if f.count} == dict(expected["status"])
    assert {f.key: f.count for f in summary.by_detection} == dict(expected["detection"])
    assert {f.key: f.count for f in summary.by_country} == dict(expected["country"])
    assert {f.key: f.count for f in summary.by_protected_area} == dict(expected["protected_area"])
    assert {f.key: f.count for f in summary.by_region} == dict(expected["region"])
    top = sorted(expected["products"].values(), reverse=True)[:10]
    assert [f.count for f in summary.top_products] == top
    assert all(expected["products"][int(f.key)] == f.count for f in summary.top_products)
    assert [f.count for f in summary.top_species] == sorted(expected["species"].values(), reverse=True)[:10]
    assert all(expected["species"][int(f.key)] == f.count for f in summary.top_species)
    for unit, tops in summary.products_by_unit.items():
        amounts = sorted((q for (_, u), q in expected["product_units"].items() if u == unit), reverse=True)[:10]
        assert [f.count for f in tops] == amounts
        assert all(expected["product_units"][(int(f.key), unit)] == f.count for f in tops)
    assert {u for _, u in expected["product_units"]} == set(summary.products_by_unit)
    for unit, tops in summary.species_by_unit.items():
        assert all(expected["species_units"][(int(f.key), unit)] == f.count for f in tops)
        assert len(tops) == min(10, sum(1 for (_, u) in expected["species_units"] if u == unit))


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("slug", ["poaching", "trafficking"])
def test_every_figure_equals_an_independent_count(demo, slug, case):
    with demo.app_context():
        coordinator = db.session.scalar(select(User.id).where(User.role == Role.RANGER).limit(1))
        user = User(username="x", role=Role.COORDINATOR, display_name="x", password_hash="!")
        db.session.add(user)
        db.session.commit()
        values = resolved(CASES[case])
        expected = figures(matching(user, category_id(slug), **values))
        user_id = user.id
    assert coordinator is not None  # demo rangers exist: the recount covers every unit
    summary, from_rollups = summary_for(demo, user_id, slug, values)
    assert from_rollups == ("live" not in case)
    assert expected["incidents"] > 0 or slug != "poaching"
    check(summary, expected, values)


def test_rangers_figures_count_their_units_incidents_only(demo, ranger_id):
    with demo.app_context():
        ranger = db.session.get(User, ranger_id)
        values = resolved({})
        expected = figures(matching(ranger, category_id("snaring"), **values))
        everyone = figures(matching(User(role=Role.COORDINATOR), category_id("snaring"), **values))
    summary, from_rollups = summary_for(demo, ranger_id, "snaring", values)
    assert not from_rollups
    assert 0 < summary.incidents < everyone["incidents"]
    check(summary, expected, values)


def test_page_shows_the_figures(demo, client, login_as):
    user_id = login_as(Role.MANAGER)
    with demo.app_context():
        values = resolved({})
        expected = figures(matching(db.session.get(User, user_id), category_id("poaching"), **values))
    page = DashboardPage(client.get("/dashboards/poaching").get_data(as_text=True))
    counts = dict(page.links)
    assert page.ids["kpi-incidents"] and any(v == expected["incidents"] for v in counts.values())
    assert sum(page.charts["trend"]["values"]) == expected["incidents"]
    assert sorted(page.charts["by-status"]["values"]) == sorted(expected["status"].get(s, 0) for s in (
        "draft", "submitted", "verified", "under_investigation", "closed", "rejected"))
    assert sorted(page.charts["by-detection"]["values"]) == sorted(expected["detection"].values())
    assert page.charts["top-products"]["values"] == sorted(expected["products"].values(), reverse=True)[:10]
    assert page.charts["top-species"]["values"] == sorted(expected["species"].values(), reverse=True)[:10]


def test_quantities_are_summed_per_unit_never_across_units(app, login_as, client):
    from tests.support.incidents import make_incident, seed

    seed(app)
    user_id = login_as(Role.COORDINATOR)
    with app.app_context():
        make_incident(user_id, items=[("bone", "Panthera tigris altaica", "2.5", "kg"),
                                      ("bone", "Panthera tigris altaica", "3", "pcs"),
                                      ("bone", None, "0.25", "kg")])
        make_incident(user_id, items=[("bone", "Panthera pardus orientalis", "1", "kg")])
        values = resolved({})
    summary, _ = summary_for(app, user_id, "poaching", values)
    assert {f.key: f.count for f in summary.quantities} == {"kg": Decimal("3.75"), "pcs": Decimal("3")}
    assert [f.count for f in summary.top_products] == [2]  # incidents with bones, not item rows
    assert {unit: [(f.count, f.incidents) for f in tops] for unit, tops in summary.products_by_unit.items()} == {
        "kg": [(Decimal("3.75"), 2)], "pcs": [(Decimal("3"), 2)]}  # incidents with bones, in any unit
    html = client.get("/dashboards/poaching").get_data(as_text=True)
    assert "3.75 kg" in html and "3 pcs" in html
