"""A Mongolian ranger, in an English browser, picks Монгол on the sign-in page and records an
incident in Mongolian on a phone and a desktop: the language carries through the sign-in, the
form, its messages, the incident page and the dashboard, and nothing scrolls sideways."""
from datetime import datetime, timedelta

import pytest

from tests.e2e.conftest import DESKTOP, PHONE, has_horizontal_scroll, screenshot, submit
from tests.support.factories import PASSWORD


def fits(page, name: str) -> None:
    assert not has_horizontal_scroll(page), name
    screenshot(page, name)


@pytest.mark.parametrize("viewport,width", [(PHONE, 390), (DESKTOP, 1280)])
def test_a_mongolian_ranger_records_an_incident(live_server, new_page, viewport, width):
    page = new_page(viewport=viewport, locale="en-US")
    page.goto(f"{live_server}/login")
    page.get_by_role("button", name="Монгол").click()
    assert page.locator("h1").inner_text() == "Нэвтрэх"
    page.fill("input[name=username]", "e2e_ranger")
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server}/")

    page.goto(f"{live_server}/incidents/new")
    assert page.locator("html").get_attribute("lang") == "mn"
    page.select_option("#category", label="Хулгайн ан")
    page.fill("#occurred_at", (datetime.now() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.select_option("#place", label="Онон-Балжийн байгалийн цогцолборт газар")
    page.fill("#lat", "49.151")
    page.fill("#lon", "111.602")
    page.select_option("#items-0-product", label="Арьс")
    page.select_option("#items-0-species", label="Тарвага")
    page.fill("#description", "Гол хавиас тарваганы 12 арьс олдов.")
    fits(page, f"mn-incident-form-{width}")
    submit(page)  # no quantity yet
    assert page.locator("#items-0-quantity-error").inner_text() == "Тоо хэмжээг оруулна уу."
    assert page.input_value("#description") == "Гол хавиас тарваганы 12 арьс олдов."
    fits(page, f"mn-incident-form-errors-{width}")

    page.fill("#items-0-quantity", "12")
    submit(page)
    page.wait_for_url(f"{live_server}/incidents/*")
    assert "дугаартай тохиолдлыг бүртгэж, хянуулахаар илгээлээ." in page.locator(".flash-success").inner_text()
    assert "Тарвага" in page.content() and page.locator(".badge-sensitive").first.inner_text() == "Нууцлалтай"
    fits(page, f"mn-incident-detail-{width}")

    page.goto(f"{live_server}/dashboards/poaching")
    page.wait_for_selector("#dashboard-map .leaflet-marker-icon")
    assert page.locator("h1").inner_text().startswith("Хулгайн ан")
    fits(page, f"mn-dashboard-poaching-{width}")
    assert page.csp_violations == []
