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
from tracker.dashboards.rollups import rebuild
from tracker.extensions import db
from tracker.i18n_catalogs import compile_all
from tracker.incidents.demo import generate
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
    yield from serve(live_app)


def closing_bodies(app):
    """The app, each response body closed however its sending ends. werkzeug's development
    server closes a body only after draining the socket, which raises when the browser has
    already dropped the connection (a stylesheet request cut short by the next page), so the
    static file stayed open: a ResourceWarning, an error in this suite, in whichever test ran."""

    def body(iterable):
        try:
            yield from iterable
        finally:  # also when the server stops iterating: the generator is closed as it is dropped
            getattr(iterable, "close", lambda: None)()

    def wsgi(environ, start_response):
        return body(app(environ, start_response))

    return wsgi


def serve(app):
    """The app on a free port in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, closing_bodies(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


DEMO_UNIT = "Land of the Leopard National Park rangers"


@pytest.fixture(scope="session")
def demo_app(tmp_path_factory, playwright_browser):
    """A database of its own with demo incidents (rollups rebuilt) and one user per role (the
    ranger in a demo unit), for the pages that need data: the dashboards and the screenshots."""
    app = create_app(make_config("sqlite:///" + str(tmp_path_factory.mktemp("demo") / "demo.db"),
                                 WTF_CSRF_ENABLED=True, EVIDENCE_DIR=str(tmp_path_factory.mktemp("evidence"))))
    with app.app_context():
        db.create_all()
        seed_reference(db.session)
        for role in Role:
            make_user(role, username=f"e2e_{role.value}", display_name=f"E2E {role.value.title()}", unit=DEMO_UNIT)
        generate(3000, seed=7)
        rebuild(db.session)
        db.session.commit()
    return app


@pytest.fixture(scope="session")
def demo_server(demo_app):
    yield from serve(demo_app)


@pytest.fixture
def new_page(playwright_browser):
    """A fresh browser context (own cookies) per page; console CSP violations are collected.
    `options` go to the context (service_workers="allow" for the offline tests)."""
    contexts = []

    def open_page(viewport=PHONE, locale="en-US", **options):
        context = playwright_browser.new_context(viewport=viewport, locale=locale, **options)
        contexts.append(context)
        page = context.new_page()
        page.csp_violations = []
        page.on("console", lambda msg: "Content Security Policy" in msg.text and page.csp_violations.append(msg.text))
        return page

    yield open_page
    for context in contexts:
        context.close()


def submit(page, button: str = "#submit"):
    """Press the incident form's Submit or Save as draft and wait for the page the server answers.

    The offline script first asks the server whether it is reachable (else the incident goes into
    the phone's outbox), then posts: the click returns before the navigation starts, so a test
    must wait for it rather than read the form it just left."""
    with page.expect_navigation():
        page.click(button)


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


SHOT_HEIGHT = 3000  # px: the top of a long list is what a reader checks


def shoot(page, name: str) -> Path:
    """A cheap screenshot for people to look at: JPEG, no animations or caret, the whole page up
    to SHOT_HEIGHT."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.jpg"
    size = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    page.screenshot(path=str(path), full_page=True, type="jpeg", quality=60, animations="disabled", caret="hide",
                    clip={"x": 0, "y": 0, "width": size[0], "height": min(size[1], SHOT_HEIGHT)})
    return path


# What a reader would see as broken (layout_problems.js): the page scrolls sideways, a table cell
# (a column) is hidden, an element is cut off at the right by the screen or by a scrolling box
# around it, or a hint or error sits over its control's border.
LAYOUT_PROBLEMS = (Path(__file__).with_name("layout_problems.js")).read_text(encoding="utf-8")


def layout_problems(page) -> list[str]:
    return page.evaluate(LAYOUT_PROBLEMS)
