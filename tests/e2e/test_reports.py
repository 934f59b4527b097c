"""A manager opens the export page, sees what the export will hold, downloads the CSV, and
follows a background build to its download; on a phone and a desktop, in English, Russian and
Chinese."""
from __future__ import annotations

import csv
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.e2e.conftest import DESKTOP, PHONE, has_horizontal_scroll, screenshot, sign_in
from tracker.extensions import db
from tracker.incidents.filters import IncidentFilters
from tracker.incidents.services import ItemData, create_incident
from tracker.models import Category, DetectionMethod, IncidentStatus, Product, Role, Species, User
from tracker.reports.rows import export_counts


@pytest.fixture(scope="module")
def poaching_incidents(live_app):
    with live_app.app_context():
        ranger = db.session.scalar(select(User).where(User.username == "e2e_ranger"))
        category = db.session.scalar(select(Category.id).where(Category.slug == "poaching"))
        skin = db.session.scalar(select(Product.id).where(Product.slug == "skin"))
        tiger = db.session.scalar(select(Species.id).where(Species.scientific_name == "Panthera tigris altaica"))
        for n in range(3):
            items = [ItemData(skin, tiger, Decimal(n + 1), "pcs")] if n else []
            create_incident({"category_id": category, "occurred_at": datetime.now(timezone.utc) - timedelta(days=n + 1),
                             "detection_method": DetectionMethod.PATROL, "lat": 43.1 + n / 10, "lon": 131.4,
                             "description": f"Тигр {n} · 老虎 {n}"}, items, ranger, IncidentStatus.VERIFIED)
        db.session.commit()
        manager = db.session.scalar(select(User).where(User.username == "e2e_manager"))
        return export_counts(IncidentFilters(category="poaching"), manager)


def test_manager_sees_the_count_and_downloads_the_csv(live_server, new_page, poaching_incidents, tmp_path):
    page = new_page(viewport=DESKTOP)
    sign_in(page, live_server, Role.MANAGER)
    page.goto(f"{live_server}/reports?category=poaching")
    counts = page.locator("#export-count")
    assert counts.get_attribute("data-incidents") == str(poaching_incidents.incidents)
    assert counts.get_attribute("data-rows") == str(poaching_incidents.rows)
    assert page.locator("input[name=format][value=csv]").is_checked()  # the format chosen unless another is
    assert page.locator("main button[type=submit]").filter(has_text="Download").count() == 1
    with page.expect_download() as info:
        page.click("#download")
    download = info.value
    assert download.suggested_filename.startswith("incidents-") and download.suggested_filename.endswith(".csv")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == poaching_incidents.rows
    assert {r["category"] for r in rows} == {"poaching"}
    assert "Тигр 2 · 老虎 2" in {r["description"] for r in rows}
    assert page.csp_violations == []


def test_a_large_export_shows_progress_then_downloads(live_app, live_server, new_page, poaching_incidents, tmp_path):
    saved = live_app.config["REPORTS_SYNC_MAX_ROWS"], live_app.config["REPORTS_DIR"]
    live_app.config.update(REPORTS_SYNC_MAX_ROWS=0, REPORTS_DIR=str(tmp_path / "exports"))
    try:
        page = new_page(viewport=PHONE, locale="ru-RU")
        sign_in(page, live_server, Role.MANAGER)
        page.goto(f"{live_server}/reports?category=poaching")
        page.check("input[name=format][value=xlsx]")
        page.click("#download")
        page.wait_for_url(f"{live_server}/reports/download?*")  # the offer of a background build
        assert not has_horizontal_scroll(page)
        screenshot(page, "reports-background-offer-ru-390")
        page.locator("form[action*='kind=xlsx'] button").click()
        page.wait_for_url(f"{live_server}/reports/jobs/*")
        assert page.locator("progress#job-progress").count() == 1
        page.wait_for_selector("#job-download:not([hidden])", timeout=30000)
        assert page.locator("#job-progress").get_attribute("value") == "100"
        assert not has_horizontal_scroll(page)
        screenshot(page, "reports-job-ru-390")
        with page.expect_download() as info:
            page.click("#job-download")
        assert info.value.suggested_filename.endswith(".xlsx")
        assert page.csp_violations == []
    finally:
        live_app.config["REPORTS_SYNC_MAX_ROWS"], live_app.config["REPORTS_DIR"] = saved


def test_the_cites_report_follows_the_filters_above(live_server, new_page, poaching_incidents):
    """The CITES year belongs to the page's one form: counting keeps the filters, and the filters
    keep the year; the download carries both."""
    page = new_page(viewport=PHONE)
    sign_in(page, live_server, Role.MANAGER)
    page.goto(f"{live_server}/reports")
    assert page.locator("details.report-filters").get_attribute("open") is None  # closed on a phone
    page.click("details.report-filters > summary")
    page.select_option("#country", "RU")
    page.click("details.report-filters button[type=submit]")
    year = page.locator("#year option").nth(0).get_attribute("value")  # this year: the poaching incidents
    page.select_option("#year", year)
    page.get_by_role("button", name="Count rows").click()
    page.wait_for_url(f"{live_server}/reports?*year={year}*")
    assert "country=RU" in page.url
    assert page.locator("#year").input_value() == year and page.locator("#country").input_value() == "RU"
    page.check("input[name=format][value=cites-csv]")
    with page.expect_download() as info:
        page.click("#download")
    assert info.value.suggested_filename == f"cites-aitr-{year}-RU.csv"
    assert not has_horizontal_scroll(page)
    screenshot(page, "reports-cites-ru-filter-390")
    assert page.csp_violations == []
