"""The dashboards in Chromium, on a phone and a desktop, in every language, over demo data (the
suite's demo server: its shared live server holds no incidents)."""
import pytest

from tests.e2e.conftest import DESKTOP, PHONE, has_horizontal_scroll, sign_in
from tracker.models import Role


@pytest.fixture(scope="module")
def dashboard_server(demo_server):
    return demo_server


@pytest.mark.parametrize("viewport,width", [(DESKTOP, 1280), (PHONE, 390)])
def test_category_dashboard_renders_charts_and_map(dashboard_server, new_page, viewport, width):
    """Charts drawn and the map filled (every language and width is laid out in test_screens)."""
    page = new_page(viewport=viewport)
    sign_in(page, dashboard_server, Role.COORDINATOR)
    page.wait_for_url(f"{dashboard_server}/")
    page.goto(f"{dashboard_server}/dashboards/poaching")
    page.wait_for_selector("#dashboard-map .leaflet-marker-icon")
    assert page.locator("#trend canvas").bounding_box()["height"] > 100
    assert page.locator("#kpi-incidents a").inner_text().replace(",", "").replace("\u00a0", "").isdigit()
    assert not has_horizontal_scroll(page)
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
