"""evidence-upload.js in Chromium: a photo picked in a form is staged at once, and its EXIF time
and position can be put into the form. The form is built from the same attributes the incident
form carries (tracker.evidence.widgets.stage_attributes), on a real page with the real CSP."""
import pytest
from flask_babel import force_locale
from flask_login import login_user
from sqlalchemy import select

from tests.e2e.conftest import DESKTOP, PHONE, has_horizontal_scroll, screenshot, sign_in
from tests.evidence import files
from tracker.evidence.widgets import stage_attributes
from tracker.extensions import db
from tracker.models import Role, User

FORM = """
<form method="post" action="/nowhere" id="test-form" class="stacked-form">
  <div class="field"><label for="occurred_at">When</label><input type="datetime-local" id="occurred_at"></div>
  <div class="field"><label for="lat">Latitude</label><input id="lat"></div>
  <div class="field"><label for="lon">Longitude</label><input id="lon"></div>
  <div class="field"><label for="files">Photos and documents</label>
    <input type="file" id="files" name="files" multiple></div>
  <div data-pending-list></div>
  <button type="submit">Save</button>
</form>
"""


def attributes(live_app, language: str) -> dict:
    with live_app.test_request_context(), force_locale(language):
        login_user(db.session.scalar(select(User).where(User.username == "e2e_ranger")))
        result = stage_attributes()
    result.pop("data-csrf")  # the page's <meta name="csrf-token"> belongs to the browser's session
    return result


def open_form(page, live_server, live_app, language="en", **overrides):
    sign_in(page, live_server, Role.RANGER)
    page.wait_for_url(f"{live_server}/")
    page.eval_on_selector("main", "(main, html) => { main.innerHTML = html; }", FORM)
    page.eval_on_selector("#files", "(input, attrs) => { for (const [k, v] of Object.entries(attrs)) "
                                    "input.setAttribute(k, v); }", {**attributes(live_app, language), **overrides})
    page.add_script_tag(url=f"{live_server}/static/js/evidence-upload.js")
    page.add_style_tag(url=f"{live_server}/static/css/evidence.css")


def pick(page, *named_files):
    page.set_input_files("#files", files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data}
                                          for name, data in named_files])


@pytest.mark.parametrize("viewport,width", [(PHONE, 390), (DESKTOP, 1280)])
def test_a_photo_is_staged_and_its_exif_offered(live_server, live_app, new_page, viewport, width):
    page = new_page(viewport=viewport)
    open_form(page, live_server, live_app)
    pick(page, ("trap.jpg", files.jpeg(color="#456")), ("act.pdf", files.pdf()), ("page.jpg", files.HTML))
    page.wait_for_selector(".evidence-offer")
    page.wait_for_selector(".evidence-chip progress", state="detached")
    assert page.input_value("#files") == ""  # not posted again with the form
    tokens = page.eval_on_selector_all("input[name=pending_evidence]", "nodes => nodes.map(n => n.value)")
    assert len(tokens) == 2
    offer = page.locator(".evidence-offer").inner_text()
    assert "Photo taken 2026-11-20 14:03 at 43.1012, 131.4521" in offer
    assert "page.jpg: this type of file is not accepted." in page.locator(".evidence-chip.is-error").inner_text()
    page.wait_for_load_state("networkidle")  # wait_for_function would need 'unsafe-eval' under the CSP
    assert page.eval_on_selector("img.evidence-chip-thumb", "img => img.naturalWidth") > 0
    screenshot(page, f"evidence-staged-{width}")
    changes = []
    page.expose_function("noteChange", lambda field_id: changes.append(field_id))
    page.evaluate("['occurred_at', 'lat', 'lon'].forEach(id => document.getElementById(id)"
                  ".addEventListener('change', () => window.noteChange(id)))")
    page.get_by_role("button", name="Use this time").click()
    page.get_by_role("button", name="Use this position").click()
    assert page.input_value("#occurred_at") == "2026-11-20T14:03"
    assert (page.input_value("#lat"), page.input_value("#lon")) == ("43.1012", "131.4521")
    assert sorted(set(changes)) == ["lat", "lon", "occurred_at"]
    page.locator(".evidence-chip", has_text="act.pdf").get_by_role("button", name="Remove").click()
    assert page.locator("input[name=pending_evidence]").count() == 1
    assert not has_horizontal_scroll(page) and page.csp_violations == []


def test_a_file_over_the_limit_is_refused_before_uploading(live_server, live_app, new_page):
    page = new_page()
    open_form(page, live_server, live_app, **{"data-max-bytes": "100"})
    requests = []
    page.on("request", lambda request: "/evidence/stage" in request.url and requests.append(request))
    pick(page, ("trap.jpg", files.jpeg()))
    error = page.locator(".evidence-chip.is-error").inner_text()
    assert "trap.jpg: the file is larger than 20 MB." in error and requests == []


