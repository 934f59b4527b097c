"""Offline field entry in Chromium (issue 11): the service worker keeps the form, the outbox keeps
incidents and photos in IndexedDB, and sending through the API records each exactly once.

"No network" is `set_offline(True)` plus aborting every request of the context, the worker's
included (PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS, set in conftest.py); the tests press
"Send now" rather than wait for a `sync` event, which headless Chromium never fires.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.e2e.conftest import PHONE, has_horizontal_scroll, screenshot, sign_in
from tests.evidence import files
from tracker.extensions import db
from tracker.models import Evidence, Incident, Role, User

SECOND = 1000


@pytest.fixture
def phone(new_page):
    """A phone-sized page with service workers allowed; `cut()`/`restore()` the network."""
    return lambda locale="en-US": new_page(PHONE, locale, service_workers="allow")


def cut(page):
    page.context.set_offline(True)
    page.context.route("**/*", lambda route: route.abort())


def restore(page):
    page.context.unroute("**/*")
    page.context.set_offline(False)


def prepare(page, live_server, role=Role.RANGER, language=None):
    """Sign in online, optionally switch the language, and let the worker keep the pages."""
    sign_in(page, live_server, role)
    page.wait_for_url(f"{live_server}/")
    keep = "() => navigator.serviceWorker.ready.then(() => window.wctOutbox.keepPages(true))"
    if language:  # while the worker's first round may still be running (its answers leave the cookie alone)
        with page.expect_navigation():
            page.click(f"footer button[value={language}]")
        assert page.locator("html").get_attribute("lang") == language
    page.goto(f"{live_server}/incidents/new")
    result = page.evaluate(keep)
    assert result["ok"], result


def fill_incident(page, description, suspects="0", arrests="0"):
    page.select_option("#category", index=1)
    page.fill("#occurred_at", (datetime.now() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.select_option("#items-0-product", index=1)
    page.fill("#items-0-quantity", "2")
    page.fill("#description", description)
    page.fill("#suspects", suspects)
    page.fill("#arrests", arrests)


def save(page, button="submit"):
    page.click(f"form[data-incident-form] [name={button}]")
    page.wait_for_selector("[data-outbox-status]:not([hidden]) [data-outbox-text]")
    page.wait_for_load_state()


def banner(page) -> str:
    """The status line once offline.js has read the outbox (IndexedDB answers asynchronously)."""
    return page.locator("[data-outbox-text]:not(:empty)").inner_text()


def waiting(page) -> int:
    return page.evaluate("() => window.wctOutbox.entries().then(list => list.length)")


def send_now(page):
    page.evaluate("() => window.wctOutbox.sendAll()")


def incidents_described(live_app, text):
    with live_app.app_context():
        return db.session.scalars(select(Incident).where(Incident.description == text)).all()


def test_offline_incidents_survive_a_reload_and_arrive_exactly_once(live_server, live_app, phone):
    page = phone()
    prepare(page, live_server)
    cut(page)
    page.reload()
    assert page.locator("form[data-incident-form]").count() == 1  # the kept form, with no network
    fill_incident(page, "Offline one: snare line by the creek")
    save(page)
    assert banner(page) == "Saved on this phone, 1 waiting to send"
    fill_incident(page, "Offline two: camp with a photo")
    photo = files.jpeg(color="#845")
    page.set_input_files("#files", files=[{"name": "camp.jpg", "mimeType": "image/jpeg", "buffer": photo}])
    page.wait_for_selector(".evidence-chip.is-kept")
    assert "Kept on this phone" in page.locator(".evidence-chip.is-kept").inner_text()
    save(page, "save_draft")
    page.reload()
    assert banner(page) == "Saved on this phone, 2 waiting to send"
    for path in ("/", "/incidents", "/offline/outbox"):  # the kept pages open too
        page.goto(f"{live_server}{path}")
        assert banner(page) == "Saved on this phone, 2 waiting to send"
    assert page.locator("[data-outbox-entry]").count() == 2
    screenshot(page, "offline-outbox-waiting-390")
    assert not has_horizontal_scroll(page)

    restore(page)
    send_now(page)
    page.wait_for_selector("text=Everything recorded on this phone has reached the server.")
    assert waiting(page) == 0
    send_now(page)  # nothing left: sending again adds nothing
    one = incidents_described(live_app, "Offline one: snare line by the creek")
    two = incidents_described(live_app, "Offline two: camp with a photo")
    assert len(one) == 1 and len(two) == 1
    assert (one[0].status.value, two[0].status.value) == ("submitted", "draft")
    with live_app.app_context():
        stored = db.session.scalars(select(Evidence).where(Evidence.incident_id == two[0].id)).all()
    assert [e.sha256 for e in stored] == [hashlib.sha256(photo).hexdigest()]
    assert page.csp_violations == []


def test_an_invalid_incident_comes_back_as_a_draft_with_its_message(live_server, live_app, phone):
    page = phone()
    prepare(page, live_server)
    cut(page)
    page.reload()
    fill_incident(page, "Offline: more arrests than suspects", suspects="1", arrests="3")
    save(page)
    restore(page)
    page.goto(f"{live_server}/offline/outbox")
    send_now(page)
    page.wait_for_selector(".outbox-needs_fix")
    assert "There cannot be more arrests than suspects." in page.locator(".outbox-needs_fix").inner_text()
    assert waiting(page) == 1 and incidents_described(live_app, "Offline: more arrests than suspects") == []
    page.click(".outbox-needs_fix a[href*='outbox=']")
    page.wait_for_selector("#arrests-error")
    assert page.locator("#arrests-error").inner_text() == "There cannot be more arrests than suspects."
    assert page.input_value("#description") == "Offline: more arrests than suspects"
    page.fill("#arrests", "1")
    page.click("form[data-incident-form] [name=submit]")
    page.wait_for_url(f"{live_server}/offline/outbox")
    send_now(page)
    page.wait_for_selector("text=Nothing is waiting on this phone.")
    assert len(incidents_described(live_app, "Offline: more arrests than suspects")) == 1


def test_a_page_killed_while_sending_records_nothing_twice(live_server, live_app, phone):
    page = phone()
    prepare(page, live_server)
    cut(page)
    page.reload()
    fill_incident(page, "Offline: sent while the page died")
    photo = files.jpeg(color="#357")
    page.set_input_files("#files", files=[{"name": "trap.jpg", "mimeType": "image/jpeg", "buffer": photo}])
    page.wait_for_selector(".evidence-chip.is-kept")
    save(page)
    held = []

    def reach_server_then_hang(route):
        route.fetch()  # the server records the incident; its answer never reaches the page
        held.append(route)

    context = page.context
    context.unroute("**/*")
    # Before the network is back: coming online sends the outbox at once (the `online` event).
    context.route("**/api/v1/incidents", reach_server_then_hang)
    context.set_offline(False)
    page.evaluate("() => { window.wctOutbox.sendAll(); }")
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(100)
    assert held and len(incidents_described(live_app, "Offline: sent while the page died")) == 1
    page.close()
    context.unroute("**/api/v1/incidents")

    page = context.new_page()
    page.goto(f"{live_server}/offline/outbox")  # a page load sends what waits, the entry left "sending" too
    page.wait_for_selector("text=Nothing is waiting on this phone.")
    recorded = incidents_described(live_app, "Offline: sent while the page died")
    assert len(recorded) == 1
    with live_app.app_context():
        assert db.session.scalar(select(func.count(Evidence.id)).where(Evidence.incident_id == recorded[0].id)) == 1


def open_menu_and_sign_out(page):
    page.click("details.mobile-menu summary")
    page.click("details.mobile-menu button:has-text('Sign out')")


def test_signing_out_with_a_waiting_incident_warns_and_keeps_it(live_server, phone):
    page = phone()
    prepare(page, live_server)
    cut(page)
    page.reload()
    fill_incident(page, "Offline: waiting at sign-out")
    save(page)
    restore(page)
    page.route("**/api/v1/incidents", lambda route: route.abort())  # it stays waiting
    page.goto(f"{live_server}/")
    open_menu_and_sign_out(page)
    dialog = page.locator("dialog.outbox-dialog")
    dialog.wait_for()
    assert "1 incident recorded on this phone has not reached the server yet" in dialog.inner_text()
    page.click("dialog.outbox-dialog >> text=Stay signed in")
    assert page.url == f"{live_server}/" and waiting(page) == 1
    open_menu_and_sign_out(page)
    page.click("[data-sign-out-anyway]")
    page.wait_for_url(f"{live_server}/login")
    assert page.evaluate("() => caches.keys().then(names => names.filter(n => n.startsWith('wct-user-')))") == []
    count = page.evaluate("""() => new Promise(resolve => { const open = indexedDB.open('wct-offline');
        open.onsuccess = () => { const r = open.result.transaction('outbox').objectStore('outbox').count();
        r.onsuccess = () => resolve(r.result); }; })""")
    assert count == 1  # nothing was deleted


def test_two_users_on_one_phone_see_only_their_own_queue(live_server, live_app, phone):
    page = phone()
    prepare(page, live_server, Role.RANGER)
    cut(page)
    page.reload()
    fill_incident(page, "Offline: the ranger's entry")
    save(page)
    restore(page)
    page.route("**/api/v1/incidents", lambda route: route.abort())
    page.goto(f"{live_server}/")
    open_menu_and_sign_out(page)
    page.click("[data-sign-out-anyway]")
    page.wait_for_url(f"{live_server}/login")
    sign_in(page, live_server, Role.COORDINATOR)
    page.wait_for_url(f"{live_server}/")
    assert waiting(page) == 0 and page.locator("[data-outbox-status]").is_hidden()
    page.goto(f"{live_server}/offline/outbox")
    # The list is drawn by the page's script once it has read the browser's store: wait for it.
    page.locator("[data-outbox-list]", has_text="Nothing is waiting on this phone.").wait_for()
    open_menu_and_sign_out(page)  # nothing of the coordinator's waits: no warning
    page.wait_for_url(f"{live_server}/login")
    page.unroute("**/api/v1/incidents")
    sign_in(page, live_server, Role.RANGER)
    page.wait_for_url(f"{live_server}/")
    page.wait_for_selector("text=Everything recorded on this phone has reached the server.")
    with live_app.app_context():
        ranger_id = db.session.scalar(select(User.id).where(User.username == "e2e_ranger"))
    assert [i.reporter_id for i in incidents_described(live_app, "Offline: the ranger's entry")] == [ranger_id]


def test_a_photo_that_does_not_fit_is_refused_with_a_message(live_server, phone):
    page = phone()
    prepare(page, live_server)
    cut(page)
    page.reload()
    page.evaluate("() => { navigator.storage.estimate = () => Promise.resolve({usage: 9000, quota: 10000}); }")
    page.set_input_files("#files", files=[{"name": "big.jpg", "mimeType": "image/jpeg", "buffer": files.jpeg()}])
    refusal = page.locator(".evidence-chip.is-error")
    refusal.wait_for()
    assert "big.jpg does not fit in the space this browser gives the site" in refusal.inner_text()
    assert page.locator(".evidence-chip.is-kept").count() == 0


@pytest.mark.parametrize("language", ["en", "ru", "zh", "mn"])
def test_every_screen_of_the_offline_flow_at_390px(live_server, phone, language):
    """The form kept offline with a kept photo, the saved note, the queue waiting and needing a
    correction, the correction form, and the sign-out warning, in each language."""
    page = phone()
    prepare(page, live_server, language=language)
    cut(page)
    page.reload()
    fill_incident(page, f"Offline screens {language}", suspects="0", arrests="2")
    page.set_input_files("#files", files=[{"name": "camp.jpg", "mimeType": "image/jpeg", "buffer": files.jpeg()}])
    page.wait_for_selector(".evidence-chip.is-kept")
    screenshot(page, f"offline-form-{language}-390")
    save(page)
    assert page.locator(".flash-success").count() == 1
    screenshot(page, f"offline-saved-{language}-390")
    page.goto(f"{live_server}/offline/outbox")
    screenshot(page, f"offline-outbox-waiting-{language}-390")
    restore(page)
    send_now(page)
    page.wait_for_selector(".outbox-needs_fix")
    screenshot(page, f"offline-outbox-needs-fix-{language}-390")
    page.click(".outbox-needs_fix a[href*='outbox=']")
    page.wait_for_selector("#arrests-error")
    screenshot(page, f"offline-correction-{language}-390")
    assert not has_horizontal_scroll(page)
    page.route("**/api/v1/incidents", lambda route: route.abort())
    page.goto(f"{live_server}/")
    page.click("details.mobile-menu summary")
    page.click("details.mobile-menu form[action$='/logout'] button")
    page.locator("dialog.outbox-dialog").wait_for()
    screenshot(page, f"offline-sign-out-warning-{language}-390")
    assert page.csp_violations == []
