"""Browser suite: Debian's Chromium driven by Playwright against a live server in a thread.

Never `playwright install`: the browser is /usr/bin/chromium. Screenshots land in
test-artifacts/screenshots/ for people to look at.
"""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import make_config
from tests.support.factories import PASSWORD, make_user
from tracker import create_app
from tracker.extensions import db
from tracker.i18n_catalogs import compile_all
from tracker.models import Role
from tracker.reference.seed import seed_reference

# Route a service worker's own requests through context.route too, so a test can cut them off:
# set_offline() alone does not stop them (Playwright #2311). Read when the driver starts.
os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def playwright_browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM} and REQUIRE_BROWSER=1")
        pytest.skip("Chromium not installed: browser suite SKIPPED (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_app(tmp_path_factory, database_url):
    config = make_config(database_url, WTF_CSRF_ENABLED=True,
                         EVIDENCE_DIR=str(tmp_path_factory.mktemp("evidence")))
    app = create_app(config)
    compile_all()
    with app.app_context():
        db.drop_all()
        db.create_all()
        seed_reference(db.session)
        db.session.commit()
        for role in Role:
            make_user(role, username=f"e2e_{role.value}", display_name=f"E2E {role.value.title()}",
                      unit="Land of the Leopard rangers")
    return app


@pytest.fixture(scope="session")
def live_server(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with live_app.app_context():
        db.engine.dispose()


@pytest.fixture
def new_page(playwright_browser):
    """A fresh browser context (own cookies) per page; console CSP violations are collected."""
    contexts = []

    def open_page(viewport=PHONE, locale="en-US"):
        context = playwright_browser.new_context(viewport=viewport, locale=locale)
        contexts.append(context)
        page = context.new_page()
        page.csp_violations = []
        page.on("console", lambda msg: "Content Security Policy" in msg.text and page.csp_violations.append(msg.text))
        return page

    yield open_page
    for context in contexts:
        context.close()


def sign_in(page, base_url: str, role: Role | str):
    page.goto(f"{base_url}/login")
    page.fill("input[name=username]", f"e2e_{Role(role).value}")
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def has_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
