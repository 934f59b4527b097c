"""A ranger records a seizure on a phone (two items, a photo, position from the map); a
coordinator verifies it; the history verifies."""
import io
from datetime import datetime, timedelta

from PIL import Image

from tests.e2e.conftest import DESKTOP, PHONE, has_horizontal_scroll, screenshot, sign_in, submit
from tracker.models import Role


def photo(tmp_path):
    path = tmp_path / "paws.jpg"
    image = Image.new("RGB", (640, 480), (120, 90, 60))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def choose(page, selector, label):
    page.select_option(selector, label=label)


def test_ranger_records_and_coordinator_verifies(live_server, new_page, tmp_path):
    page = new_page(viewport=PHONE)
    sign_in(page, live_server, Role.RANGER)
    page.goto(f"{live_server}/incidents/new")
    choose(page, "#category", "Poaching")
    page.fill("#occurred_at", (datetime.now() - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    choose(page, "#place", "Land of the Leopard National Park")
    page.wait_for_selector("#map-picker.leaflet-container")
    box = page.locator("#map-picker").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.input_value("#lat") != "" and page.input_value("#lon") != ""
    choose(page, "#items-0-product", "Paws")
    assert page.input_value("#items-0-unit") == "pcs"  # the product's default unit
    choose(page, "#items-0-species", "Amur tiger")
    page.fill("#items-0-quantity", "2")
    page.click("[data-add-item]")
    choose(page, "#items-1-product", "Bones")
    assert page.input_value("#items-1-unit") == "kg"
    choose(page, "#items-1-species", "Amur tiger")
    page.fill("#items-1-quantity", "3")
    page.fill("#description", "Two tiger paws and 3 kg of bones in a sack by the forest road.")
    page.set_input_files("#files", str(photo(tmp_path)))
    page.wait_for_selector("[data-pending-list] input[name=pending_evidence]", state="attached")
    assert not has_horizontal_scroll(page)
    screenshot(page, "incident-form-filled-390")
    submit(page)
    page.wait_for_url(f"{live_server}/incidents/*")
    assert "recorded and submitted for review" in page.content()
    assert page.locator(".badge-sensitive").first.is_visible()
    assert page.locator("table tbody tr").count() == 2
    assert "paws.jpg" in page.content()
    assert not has_horizontal_scroll(page)
    screenshot(page, "incident-detail-ranger-390")
    incident_url = page.url
    assert page.csp_violations == []

    coordinator = new_page(viewport=DESKTOP)
    sign_in(coordinator, live_server, Role.COORDINATOR)
    coordinator.goto(incident_url)
    coordinator.get_by_role("button", name="Verify").click()
    coordinator.wait_for_url(incident_url)
    assert "Verified" in coordinator.locator("h1").inner_text()
    screenshot(coordinator, "incident-detail-verified-1280")
    coordinator.goto(f"{live_server}/incidents")
    screenshot(coordinator, "incident-list-1280")
    assert coordinator.csp_violations == []


def test_form_errors_keep_input_in_the_browser(live_server, new_page):
    page = new_page(viewport=PHONE, locale="ru-RU")
    sign_in(page, live_server, Role.RANGER)
    page.goto(f"{live_server}/incidents/new")
    page.fill("#lat", "95")
    page.fill("#lon", "131")
    page.fill("#description", "Следы у солонца")
    submit(page)
    assert page.locator("#lat-error").is_visible()
    assert page.input_value("#description") == "Следы у солонца"
    assert not has_horizontal_scroll(page)
    screenshot(page, "incident-form-errors-ru-390")
