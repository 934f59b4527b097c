"""In the browser: a Mongolian ranger types a time that happened twice (summer time ended at
midnight on 26 September 2015) and is asked which one; a manager opens a sensitive incident and
sees its place withheld and its position generalised. In every language, on a phone and a desk."""
import pytest

from tests.e2e.conftest import DESKTOP, PHONE, has_horizontal_scroll, screenshot, submit
from tests.support.factories import PASSWORD, make_user
from tests.support.incidents import make_incident
from tracker.models import IncidentStatus, Role

LOCALES = {"en": "en-US", "ru": "ru-RU", "zh": "zh-CN"}
VIEWPORTS = {"390": PHONE, "1280": DESKTOP}


def open_as(new_page, base_url, username, lang, width, path):
    """A signed-in page in `lang` at `width`, opened at `path`."""
    page = new_page(viewport=VIEWPORTS[width], locale=LOCALES[lang])
    page.goto(f"{base_url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base_url}/")
    page.goto(f"{base_url}{path}")
    return page


@pytest.fixture(scope="module")
def people(live_app):
    with live_app.app_context():
        for lang in LOCALES:
            make_user(Role.RANGER, username=f"e2e_ub_{lang}", unit="Onon rangers", timezone="Asia/Ulaanbaatar",
                      language=lang)
            make_user(Role.MANAGER, username=f"e2e_manager_{lang}", language=lang)
        reporter = make_user(Role.RANGER, username="e2e_leopard_team", unit="Leopard team")
        incident = make_incident(reporter.id, items=[("skin", "Panthera tigris altaica", "1", "pcs")],
                                 lat=43.123456, lon=131.987654, status=IncidentStatus.VERIFIED,
                                 location_text="Forest road 3 km N of Kedrovaya Pad cordon")
        return incident.id


@pytest.mark.parametrize("lang", LOCALES)
@pytest.mark.parametrize("width", VIEWPORTS)
def test_a_repeated_hour_is_asked_for(live_server, new_page, people, lang, width):
    page = open_as(new_page, live_server, f"e2e_ub_{lang}", lang, width, "/incidents/new")
    page.select_option("#category", index=1)
    page.fill("#occurred_at", "2015-09-25T23:30")
    page.select_option("#items-0-product", index=1)
    page.fill("#items-0-quantity", "1")
    submit(page, "#save_draft")
    choice = page.locator(".which-time")
    choice.wait_for()
    assert page.locator("#occurred_at-error").is_visible()
    choice.scroll_into_view_if_needed()
    screenshot(page, f"time-asked-{lang}-{width}")
    assert not has_horizontal_scroll(page)
    page.locator("input[name=occurred_fold][value='+08:00']").check()
    submit(page, "#save_draft")
    page.wait_for_url(f"{live_server}/incidents/*")
    assert "23:30" in page.locator(".lead").inner_text() or "11:30" in page.locator(".lead").inner_text()
    assert page.csp_violations == []


@pytest.mark.parametrize("lang", LOCALES)
@pytest.mark.parametrize("width", VIEWPORTS)
def test_the_manager_sees_the_place_withheld(live_server, new_page, people, lang, width):
    page = open_as(new_page, live_server, f"e2e_manager_{lang}", lang, width, f"/incidents/{people}")
    body = page.content()
    assert "Kedrovaya" not in body and "43.12" not in body and "43.15000, 131.95000" in body
    assert page.locator(".withheld").is_visible()
    screenshot(page, f"incident-withheld-{lang}-{width}")
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')].filter(
        e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).map(
        e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 8)""")
    assert not has_horizontal_scroll(page), wide
    assert page.csp_violations == []
