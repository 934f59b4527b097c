"""Every page, in every configured language, on a phone (390 px) and a desk (1280 px), over demo
data: a screenshot of each for people to look at (test-artifacts/screenshots/screens-*.jpg), and
none may scroll sideways, hide or cut off a table column, cut off anything else at the right, or
put a hint over its control's border (layout_problems.js).

One browser context per role and language (the browser's language chooses the page's, and its
date and file inputs follow it), signed in once; the width changes by resizing, so the ~100 pages
cost page loads and cheap screenshots only.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.e2e.conftest import DEMO_UNIT, DESKTOP, PHONE, layout_problems, shoot, sign_in
from tests.imports.files import csv_file, row
from tracker.extensions import db
from tracker.localtime import DAY_FIRST_LOCALES
from tracker.models import Incident, IncidentStatus, Role

WIDTHS = {"390": PHONE, "1280": DESKTOP}
MAPS = "#list-map .leaflet-marker-icon, #dashboard-map .leaflet-marker-icon"


@pytest.fixture(scope="module")
def incidents(demo_app) -> dict[str, int]:
    """The incidents the pages open: one of the ranger's unit, and a submitted one with items of
    a sensitive species for the coordinator (the Verify/Reject card) and the manager (withheld)."""
    with demo_app.app_context():
        submitted = db.session.scalars(select(Incident).where(
            Incident.status == IncidentStatus.SUBMITTED, Incident.sensitive.is_(True)).order_by(Incident.id)).all()
        busiest = max(submitted, key=lambda incident: len(incident.items))
        own = db.session.scalar(select(Incident.id).where(Incident.unit == DEMO_UNIT).order_by(Incident.id.desc()))
        assert own
        return {"own": own, "submitted": busiest.id}


def pages_of(role: Role, incidents: dict[str, int]) -> list[tuple[str, str, str | None]]:
    """(name, path, a selector to wait for) of the pages a role works with."""
    home = [("home", "/", None)]
    if role is Role.RANGER:
        return home + [("list-cards", "/incidents", None),
                       ("new-incident", "/incidents/new", "#map-picker .leaflet-pane"),
                       ("incident", f"/incidents/{incidents['own']}", None), ("outbox", "/offline/outbox", None)]
    if role is Role.COORDINATOR:
        return home + [("incident-review", f"/incidents/{incidents['submitted']}", None),
                       ("dashboards", "/dashboards", None),
                       ("dashboard-poaching", "/dashboards/poaching", "#dashboard-map .leaflet-marker-icon")]
    if role is Role.MANAGER:
        return home + [("list-cards", "/incidents", None), ("list-table", "/incidents", None),
                       ("list-map", "/incidents", MAPS),
                       ("incident-withheld", f"/incidents/{incidents['submitted']}", None),
                       ("reports", "/reports?category=poaching", None), ("import", "/admin/import", None)]
    return home + [("account", "/account", None), ("admin-users", "/admin/users", None),
                   ("admin-reference", "/admin/reference/species", None),
                   ("api-docs", "/api/docs", "#swagger-ui .opblock-tag")]


def assert_fits(problems: dict[str, list[str]]) -> None:
    failed = {name: found for name, found in problems.items() if found}
    assert not failed, "\n".join(f"{name}:\n  " + "\n  ".join(found) for name, found in failed.items())


def choose_view(page, base_url, name):
    """The list's cards, table or map, as the view switcher chooses it (remembered per user)."""
    view = name.removeprefix("list-")
    chosen = page.locator(f".view-switch button[value={view}][aria-pressed]")
    if view in ("cards", "table", "map") and chosen.count() == 0:
        page.click(f".view-switch button[value={view}]")
        page.wait_for_load_state()


def create_token(page, base_url, name):
    """An API token made on the account page, as its owner makes one."""
    page.goto(f"{base_url}/account")
    page.fill("#api-tokens input[name=token-name]", name)
    page.click("#api-tokens [type=submit][name=token-submit_token]")
    page.wait_for_selector(".new-token")


