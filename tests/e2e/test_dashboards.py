"""The dashboards in Chromium, on a phone and a desktop, in every language, over demo data.

The suite's shared live server holds no incidents, so these tests run their own server over a
database of their own (generated demo incidents, rollups rebuilt).
"""
import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import make_config
from tests.e2e.conftest import DESKTOP, PHONE, has_horizontal_scroll, screenshot, sign_in
from tests.support.factories import make_user
from tracker import create_app
from tracker.dashboards.rollups import rebuild
from tracker.extensions import db
from tracker.incidents.demo import generate
from tracker.models import Role
from tracker.reference.seed import seed_reference


@pytest.fixture(scope="module")
def dashboard_server(tmp_path_factory, playwright_browser):
    app = create_app(make_config("sqlite:///" + str(tmp_path_factory.mktemp("dash") / "dash.db"),
                                 WTF_CSRF_ENABLED=True, EVIDENCE_DIR=str(tmp_path_factory.mktemp("evidence"))))
    with app.app_context():
        db.create_all()
        seed_reference(db.session)
        for role in Role:
            make_user(role, username=f"e2e_{role.value}", unit="Land of the Leopard rangers")
        generate(3000, seed=7)
        rebuild(db.session)
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("viewport,width", [(DESKTOP, 1280), (PHONE, 390)])
@pytest.mark.parametrize("lang,locale", [("en", "en-US"), ("ru", "ru-RU"), ("zh", "zh-CN")])
def test_category_dashboard_renders_charts_and_map(dashboard_server, new_page, viewport, width, lang, locale):
    page = new_page(viewport=viewport, locale=locale)
    sign_in(page, dashboard_server, Role.COORDINATOR)
    page.wait_for_url(f"{dashboard_server}/")
    page.goto(f"{dashboard_server}/dashboards/poaching")
    page.wait_for_selector("#dashboard-map .leaflet-marker-icon")
    assert page.locator("#trend canvas").bounding_box()["height"] > 100
    assert page.locator("#kpi-incidents a").inner_text().replace(",", "").replace("\u00a0", "").isdigit()
    assert not has_horizontal_scroll(page)
    screenshot(page, f"dashboard-poaching-{lang}-{width}")
    assert page.csp_violations == []


@pytest.mark.parametrize("lang,locale", [("en", "en-US"), ("ru", "ru-RU"), ("zh", "zh-CN")])
def test_overview_at_phone_width(dashboard_server, new_page, lang, locale):
    page = new_page(locale=locale)
    sign_in(page, dashboard_server, Role.MANAGER)
    page.wait_for_url(f"{dashboard_server}/")
    page.goto(f"{dashboard_server}/dashboards")
    assert page.locator(".dash-card").count() == 6
    assert not has_horizontal_scroll(page)
    screenshot(page, f"dashboards-overview-{lang}-390")
    assert page.csp_violations == []


def test_clicking_a_chart_bar_opens_the_matching_list(dashboard_server, new_page):
    page = new_page(viewport=DESKTOP)
    sign_in(page, dashboard_server, Role.COORDINATOR)
    page.wait_for_url(f"{dashboard_server}/")
    page.goto(f"{dashboard_server}/dashboards/snaring")
    page.locator("#by-status canvas").scroll_into_view_if_needed()
    bar = page.evaluate("""() => {
        const canvas = document.querySelector('#by-status canvas'), chart = Chart.getChart(canvas);
        const values = chart.data.datasets[0].data, index = values.findIndex(v => v > 0);
        const element = chart.getDatasetMeta(0).data[index], box = canvas.getBoundingClientRect();
        return {x: box.left + (element.x + element.base) / 2, y: box.top + element.y, value: values[index]};
    }""")
    page.mouse.click(bar["x"], bar["y"])
    page.wait_for_url("**/incidents?**")
    assert int(page.locator("#result-count").inner_text().replace(",", "")) == bar["value"]
