"""The PDF management report: it opens, says what managers need in their language (Cyrillic and
Chinese render as text, not boxes), and WeasyPrint fetches nothing but the app's static files."""
from __future__ import annotations

import subprocess

import pytest
from weasyprint import HTML

from tests.reports.helpers import export_events, pdf_fonts, pdf_text
from tracker.models import Role
from tracker.reports.fetcher import BlockedURL, StaticFilesOnly
from tracker.reports.pdf import BASE_URL


def test_english_report_holds_the_key_figures(app, client, login_as, dataset, tmp_path):
    login_as(Role.MANAGER)
    response = client.get("/reports/summary.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    text = pdf_text(response.data, tmp_path)
    for expected in ("Wildlife crime report", "Key figures", "Incidents", "Items found or seized", "Arrests",
                     "Incidents per month", "Top products", "Top species", "Top places", "Trade and seizures",
                     "Amur tiger", "Land of the Leopard National Park", "150,000 RUB"):
        assert expected in text, expected
    assert "Period: 15 March 2025 – 2 November 2025" in text
    with app.app_context():
        (event,) = export_events()
        assert event.changes["format"] == "pdf" and event.changes["rows"] == 5
        assert event.changes["generalised"] is False  # the PDF holds no coordinates


@pytest.mark.parametrize("language,expected", [
    ("ru", ["Отчёт о преступлениях против дикой природы", "Ключевые показатели", "Инциденты", "Аресты",
            "Амурский тигр", "Торговля и изъятия"]),
    ("zh", ["野生动植物犯罪报告", "关键数据", "事件", "逮捕", "东北虎", "非法贸易与查获"]),
    # Mongolian Cyrillic has letters Russian lacks (Ө ө, Ү ү): a KPI label with one.
    ("mn", ["Зэрлэг амьтан, ургамлын гэмт хэргийн тайлан", "Гол үзүүлэлт", "Илрүүлсэн, хураан авсан эд зүйлс",
            "Баривчлагдсан", "Амарын бар", "Хууль бус худалдаа ба хураан авалт"]),
])
def test_report_in_each_language(client, login_as, dataset, tmp_path, language, expected):
    login_as(Role.MANAGER, language=language)
    data = client.get("/reports/summary.pdf").data
    text = pdf_text(data, tmp_path)
    for phrase in expected:
        assert phrase in text, phrase
    # Drawn with the families the stylesheet names (DejaVu Sans has Ө and Ү), never with another
    # font that fontconfig falls back to for a glyph they lack.
    fonts = pdf_fonts(data, tmp_path)
    assert "DejaVu-Sans" in fonts and all(font.startswith(("DejaVu-Sans", "Noto-Sans-CJK")) for font in fonts), fonts


def test_filters_are_named_and_applied(client, login_as, dataset, tmp_path):
    login_as(Role.MANAGER)
    text = pdf_text(client.get("/reports/summary.pdf?category=poaching").data, tmp_path)
    assert "Category: Poaching" in text
    assert "Trade and seizures" not in text
    assert "Amur tiger" not in text


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://127.0.0.1:9/", "https://tracker.invalid/etc/passwd",
                                 "https://tracker.invalid/static/../../config.py", "https://example.org/static/x.css",
                                 "data:text/plain,hello"])
def test_the_url_fetcher_refuses_everything_but_static_files(app, url):
    fetcher = StaticFilesOnly(app.static_folder)
    with pytest.raises(BlockedURL):
        fetcher.fetch(url)


def test_the_url_fetcher_serves_the_apps_static_files(app):
    response = StaticFilesOnly(app.static_folder).fetch(BASE_URL + "static/css/reports-pdf.css")
    assert response.content_type == "text/css" and b"@page" in response.read()


def test_a_document_cannot_pull_in_local_or_network_files(app, tmp_path):
    """Links WeasyPrint would follow: an attachment, an image, a stylesheet."""
    html = ('<link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
            '<p>visible</p><img src="file:///etc/passwd">'
            '<a rel="attachment" href="file:///etc/passwd">passwd</a>')
    data = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly(app.static_folder)).write_pdf()
    path = tmp_path / "attack.pdf"
    path.write_bytes(data)
    attachments = subprocess.run(["pdfdetach", "-list", str(path)], check=True, capture_output=True, text=True)
    assert attachments.stdout.strip() == "0 embedded files"
    assert "root:" not in pdf_text(data, tmp_path)


def test_an_empty_selection_still_gives_a_report(client, login_as, dataset, tmp_path):
    login_as(Role.MANAGER)
    text = pdf_text(client.get("/reports/summary.pdf?q=nothing-matches-this").data, tmp_path)
    assert "No incidents match the filters." in text