def test_the_sign_in_page(demo_app, demo_server, new_page):
    problems = {}
    for language in demo_app.config["LANGUAGES"]:
        page = new_page(PHONE, browser_locale(language))
        for width, viewport in WIDTHS.items():
            page.set_viewport_size(viewport)
            page.goto(f"{demo_server}/login")
            assert page.locator("html").get_attribute("lang") == language
            problems[f"login-{language}-{width}"] = layout_problems(page)
            shoot(page, f"screens-login-{language}-{width}")
    assert_fits(problems)


def browser_locale(language: str) -> str:
    """The browser's own locale for a language (its date and file inputs follow it): English
    readers of this app read dates day first, as the app writes them."""
    return DAY_FIRST_LOCALES.get(language, language).replace("_", "-")


def signed_in(new_page, server: str, role: Role, viewport: dict, locale: str = "en-US"):
    """A new page of its own browser context, signed in as `role`, on the start page."""
    page = new_page(viewport, locale)
    sign_in(page, server, role)
    page.wait_for_url(f"{server}/")
    return page


@pytest.mark.parametrize("role", list(Role))
def test_every_page_of_each_role_fits_every_screen_and_language(demo_app, demo_server, new_page, incidents, role):
    violations, problems = [], {}
    for language in demo_app.config["LANGUAGES"]:
        # The browser's language chooses the page's (the users have no preference of their own).
        page = signed_in(new_page, demo_server, role, DESKTOP, browser_locale(language))
        assert page.locator("html").get_attribute("lang") == language
        if role is Role.MANAGER:  # an export to list on the start page
            page.request.get(f"{demo_server}/reports/incidents.csv?category=snaring&country=RU").body()
        for width, viewport in WIDTHS.items():
            page.set_viewport_size(viewport)
            for name, path, ready in pages_of(role, incidents):
                page.goto(f"{demo_server}{path}")
                choose_view(page, demo_server, name)
                if ready:
                    page.wait_for_selector(ready, state="attached")
                problems[f"{role.value}-{name}-{language}-{width}"] = layout_problems(page)
                shoot(page, f"screens-{role.value}-{name}-{language}-{width}")
            if role is Role.ADMIN:  # a new token, shown once, over the list of the earlier ones
                create_token(page, demo_server, f"station laptop {language} {width}")
                problems[f"{role.value}-account-new-token-{language}-{width}"] = layout_problems(page)
                shoot(page, f"screens-{role.value}-account-new-token-{language}-{width}")
        violations += page.csp_violations
    assert_fits(problems)
    assert violations == []


def test_the_phone_shows_a_category_dashboards_figures_before_its_filters(demo_server, new_page):
    page = signed_in(new_page, demo_server, Role.COORDINATOR, PHONE)
    page.goto(f"{demo_server}/dashboards/poaching")
    assert page.locator("details.dash-filters").get_attribute("open") is None
    assert page.locator("#kpi-incidents").bounding_box()["y"] < PHONE["height"]
    page.set_viewport_size(DESKTOP)
    page.goto(f"{demo_server}/dashboards/poaching")
    assert page.locator("details.dash-filters").get_attribute("open") is not None


def test_the_review_card_has_no_empty_half(demo_server, new_page, incidents):
    """Verify and Reject: each control spans the card's width it stands in, nothing beside a short
    button is left empty."""
    for viewport in (PHONE, DESKTOP):
        page = signed_in(new_page, demo_server, Role.COORDINATOR, viewport)
        page.goto(f"{demo_server}/incidents/{incidents['submitted']}")
        panel = page.locator(".actions-panel").bounding_box()
        for form in page.locator(".actions-panel form").all():
            box = form.bounding_box()
            assert box["width"] > panel["width"] * 0.9, (viewport, box, panel)


def test_the_items_table_keeps_its_quantity_column_in_view(demo_app, demo_server, new_page, incidents):
    for language in demo_app.config["LANGUAGES"]:
        page = signed_in(new_page, demo_server, Role.COORDINATOR, PHONE, browser_locale(language))
        page.goto(f"{demo_server}/incidents/{incidents['submitted']}")
        for cell in page.locator(".items-table td.num").all():
            box = cell.bounding_box()
            assert box and box["x"] + box["width"] <= PHONE["width"], (language, box)