def test_messages_come_from_the_page_language(live_server, live_app, new_page):
    page = new_page(viewport=PHONE)
    open_form(page, live_server, live_app, language="ru")
    pick(page, ("trap.jpg", files.jpeg(color="#789")))
    page.wait_for_selector(".evidence-offer")
    assert "Снимок сделан 2026-11-20 14:03 в точке 43.1012, 131.4521" in page.locator(".evidence-offer").inner_text()
    assert page.get_by_role("button", name="Использовать это время").is_visible()
    screenshot(page, "evidence-staged-ru-390")


def test_submitting_while_uploading_waits(live_server, live_app, new_page):
    page = new_page()
    open_form(page, live_server, live_app)
    page.route("**/evidence/stage", lambda route: None)  # the upload never finishes
    pick(page, ("trap.jpg", files.jpeg(color="#abc")))
    page.click("#test-form button[type=submit]")
    warning = page.locator("#test-form .field-error").inner_text()
    assert warning == "Please wait until the files have finished uploading."
    assert page.url == f"{live_server}/"


def incident_with_evidence(live_app) -> int:
    from datetime import datetime, timezone

    from tracker.evidence.service import attach
    from tracker.evidence.uploads import accept_file
    from tracker.incidents.services import create_incident
    from tracker.models import Category, DetectionMethod, IncidentStatus

    with live_app.test_request_context():
        ranger = db.session.scalar(select(User).where(User.username == "e2e_ranger"))
        facts = {"category_id": db.session.scalar(select(Category.id).where(Category.slug == "poaching")),
                 "occurred_at": datetime(2026, 11, 20, 4, tzinfo=timezone.utc),
                 "detection_method": DetectionMethod.PATROL, "lat": 43.1, "lon": 131.4}
        incident = create_incident(facts, [], ranger, IncidentStatus.SUBMITTED)
        uploads = [accept_file(files.upload(data, name), ranger) for name, data in (
            ("snare-line-north-slope-IMG_20261120_140312.jpg", files.jpeg(color="#7a5")),
            ("протокол изъятия.pdf", files.pdf()), ("map.png", files.png()))]
        attach(incident, uploads, ranger)
        db.session.commit()
        return incident.id


@pytest.mark.parametrize("viewport,name,locale", [(PHONE, "390", "en-US"), (DESKTOP, "1280", "en-US"),
                                                  (PHONE, "zh-390", "zh-CN"), (DESKTOP, "ru-1280", "ru-RU")])
def test_gallery_on_the_incident_page(live_server, live_app, new_page, viewport, name, locale):
    incident_id = incident_with_evidence(live_app)
    page = new_page(viewport=viewport, locale=locale)
    sign_in(page, live_server, Role.COORDINATOR)
    page.goto(f"{live_server}/incidents/{incident_id}")
    cards = page.locator(".evidence-card")
    assert cards.count() == 3
    page.wait_for_load_state("networkidle")
    assert page.eval_on_selector_all(".evidence-preview img", "imgs => imgs.every(img => img.naturalWidth > 0)")
    page.locator(".evidence-gallery").scroll_into_view_if_needed()
    screenshot(page, f"evidence-gallery-{name}")
    with page.expect_download() as download:
        cards.nth(1).locator(".evidence-name").click()
    assert download.value.suggested_filename == "протокол изъятия.pdf"
    assert not has_horizontal_scroll(page) and page.csp_violations == []


def test_ranger_adds_a_file_on_the_incident_page(live_server, live_app, new_page):
    incident_id = incident_with_evidence(live_app)
    page = new_page(viewport=PHONE)
    sign_in(page, live_server, Role.RANGER)
    page.goto(f"{live_server}/incidents/{incident_id}")
    page.set_input_files(".evidence-upload-form input[type=file]", files=[
        {"name": "second-snare.jpg", "mimeType": "image/jpeg", "buffer": files.jpeg(color="#5a3")},
        {"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": files.HTML}])
    page.locator(".evidence-upload-form").get_by_role("button", name="Upload").click()
    page.wait_for_url(f"{live_server}/incidents/{incident_id}")
    assert page.locator(".evidence-card").count() == 4
    flashes = page.locator(".flash").all_inner_texts()
    assert flashes[0].startswith("notes.jpg: this type of file is not accepted.")
    assert flashes[1].startswith("1 file added to INC-")
    screenshot(page, "evidence-added-390")
    assert not has_horizontal_scroll(page) and page.csp_violations == []
