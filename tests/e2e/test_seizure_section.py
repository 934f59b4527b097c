"""A patrol that seizes tiger paws while recording poaching can fill in the seizure details (the
CITES report's fields) in every category: a collapsed section that opens by itself for the
trade category, and that works without JavaScript."""
from datetime import datetime, timedelta

import pytest

from tests.e2e.conftest import DESKTOP, PHONE, SCREENSHOTS, has_horizontal_scroll, screenshot, sign_in, submit
from tracker.models import Role

SECTION = "details[data-seizure-section]"


def section_screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(SECTION).screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def fill_poaching_with_paws(page):
    page.select_option("#category", label="Poaching")
    page.fill("#occurred_at", (datetime.now() - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    page.select_option("#items-0-product", label="Paws")
    page.select_option("#items-0-species", label="Amur tiger")
    page.fill("#items-0-quantity", "2")


@pytest.mark.parametrize("viewport,width", [(PHONE, 390), (DESKTOP, 1280)])
def test_a_poaching_patrol_records_its_seizure(live_server, new_page, viewport, width):
    page = new_page(viewport=viewport)
    sign_in(page, live_server, Role.RANGER)
    page.goto(f"{live_server}/incidents/new")
    fill_poaching_with_paws(page)
    section = page.locator(SECTION)
    assert section.is_visible() and section.get_attribute("open") is None
    assert not page.locator("#seizure_reason").is_visible()
    assert not has_horizontal_scroll(page)
    section_screenshot(page, f"incident-form-seizure-closed-{width}")

    section.locator("summary").click()
    page.fill("#seizure_reason", "Carried out of the park without a permit")
    page.fill("#disposal", "Held as evidence")
    assert not has_horizontal_scroll(page)
    section_screenshot(page, f"incident-form-seizure-open-{width}")
    screenshot(page, f"incident-form-seizure-{width}")
    page.select_option("#category", label="Snares and traps")  # typed details keep it open
    assert section.get_attribute("open") is not None
    page.select_option("#category", label="Poaching")
    submit(page)
    page.wait_for_url(f"{live_server}/incidents/*")
    assert "recorded and submitted for review" in page.content()
    assert "Carried out of the park without a permit" in page.locator(".detail-grid").inner_text()
    assert page.csp_violations == []


def test_the_section_opens_for_the_trade_category_and_closes_again(live_server, new_page):
    page = new_page(viewport=PHONE)
    sign_in(page, live_server, Role.RANGER)
    page.goto(f"{live_server}/incidents/new")
    section = page.locator(SECTION)
    page.select_option("#category", label="Trade and seizures")
    assert section.get_attribute("open") is not None and page.locator("#seizure_reason").is_visible()
    page.select_option("#category", label="Poaching")  # nothing typed: back to collapsed
    assert section.get_attribute("open") is None


def test_without_javascript(live_server, playwright_browser):
    context = playwright_browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, live_server, Role.RANGER)
        page.goto(f"{live_server}/incidents/new")
        section = page.locator(SECTION)
        assert section.is_visible() and not page.locator("#seizure_reason").is_visible()
        section.locator("summary").click()
        assert page.locator("#seizure_reason").is_visible()
    finally:
        context.close()