def test_a_clusters_count_reads_on_one_line_in_the_languages_digits(demo_server, new_page):
    """The list's map, zoomed out over 3,000 incidents: a cluster of 1,171 reads "1 171" in
    Russian, on one line inside its circle (not "117" over "1")."""
    page = signed_in(new_page, demo_server, Role.MANAGER, DESKTOP, "ru-RU")
    page.goto(f"{demo_server}/incidents")
    choose_view(page, demo_server, "list-map")
    page.wait_for_selector("#list-map .marker-cluster", state="attached")
    counts = page.locator("#list-map .marker-cluster span").all()
    assert any(int(count.text_content().replace("\xa0", "")) >= 1000 for count in counts)
    for count in counts:
        text, label, circle = count.text_content(), count.bounding_box(), count.locator("xpath=../..").bounding_box()
        assert text == f"{int(text.replace(chr(160), '')):,}".replace(",", "\xa0"), text
        assert label["height"] < 24 and label["x"] >= circle["x"] and \
            label["x"] + label["width"] <= circle["x"] + circle["width"], (text, label, circle)


def test_the_tables_sensitive_badge_keeps_its_padding(demo_server, new_page):
    """Under the reference in the list's table, "Sensitive" sits inside its pill with room either
    side (a table-display badge in a collapsed-border table loses its padding)."""
    for viewport in (PHONE, DESKTOP):
        page = signed_in(new_page, demo_server, Role.MANAGER, viewport)
        page.goto(f"{demo_server}/incidents")
        choose_view(page, demo_server, "list-table")
        room = page.evaluate("""() => { const badge = document.querySelector('.incident-table .badge-sensitive');
            const range = document.createRange(); range.selectNodeContents(badge);
            const box = badge.getBoundingClientRect(), text = range.getBoundingClientRect();
            return [text.left - box.left, box.right - text.right]; }""")
        assert min(room) >= 6, (viewport, room)


def test_the_desk_menus_links_do_not_overlap(demo_server, new_page):
    """The highlighted page's pill stays clear of its neighbours in the desk menu."""
    page = signed_in(new_page, demo_server, Role.COORDINATOR, DESKTOP)
    page.goto(f"{demo_server}/dashboards")
    links = page.locator(".desktop-menu > li > a, .desktop-menu > li .link-button").all()
    boxes = [link.bounding_box() for link in links]
    assert len(boxes) >= 4
    for left, right in zip(boxes, boxes[1:], strict=False):
        assert left["x"] + left["width"] <= right["x"], (left, right)


def test_an_import_report_fits_every_screen_and_language(demo_app, demo_server, new_page):
    """A manager's dry run of a file with a bad date, an unknown species, a negative quantity and
    an impossible position: the report's table of problems reads on a phone in every language."""
    broken = csv_file([row(1, occurred_at_utc="2025-02-30T10:00:00Z"),
                       row(2, species_scientific_name="Felis nonexista"), row(3, quantity="-4"), row(4, lat="95.5")])
    problems = {}
    for language in demo_app.config["LANGUAGES"]:
        page = signed_in(new_page, demo_server, Role.MANAGER, PHONE, browser_locale(language))
        page.goto(f"{demo_server}/admin/import")
        page.set_input_files("input[name=file]", files=[{"name": "field-book.csv", "mimeType": "text/csv",
                                                          "buffer": broken}])
        page.click("input[name=submit]")
        page.wait_for_selector("#import-problems tbody tr")
        assert page.locator("#import-problems tbody tr").count() >= 4
        for width, viewport in WIDTHS.items():
            page.set_viewport_size(viewport)
            problems[f"import-report-{language}-{width}"] = layout_problems(page)
            shoot(page, f"screens-manager-import-report-{language}-{width}")
    assert_fits(problems)
